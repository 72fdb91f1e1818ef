"""Calculation forms that carry over between questions, each against a formula written here from the documents'
rules: partners paying part of the local share (寄付金・負担金), facilities listed as capacities then amounts
「それぞれ」, a plan listed element by element (「①…、④…、⑤…」), an amount said after another element's mark,
and the asker's own 財政力補正 said after who set it."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.calculators.amounts import format_yen
from assistant.router import route

MAN = 10_000


def national(eligible: int, rate: Fraction) -> int:  # 国費: 千円未満切り捨て, as the adopted examples show
    return int(eligible * rate) // 1_000 * 1_000


@settings(max_examples=12, deadline=None)
@given(cost_man=st.integers(500, 2_900), tenths=st.lists(st.integers(1, 4), min_size=1, max_size=2),
       high=st.booleans())
def test_partners_shares_of_the_local_share_are_taken_from_it_and_the_rest_is_the_municipalitys(cost_man, tenths, high):
    parties = ["進出企業", "醸造所"][: len(tenths)]
    said = "、".join(f"{t}割を{p}から" for t, p in zip(tenths, parties, strict=True))
    kind = "高水準" if high else "標準"
    r = route(f"①〜④は{kind}で採択済みの町です。⑤の事業を総事業費{cost_man:,}万円で出します。町の負担分のうち{said}"
              "負担金でいただく予定です。国費と町の実負担はいくらですか？")
    assert r is not None and r.calculation is not None
    rate = Fraction(3, 4) if high else Fraction(1, 2)  # ⑤ takes ①〜④'s type; 3,000万円 per project is not reached
    local = cost_man * MAN - national(cost_man * MAN, rate)
    paid = [local * t // 10 for t in tenths]
    assert r.calculation.result["国費"] == national(cost_man * MAN, rate)
    assert r.calculation.result["団体の負担（寄付金・負担金の充当後）"] == local - sum(paid)
    for party, amount in zip(parties, paid, strict=True):
        assert f"{party}{format_yen(amount)}" in r.calculation.summary
    assert "local_share_contributions" in {rule.name for rule in r.calculation.rules}


@settings(max_examples=8, deadline=None)
@given(cost_man=st.integers(3_100, 6_000), gift_man=st.integers(50, 400))
def test_an_amount_given_outright_funds_the_local_share_and_is_no_cost_of_the_facility(cost_man, gift_man):
    r = route(f"民間の会社が定員15人のシェアオフィスを総工費{cost_man:,}万円で開設し、町は②で上限まで支援します"
              f"（標準タイプ）。その会社が町に{gift_man}万円を寄付してくれて町の負担分に充てたら、町の負担はいくらですか？")
    assert r is not None and r.calculation is not None
    eligible = 3_000 * MAN  # 20人未満: 3,000万円
    local = eligible - eligible // 2
    assert r.calculation.result["事業費の合計"] == cost_man * MAN  # the gift is not added to the works
    assert r.calculation.result["団体の負担（寄付金・負担金の充当後）"] == local - gift_man * MAN


def test_all_but_the_national_share_is_the_base_when_the_asker_says_so():
    r = route("高水準で①〜④が採択済みです。⑤は総事業費4,000万円、国費以外の部分は協力企業から2割を負担金で受け取ります。"
              "町が用意する額はいくらですか？")
    assert r is not None and r.calculation is not None
    rest = 4_000 * MAN - 3_000 * MAN * 3 // 4  # ⑤: 3,000万円 per project; 国費以外 includes what the cap leaves out
    assert r.calculation.result["団体の負担（寄付金・負担金の充当後）"] == rest - rest * 2 // 10


@settings(max_examples=10, deadline=None)
@given(sizes=st.lists(st.integers(20, 49), min_size=3, max_size=3),
       costs=st.lists(st.integers(3_000, 6_000), min_size=3, max_size=3))
def test_capacities_then_amounts_said_respectively_pair_in_order_and_the_band_limit_keeps_the_best_two(sizes, costs):
    r = route(f"標準タイプで町営のサテオフを作ります。空き家が3軒あって、定員はA邸{sizes[0]}人、B邸{sizes[1]}人、C邸{sizes[2]}人で、"
              f"整備・運営費はそれぞれ{costs[0]:,}万、{costs[1]:,}万、{costs[2]:,}万円の見込み。国費の額は？")
    assert r is not None and r.calculation is not None
    capped = sorted((min(c, 4_500) for c in costs), reverse=True)[:2]  # 20人以上50人未満: 4,500万円, 1団体2施設まで
    assert r.calculation.result["国費"] == sum(capped) * MAN // 2


@settings(max_examples=10, deadline=None)
@given(facility_man=st.integers(1_000, 3_000), soft_man=st.integers(100, 1_200), companies=st.integers(1, 4),
       project_man=st.integers(500, 3_000))
def test_a_plan_listed_element_by_element_sums_every_element(facility_man, soft_man, companies, project_man):
    r = route(f"今年は全要素を一度に出す予定で、内訳は、①定員12人の公営施設（整備・運営{facility_man:,}万円）とソフト経費"
              f"{soft_man}万円、④は県外企業数のKPI{companies}社に対し{companies}社へ満額、⑤は特産品開発{project_man:,}万円です。"
              "高水準タイプで国費はいくらですか？")
    assert r is not None and r.calculation is not None
    eligible = (facility_man + soft_man + 100 * companies + project_man) * MAN  # caps not reached; 進出支援金 100万円/社
    assert r.calculation.result["交付対象事業費"] == eligible
    assert r.calculation.result["国費"] == national(eligible, Fraction(3, 4))


def test_an_amount_said_after_the_fourth_elements_mark_is_no_third_element_cost():
    r = route("民間の共用オフィスを③で支えつつ、④も高水準で出す町です。県外企業数のKPIは4社。入居の打診は6社です。"
              "どの社も満額の100万円とした場合、④の国費は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["交付対象事業費"] == 4 * 100 * MAN  # ④ only, as many companies as the KPI allows


@given(coefficient=st.sampled_from(["0.7", "0.85", "0.9", "1.2"]))
def test_the_askers_fiscal_correction_is_read_after_who_set_it(coefficient):
    r = route(f"施策集のお試し勤務の特別交付税で、PR経費300万円と賃料200万円を見込みます。財政力補正は係数を"
              f"上司の指示で{coefficient}と置きました。措置額の見込みは？")
    assert r is not None and r.calculation is not None
    assert f"財政力補正{float(coefficient):g}" in r.calculation.formula


@given(yen=st.integers(1, 999_999).map(lambda k: k * 1_000))
def test_an_amount_of_whole_thousands_is_said_in_man_and_sen_and_read_back(yen):
    from assistant.calculators.amounts import find_amounts

    shown = format_yen(yen)
    assert find_amounts(shown) == [(yen, 0, len(shown))]  # a follow-up reads the answer's figure back
    if yen > 10_000 and yen % 10_000:
        assert shown.endswith(f"{yen % 10_000 // 1_000}千円") and not shown.endswith(f"{yen // 1_000:,}千円")


@settings(max_examples=10, deadline=None)
@given(raw=st.integers(12, 26), first=st.sampled_from([50, 58, 65, 72]), second=st.sampled_from([45, 55, 61, 70]))
def test_a_second_rate_supposed_with_the_result_of_that_case_asked_too_is_computed(raw, first, second):
    if first == second:
        return
    r = route(f"標準タイプで出す予定です。素点{raw}点、12月末の申請率は{first}%の見込み。結果は？"
              f"申請率が{second}%に届かなかった場合の結果もあわせて知りたいです。")
    assert r is not None and r.calculation is not None

    def total(rate: float) -> int:  # 申請率の加点: 全国平均53.9%以上 1点、60%以上 2点、70%以上 3点
        return raw + (0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3)

    assert r.calculation.result["合計点"] == total(first)
    assert r.calculation.result[f"合計点（{second}%の場合）"] == total(second)


def test_an_adopted_example_asked_beside_the_one_the_conversation_is_about_is_computed_with_it():
    from assistant.calculators.examples import adopted_examples
    from assistant.types import Turn

    first, second = [e for e in adopted_examples() if not e.project5][:2]
    history = [Turn("user", f"{first.municipality}の採択事例の国費を教えて"), Turn("assistant", "…")]
    r = route(f"では市の持ち出しは？{second.municipality}の事例の分も並べてください。", history)
    assert r is not None and r.calculation is not None
    for e in (first, second):
        assert f"{(e.eligible - e.national) // 1_000:,}千円" in r.calculation.formula  # the examples' figures are in 千円


def test_a_later_turn_changing_the_rate_keeps_the_fifth_elements_scale_of_a_sheet_given_as_a_list():
    from assistant.types import Turn

    history = [Turn("user", "今回は⑤のみです。基礎項目の採点は2・3・2・1・2・2で、付加は1つ。評価はどうなりますか？"),
               Turn("assistant", "…")]
    r = route("申請率が72%なら評価は変わる？", history)
    assert r is not None and r.calculation is not None and r.calculation.kind == "project5_adoption"
    assert r.calculation.result["評価"] == "S"  # 12 + 1 + 3 = 16 points: ⑤'s S is 15 or more (21-point scale)


def test_an_office_named_as_a_place_is_no_staff_travel():
    from assistant.calculators.plan import excluded_cost_named

    assert excluded_cost_named("役場の職員が東京へ出張する旅費") is not None
    assert excluded_cost_named("施設の一角に役場の出張所を置く") is None


def test_a_plan_listed_after_は_reads_its_first_element_too():
    r = route("全要素を高水準で一度に出します。内訳は①定員16人の公営施設（整備・運営2,400万円）、④は2社に100万円ずつ、"
              "⑤は加工品開発1,000万円です。国費はいくら？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["交付対象事業費"] == (2_400 + 200 + 1_000) * MAN


def test_a_figure_asked_of_a_named_adopted_example_gets_no_request_for_the_askers_inputs():
    from assistant.calculators.examples import adopted_examples

    example = next(e for e in adopted_examples() if not e.project5)
    r = route(f"{example.municipality}の事例の施設の定員と、交付対象事業費{example.eligible // 1_000:,}千円のうち施設整備に"
              "いくら使われたのかを教えてください。")
    assert r is None or r.clarification is None


@given(first=st.integers(50, 90), changed=st.integers(1, 49))
def test_one_of_two_planned_facilities_resized_in_a_follow_up_changes_only_that_ones_cap(first, changed):
    from assistant.types import Turn

    history = [Turn("user", f"定員{first}人くらいのサテオフを2つ作りたいです。施設整備・運営の上限は合わせていくらまでですか？"),
               Turn("assistant", "…")]
    r = route(f"では片方を{changed}人規模にしたら、合計の上限はいくらですか？", history)
    assert r is not None and r.calculation is not None

    def cap(people: int) -> int:  # 20人未満 3,000万円、20人以上50人未満 4,500万円、50人以上 9,000万円
        return 3_000 * MAN if people < 20 else 4_500 * MAN if people < 50 else 9_000 * MAN

    assert r.calculation.result["交付対象事業費"] == cap(first) + cap(changed)


def test_every_municipality_of_a_prefectures_column_is_listed_when_all_are_asked_for():
    from assistant.calculators.eligibility import listed_municipalities

    r = route("参考一覧の件です。東京都のところに掲載の町村をすべて知りたいです。")
    assert r is not None and r.calculation is not None
    for name, prefecture in listed_municipalities().items():
        if prefecture == "東京都":
            assert name in r.calculation.summary


@settings(max_examples=10, deadline=None)
@given(national_man=st.integers(2_000, 5_000), people=st.integers(20, 49))
def test_the_cost_a_national_amount_needs_is_checked_against_the_facility_and_soft_cost_ceiling(national_man, people):
    r = route(f"首長から国費で{national_man:,}万円を確保するよう言われました。計画は定員{people}人の公営施設1か所とソフト経費だけです。"
              "高水準タイプの場合と標準タイプの場合で要る交付対象事業費は？")
    assert r is not None and r.calculation is not None
    ceiling = 4_500 * MAN + 1_200 * MAN  # 20人以上50人未満 4,500万円 + ソフト経費 1団体1,200万円
    for kind, rate in (("高水準", Fraction(3, 4)), ("標準", Fraction(1, 2))):
        need = -(-national_man * MAN // rate)  # rounded up to the yen
        assert r.calculation.result[f"交付対象事業費（{kind}タイプ）"] == need
        if need > 4_500 * MAN:  # beyond the facility's cap the configuration's ceiling is stated
            assert format_yen(ceiling) in r.calculation.summary


def test_a_resized_facility_in_a_conversation_that_named_no_type_is_computed_at_both_types():
    from assistant.types import Turn

    history = [Turn("user", "定員30人の施設（4,000万円）と定員40人の施設（4,200万円）を作ります。国費はいくら？"),
               Turn("assistant", "…")]
    r = route("では片方を15人規模にしたら国費は？", history)
    assert r is not None and r.calculation is not None
    eligible = 4_000 * MAN + 3_000 * MAN  # the resized one (the last) falls under 20人未満: 3,000万円
    assert r.calculation.result["国費（高水準タイプ）"] == eligible * 3 // 4
    assert r.calculation.result["国費（標準タイプ）"] == eligible // 2  # no type guessed
