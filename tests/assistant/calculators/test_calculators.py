from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.calculators import CALCULATORS, calculate
from assistant.calculators.amounts import find_amounts, format_yen, parse_amount, parse_ratio
from assistant.errors import AmountParseError, CalculationError

MAN = 10_000


@pytest.mark.parametrize(
    ("text", "yen"),
    [("6,000万円", 60_000_000), ("1.2億円", 120_000_000), ("三千万円", 30_000_000), ("62,977千円", 62_977_000),
     ("１億２，０００万円", 120_000_000), ("一億二千万円", 120_000_000), ("80万", 800_000), ("10百万円", 10_000_000),
     ("3,000円", 3_000), (5000, 5000)],
)
def test_amounts(text, yen):
    assert parse_amount(text) == yen


@pytest.mark.parametrize("bad", ["", "-100万円", "▲5万円", "2兆円", "abc", "1.23456円", True, "万円万"])
def test_bad_amounts_are_rejected_with_a_message(bad):
    with pytest.raises(AmountParseError) as err:
        parse_amount(bad)
    assert str(err.value)


@pytest.mark.parametrize(("text", "value"), [("3/4", Fraction(3, 4)), ("4分の3", Fraction(3, 4)), ("2割", Fraction(1, 5)),
                                             ("2割5分", Fraction(1, 4)), ("75%", Fraction(3, 4)), ("0.5", Fraction(1, 2))])
def test_ratios(text, value):
    assert parse_ratio(text) == value


@pytest.mark.parametrize("bad", ["", "5/4", "150%", "-1/2", "1/0", "たくさん"])
def test_bad_ratios(bad):
    with pytest.raises(AmountParseError):
        parse_ratio(bad)


@given(st.integers(min_value=0, max_value=10**12))
def test_amount_round_trip(yen):
    assert parse_amount(format_yen(yen)) == yen


@given(st.integers(min_value=1, max_value=10**11), st.integers(min_value=1, max_value=10**11))
def test_amounts_found_in_sentences_are_ordered_like_their_values(a, b):
    found = find_amounts(f"総事業費{format_yen(a)}、うち{format_yen(b)}")
    assert [y for y, _, _ in found] == [a, b]


def grant(total: int, people: int, kind: str) -> int:
    return calculate("grant_amount", {"総事業費": total, "収容可能人数": people, "タイプ": kind}).result["国費"]


@pytest.mark.parametrize(("people", "cap"), [(1, 3000), (19, 3000), (20, 4500), (49, 4500), (50, 9000), (500, 9000)])
def test_facility_size_bands(people, cap):
    assert grant(10**9, people, "標準") == cap * MAN // 2
    assert grant(cap * MAN, people, "高水準") == cap * MAN * 3 // 4  # exactly at the cap


def test_truncation_to_thousand_yen():
    assert grant(62_977_000, 60, "高水準") == 47_232_000  # 47,232,750 -> 千円未満切り捨て


@given(st.integers(min_value=0, max_value=5 * 10**8), st.integers(min_value=1, max_value=200))
def test_grant_properties(total, people):
    high, standard = grant(total, people, "高水準"), grant(total, people, "標準")
    assert standard <= high <= total * 3 // 4
    assert high <= 90_000_000 * 3 // 4
    assert grant(total + 1_000_000, people, "高水準") >= high  # monotone in cost


@pytest.mark.parametrize(
    ("elapsed", "amount", "label"),
    [("2年364日", 800_000, "全額"), ("2年11か月", 800_000, "全額"), ("3年", 400_000, "半額"), ("4年半", 400_000, "半額"),
     ("5年", 400_000, "半額"), ("5年1日", 0, "返還不要"), ("5年6か月", 0, "返還不要"), ("6年", 0, "返還不要")],
)
def test_repayment_boundaries(elapsed, amount, label):
    calc = calculate("repayment", {"受給額": "80万円", "経過": elapsed})
    assert calc.result["返還額"] == amount and calc.result["区分"] == label


def test_repayment_false_claim_and_exemption():
    assert calculate("repayment", {"受給額": "100万円", "虚偽": "はい"}).result["返還額"] == 1_000_000
    assert calculate("repayment", {"受給額": "100万円", "経過": "1年", "やむを得ない事情": "はい"}).result["返還額"] == 0
    with pytest.raises(CalculationError):
        calculate("repayment", {"受給額": "100万円", "経過": "そのうち"})


@pytest.mark.parametrize(("rate", "points"), [(0, 0), (53.8, 0), (53.9, 1), (59.9, 1), (60, 2), (69.9, 2), (70, 3), (100, 3)])
def test_mynumber_bands(rate, points):
    calc = calculate("mynumber_bonus", {"12月末申請率": rate})
    assert calc.result["加点"] == points
    # the summary says what the points are (a bonus), not a bare 「2点」
    assert f"加点は{points}点" in calc.summary if points else "加点無し" in calc.summary


