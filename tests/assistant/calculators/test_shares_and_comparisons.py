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

from assistant.calculators.amounts import format_yen
from assistant.router import route
from assistant.types import Turn

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


def _reference_table_columns() -> dict[str, list[str]]:
    """The 参考 table's municipalities under each 都県 heading, read from the table's columns."""
    text = (CORPUS / "digiden_chiho_sosei_telework_overview.txt").read_text(encoding="utf-8")
    block = text[text.index("（参考）東京圏内の条件不利地域を含む市町村") :].split("\n\n")[1].split("\n")
    heads: list[str] = []
    for cell in block[0].split("\t"):  # a 都県 with two columns heads the first only
        heads.append(cell.strip() or heads[-1])
    columns: dict[str, list[str]] = {h: [] for h in heads}
    for row in block[1:]:
        for head, cell in zip(heads, row.split("\t"), strict=False):
            if head and cell.strip():
                columns[head].append(cell.strip())
    return columns


@pytest.mark.parametrize("prefecture", ["東京都", "埼玉県", "千葉県", "神奈川県"])
@pytest.mark.parametrize("kind", ["市", "町", "村"])
def test_a_follow_up_asking_for_a_kind_counts_in_the_prefecture_of_the_turn_before(prefecture, kind):
    names = [n for n in _reference_table_columns()[prefecture] if n.endswith(kind)]
    history = [Turn("user", f"東京圏の参考一覧で{prefecture}の欄には何団体載っていますか？"), Turn("assistant", "…")]
    r = route(f"その中に{kind}ってありますか？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result[f"{kind}の数"] == len(names)
    assert r.calculation.inputs["都県"] == [prefecture]
    if names:
        assert all(n in r.calculation.summary for n in names)
    else:
        assert r.calculation.summary.startswith(f"参考一覧の{prefecture}の欄に{kind}は載っていません")


@pytest.mark.parametrize("named", [("埼玉県", "千葉県"), ("千葉県", "神奈川県"), ("埼玉県", "千葉県", "神奈川県")])
def test_prefectures_named_without_their_ken_are_each_counted(named):
    columns = _reference_table_columns()
    short = "・".join(p[:-1] for p in named)
    r = route(f"{short}向けの資料用に、参考一覧に載る市を数えてほしい。何市ある？")
    assert r is not None and r.calculation is not None
    assert r.calculation.inputs["都県"] == list(named)
    assert r.calculation.result["市の数"] == sum(n.endswith("市") for p in named for n in columns[p])
    for p in named:
        count = sum(n.endswith("市") for n in columns[p])
        assert (f"{p}{count}市" in r.calculation.summary) == bool(count)


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


@pytest.mark.parametrize("element", ["①", "②", "③"])
@pytest.mark.parametrize("repay", ["国に交付金の返還を求められる", "国へ返還しなければならない", "国庫に返納することになる"])
def test_the_municipality_returning_the_grant_to_the_state_is_not_a_companys_repayment(element, repay):
    # the companies' rule (全額・半額 by the years since applying) governs 進出支援金 only
    r = route(f"{element}で整備した施設の運営会社が2年で廃業したら、町は{repay}のでしょうか？")
    assert r is None or r.calculation is None
    r = route("進出支援金をもらった会社が2年で撤退したら、国に返還が必要になるのは全額ですか？")
    assert r is not None and r.calculation is not None


@settings(max_examples=10, deadline=None)
@given(companies=st.integers(1, 6), left_out=st.sampled_from(["（⑤は除く）", "⑤を除いて", "⑤以外で"]))
def test_the_largest_plan_with_companies_at_the_full_relocation_grant_leaves_out_the_element_set_aside(companies, left_out):
    # the largest ①② plan: one facility of 50 or more (9,000万円) and two of 20–49 (4,500万円 each) within the
    # three-facility total, soft costs at 1,200万円, and ④ at 100万円 for each company counted
    r = route(f"施設の上限額が最も大きくなる構成で①②を組み、ソフトは上限額、④は県外企業{companies}社に満額支給、"
              f"{left_out}とした場合、国費の最大は高水準、標準の各タイプでいくら？")
    assert r is not None and r.calculation is not None
    eligible = (9_000 + 2 * 4_500 + 1_200 + 100 * companies) * MAN
    text = r.calculation.summary + r.calculation.formula
    for national in (eligible * 3 // 4 // 1000 * 1000, eligible // 2 // 1000 * 1000):
        assert format_yen(national) in text


@settings(max_examples=10, deadline=None)
@given(users=st.integers(10, 900).map(lambda n: n * 10), ask=st.sampled_from(["何人上乗せが必要？", "何人積み増す必要がある？"]))
def test_a_type_supposed_after_a_turn_stating_the_users_gives_the_gap_in_outside_users(users, ask):
    # 高水準 needs 5割 of the users from outside the prefecture, 標準 3割: the gap is the difference of the two
    history = [Turn("user", "標準タイプの県外利用者の割合の要件は？"), Turn("assistant", "…"),
               Turn("user", f"2026年度の延べ利用者数は{users:,}人の見込みです。"), Turn("assistant", "…")]
    r = route(f"高水準にするなら県外利用者は{ask}", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["差"] == users * 5 // 10 - users * 3 // 10


@settings(max_examples=15, deadline=None)
@given(amounts=st.lists(st.integers(10, 100), min_size=3, max_size=3), years=st.permutations([1, 4, 6]))
def test_lettered_companies_written_with_their_amounts_and_dates_are_each_repaid_their_share(amounts, years):
    # under 3 years: the whole amount; 3 to 5 years: half; over 5 years: nothing
    cases = "、".join(f"{'ABC'[i]}社{amounts[i]}万円（申請日2020年4月10日、{2020 + years[i]}年6月30日に利用終了）"
                     for i in range(3))
    r = route(f"{cases}。いずれも倒産・災害の事情はない。進出支援金の返還額は合わせていくら？")
    assert r is not None and r.calculation is not None
    share = {1: 1.0, 4: 0.5, 6: 0.0}
    total = sum(int(a * MAN * share[y]) for a, y in zip(amounts, years, strict=True))
    assert format_yen(total) in r.calculation.summary


@pytest.mark.parametrize("switch", ["標準に切り替えたら", "標準タイプに変えたら", "標準にしたら"])
def test_a_type_switched_to_after_a_turn_stating_the_users_gives_that_types_outside_minimum(switch):
    history = [Turn("user", "高水準で申請するつもりで、延べ利用者数の計画は2,700人。"), Turn("assistant", "…")]
    r = route(f"{switch}県外利用者の最低人数は？", history)
    assert r is not None and r.calculation is not None
    assert "810人以上" in r.calculation.summary  # 3割 of 2,700 for 標準 (5割 for 高水準: 1,350)


# the documents' scales: ①～④ 12 viewpoints of 1–3 points (36), S from 25, A from 23; ⑤ 21 points, S from 15;
# the My Number bonus adds up to 3 points
SCALES = {"①～④": (36, 25, 23), "⑤": (21, 15, 12)}


@pytest.mark.parametrize(("named", "parts"), [("①〜④と⑤で", ["①～④", "⑤"]), ("⑤の", ["⑤"]), ("①～④の", ["①～④"])])
def test_the_highest_total_with_the_full_bonus_and_its_margin_over_s(named, parts):
    r = route(f"加点を最大まで含めると{named}最高点はいくつになり、S評価の基準との差は何点？")
    assert r is not None and r.calculation is not None
    for part in parts:
        full, s_line, _ = SCALES[part]
        assert r.calculation.result[f"{part}の最高点"] == full + 3
        assert f"{full + 3 - s_line}点上回ります" in r.calculation.summary
    assert len([k for k in r.calculation.result if k.endswith("の最高点")]) == len(parts)


def test_s_as_a_share_of_each_scales_full_marks_says_which_is_stricter():
    r = route("①～④と⑤のS評価の基準を、満点に対する割合で比較してください。")
    assert r is not None and r.calculation is not None
    shares = {part: s_line / full * 100 for part, (full, s_line, _) in SCALES.items()}
    for part, share in shares.items():
        assert r.calculation.result[f"{part}のS評価の割合"] == f"{share:.1f}%"
    assert r.calculation.summary.startswith(f"満点に対するS評価の割合は{max(shares, key=shares.get)}のほうが高く")


@pytest.mark.parametrize("bonus", [1, 2, 3])
def test_the_average_per_viewpoint_a_and_s_need_with_and_without_a_bonus(bonus):
    r = route(f"①～④でA評価・S評価を取るには観点あたり平均何点必要？加点が{bonus}点ある場合も。")
    assert r is not None and r.calculation is not None
    _, s_line, a_line = SCALES["①～④"]
    for letter, line in (("S", s_line), ("A", a_line)):
        assert r.calculation.result[f"{letter}評価の平均点"] == f"{line / 12:.2f}"
        assert r.calculation.result[f"{letter}評価の平均点（加点{bonus}点）"] == f"{(line - bonus) / 12:.2f}"


def test_a_score_of_the_askers_own_is_not_read_as_a_question_about_the_scale():
    r = route("うちは素点22点でした。理論上の最高点と比べてどうですか？")
    assert r is None or r.calculation is None or r.calculation.kind != "scale_arithmetic"


@settings(max_examples=60, deadline=None)
@given(start=st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2023, 12, 28)), days=st.integers(200, 2500),
       man=st.integers(10, 100))
def test_one_company_written_as_kaisha_between_its_two_dates_has_its_period_read(start, days, man):
    # 「…の会社が」 between the application date and the end date is that company, not a second one
    end = start + dt.timedelta(days=days)
    r = route(f"申請日が{start.year}年{start.month}月{start.day}日の会社が、{end.year}年{end.month}月{end.day}日に施設の利用をやめたら？"
              f"進出支援金は{man}万円でした。")
    assert r is not None and r.calculation is not None
    three, five = (start.replace(year=start.year + n) if (start.month, start.day) != (2, 29) else None for n in (3, 5))
    if three is None or five is None:
        return
    share = 1 if end < three else (0.5 if end <= five else 0)
    assert format_yen(int(man * MAN * share)) in r.calculation.summary


def test_the_range_a_viewpoint_is_scored_in_is_no_average_asked():
    r = route("12の評価の観点は1観点あたり何点の幅で採点されますか？")
    assert r is None or r.calculation is None or r.calculation.kind != "scale_arithmetic"


@pytest.mark.parametrize("kind", ["市", "町", "村"])
def test_a_kind_asked_with_a_bare_how_many_is_counted_in_the_reference_table(kind):
    columns = _reference_table_columns()
    r = route(f"参考一覧の千葉・神奈川の欄に{kind}はいくつ？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result[f"{kind}の数"] == sum(n.endswith(kind) for p in ("千葉県", "神奈川県") for n in columns[p])


@settings(max_examples=10, deadline=None)
@given(cost_man=st.integers(1_000, 3_000), ratio=st.lists(st.integers(1, 9), min_size=2, max_size=3))
def test_a_local_burden_is_split_in_the_ratio_the_asker_names(cost_man, ratio):
    parties = ["町", "進出企業", "地元企業"][: len(ratio)]
    named = "・".join(parties)
    question = (f"⑤の事業を事業費{cost_man:,}万円、標準タイプで出します。国費以外を{named}で{':'.join(map(str, ratio))}"
                "の割合で負担すると、それぞれいくらですか？")
    r = route(question)
    assert r is not None and r.calculation is not None
    burden = r.calculation.result["地方負担"]
    national = min(cost_man * MAN, 30_000_000) // 2  # ⑤: 3,000万円 per project, 標準 1/2
    assert burden == cost_man * MAN - national
    for party, part in zip(parties, ratio, strict=True):
        assert r.calculation.result[f"{party}の負担"] == burden * part // sum(ratio)
        assert f"{party}{format_yen(burden * part // sum(ratio))}" in r.calculation.summary


def test_a_follow_up_asking_how_the_catalogue_measures_burden_moves_gets_the_difference():
    # デジタル活用環境構築推進事業: 1/2 of direct + overhead (≤ 1/10 of direct), at most 2,000万円
    first = "デジタル活用環境構築推進事業で直接経費2,000万円、一般管理費も上限いっぱい計上します。補助額は？"
    history = [Turn("user", first), Turn("assistant", "…")]
    r = route("直接経費が5,000万円まで膨らんだら、うちの負担はどれだけ増えますか？", history)
    assert r is not None and r.calculation is not None
    before = 22_000_000 - 11_000_000
    after = 55_000_000 - 20_000_000
    assert r.calculation.result["地方負担の増減"] == after - before
    assert format_yen(after - before) in r.calculation.summary


@pytest.mark.parametrize(("kind", "per_project"), [("高水準", 22_500_000), ("標準", 15_000_000)])
def test_the_most_national_share_of_the_fifth_projects_left_is_their_count_times_the_ceiling(kind, per_project):
    history = [Turn("user", f"①〜④は{kind}タイプで通っていて、県外企業数のKPIは5社。⑤は過年度に2件採択済みです。"),
               Turn("assistant", "…")]
    r = route("今年の⑤は残り何件出せて、国費の上限はいくらですか？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["申請可能件数"] == 3
    assert r.calculation.result["国費の上限"] == 3 * per_project


def test_a_follow_up_restating_an_input_unchanged_changes_only_the_other_one():
    first = ("町営施設の交付対象事業費（整備・運営）は5,000万円で、カフェ（B1）1,500万円と駐車場（B2）800万円を含みます。"
             "上限の範囲内ですか？")
    history = [Turn("user", first), Turn("assistant", "…")]
    r = route("事業費は5,000万円のままで、駐車場を1,200万円にしたらどうですか？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["判定"] == "不可"  # B2 over 2割 (1,000万円) once raised to 1,200万円
