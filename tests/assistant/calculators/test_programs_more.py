"""More calculation programs against formulas written here from the documents' rules: a sheet scored as
「N の観点を全部M点」, one more company in a follow-up, B2 planned at its cap, adopted examples' burdens at the
other type, the 参考 table's municipalities by name, and the 2021 catalogue's budgets added up and compared."""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.router import route
from assistant.types import Turn

MAN = 10_000
CORPUS = Path(__file__).parents[3] / "corpus"


def bonus_of(rate: int) -> int:  # 申請率: 全国平均（53.9%）以上60%未満 1点、60%以上70%未満 2点、70%以上 3点
    return 0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3


@given(points=st.integers(1, 3), rate=st.sampled_from([40, 55, 58, 63, 72]),
       wording=st.sampled_from(["12の評価の観点を全部{p}点", "12の観点をすべて{p}点", "12観点はいずれも{p}点"]))
def test_every_viewpoint_given_one_score_is_the_count_times_the_score(points, rate, wording):
    sheet = wording.format(p=points)
    r = route(f"高水準で申請予定の市です。{sheet}にしてみました。12月末の申請率は{rate}%の見込みで、要件は満たしています。"
              "総合評価は何点で何ランクですか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == 12 * points + bonus_of(rate)


@given(first_years=st.integers(1, 6), second_years=st.integers(1, 6))
def test_one_more_company_in_a_follow_up_is_added_to_the_earlier_one(first_years, second_years):
    def repaid(years: int) -> int:  # 3年未満 全額、3年以上5年以内 半額、それ以降なし
        return 100 * MAN if years < 3 else 50 * MAN if years <= 5 else 0

    history = [Turn("user", "支援金を満額で4社へ支給済みです。"), Turn("assistant", "…"),
               Turn("user", f"うち1社は申請日から{first_years}年で退去予定。返還額は？"), Turn("assistant", "…")]
    r = route(f"もう1社も申請日から{second_years}年で退去すると連絡がありました。2社分の返還の合計は？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額の合計"] == repaid(first_years) + repaid(second_years)


@given(total_man=st.integers(1000, 9000))
def test_b2_planned_at_its_cap_leaves_b1_what_half_the_total_does_not(total_man):
    r = route(f"交付対象事業費{total_man:,}万円の町営施設。B2（駐車場の外構）は上限まで計上する予定です。"
              "B1（カフェ）の上限はいくら？")
    assert r is not None and r.calculation is not None
    b2_cap = total_man * MAN * 2 // 10  # B2 2割以内
    assert r.calculation.result["B1の上限（未満）"] == total_man * MAN // 2 - b2_cap  # B1+B2 5割未満


def _examples() -> list[tuple[str, str, int, int]]:
    """(municipality, type, 交付対象事業費, 国費) of the 制度概要's adopted examples, read here from their lines."""
    text = (CORPUS / "digiden_chiho_sosei_telework_overview.txt").read_text(encoding="utf-8")
    found, name, kind = [], None, None
    for line in text.split("\n"):
        if m := re.match(r"^\s*\S+?[都道府県]\s*(\S+?[市町村])", line):
            name = m.group(1)
        if m := re.search(r"採択区分\s*\|?\s*(高水準|標準)タイプ", line):
            kind = m.group(1)
        if (m := re.search(r"([\d,]+)千円\s*[（(]([\d,]+)千円", line)) and name and kind and "交付対象事業費" in line:
            found.append((name, kind, int(m.group(1).replace(",", "")) * 1000, int(m.group(2).replace(",", "")) * 1000))
            name = None
    return found


def test_adopted_examples_burdens_at_the_other_type_are_their_costs_less_that_types_share():
    standard = [e for e in _examples() if e[1] == "標準"][:2]
    assert len(standard) == 2
    names = "と".join(e[0] for e in standard)
    r = route(f"標準タイプで採択された事例の{names}について、地方負担の合計はいくら？もし2つとも高水準だったら、いくら少なくて済んだ？")
    assert r is not None and r.calculation is not None
    actual = sum(cost - national for _, _, cost, national in standard)
    at_high = sum(cost - cost * 3 // 4 // 1000 * 1000 for _, _, cost, _ in standard)  # 3/4, 千円未満切り捨て
    assert r.calculation.result["地方負担の合計"] == actual
    assert r.calculation.result["地方負担の差"] == at_high - actual


@pytest.mark.parametrize("prefecture", ["埼玉県", "千葉県", "神奈川県"])
def test_the_reference_tables_municipalities_of_a_prefecture_are_listed_by_name(prefecture):
    text = (CORPUS / "digiden_chiho_sosei_telework_overview.txt").read_text(encoding="utf-8")
    block = text[text.index("（参考）東京圏内の条件不利地域を含む市町村") :].split("\n\n")[1].split("\n")
    header = [c.strip() for c in block[0].split("\t")]
    columns = [h or next((x for x in reversed(header[:i]) if x), "") for i, h in enumerate(header)]
    names = {c.strip() for row in block[1:] for i, c in enumerate(row.split("\t")) if c.strip() and columns[i] == prefecture}
    history = [Turn("user", "東京圏内の自治体が対象になる条件は？"), Turn("assistant", "…")]
    r = route(f"{prefecture}では、どの市町村が対象として載っていますか？", history)
    assert r is not None and r.calculation is not None
    assert set(r.calculation.result[prefecture]) == names
    assert all(name in r.calculation.summary for name in names)


def _budgets() -> dict[str, int]:
    """施策名 -> 予算額 in yen, read here from the catalogue (the first 「N百万円」 line after each 施策名)."""
    text = (CORPUS / "telework_measures_catalogue_2021.txt").read_text(encoding="utf-8")
    out = {}
    for part in re.split(r"\n\s*施策名：", text)[1:]:
        name = part.split("\n")[0].strip()
        if m := re.search(r"^\s*([\d０-９,]+)百万円\s*$", part, re.M):
            out[name] = int(unicodedata.normalize("NFKC", m.group(1)).replace(",", "")) * 1_000_000
    return out


def test_catalogue_budgets_named_are_added_up_and_compared_with_a_yardstick():
    budgets = _budgets()
    summed = ["サテライトオフィス・マッチング支援事業", "テレワーク普及展開推進事業", "デジタル活用環境構築推進事業"]
    r = route(f"{'、'.join(summed)}、この3施策の予算の合計は？地方創生テレワーク交付金と比べて何分の1の規模？")
    assert r is not None and r.calculation is not None
    total = sum(budgets[n] for n in summed)
    assert r.calculation.result["合計"] == total
    share = Fraction(total * 100, budgets["地方創生テレワーク交付金"])
    # a share exact at two decimals is written with both (as a hand calculation gives it), else with one
    digits = 2 if (share * 100).denominator == 1 else 1
    assert r.calculation.result["割合"] == f"{float(share):.{digits}f}".rstrip("0").rstrip(".") + "%"


def test_a_measure_left_out_is_not_summed_and_the_sum_is_set_against_a_measure_named_with_the_difference():
    budgets = _budgets()
    summed = ["サテライトオフィス・マッチング支援事業", "テレワーク普及展開推進事業", "デジタル活用環境構築推進事業"]
    r = route(f"情報信託機能活用促進事業は除いて、{'、'.join(summed)}の予算を足すと？"
              "地方創生テレワーク交付金との差額は？")
    assert r is not None and r.calculation is not None
    total = sum(budgets[n] for n in summed)
    assert r.calculation.result["合計"] == total
    assert r.calculation.result["差"] == budgets["地方創生テレワーク交付金"] - total
    assert "情報信託機能活用促進事業" not in r.calculation.result


def test_a_difference_asked_wins_over_comparing_named_as_the_askers_task_and_its_verdict_leads():
    budgets = _budgets()
    summed = ["テレワーク普及展開推進事業", "サテライトオフィス・マッチング支援事業"]
    yardstick = "情報信託機能活用促進事業"
    r = route(f"施策集の予算を比較する資料を作っています。{'と'.join(summed)}の予算を合わせた額は、"
              f"{yardstick}の予算より多いですか？差額も知りたいです。")
    assert r is not None and r.calculation is not None
    total = sum(budgets[n] for n in summed)
    assert r.calculation.result["差"] == abs(total - budgets[yardstick])
    assert "割合" not in r.calculation.result
    more = "多い" if total > budgets[yardstick] else "少ない"
    assert r.calculation.summary.split("。")[0].endswith(more + "です")


@pytest.mark.parametrize("left_out", [None, "地方創生テレワーク交付金", "テレワーク普及展開推進事業"])
def test_every_budget_of_the_catalogue_is_summed_and_again_without_a_measure_named_to_be_left_out(left_out):
    budgets = _budgets()
    tail = f"{left_out}を除いた額も知りたい。" if left_out else ""
    r = route(f"施策集の施策の予算額をすべて合計するといくら？{tail}")
    assert r is not None and r.calculation is not None
    total = sum(budgets.values())
    assert r.calculation.result["合計"] == total
    if left_out:
        assert r.calculation.result[f"合計（{left_out}を除く）"] == total - budgets[left_out]
    else:
        assert not any(k.startswith("合計（") for k in r.calculation.result)


def test_a_budget_named_the_turn_before_is_compared_with_one_named_now():
    budgets = _budgets()
    history = [Turn("user", "予算額：テレワーク普及展開推進事業は？"), Turn("assistant", "…")]
    r = route("その予算と情報信託機能活用促進事業の予算、差はいくら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["差"] == abs(budgets["テレワーク普及展開推進事業"] - budgets["情報信託機能活用促進事業"])


def test_a_project5_cost_over_its_cap_names_the_part_the_grant_leaves_out():
    r = route("①～④は高水準で採択済み。⑤として進出企業と地元農家の新商品づくりを申請し、"
              "その事業費が4,400万円になりました。国費と地方負担は？")
    assert r is not None and r.calculation is not None
    # the per-project cap of ⑤ (3,000万円 of 交付対象事業費) leaves 1,400万円 out
    assert "交付対象外1,400万円" in r.calculation.summary


def test_adopted_examples_targets_are_checked_against_their_own_types_kpi_requirement():
    from assistant.calculators.examples import adopted_examples

    facility = [e for e in adopted_examples() if e.kpi and not e.project5 and e.target("県外企業数")]
    names = "と".join(e.municipality for e in facility[:2])
    r = route(f"{names}の事例、県外企業の割合は何%ずつ？KPIの要件はクリアしている？")
    assert r is not None and r.calculation is not None
    gates = [s for s in r.calculation.steps if s.kind == "gate"]
    assert len(gates) == 2
    for e, gate in zip(facility[:2], gates, strict=True):
        outside = e.target("県外企業数")[0]  # type: ignore[index]
        assert gate.result == (outside >= (3 if e.grant_type == "高水準" else 1))  # 県外企業 3社以上 / 1社以上


def test_examples_named_by_short_names_in_a_list_are_the_ones_summed():
    chosen = [e for e in _examples() if e[1] == "高水準"][:3]
    short = "・".join(name[:-1] for name, _, _, _ in chosen)  # 「佐渡・彦根・京都」: 市 left out
    r = route(f"採択事例のうち{short}の3事例について、国費の合計と、国費以外の地元負担の合計はいくら？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費の合計"] == sum(n for _, _, _, n in chosen)
    assert r.calculation.result["地方負担の合計"] == sum(c - n for _, _, c, n in chosen)
    assert "東京都" not in r.calculation.summary


def test_the_example_with_the_most_migrants_targeted_among_a_type_is_found_from_their_tables():
    from assistant.calculators.examples import adopted_examples

    high = [e for e in adopted_examples() if e.grant_type == "高水準" and not e.project5 and e.target("移住者数")]
    r = route("施設整備の事例のうち高水準タイプのもので、移住者の目標が一番多い団体は？")
    assert r is not None and r.calculation is not None
    best = max(high, key=lambda e: e.target("移住者数")[0])  # type: ignore[index]
    assert r.calculation.summary.startswith(f"移住者数がいちばん多いのは{best.prefecture}{best.municipality}")
    assert set(r.calculation.result) == {e.municipality for e in high}


def test_a_short_turn_naming_another_example_asks_the_turn_before_about_it():
    from assistant.calculators.examples import adopted_examples

    first, second, third = [e for e in adopted_examples() if e.target("利用者数") and e.target("県外利用者割合")][:3]

    def outside_users(e):  # 年間のべ利用者数 × 県外利用者割合
        return e.target("利用者数")[0] * e.target("県外利用者割合")[0] / 100

    history = [Turn("user", f"{first.municipality}の事例の県外からの延べ利用者数は何人？"), Turn("assistant", "…")]
    r = route(f"じゃあ{second.municipality[:-1]}は？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result == {second.municipality: outside_users(second)}
    # and again, after that swap
    history += [Turn("user", f"じゃあ{second.municipality[:-1]}は？"), Turn("assistant", "…")]
    r = route(f"{third.municipality}だと？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result == {third.municipality: outside_users(third)}


@given(each_man=st.integers(10, 100), companies=st.integers(1, 5), kind=st.sampled_from(["高水準", "標準"]))
def test_an_amount_right_after_one_company_is_what_each_company_gets(each_man, companies, kind):
    history = [Turn("user", "支援金の上限額は？"), Turn("assistant", "…")]
    r = route(f"{kind}タイプ、KPIは県外{companies}社。要綱は1社{each_man}万円で{companies}社に支給する案です。"
              "国費の合計は？", history)
    assert r is not None and r.calculation is not None
    paid = each_man * MAN * companies  # each company's amount (within the 100万円 cap), as many as the KPI counts
    assert r.calculation.result["国費"] == (paid * 3 // 4 if kind == "高水準" else paid // 2) // 1000 * 1000


@given(users=st.integers(100, 20000))
def test_the_outside_users_minimums_of_both_types_are_compared_when_asked(users):
    r = route(f"延べ利用者数の目標は{users:,}人。県外利用者として最低限必要な人数は高水準と標準でどれだけ差がある？")
    assert r is not None and r.calculation is not None
    high, standard = -(-users * 5 // 10), -(-users * 3 // 10)  # 5割以上 / 3割以上, whole persons rounded up
    assert r.calculation.result["差"] == high - standard


def test_a_tokyo_area_prefectures_project_over_several_municipalities_needs_each_listed():
    from assistant.calculators.eligibility import listed_municipalities

    listed = [n for n, p in listed_municipalities().items() if p == "千葉県"][:2]
    r = route(f"千葉県として、{'・'.join(listed)}の区域に限った誘致事業を企画中。東京圏の県だと無理でしょうか？")
    assert r is not None and r.calculation is not None and r.calculation.result["判定"] == "対象"
    # a municipality the table does not list, added: the 県's project is no longer limited to listed ones
    r = route(f"千葉県として、{'・'.join(listed)}の区域に限った誘致事業を企画中。千葉市も加えた場合、対象になりますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["判定"] == "対象外（原則）" and r.calculation.result["掲載なし"] == ["千葉市"]


@given(raw=st.integers(18, 30), rate=st.sampled_from([40, 62, 75]))
def test_a_kpi_set_for_one_year_only_fails_the_requirement_of_several_years(raw, rate):
    r = route(f"高水準タイプへ申請予定：素点{raw}点、申請率{rate}%、KPIは単年度だけの設定。結果は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["採択区分"] == "不採択"  # 申請要件「KPI複数年度設定」に×: D評価


@given(items=st.lists(st.integers(1, 3), min_size=6, max_size=6), met=st.integers(1, 3))
def test_project5_extra_items_counted_as_taken_add_a_point_each(items, met):
    sheet = "・".join(str(i) for i in items)
    r = route(f"⑤の自己採点です。6観点は{sheet}点、付加項目は{met}つ取れる見込み、加点はなし。採択されますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == sum(items) + met


def test_twelve_viewpoints_after_a_project5_conversation_are_scored_on_the_twelve_viewpoint_scale():
    history = [Turn("user", "⑤の評価は何点満点ですか？"), Turn("assistant", "…")]
    r = route("12観点の合計が24点、加点なし、高水準で申請。採択区分は？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["評価"] == "A"  # ①～④: A is 23点以上 (⑤'s scale would make 24 an S)


def test_the_two_examples_earlier_turns_named_are_the_ones_a_later_turn_points_back_at():
    first, second = [e for e in _examples() if e[1] == "高水準"][1:3]
    history = [Turn("user", f"{first[0]}の事例の採択区分と金額は？"), Turn("assistant", "…"),
               Turn("user", f"{second[0]}はどうでした？"), Turn("assistant", "…")]
    r = route("その2つを足すと、国費以外の地元負担はいくら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["地方負担の合計"] == (first[2] - first[3]) + (second[2] - second[3])


@pytest.mark.parametrize("kind", ["高水準", "標準"])
def test_the_examples_of_a_type_are_listed_with_their_amounts(kind):
    r = route(f"過年度の採択事例で、{kind}タイプで採択されたのはどこですか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["団体"] == [name for name, k, _, _ in _examples() if k == kind]


def test_a_type_supposed_after_a_turn_about_the_other_gives_both_types_minimums():
    history = [Turn("user", "移住者数KPIの置き方（標準タイプ）は？"), Turn("assistant", "…")]
    r = route("県外利用者はどうですか？延べ3,000人の見込みで、県外の人は最低何人？高水準だとどうなります？", history)
    assert r is not None and r.calculation is not None
    assert "標準タイプは県外企業1社以上、県外利用者900人以上" in r.calculation.summary  # 3割
    assert "高水準タイプは県外企業3社以上、県外利用者1,500人以上" in r.calculation.summary  # 5割


def test_a_municipality_added_to_a_prefectures_project_in_a_follow_up_is_checked_against_the_table():
    from assistant.calculators.eligibility import listed_municipalities

    listed = [n for n, p in listed_municipalities().items() if p == "千葉県"][:2]
    history = [Turn("user", "千葉県として申請できるのはどんな場合？"), Turn("assistant", "…"),
               Turn("user", f"{'と'.join(listed)}に区域を絞った県の事業なら大丈夫ですか？"), Turn("assistant", "…")]
    r = route("さらに千葉市も加えた県の事業にしたら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["掲載なし"] == ["千葉市"]


def test_a_span_of_days_is_also_said_in_weeks_and_days():
    r = route("交付決定は事前相談の締切の何日後？")
    assert r is not None and r.calculation is not None
    days = next(iter(r.calculation.result.values()))
    assert isinstance(days, int) and f"{days // 7}週" in r.calculation.summary


def test_an_examples_targets_are_checked_against_the_type_asked_not_only_its_own():
    from assistant.calculators.examples import adopted_examples

    standard = next(e for e in adopted_examples() if e.grant_type == "標準" and e.target("県外企業数") and e.target("県外利用者割合"))
    r = route(f"{standard.municipality}の事例の県外企業や県外利用の目標、高水準タイプの要件はクリアできる水準？")
    assert r is not None and r.calculation is not None and r.calculation.kind == "example_kpi_check"
    outside, share = standard.target("県外企業数")[0], standard.target("県外利用者割合")[0]  # type: ignore[index]
    assert [s.result for s in r.calculation.steps] == [outside >= 3, share >= 50]  # 高水準: 3社以上, 5割以上


def test_rows_of_the_examples_tables_are_added_up_and_the_outside_share_of_the_totals_given():
    facility = [e for e in _examples() if e[0] != "皆野町" and e[0] != "岩見沢市"]
    short = "・".join(name[:-1] for name, _, _, _ in facility)
    r = route(f"{short}の事例：利用企業数の合計は？県外企業数の合計と、その割合も。")
    assert r is not None and r.calculation is not None
    from assistant.calculators.examples import named_examples

    chosen = named_examples(short)
    companies = sum(e.target("利用企業数")[0] for e in chosen)  # type: ignore[index]
    outside = sum(e.target("県外企業数")[0] for e in chosen)  # type: ignore[index]
    assert r.calculation.result == {"利用企業数の合計": companies, "県外企業数の合計": outside}
    assert f"{outside * 100 / companies:.1f}%" in r.calculation.summary


def test_the_outside_company_share_asked_per_example_and_taken_together_pools_the_companies():
    # the share of the examples together is their outside companies over their user companies, not a mean of shares
    from assistant.calculators.examples import adopted_examples

    stated = [e for e in adopted_examples() if e.target("利用企業数") and e.target("県外企業数")]
    names = "・".join(e.municipality for e in stated)
    r = route(f"{names}について、県外企業の割合（2024目標）が最も高い事例・最も低い事例と、全事例を合計した割合は？")
    assert r is not None and r.calculation is not None
    outside = sum(e.target("県外企業数")[0] for e in stated)  # type: ignore[index]
    companies = sum(e.target("利用企業数")[0] for e in stated)  # type: ignore[index]
    assert f"合計した割合は{outside * 100 / companies:.1f}%".replace(".0%", "%") in r.calculation.summary


def test_the_national_share_per_outside_user_divides_by_users_times_their_outside_share():
    from assistant.calculators.examples import adopted_examples

    two = [e for e in adopted_examples() if e.target("利用者数") and e.target("県外利用者割合")][:2]
    r = route(f"{two[0].municipality}・{two[1].municipality}の事例で、県外からの利用者数（2024目標）1人あたりの国費は？"
              "国費を県外利用者数で割った額で。")
    assert r is not None and r.calculation is not None
    for e in two:
        outside = e.target("利用者数")[0] * e.target("県外利用者割合")[0] / 100  # type: ignore[index]
        assert r.calculation.result[e.municipality] == pytest.approx(e.national / outside)


def test_the_largest_and_smallest_eligible_cost_of_the_facility_examples_with_their_ratio_and_national_gap():
    facility = [e for e in _examples() if e[0] not in ("皆野町", "岩見沢市")]  # the ⑤ examples have no KPI table
    r = route(f"{len(facility)}つの採択事例のうち交付対象事業費が最大・最小の事例と、その比（何倍）、国費の差額を教えて。")
    assert r is not None and r.calculation is not None
    high, low = max(facility, key=lambda e: e[2]), min(facility, key=lambda e: e[2])
    assert high[0] in r.calculation.summary and low[0] in r.calculation.summary
    assert f"約{high[2] / low[2]:.1f}倍" in r.calculation.summary
    assert f"国費の差は{(high[3] - low[3]) // 1000:,}千円" in r.calculation.summary


def test_a_row_summed_over_all_the_examples_gives_one_named_examples_share_of_it():
    from assistant.calculators.examples import adopted_examples

    facility = [e for e in adopted_examples() if e.kpi and not e.project5]
    one = max(facility, key=lambda e: e.target("移住者数")[0])  # type: ignore[index]
    r = route(f"{len(facility)}事例の移住者数の目標の合計と、{one.municipality}の分がそのうち占める割合は？")
    assert r is not None and r.calculation is not None
    total = sum(e.target("移住者数")[0] for e in facility)  # type: ignore[index]
    assert r.calculation.result["移住者数の合計"] == total
    own = one.target("移住者数")[0]  # type: ignore[index]
    assert f"{own * 100 / total:.1f}%".replace(".0%", "%") in r.calculation.summary


def test_a_follow_up_supposing_the_other_type_for_the_example_named_before_gives_the_burden_change():
    from assistant.calculators.examples import adopted_examples

    high = [e for e in adopted_examples() if e.grant_type == "高水準"]
    assert high
    for e in high:
        history = [Turn("user", f"{e.municipality}（採択事例）の交付対象事業費と国費は？"), Turn("assistant", "…")]
        r = route("もし標準で採択されていたら負担はいくら増えた？", history)
        assert r is not None and r.calculation is not None
        standard = e.eligible // 2 // 1000 * 1000  # 標準: half, cut to 千円 as the examples' amounts are
        change = (e.eligible - standard) - (e.eligible - e.national)
        assert f"{change // 1000:,}千円" in r.calculation.summary and "多くかかった" in r.calculation.summary


def test_outside_users_rounded_half_up_and_summed_when_asked():
    from assistant.calculators.examples import adopted_examples

    two = [e for e in adopted_examples() if e.target("利用者数") and e.target("県外利用者割合")][:2]
    r = route(f"{two[0].municipality}と{two[1].municipality}の事例で、県外からの延べ利用者数は何人？端数は四捨五入、2つ合わせると？")
    assert r is not None and r.calculation is not None
    each = [int(e.target("利用者数")[0] * e.target("県外利用者割合")[0] / 100 + 0.5) for e in two]  # type: ignore[index]
    assert f"合計は{sum(each):,}人" in r.calculation.summary


@given(population=st.integers(1000, 200000))
def test_both_types_kpi_requirements_side_by_side_take_the_population_said_before(population):
    history = [Turn("user", f"人口{population:,}人の町です。高水準の移住者数KPIの下限は？"), Turn("assistant", "…")]
    r = route("標準ならどう変わる？高水準と並べて、県外の企業数・利用者割合の要件もお願いします。", history)
    assert r is not None and r.calculation is not None
    need = -(-population // 10000)  # 人口の0.01%以上, whole persons rounded up
    assert f"移住者{need}人以上" in r.calculation.summary and "県外利用者の割合3割以上" in r.calculation.summary


@given(years=st.integers(1, 8))
def test_a_false_claim_found_later_makes_the_earlier_company_repay_all(years):
    history = [Turn("user", f"支援金100万円の会社が申請日から{years}年で退去しました。返還は？"), Turn("assistant", "…")]
    r = route("後になって申請内容が虚偽だったと判明しました。どうなりますか？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額"] == 100 * MAN  # 虚偽の申請等: 全額, whatever the period


@given(direct_man=st.integers(1000, 3000), said_man=st.integers(0, 99))
def test_an_overhead_raised_to_its_cap_in_a_follow_up_says_how_much_the_subsidy_moves(direct_man, said_man):
    history = [Turn("user", f"デジタル活用環境構築推進事業の直接経費{direct_man:,}万円、一般管理費{said_man}万円なら補助は？"),
               Turn("assistant", "…")]
    r = route("では一般管理費を上限額まで計上すると補助は何円増える？", history)
    assert r is not None and r.calculation is not None

    def subsidy(overhead_man: int) -> int:  # 一般管理費 ≤ 直接経費の1/10, 補助率1/2, 補助上限額2,000万円
        eligible = direct_man * MAN + min(overhead_man * MAN, direct_man * MAN // 10)
        return min(eligible // 2, 2000 * MAN)

    assert r.calculation.result["補助額の増減"] == subsidy(10**6) - subsidy(said_man)


@given(direct_man=st.integers(1000, 3000), overhead_man=st.integers(1, 500))
def test_a_follow_up_stating_direct_costs_and_its_own_overhead_reckons_the_subsidy_with_that_overhead(direct_man, overhead_man):
    history = [Turn("user", "デジタル活用環境構築推進事業の一般管理費の上限の決まりを確認したい。"), Turn("assistant", "…")]
    r = route(f"では直接経費を{direct_man:,}万、一般管理費を{overhead_man}万とすると補助額は？", history)
    assert r is not None and r.calculation is not None
    eligible = direct_man * MAN + min(overhead_man * MAN, direct_man * MAN // 10)  # 一般管理費 ≤ 直接経費の1/10
    assert r.calculation.result["補助額"] == min(eligible // 2, 2000 * MAN)


def test_each_element5_examples_room_under_the_project_cap_is_given_with_their_burdens():
    from assistant.calculators.examples import adopted_examples
    from assistant.calculators.rules import integer

    fives = [e for e in adopted_examples() if e.project5]
    assert len(fives) >= 2
    names = "と".join(e.municipality for e in fives[:2])
    r = route(f"⑤の採択事例の{names}で、地元の負担はそれぞれいくら？上限額まであとどれだけ余裕があった？")
    assert r is not None and r.calculation is not None
    for e in fives[:2]:
        assert r.calculation.result[f"{e.municipality}の上限までの余裕"] == max(integer("project5_cap") - e.eligible, 0)
    plain = route(f"⑤の採択事例の{names}で、地元の負担はそれぞれいくら？")
    assert plain is not None and plain.calculation is not None
    assert not any("余裕" in k for k in plain.calculation.result)


@pytest.mark.parametrize("adopted", ["高水準", "標準"])
def test_element5_follows_the_type_supposed_for_elements_1_to_4_in_a_follow_up(adopted):
    other = "標準" if adopted == "高水準" else "高水準"
    first = f"⑤の事業1本の事業費は2,000万円の計画。①〜④は{adopted}タイプで採択済み。国費はいくら？"
    r = route(f"もし①〜④が{other}タイプだったら？", [Turn("user", first), Turn("assistant", "…")])
    assert r is not None and r.calculation is not None
    n, d = (3, 4) if other == "高水準" else (1, 2)
    assert r.calculation.result["国費"] == 2000 * MAN * n // d


def _band_cap(people: int) -> int:  # the size bands of the facility caps: 20人未満 / 20人以上50人未満 / 50人以上
    return (3000 if people < 20 else 4500 if people < 50 else 9000) * MAN


@given(people=st.integers(1, 120))
def test_the_cap_of_a_facility_of_a_stated_size_is_its_bands_without_asking_the_type(people):
    r = route(f"町で整備する拠点は{people}人ほどの規模です。この施設の上限額は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["交付対象事業費"] == _band_cap(people)


@given(people=st.integers(20, 49))
def test_one_more_facility_like_the_last_adds_its_cap_and_a_later_type_keeps_both(people):
    history = [Turn("user", f"{people}人規模の町営施設なら、上限額は？"), Turn("assistant", "…")]
    r = route("同じ規模の施設をもう1つ作ったら、上限は合計でいくら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["交付対象事業費"] == 2 * _band_cap(people)
    history += [Turn("user", "同じ規模の施設をもう1つ作ったら、上限は合計でいくら？"), Turn("assistant", "…")]
    r = route("標準タイプなら国費は？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == _band_cap(people)  # two caps × 1/2


@pytest.mark.parametrize("ask", ["何人下がりますか", "どれだけ減りますか", "差は何人ですか"])
@given(users=st.integers(100, 20_000))
def test_the_gap_between_the_types_outside_user_minimums_is_given_however_it_is_asked(ask, users):
    r = route(f"人口2万人の町です。高水準タイプで延べ利用者数を{users:,}人とする場合、県外利用者の最低ラインは？"
              f"標準タイプにすると県外利用者の最低ラインは{ask}？")
    assert r is not None and r.calculation is not None
    high, standard = -(-users * 5 // 10), -(-users * 3 // 10)  # 5割 / 3割, rounded up to whole people
    assert r.calculation.result["差"] == high - standard


@given(population=st.integers(5_000, 500_000), users=st.integers(100, 9_999))
def test_a_last_sentence_giving_a_new_kind_of_figure_adds_an_input_rather_than_supposing_a_change(population, users):
    r = route(f"人口{population:,}人の市です。高水準タイプだと移住者数は最低何人以上にしないといけませんか？"
              f"また、延べ利用者数を{users:,}人と置くと、県外からの利用者は何人以上要りますか。")
    assert r is not None and r.calculation is not None
    assert r.calculation.inputs["人口"] == population and r.calculation.inputs["利用者数"] == users


@pytest.mark.parametrize("asked", ["県が手を挙げることはできますか？", "県として申請することは可能でしょうか？"])
def test_listed_municipalities_named_without_their_suffix_limit_a_prefectures_project(asked):
    # 「A・B・Cの3町」: the names said once without 町, the kind after them; a town the table does not list, added
    from assistant.calculators.eligibility import listed_municipalities

    towns = [n for n, p in listed_municipalities().items() if p == "千葉県" and n.endswith("市") and len(n) >= 3][:3]
    stems = "・".join(n[:-1] for n in towns)
    r = route(f"千葉県の企画担当です。{stems}の{len(towns)}市の区域に限ったテレワーク拠点の利用促進で、{asked}")
    assert r is not None and r.calculation is not None and r.calculation.result["判定"] == "対象"
    r = route(f"千葉県の企画担当です。{stems}の{len(towns)}市の区域に限った利用促進に、東西市も加えたいのですが、{asked}")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["判定"] == "対象外（原則）" and r.calculation.result["掲載なし"] == ["東西市"]


@pytest.mark.parametrize("short", ["情報銀行", "テレワーク普及", "地テレ交付金"])
def test_one_measures_share_of_the_catalogues_total_budget_is_computed(short):
    # the sum of every budgeted measure of the list, then the named measure's share of it (from the catalogue's figures)
    from assistant.calculators.budgets import catalogue_budgets, named_budgets

    r = route(f"2021年版で生活分野に並ぶ施策の予算を全部合計すると？合計のうち{short}の占める割合は何%？")
    assert r is not None and r.calculation is not None
    every = [b.yen for b in catalogue_budgets() if b.yen]
    (named,) = named_budgets(short)
    share = r.calculation.result[f"{named.measure}の割合"]
    assert abs(float(share.rstrip("%")) - named.yen / sum(every) * 100) < 0.06


def test_a_ministrys_measures_asked_together_are_those_whose_list_entry_names_it():
    # the catalogue's own list of measures prints each one's department: 「<施策名> <府省の部署> <頁>」
    text = (CORPUS / "telework_measures_catalogue_2021.txt").read_text(encoding="utf-8")
    budgets = _budgets()
    listed = {name for name in budgets
              if re.search(rf"^\s*{re.escape(name)}\s*(?:\n（[^）\n]*）)?\s+総務省\S+\s+\d+\s*$", text, re.M)}
    assert len(listed) >= 2
    r = route("総務省が担当する事業の予算を合計するとどれだけですか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計"] == sum(budgets[n] for n in listed)
