"""Shares and comparisons a calculation adds when asked, against formulas written here from the documents'
rules: the municipality's share of the whole cost at both types, the 国費 an application for 高水準 adopted
as 標準 loses, and the adopted examples of both elements added up with the 国費's share."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.router import route

from .test_programs_more import _examples

MAN = 10_000
CORPUS = Path(__file__).parents[3] / "corpus"


def percent(value: Fraction) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".") + "%"


@settings(max_examples=15, deadline=None)
@given(facility_man=st.integers(500, 4_000), soft_man=st.integers(100, 1_200))
def test_the_burdens_share_of_the_whole_cost_is_given_for_both_types(facility_man, soft_man):
    # a 30-person facility under its band's cap and soft costs under theirs: everything is eligible,
    # so the burden is the total less 3/4 (高水準) or 1/2 (標準) of it
    r = route(f"定員30人の町営施設を{facility_man}万円で整備し、ソフト経費は{soft_man}万円の計画です。"
              "町の負担割合を高水準・標準の両方で出すと何％？")
    assert r is not None and r.calculation is not None
    total = (facility_man + soft_man) * MAN
    high_burden = total - total * 3 // 4
    std_burden = total - total // 2
    assert r.calculation.result["地方負担の割合（高水準タイプ）"] == percent(Fraction(high_burden * 100, total))
    assert r.calculation.result["地方負担の割合（標準タイプ）"] == percent(Fraction(std_burden * 100, total))
    assert r.calculation.summary.startswith("事業費全体")


@settings(max_examples=10, deadline=None)
@given(facility_man=st.integers(10, 400).map(lambda n: n * 10))
def test_a_high_application_adopted_as_standard_states_the_national_share_it_loses_when_asked(facility_man):
    # 20 points and no bonus is B: an application for 高水準 is adopted as 標準 (1/2 instead of 3/4)
    r = route(f"申請は高水準タイプで考えている町です。定員30人の町営施設の整備費{facility_man}万円で、"
              "申請要件はすべて満たし、審査の総合評価点数は20点の見込みです。"
              "採択されるとして、高水準と比べた国費の差はいくらですか？")
    assert r is not None and r.calculation is not None
    total = facility_man * MAN
    assert r.calculation.result["国費（標準タイプ）"] == total // 2
    assert r.calculation.result["差"] == total * 3 // 4 - total // 2


def test_adopted_examples_of_both_elements_are_summed_with_the_national_share_when_asked():
    found = _examples()
    r = route("⑤の採択事例と施設整備の採択事例を全部足すと、事業費（交付対象事業費）と国費はそれぞれ合計いくら？国費は全体の何％？")
    assert r is not None and r.calculation is not None
    eligible = sum(c for _, _, c, _ in found)
    national = sum(n for _, _, _, n in found)
    assert r.calculation.result["交付対象事業費の合計"] == eligible
    assert r.calculation.result["国費の割合"] == percent(Fraction(national * 100, eligible))


@pytest.mark.parametrize("kind", ["村", "市"])
def test_a_kind_of_municipality_counted_in_the_reference_table_leads_with_its_count_and_names(kind):
    text = (CORPUS / "digiden_chiho_sosei_telework_overview.txt").read_text(encoding="utf-8")
    block = text[text.index("（参考）東京圏内の条件不利地域を含む市町村") :].split("\n\n")[1].split("\n")
    names = {c.strip() for row in block[1:] for c in row.split("\t") if c.strip().endswith(kind)}
    r = route(f"東京圏の参考一覧に『{kind}』はいくつ載っていますか？都県別の内訳も知りたいです。")
    assert r is not None and r.calculation is not None
    assert r.calculation.result[f"{kind}の数"] == len(names)
    assert r.calculation.summary.startswith(f"参考一覧に載っている{kind}は{len(names)}団体")
    assert all(name in r.calculation.summary for name in names)


@settings(max_examples=20, deadline=None)
@given(day=st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31)))
def test_an_application_date_gives_the_dates_the_repayment_changes(day):
    # 申請日から3年未満の利用終了は全額、3年以上5年以内は半額、5年を過ぎれば返還なし
    def later(years: int) -> dt.date:
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)

    r = route(f"進出支援金をもらった会社の申請日が{day.year}年{day.month}月{day.day}日です。"
              "いつ以降に利用をやめれば返還は半額で済み、いつを過ぎれば返還しなくてよいですか？")
    assert r is not None and r.calculation is not None
    half, none = later(3), later(5)
    assert r.calculation.result["半額になる日"] == f"{half.year}年{half.month}月{half.day}日"
    assert r.calculation.result["半額の期間の終わり"] == f"{none.year}年{none.month}月{none.day}日"


def _listed_in(prefecture: str) -> list[str]:
    text = (CORPUS / "digiden_chiho_sosei_telework_overview.txt").read_text(encoding="utf-8")
    block = text[text.index("（参考）東京圏内の条件不利地域を含む市町村") :].split("\n\n")[1].split("\n")
    header = [c.strip() for c in block[0].split("\t")]
    columns = [h or next((x for x in reversed(header[:i]) if x), "") for i, h in enumerate(header)]
    return [c.strip() for row in block[1:] for i, c in enumerate(row.split("\t")) if c.strip() and columns[i] == prefecture]


@pytest.mark.parametrize("prefecture", ["埼玉県", "千葉県"])
def test_two_municipalities_named_together_are_each_checked_against_the_reference_table(prefecture):
    listed = _listed_in(prefecture)[0]
    unlisted = "架空市"  # a 東京圏 municipality the table does not list: not eligible as such
    r = route(f"{prefecture}の{unlisted}と{listed}は、どちらもテレワーク型で対象になりますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result == {unlisted: "対象外（原則）", listed: "対象"}
    # outside the 東京圏 both are eligible, listed or not
    r = route("長野県の架空市と架空町は、どちらもテレワーク型で対象になりますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result == {"架空市": "対象", "架空町": "対象"}


def test_a_drafted_repayment_rule_quoted_for_checking_is_not_computed_as_companies_leaving():
    # periods inside a quoted draft are the draft's wording, not companies that left
    r = route("進出支援金の要綱案で『申請日から2年以内の利用終了は半額、4年以内は全額を返還』と書きましたが、国の資料と合っていますか？")
    assert r is None or r.calculation is None
