"""はい / いいえ for a question that states an outcome and asks to confirm it: the outcome comes from the
calculation, so the same claim gets はい or いいえ as the computed case changes."""

from __future__ import annotations

import pytest

from assistant.confirmation import decide
from assistant.router import route


@pytest.mark.parametrize(("years", "expected"), [(2, "いいえ"), (4, "いいえ"), (6, "はい")])
def test_a_claimed_repayment_of_nothing_is_checked_against_the_period(years, expected):
    question = f"申請から{years}年経ってからの撤退なら、支援金の返還はいらないという理解で合ってますよね？"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) == expected


@pytest.mark.parametrize(("letter", "claimed", "expected"), [
    ("A", "高水準", "はい"), ("B", "高水準", "いいえ"), ("B", "標準", "はい"), ("D", "標準", "いいえ"),
])
def test_a_stated_grade_gives_the_adoption_type_and_settles_the_claim(letter, claimed, expected):
    question = f"評価が{letter}と出ました（高水準で申請）。{claimed}タイプで採択になるという認識でいいですよね？"
    r = route(question)
    assert r is not None and r.calculation is not None and r.calculation.result["評価"] == letter
    assert decide(question, r.calculation) == expected


@pytest.mark.parametrize(("b1_man", "expected"), [(2000, "はい"), (2500, "いいえ")])
def test_a_claimed_ok_for_an_ancillary_share_is_checked_against_the_limit(b1_man, expected):
    question = f"事業費5,000万円の施設でB1（カフェ）を{b1_man:,}万円計上予定。B1の範囲に収まりますよね？"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) == expected  # B1 must stay under 5割 (2,500万円)


def test_a_plain_question_gets_no_yes_or_no():
    question = "支援金を受けた会社が申請後2年で撤退すると返還はどうなる？"
    r = route(question)
    assert r is not None and r.calculation is not None and decide(question, r.calculation) is None


def _listed_tokyo_area_municipality() -> tuple[str, str]:
    """A municipality of the 参考 table (Tokyo area, yet eligible), read from the table itself."""
    from assistant.calculators.eligibility import listed_municipalities

    name, prefecture = next(iter(listed_municipalities().items()))
    return prefecture, name


@pytest.mark.parametrize(("where", "presumed", "expected"), [
    ("listed", "対象外ですよね？", "いいえ"), ("listed", "対象になりますよね？", "はい"),
    ("埼玉県川口市", "対象外ですよね？", "はい"), ("長野県松本市", "対象外なんですよね？", "いいえ"),
])
def test_a_presumed_eligibility_of_a_municipality_is_settled_by_the_table(where, presumed, expected):
    place = "".join(_listed_tokyo_area_municipality()) if where == "listed" else where
    question = f"{place}です。首都圏の団体なので、この交付金は{presumed}"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) == expected