@pytest.mark.parametrize(
    ("applied", "score", "grade", "decision"),
    [("高水準", 25, "S", "高水準タイプで採択"), ("高水準", 23, "A", "高水準タイプで採択"), ("高水準", 22, "B", "標準タイプで採択"),
     ("標準", 30, "S", "標準タイプで採択"), ("標準", 18, "C", "標準タイプで採択"), ("標準", 17, "D", "不採択")],
)
def test_grades_and_adoption(applied, score, grade, decision):
    calc = calculate("adoption_decision", {"申請タイプ": applied, "総合評価点数": score})
    assert (calc.result["評価"], calc.result["採択区分"]) == (grade, decision)


def test_cross_forces_the_lowest_grade_and_bonus_adds():
    assert calculate("adoption_decision", {"申請タイプ": "高水準", "総合評価点数": 30, "申請要件×": "はい"}).result["評価"] == "D"
    assert calculate("adoption_decision", {"申請タイプ": "高水準", "総合評価点数": 21, "加点": 2}).result["評価"] == "A"
    assert calculate("project5_adoption", {"総合評価点数": 10}).result["採択区分"] == "採択"
    assert calculate("project5_adoption", {"総合評価点数": 9}).result["採択区分"] == "不採択"


@pytest.mark.parametrize(("b1", "b2", "ok"), [(0, 1000, True), (0, 1001, False), (2499, 0, True), (2500, 0, False),
                                            (1500, 1000, False), (1400, 999, True)])
def test_b1_b2_limits(b1, b2, ok):
    calc = calculate("b1_b2_check", {"交付対象事業費": 5000 * MAN, "B1": b1 * MAN, "B2": b2 * MAN})
    assert (calc.result["可否"] == "可") is ok


def test_other_measures():
    assert calculate("project5_grant", {"総事業費": "5,000万円", "タイプ": "高水準"}).result["国費"] == 22_500_000
    assert calculate("relocation_support_national", {"社数": 8, "タイプ": "標準"}).result["国費合計"] == 4_000_000
    assert calculate("digital_env_grant", {"事業費": "5,000万円"}).result["補助額"] == 20_000_000
    assert calculate("overhead_limit", {"直接経費合計": "1,234万円"}).result["一般管理費上限"] == 1_234_000
    assert calculate("trial_office_tax", {"対象経費": "800万円"}).result["措置額"] == 4_000_000
    burden = calculate("local_burden_2021", {"事業費": "1,000万円", "タイプ": "標準"}).result
    assert burden["実質的な地方負担"] == 1_000_000  # 10 %, as the catalogue says


def test_eligibility():
    assert calculate("eligibility", {"自治体名": "大島町"}).result["判定"] == "対象"
    assert calculate("eligibility", {"自治体名": "所沢市", "都道府県": "埼玉県"}).result["判定"].startswith("対象外")
    assert calculate("eligibility", {"自治体名": "札幌市", "都道府県": "北海道"}).result["判定"] == "対象"
    with pytest.raises(CalculationError, match="都道府県"):
        calculate("eligibility", {"自治体名": "府中市"})


@pytest.mark.parametrize(
    ("kind", "inputs"),
    [("grant_amount", {"総事業費": "1億円", "タイプ": "高水準"}), ("grant_amount", {"総事業費": "1億円", "収容可能人数": 10, "タイプ": "中"}),
     ("relocation_support_national", {"社数": 2, "支給額": "150万円", "タイプ": "標準"}), ("nope", {}),
     ("grant_amount", {"総事業費": "1億円", "収容可能人数": 10, "タイプ": "標準", "extra": 1})],
)
def test_bad_inputs_raise_calculation_errors(kind, inputs):
    with pytest.raises(CalculationError):
        calculate(kind, inputs)


def test_every_calculator_has_a_schema_and_cites_rules():
    for spec in CALCULATORS.values():
        assert spec.input_schema["type"] == "object" and spec.input_schema["required"]
        assert spec.title and spec.description


def test_calc_cli(capsys):
    from assistant.cli import main

    assert main(["calc", "grant_amount", "-i", "総事業費=1億2,000万円", "-i", "収容可能人数=60", "-i", "タイプ=標準"]) == 0
    out = capsys.readouterr().out
    assert "4,500万円" in out and "施設整備・運営\t3,000万円" in out
    assert main(["calc", "--list"]) == 0 and "repayment" in capsys.readouterr().out
    assert main(["calc", "grant_amount", "-i", "総事業費=-5万円"]) == 1


@pytest.mark.parametrize(
    ("inputs", "verdict"),
    [({"タイプ": "高水準", "県外企業数": 3, "県外利用者割合": 50, "移住者数": 2, "市町村人口": 20000}, "充足"),
     ({"タイプ": "高水準", "県外企業数": 3, "県外利用者割合": 50, "移住者数": 1, "市町村人口": 20000}, "未達"),  # needs 2
     ({"タイプ": "高水準", "県外企業数": 2, "県外利用者割合": 80, "移住者数": 9, "市町村人口": 1000}, "未達"),
     ({"タイプ": "標準", "県外企業数": 1, "県外利用者割合": 30, "移住者数": 0}, "充足"),
     ({"タイプ": "標準", "県外企業数": 1, "県外利用者割合": "29.9%", "移住者数": 3}, "未達")],
)
def test_kpi_check(inputs, verdict):
    assert calculate("kpi_check", inputs).result["判定"] == verdict


