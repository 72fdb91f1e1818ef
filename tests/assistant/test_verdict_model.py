"""The learned yes/no verdict: its features, its decision, its fit and threshold choice, and the answer path."""

from __future__ import annotations

import random

import pytest

from assistant import verdict_model
from assistant.types import Status
from assistant.verdict import Verdict
from assistant.verdict_model import FEATURES, VerdictModel, features
from assistant.verdict_train import Case, choose, fit

NEUTRAL = [0.0] * len(FEATURES)


def _at(name: str, vector: list[float]) -> float:
    return vector[FEATURES.index(name)]


def test_an_excluding_line_holding_the_case_is_told_from_a_permitting_one():
    question = "町の職員の出張旅費はこの交付金の対象になりますか？"
    excluding = [("職員旅費（トップセールスに伴う随行旅費は除く）", "対象外経費")]
    permitting = [("職員旅費の補助も可能とする。", "対象経費")]
    unrelated = [("通信環境整備の費用も可能とする。", "対象経費")]
    ex = features(question, excluding, excluding[0][0], None, None, None)
    per = features(question, permitting, permitting[0][0], None, None, None)
    none = features(question, unrelated, unrelated[0][0], None, None, None)
    assert _at("excluding_share", ex) > 0.3 and _at("permitting_share", ex) == 0.0
    assert _at("permitting_share", per) > 0.3 and _at("excluding_share", per) == 0.0
    assert _at("excluding_share", none) == _at("permitting_share", none) == 0.0
    assert _at("key_excludes", ex) == 1.0 and _at("key_permits", per) == 1.0
    # without a wording model the question's words are neutral
    assert _at("wording", ex) == 0.5


def test_the_rules_and_the_askers_framing_are_features():
    line = [("対象経費の例", "")]
    stated_no = features("この経費は使えますか？", line, "", Verdict("いいえ", "r", "l"), None, None)
    weak_yes = features("この経費は使えますか？", line, "", None, Verdict("はい", "r", "l"), None)
    presumed = features("この経費はやっぱり対象外ですよね？", line, "", None, None, None)
    assert _at("rule_stated", stated_no) == 1.0 and _at("rule_weak", stated_no) == 0.0
    assert _at("rule_weak", weak_yes) == -1.0
    assert _at("presumes_not", presumed) == 1.0 and _at("confirmation", presumed) == 1.0
    assert _at("presumes_not", weak_yes) == 0.0


@pytest.mark.parametrize(("bias", "word"), [(3.0, "いいえ"), (-3.0, "はい"), (-0.8, None)])
def test_the_model_speaks_only_outside_its_two_thresholds(bias, word):
    model = VerdictModel((0.0,) * len(FEATURES), bias, says_no=0.6, says_yes=0.2, overrules_weak=False)
    assert model.word(NEUTRAL) == word


def test_the_fit_is_the_regressions_probability_and_is_reproducible():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rng = random.Random(3)
    vectors = [[rng.random() for _ in FEATURES] for _ in range(150)]
    labels = [int(v[2] - 0.7 * v[7] > 0.1) for v in vectors]
    weights, bias = fit(vectors, labels, seed=14)
    assert fit(vectors, labels, seed=14) == (weights, bias)
    model = VerdictModel(tuple(weights), bias, 1.0, 0.0, False)
    scaler = StandardScaler().fit(vectors)
    reference = LogisticRegression(C=1.0, max_iter=5000, random_state=14).fit(scaler.transform(vectors), labels)
    expected = reference.predict_proba(scaler.transform(vectors))[:, 1]
    assert [model.probability(v) for v in vectors] == pytest.approx(list(expected), abs=1e-5)


def _case(group: str, *, no: bool, yes: bool, today: bool, stated: bool = False, weak: str | None = None) -> Case:
    return Case(group, list(NEUTRAL), "q", stated, weak, no, yes, today)


def test_a_case_a_stated_rule_settles_keeps_todays_answer_whatever_the_model_says():
    case = _case("a:1", no=True, yes=False, today=False, stated=True)
    assert case.outcome("いいえ", True) is False
    assert case.label == 1  # still a labelled example of what the lines look like when it is not covered


def test_a_weaker_rule_is_overruled_only_when_allowed_and_only_by_the_opposite_word():
    case = _case("a:1", no=True, yes=False, today=False, weak="はい")
    assert case.outcome("いいえ", overrules_weak=False) is False
    assert case.outcome("いいえ", overrules_weak=True) is True
    assert case.outcome(None, overrules_weak=True) is False


def test_the_thresholds_are_chosen_for_the_most_right_answers():
    # not-covered cases get high probabilities, covered ones low, and one question the word does not decide
    cases = [_case(f"s:{i}", no=True, yes=False, today=False) for i in range(4)]
    cases += [_case(f"t:{i}", no=False, yes=True, today=False) for i in range(3)]
    cases += [_case("u:0", no=True, yes=True, today=True)]
    probabilities = [0.9, 0.8, 0.85, 0.7, 0.1, 0.05, 0.12, 0.5]
    says_no, says_yes, _, right = choose(cases, probabilities)
    assert right == len(cases)
    assert says_yes < 0.5 < says_no or says_yes < says_no <= 0.5
    assert all((p >= says_no) == (c.label == 1) for p, c in zip(probabilities, cases, strict=True) if c.label is not None)


def test_the_shipped_model_names_todays_features():
    model = verdict_model.load(verdict_model.MODEL_PATH)
    assert len(model.weights) == len(FEATURES) and 0.0 < model.says_yes < model.says_no < 1.0
    assert model.wording is not None


COVERAGE_QUESTION = "サテライトオフィスに置く観葉植物のレンタル料はこの交付金の対象になりますか？"


@pytest.mark.integration
def test_the_learned_word_leads_the_answer_only_when_the_model_speaks(fake_assistant):
    always_no = VerdictModel((0.0,) * len(FEATURES), 10.0, 0.6, 0.2, True)
    always_yes = VerdictModel((0.0,) * len(FEATURES), -10.0, 0.6, 0.2, True)
    undecided = VerdictModel((0.0,) * len(FEATURES), 0.0, 0.6, 0.2, True)
    from assistant import answerability

    answers = {}
    answerability.set_override(None, disabled=True)  # the verdict step is what is tested, whatever the refusal decides
    try:
        for name, model in (("no", always_no), ("yes", always_yes), ("undecided", undecided)):
            verdict_model.set_override(model)
            answers[name] = fake_assistant.ask(COVERAGE_QUESTION, phrase=False)
        verdict_model.set_override(None, disabled=True)
        answers["off"] = fake_assistant.ask(COVERAGE_QUESTION, phrase=False)
    finally:
        verdict_model.set_override(None)
        answerability.set_override(None)
    assert all(a.status == Status.ANSWERED for a in answers.values())
    # (the word may be said back in the question's verb: 「いいえ、対象になりません。」)
    assert answers["no"].text.startswith(("いいえ。", "いいえ、")) and "対象外" in answers["no"].text.split("\n")[0]
    assert answers["yes"].text.startswith(("はい。", "はい、"))
    # the lines after the verdict are the answer's own, cited as before
    assert answers["no"].citations and answers["no"].citations[0].quote == answers["off"].citations[0].quote
    assert answers["undecided"].text == answers["off"].text
    assert not answers["off"].text.startswith(("はい", "いいえ"))
