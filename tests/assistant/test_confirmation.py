"""はい / いいえ for a question that states an outcome and asks to confirm it: the outcome comes from the
calculation, so the same claim gets はい or いいえ as the computed case changes."""

from __future__ import annotations

import pytest

from assistant.confirmation import decide
from assistant.router import route


@pytest.mark.parametrize(("years", "expected"), [(2, "いいえ"), (4, "いいえ"), (6, "はい")])
def test_a_claimed_repayment_of_nothing_is_checked_against_the_period(years, expected):
    question = f"進出支援金の件、申請日から{years}年で撤退されても返還は不要で良かったですよね？"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) == expected


@pytest.mark.parametrize(("letter", "claimed", "expected"), [
    ("A", "高水準", "はい"), ("B", "高水準", "いいえ"), ("B", "標準", "はい"), ("D", "標準", "いいえ"),
])
def test_a_stated_grade_gives_the_adoption_type_and_settles_the_claim(letter, claimed, expected):
    question = f"高水準タイプで申請して総合評価が{letter}だった場合、{claimed}タイプで採択されるんですよね？"
    r = route(question)
    assert r is not None and r.calculation is not None and r.calculation.result["評価"] == letter
    assert decide(question, r.calculation) == expected


@pytest.mark.parametrize(("b1_man", "expected"), [(2000, "はい"), (2500, "いいえ")])
def test_a_claimed_ok_for_an_ancillary_share_is_checked_against_the_limit(b1_man, expected):
    question = f"交付対象事業費5,000万円のうちカフェ整備が{b1_man:,}万円です。附帯施設の範囲でOKですよね？"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) == expected  # B1 must stay under 5割 (2,500万円)


def test_a_plain_question_gets_no_yes_or_no():
    question = "進出支援金を申請日から2年で撤退した場合、返還はどうなりますか？"
    r = route(question)
    assert r is not None and r.calculation is not None and decide(question, r.calculation) is None
