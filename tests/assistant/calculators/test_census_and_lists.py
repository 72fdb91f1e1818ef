"""Eligibility by the 2010→2020 census decline, the 参考 table asked by a 都 in its own words, a 政令指定都市, and
results a program states whether asked or not (the 団体's share, the 臨時交付金's amount)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.calculators.eligibility import listed_municipalities
from assistant.router import route
from assistant.types import Turn


@given(before=st.integers(1_000, 900_000), drop=st.integers(0, 300_000))
def test_the_census_decline_is_the_rate_of_the_loss_and_the_line_is_ten_percent(before, drop):
    after = max(0, before - drop)
    r = route(f"千葉県の町です。国勢調査の人口は2010年が{before:,}人、2020年が{after:,}人です。人口減少率の要件で対象になれますか？")
    assert r is not None and r.calculation is not None and r.calculation.kind == "population_decline"
    rate = Fraction(before - after, before)
    result = r.calculation.result
    assert result["要件"] is (rate >= Fraction(1, 10))
    assert result["人口減少率"] == f"{float(rate * 100):.2f}%"
    assert result["10%に届く2020年人口の上限"] == math.floor(before * Fraction(9, 10))
    assert {rule.quote for rule in r.calculation.rules} >= {
        "②東京圏内の条件不利地域を含む市町村（※2）又は東京圏内の2010年～2020年の人口減少率が10%以上の市町村（※3）"}


def test_census_figures_in_kanji_numerals_are_read_by_their_year():
    r = route("2020年は一万八百人、2010年は一万二千人でした。人口が減っているので人口減少率の要件に当たりますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.inputs == {"2010年人口": 12_000, "2020年人口": 10_800}


def test_a_metropolitan_officer_asking_for_the_table_gets_the_tokyo_rows_and_the_towns_it_lacks():
    tokyo = [name for name, prefecture in listed_municipalities().items() if prefecture == "東京都"]
    r = route("都庁の者です。都内で参考一覧に載っている市町村はどこですか？八王子市やあきる野市から聞かれたら何と答えれば？")
    assert r is not None and r.calculation is not None and r.calculation.kind == "listed_names"
    assert r.calculation.result["東京都"] == tokyo
    assert r.calculation.result["掲載なし"] == ["八王子市", "あきる野市"]
    assert "八王子市・あきる野市は一覧に載っていない" in r.calculation.summary


def test_a_city_that_says_it_is_a_designated_city_is_told_the_table_leaves_those_out():
    r = route("神奈川県川崎市の企画課より。当市は政令指定都市なので、山間部の地区を理由に申請はできますか？")
    assert r is not None and r.calculation is not None and r.calculation.kind == "eligibility"
    assert r.calculation.result["判定"] == "対象外（原則）"
    assert "政令指定都市" in r.calculation.summary
    plain = route("神奈川県川崎市は申請できますか？")
    assert plain is not None and plain.calculation is not None and "政令指定都市" not in plain.calculation.summary


def test_the_standard_type_sets_a_number_of_movers_without_a_floor():
    first = "町の人口は24,000人。高水準なら移住者の目標は何人以上？"
    high = route(first)
    assert high is not None and high.calculation is not None
    assert high.calculation.result["移住者数の下限"] == math.ceil(24_000 * Fraction(1, 10_000))
    standard = route("標準タイプなら何人にすればいいですか？", [Turn("user", first), Turn("assistant", high.calculation.summary)])
    assert standard is not None and standard.calculation is not None
    assert standard.calculation.result["移住者数の下限"] is None
    assert "下限は定められていません" in standard.calculation.summary
    assert any("移住者数を設定" in rule.quote for rule in standard.calculation.rules)


@pytest.mark.parametrize("extras", [1, 2, 3])
def test_added_items_counted_beside_a_lettered_sheet_are_a_point_each(extras):
    sheet = "③ア2・イ2、②ア2・イ2、①ア1・イ2"  # 11
    r = route(f"⑤を標準タイプで申請します。自己採点は{sheet}で、付加項目は{extras}つ取れそうです。採択されますか？")
    assert r is not None and r.calculation is not None and r.calculation.kind == "project5_adoption"
    assert r.calculation.result["合計点"] == 11 + extras


@given(cost=st.integers(100, 9_000).map(lambda m: m * 10_000))
def test_a_fifth_element_plan_states_what_is_left_to_the_town(cost):
    from assistant.calculators import calculate

    c = calculate("project5_adoption", {"総合評価点数": 15, "加点": 0, "タイプ": "標準", "事業費": cost})
    national = c.result["国費"]
    assert national == min(cost, 30_000_000) // 2 // 1000 * 1000
    assert c.result["地方負担"] == cost - national
    assert "は地方負担です" in c.summary


@pytest.mark.parametrize("ask", ["村が持ち出すことになる額", "村で用意しないといけない額", "村の持ち出し"])
def test_the_towns_share_of_a_catalogue_subsidy_is_stated_when_asked_in_any_form(ask):
    # the overhead over its cap (1/10 of the direct costs) is the town's too, so its share differs from the subsidy
    r = route(f"総務省のデジタル活用環境構築推進事業の見積もり：物品費1,000万円と外注費600万円、一般管理費200万円。補助額と{ask}は？")
    assert r is not None and r.calculation is not None
    total = 16_000_000 + 2_000_000
    subsidy = (16_000_000 + 1_600_000) // 2
    assert r.calculation.result["補助額"] == subsidy
    assert f"{(total - subsidy) // 10_000:,}万円" in r.calculation.summary


def test_the_temporary_grants_amount_is_said_not_only_its_share():
    from assistant.calculators import calculate

    c = calculate("local_burden_2021", {"事業費": 30_000_000, "タイプ": "標準"})
    filled = c.result["臨時交付金充当"]
    assert filled == 15_000_000 * 8 // 10
    assert f"{filled // 10_000:,}万円に臨時交付金を充当" in c.summary


@given(population=st.integers(5_000, 400_000), users=st.integers(100, 9_000), share=st.integers(1, 99))
def test_two_asks_of_one_case_get_both_calculations(population, users, share):
    outside = users * share // 100
    r = route(f"町の人口は{population:,}人、高水準タイプを予定。延べ利用者{users:,}人のうち県外から{outside:,}人を見込む。"
              "県外の比率の要件は満たせますか？あわせて移住者の目標は最低何人？")
    assert r is not None and r.calculation is not None
    result = r.calculation.result
    assert result["移住者数の下限"] == math.ceil(population * Fraction(1, 10_000))
    assert result["高水準の要件"] is (Fraction(outside, users) >= Fraction(1, 2))


def test_a_prefecture_followed_by_a_particle_names_no_city():
    r = route("埼玉県の町です。うちは対象になりますか？")
    assert r is None or r.calculation is None or r.calculation.inputs.get("自治体名") != "の町"


@given(percent=st.integers(1, 40), prefecture=st.sampled_from(["東京都", "埼玉県", "千葉県", "神奈川県"]),
       kind=st.sampled_from(["町", "村"]), said=st.sampled_from(["人口が{p}%ほど減って", "人口減少率は{p}%", "人口が{p}%減少して"]))
def test_a_tokyo_area_town_that_states_its_decline_is_eligible_by_it_when_it_reaches_ten_percent(percent, prefecture, kind, said):
    # a town the 参考 table does not list, named only by its kind: its own decline rate decides (② by the 10 % line)
    r = route(f"{prefecture}内の{kind}です。過疎などの指定は受けていません。2010年から2020年で{said.format(p=percent)}います。"
              f"この交付金は使えますか？")
    assert r is not None and r.calculation is not None and r.calculation.kind == "eligibility"
    assert r.calculation.result["判定"] == ("対象" if percent >= 10 else "対象外（原則）")
    assert r.calculation.inputs["人口減少率"] == f"{percent}%"
    assert "内の" not in r.calculation.summary  # 「県内の町」 names no town called 「内の町」


def test_a_prefecture_applying_as_itself_for_two_listed_towns_is_checked_for_both_and_not_for_the_pair_word():
    listed = listed_municipalities()
    towns = [n for n, p in listed.items() if p == "神奈川県" and n.endswith("町")][:2]
    assert len(towns) == 2
    r = route(f"神奈川県庁の担当です。県として、{towns[0]}と{towns[1]}の域内に絞り、両町の拠点への誘致を支援したいです。"
              f"県が申請できますか？")
    assert r is not None and r.calculation is not None and r.calculation.kind == "eligibility"
    assert "両町" not in r.calculation.formula  # 「両町」 points at the two, it names no third town
    assert all(t in r.calculation.summary for t in towns) and "対象となります（③）" in r.calculation.summary
