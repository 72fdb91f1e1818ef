"""The asking sentence's wording as a refusal feature: its n-grams, its plain-Python scoring (equal to the
scikit-learn fit it comes from), its reproducible fit, and the out-of-fold column the decision learns from."""

from __future__ import annotations

import random

import pytest

from assistant import answerability, asked_wording
from assistant.answerability_train import WORDING, with_wording

# Synthetic asks built from parts (no question-set text): asks for what a rule states, and asks for details a
# rule does not state (opening hours, a members' list, counts of use).
_STATED = ["補助率", "上限額", "対象経費", "申請期限", "交付対象者", "返還額"]
_UNSTATED = ["営業時間", "会員名簿", "利用実績件数", "審査員氏名", "来年度予算"]
_SUBJECTS = ["拠点施設", "支援金", "交付金", "共用空間", "相談窓口"]


def _asks(seed: int, n: int) -> tuple[list[str], list[int]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        unstated = rng.random() < 0.3
        word = rng.choice(_UNSTATED if unstated else _STATED)
        texts.append(f"{rng.choice(_SUBJECTS)}の{word}はどうなっていますか？")
        labels.append(int(unstated))
    return texts, labels


def test_ngrams_read_only_content_runs_of_the_search_key():
    grams = asked_wording.ngrams("ＡＢ市の施設、いつ開いてますか？")
    assert " ab" in grams and "ab市 " in grams and " 施設 " in grams  # a run's start and end are n-grams
    assert not any(ch in g for g in grams for ch in "のいつてますか、？")  # kana endings and marks say nothing
    assert asked_wording.ngrams("ですよね？") == []


def test_scoring_in_plain_python_equals_the_fitted_scikit_learn_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = _asks(1, 160)
    model = asked_wording.fit(texts, labels, seed=14)
    vectorizer = TfidfVectorizer(analyzer=asked_wording.ngrams, min_df=asked_wording.MIN_DOCUMENT_FREQUENCY,
                                 sublinear_tf=True)
    x = vectorizer.fit_transform(texts)
    reference = LogisticRegression(C=asked_wording.C, class_weight="balanced", max_iter=5000,
                                   random_state=14).fit(x, labels)
    probes = texts[:20] + ["知らない語だけの質問ですか？"]
    expected = reference.predict_proba(vectorizer.transform(probes))[:, 1]
    assert [model.probability(p) for p in probes] == pytest.approx(list(expected), abs=1e-4)
    # it learned the shape: an unstated detail leans towards refusing, a stated rule away from it
    assert model.probability("交付金の営業時間は？") > 0.5 > model.probability("交付金の補助率は？")


def test_the_fit_is_reproducible_and_survives_its_file_form():
    texts, labels = _asks(2, 120)
    model = asked_wording.fit(texts, labels, seed=14)
    assert asked_wording.fit(texts, labels, seed=14) == model
    again = asked_wording.from_dict(model.to_dict())
    assert all(again.probability(t) == pytest.approx(model.probability(t), abs=1e-12) for t in texts[:10])


def test_each_blocks_wording_feature_comes_from_a_model_that_never_saw_that_block():
    texts, labels = _asks(3, 90)
    blocks = [f"set{i % 3}" for i in range(90)]
    vectors = [[0.0] * len(answerability.FEATURES) for _ in texts]
    filled = with_wording(vectors, texts, labels, blocks, seed=14)
    for block in ("set0", "set1", "set2"):
        outside = [i for i, b in enumerate(blocks) if b != block]
        model = asked_wording.fit([texts[i] for i in outside], [labels[i] for i in outside], seed=14)
        for i in (i for i, b in enumerate(blocks) if b == block):
            assert filled[i][WORDING] == pytest.approx(model.probability(texts[i]))
    assert all(v[WORDING] == 0.0 for v in vectors)  # the input is not changed in place


def test_the_shipped_decision_carries_its_wording_model():
    model = answerability.load(answerability.MODEL_PATH)
    assert model.wording is not None and len(model.wording.idf) > 100
    assert 0.0 < model.wording.probability("補助率は？") < 1.0
