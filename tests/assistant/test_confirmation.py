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


@pytest.mark.parametrize(("rate", "claimed", "expected"), [
    (65, 2, "はい、できます"), (65, 3, "いいえ、できません"), (75, 3, "はい、できます"),
])
def test_points_asked_to_be_had_are_checked_against_the_computed_bonus(rate, claimed, expected):
    question = f"マイナンバーカードの申請率（12月末）は{rate}%になりそうです。加点を{claimed}点にできませんか？"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) == expected


@pytest.mark.parametrize(("believed", "expected"), [("3,000万円", "はい"), ("3,375万円", "いいえ")])
def test_an_amount_stated_after_a_named_result_is_checked_against_it(believed, expected):
    # a 20人以上50人未満 facility at 高水準: the 4,500万円 cap applies before the 3/4
    question = f"定員30人の施設を4,000万円で整備（高水準）。国費は{believed}と見込んでいいですよね？"
    r = route(question)
    assert r is not None and r.calculation is not None and r.calculation.result["国費"] == 30_000_000
    assert decide(question, r.calculation) == expected


def test_a_type_said_to_be_raised_to_is_checked_against_the_adoption():
    question = "標準タイプで申請予定です。A評価が付けば高水準タイプに格上げされる、その認識で合ってますか？"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) == "いいえ"


def test_a_rate_of_another_month_settles_no_bonus():
    question = "10月末の時点で申請率62%でした。加点は2点で確定、その認識で合ってますか？"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) is None
    assert "12月末時点の申請率で算定" in r.calculation.summary


def test_every_result_the_sentence_states_must_be_right_for_a_yes():
    from assistant.confirmation import _stated_figure_agrees

    computed = {"国費": 15_000_000, "地方負担": 5_000_000}
    assert _stated_figure_agrees("国費は1,500万円、町の地方負担は500万円で合ってますよね？", computed) is True
    assert _stated_figure_agrees("国費は1,600万円、町の地方負担は500万円で合ってますよね？", computed) is False
    assert _stated_figure_agrees("国費は1,500万円、町の地方負担は400万円で合ってますよね？", computed) is False


# A sentence that only asks whether what was said before it holds (「この理解で合っていますか。」, after a full stop;
# 「一応確認させてください」, a request to check): it asks about the presumption in the sentence before it
# (対象外だと, 関係ない), which the reference table settles for the place named.
_PRESUMED = "{place}の政策室の者です。東京圏にある以上、当方は地テレ型の対象外だと見てきたわけですね。その理解で合っていますか。"
_NO_CONCERN = "{place}の政策室の者です。首都圏の自治体ゆえ地テレ型とは関係ないと見ていましたが、一応確認させてください。"


@pytest.mark.parametrize(("asked", "place", "expected"), [
    (_PRESUMED, "東京都檜原村", "いいえ"), (_PRESUMED, "東京都立川市", "はい"),
    (_NO_CONCERN, "埼玉県鳩山町", "いいえ"), (_NO_CONCERN, "埼玉県川口市", "はい"),
])
def test_a_confirmation_of_the_sentence_before_is_answered_by_the_reference_table(asked, place, expected):
    question = asked.format(place=place)
    r = route(question)
    assert r is not None and r.calculation is not None and r.calculation.kind == "eligibility"
    assert decide(question, r.calculation) == expected


def test_a_municipalitys_own_office_asks_about_the_municipality_not_its_prefecture():
    r = route("千葉県旭市の政策室の者です。千葉県は首都圏に入るので、地テレ型には申請できないと聞く。その理解で合っていますか。")
    assert r is not None and r.calculation is not None
    assert r.calculation.inputs["自治体名"] == "旭市"


def test_a_prefectures_project_over_its_whole_area_is_not_eligible():
    r = route("千葉県の地域振興担当です。県が主体となり、県内全域の民間シェアオフィスを対象に③を行う案で申請できますか。")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["判定"] == "対象外（原則）" and "限定" in r.calculation.summary


@pytest.mark.parametrize(("kind", "claimed", "expected"), [("高水準", 75, "はい"), ("標準", 75, "いいえ"), ("標準", 50, "はい")])
def test_the_states_share_said_as_what_comes_from_the_state_is_checked(kind, claimed, expected):
    # 「…万円は国から来る」 states the 国費 by its role, not by the result's name
    question = f"{kind}タイプで④を予定。進出支援金を1社に100万円出す場合、そのうち{claimed}万円は国から来るという理解でいいですよね？"
    r = route(question)
    assert r is not None and r.calculation is not None
    assert decide(question, r.calculation) == expected
