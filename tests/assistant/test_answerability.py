"""The calibrated refusal decision: its threshold rule, its folded weights, its reproducible fit, and its
effect through the real answer path (fake embedding, real Chroma and keyword index)."""

from __future__ import annotations

import random

import pytest

from assistant import answerability
from assistant.answerability import FEATURES, Answerability
from assistant.answerability_train import choose_threshold, fit
from assistant.types import Status
from tests.conftest import APPOINTED_QUESTION


def test_the_threshold_refuses_at_most_the_allowed_share_of_answerable_questions():
    rng = random.Random(3)
    labels = [0] * 200 + [1] * 40
    probabilities = [rng.random() * 0.6 for _ in range(200)] + [0.3 + rng.random() * 0.7 for _ in range(40)]
    threshold, stats = choose_threshold(probabilities, labels, max_false=0.03)
    refused_answerable = sum(p >= threshold for p, y in zip(probabilities, labels, strict=True) if not y)
    assert refused_answerable <= 0.03 * 200 and stats["false_refusals"] == refused_answerable
    # the lowest such threshold: one step lower would refuse one answerable question too many
    lower = max(p for p, y in zip(probabilities, labels, strict=True) if not y and p < threshold)
    assert sum(p >= lower for p, y in zip(probabilities, labels, strict=True) if not y) > 0.03 * 200
    assert stats["correct_refusals"] == sum(p >= threshold for p, y in zip(probabilities, labels, strict=True) if y)


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
