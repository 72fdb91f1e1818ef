"""The calibrated refusal decision: its threshold rule, its folded weights, its reproducible fit, and its
effect through the real answer path (fake embedding, real Chroma and keyword index)."""

from __future__ import annotations

import random

import pytest

from assistant import answerability
from assistant.answerability import FEATURES, Answerability
from assistant.answerability_train import choose_threshold, fit, fitted_on
from assistant.types import Status
from tests.conftest import APPOINTED_QUESTION


def _counts(threshold: float, probabilities: list[float], labels: list[int], right: list[int]) -> tuple[int, int]:
    caught = sum(p >= threshold for p, y in zip(probabilities, labels, strict=True) if y)
    lost = sum(p >= threshold for p, y, r in zip(probabilities, labels, right, strict=True) if not y and r)
    return caught, lost


def test_the_threshold_maximises_refusals_caught_minus_right_answers_lost_within_the_allowed_share():
    rng = random.Random(3)
    labels = [0] * 200 + [1] * 40
    right = [int(rng.random() < 0.6) for _ in range(200)] + [0] * 40
    # answers that would be wrong look more like unanswerable questions than right ones do
    probabilities = ([rng.random() * (0.6 if r else 0.9) for r in right[:200]]
                     + [0.3 + rng.random() * 0.7 for _ in range(40)])
    threshold, stats = choose_threshold(probabilities, labels, right, max_false=0.03)
    caught, lost = _counts(threshold, probabilities, labels, right)
    assert lost <= 0.03 * 200
    assert (stats["correct_refusals"], stats["right_answers_refused"]) == (caught, lost)
    assert stats["false_refusals"] == sum(p >= threshold for p, y in zip(probabilities, labels, strict=True) if not y)
    # no other threshold within the allowed share does better (an independent scan of every candidate)
    for t in set(probabilities):
        other_caught, other_lost = _counts(t, probabilities, labels, right)
        if other_lost <= 0.03 * 200:
            assert other_caught - other_lost <= caught - lost
    # refusing answers that would be wrong costs nothing: with every answer wrong, the decision refuses more
    wrong_everywhere, _ = choose_threshold(probabilities, labels, [0] * 240, max_false=0.03)
    assert _counts(wrong_everywhere, probabilities, labels, [0] * 240)[0] >= caught


def test_without_answer_outcomes_every_answerable_question_counts_as_answered_right():
    probabilities = [0.1, 0.2, 0.8, 0.9, 0.7]
    labels = [0, 0, 0, 1, 1]
    threshold, stats = choose_threshold(probabilities, labels, max_false=0.0)
    assert 0.8 < threshold <= 0.9 and stats["correct_refusals"] == 1 and stats["false_refusals"] == 0


def test_the_fit_learns_from_unanswerable_questions_and_right_answers_only():
    labels = [0, 0, 1, 0, 1]
    right = [1, 0, 0, 1, 0]
    assert fitted_on(labels, right) == [0, 2, 3, 4]


def test_the_fitted_decision_is_the_regressions_probability_and_is_reproducible():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rng = random.Random(5)
    vectors = [[rng.random() for _ in FEATURES] for _ in range(120)]
    labels = [int(v[0] + 0.5 * v[5] > 0.9) for v in vectors]
    model = fit(vectors, labels, seed=14)
    assert fit(vectors, labels, seed=14) == model
    scaler = StandardScaler().fit(vectors)
    reference = LogisticRegression(C=1.0, max_iter=5000, random_state=14).fit(scaler.transform(vectors), labels)
    expected = reference.predict_proba(scaler.transform(vectors))[:, 1]
    assert [model.probability(v) for v in vectors] == pytest.approx(list(expected), abs=1e-6)


@pytest.mark.integration
def test_the_decision_refuses_through_the_answer_path_with_the_contact_line(fake_assistant):
    question = APPOINTED_QUESTION
    answerability.set_override(None, disabled=True)
    try:
        plain = fake_assistant.ask(question, phrase=False)
        answerability.set_override(Answerability((0.0,) * len(FEATURES), 10.0, 0.5))  # refuses everything
        refused = fake_assistant.ask(question, phrase=False)
        answerability.set_override(Answerability((0.0,) * len(FEATURES), -10.0, 0.5))  # refuses nothing
        kept = fake_assistant.ask(question, phrase=False)
    finally:
        answerability.set_override(None)
    assert plain.status == Status.ANSWERED
    assert refused.status == Status.UNANSWERABLE and "お問い合わせ" in refused.text
    assert kept.status == Status.ANSWERED and kept.text == plain.text


def test_the_shipped_decision_names_todays_features():
    model = answerability.load(answerability.MODEL_PATH)
    assert len(model.weights) == len(FEATURES) and 0.0 < model.threshold < 1.0


@pytest.mark.parametrize(("question", "with_previous"), [
    # an ask made as an addition presupposes the ask before it: both are what the features read
    ("神山ラボを開いた会社はどこですか？グリーンバレーの設立年も載っていれば知りたいです。", True),
    ("⑤の上限額はいくらですか？あわせて補助率を教えてください。", True),
    # an ask of its own after a story stands alone
    ("うちは山あいの町です。⑤の上限額はいくらですか？", False),
])
def test_an_added_on_ask_is_read_with_the_ask_before_it(question, with_previous):
    from assistant.question import parse

    asked = parse(question)
    text = answerability.asking_text(asked)
    previous = question.split("？")[0]
    assert (previous in text) == with_previous
    assert asked.asking.strip("。") in text


@pytest.mark.integration
def test_a_turn_carrying_its_topic_from_the_conversation_is_told_from_one_asked_alone(fake_assistant):
    from assistant.types import Turn

    follow_up = "その上限はいくらですか？"
    history = [Turn("user", "進出支援金は誰に出せますか？"), Turn("assistant", "区域外の企業です。")]
    seen: dict[str, list[float]] = {}
    answerability.set_override(None, disabled=True)
    try:
        for name, turns in (("alone", []), ("follow_up", history)):
            answerability.observed = []
            fake_assistant.ask(follow_up, turns, phrase=False)
            assert answerability.observed, "the question reached the answer step"
            seen[name] = answerability.observed[-1][0]
    finally:
        answerability.observed = None
        answerability.set_override(None)
    at = FEATURES.index("follow_up")
    assert seen["follow_up"][at] == 1.0 and seen["alone"][at] == 0.0
