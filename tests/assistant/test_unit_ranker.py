"""Unit features and the linear unit scorer, on passages written for these tests (no question-set text)."""

from __future__ import annotations

import math

import pytest

from assistant import unit_ranker
from assistant.answer import question_signals, unit_features
from assistant.types import Chunk, Passage
from assistant.unit_ranker import FEATURE_NAMES, HAND, LinearRanker


def passage(rank: int, text: str, section: str = "見出し") -> Passage:
    chunk = Chunk(f"c{rank}", "doc.txt", "資料", "令和9年度", section, text, 0, len(text))
    return Passage(chunk, 1.0 - rank / 100, rank)


def features_by_text(question: str, passages: list[Passage], carried: str = "") -> dict[str, dict[str, float]]:
    rows = unit_features(question_signals(question, carried), passages)
    return {unit.text: dict(zip(FEATURE_NAMES, vector, strict=True)) for unit, vector in rows}


def test_every_unit_gets_one_value_per_named_feature():
    rows = unit_features(question_signals("植栽の補助率は？", ""), [passage(1, "植栽の補助率：2/3\n※ 上限あり")])
    assert rows and all(len(vector) == len(FEATURE_NAMES) for _, vector in rows)


def test_features_say_what_the_unit_holds():
    text = "■ 植栽事業\n植栽事業の補助率：2/3\n植栽事業は地域の緑化を進める取組である。"
    got = features_by_text("植栽事業の補助率は？", [passage(2, text)])
    rate, prose = got["植栽事業の補助率：2/3"], got["植栽事業は地域の緑化を進める取組である。"]
    assert rate["kind_hit"] == 1.0 and rate["kind_miss"] == 0.0 and rate["has_number"] == 1.0
    assert prose["kind_hit"] == 0.0 and prose["kind_miss"] == 1.0 and prose["has_number"] == 0.0
    assert rate["coverage"] > prose["coverage"]
    assert rate["inv_rank"] == pytest.approx(0.5)
    assert 0.0 < rate["position"] < prose["position"] < 1.0
    assert rate["log_length"] == pytest.approx(math.log1p(len("植栽事業の補助率：2/3")))
    assert prose["prev_overlap"] > 0.0  # the line above it states the asked rate's words


def test_quantity_phrase_hit_and_conflict_are_counted():
    text = "定員30人以上の施設：上限500万円\n定員30人未満の施設：上限200万円"
    got = features_by_text("定員30人以上の施設の上限はいくら？", [passage(1, text)])
    assert got["定員30人以上の施設：上限500万円"]["quantity_hit"] == 1.0
    assert got["定員30人未満の施設：上限200万円"]["quantity_conflict"] == 1.0


def test_hand_weights_score_is_the_named_sum():
    vector = [0.0] * len(FEATURE_NAMES)
    vector[FEATURE_NAMES.index("overlap")] = 2.0
    vector[FEATURE_NAMES.index("kind_hit")] = 1.0
    vector[FEATURE_NAMES.index("coverage")] = 0.9  # no hand weight: no effect
    assert HAND.score(vector) == pytest.approx(2.0 + 4.0)


def test_unknown_feature_names_are_refused():
    with pytest.raises(ValueError):
        LinearRanker.from_mapping({"no_such_feature": 1.0})


def test_a_learned_score_is_a_probability():
    ranker = LinearRanker((1.0,) * len(FEATURE_NAMES), bias=-1.0, probability=True)
    assert 0.0 < ranker.score([0.0] * len(FEATURE_NAMES)) < 0.5 < ranker.score([1.0] * len(FEATURE_NAMES)) < 1.0


def test_override_is_used_and_restored():
    ranker = LinearRanker((0.0,) * len(FEATURE_NAMES), name="zero")
    unit_ranker.set_override(ranker)
    try:
        assert unit_ranker.current() is ranker
    finally:
        unit_ranker.set_override(None)
    assert unit_ranker.current() is not ranker