def plan(kind: str, *facilities: tuple[int, int], soft: int = 0) -> int:
    inputs: dict[str, object] = {"タイプ": kind, "ソフト経費": soft}
    for i, (people, cost) in enumerate(facilities, start=1):
        inputs |= {f"施設{i}_収容可能人数": people, f"施設{i}_総事業費": cost}
    return calculate("plan_total", inputs).result["国費合計"]


def test_a_plan_caps_each_facility_and_the_soft_costs():
    # 10人: 2,800万 (cap 3,000万), 30人: 5,000万 -> 4,500万, soft 1,500万 -> 1,200万; (8,500万) x 3/4
    assert plan("高水準", (10, 2_800 * MAN), (30, 5_000 * MAN), soft=1_500 * MAN) == 6_375 * MAN
    assert plan("標準", (19, 3_000 * MAN)) == grant(3_000 * MAN, 19, "標準")
    assert plan("標準", soft=1_200 * MAN + 1) == 600 * MAN


@pytest.mark.parametrize(
    ("facilities", "message"),
    [([(60, MAN), (70, MAN)], "50人以上の施設は1団体1施設まで"), ([(20, MAN), (30, MAN), (40, MAN)], "20人以上50人未満の施設は1団体2施設まで")],
)
def test_a_plan_beyond_the_facility_limits_is_an_error(facilities, message):
    with pytest.raises(CalculationError, match=message):
        plan("標準", *facilities)


@given(st.lists(st.tuples(st.integers(1, 19), st.integers(0, 10**9)), min_size=1, max_size=3),
       st.integers(0, 10**9), st.sampled_from(["高水準", "標準"]))
def test_a_plan_never_exceeds_its_caps_and_grows_with_cost(facilities, soft, kind):
    national = plan(kind, *facilities, soft=soft)
    rate = Fraction(3, 4) if kind == "高水準" else Fraction(1, 2)
    assert national <= (len(facilities) * 3_000 * MAN + 1_200 * MAN) * rate
    people, cost = facilities[0]
    assert plan(kind, (people, cost + MAN), *facilities[1:], soft=soft) >= national


@pytest.mark.parametrize(("population", "minimum"), [(32_000, 4), (30_000, 3), (30_001, 4), (9_999, 1), (0, 0)])
def test_the_migrants_kpi_minimum_rounds_up_to_whole_people(population, minimum):
    result = calculate("migrants_minimum", {"市町村人口": population}).result
    assert result["移住者数の下限"] == minimum


@pytest.mark.parametrize(("value", "shown"), [(10.0, "10%"), (100.0, "100%"), (100 * 9 / 13, "69.2%"), (0.0449, "0%"),
                                              (100 / 3, "33.3%"), (12.5, "12.5%"),
                                              (100 * 484 / 10_000, "4.84%")])  # exact at two decimals: both shown
def test_shares_are_written_as_officers_write_them(value, shown):
    from assistant.calculators.common import percent_text

    assert percent_text(value) == shown


@given(companies=st.integers(1, 20), each=st.integers(1, 100), high=st.booleans())
def test_relocation_support_states_the_local_burden_beside_the_national_share(companies, each, high):
    calc = calculate("relocation_support_national",
                     {"社数": companies, "支給額": f"{each}万円", "タイプ": "高水準" if high else "標準"})
    paid = each * 10_000 * companies
    national = (each * 10_000 * (3 if high else 2) // 4) * companies
    assert calc.result["国費合計"] == national
    assert calc.result["地方負担"] == paid - national
    assert "地方負担" in calc.summary


@pytest.mark.parametrize(("letter", "told"), [("S", True), ("A", True), ("B", False), ("C", False)])
def test_a_standard_application_graded_for_high_is_told_the_grade_does_not_raise_its_type(letter, told):
    from assistant.calculators.scoring import adoption_of_grade

    summary = adoption_of_grade(letter, "標準").summary
    assert ("高水準タイプで申請し「A」評価以上" in summary) is told
    assert "標準タイプ" in summary


@pytest.mark.parametrize(("score", "bonus"), [(7, 0), (8, 1), (9, 0), (7, 1), (6, 0)])
def test_a_project5_sheet_short_of_the_line_says_which_application_rate_would_reach_it(score, bonus):
    from assistant.calculators.rules import fraction, integer, integers

    r = calculate("project5_adoption", {"総合評価点数": score, "加点": bonus})
    short = integer("p5_grade_b") - score - bonus
    needed = bonus + short
    if needed > len(integers("mynumber_bands")) + 1:  # beyond what the bonus can give
        assert "届く申請率" not in r.result
        return
    bands = [f"全国平均{float(fraction('mynumber_average')):g}%以上", *(f"{b}%以上" for b in integers("mynumber_bands"))]
    assert r.result["届く申請率"] == bands[needed - 1]
    assert f"{score + needed}点" in r.summary
