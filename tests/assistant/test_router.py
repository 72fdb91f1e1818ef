from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.router import route
from assistant.types import Turn


@pytest.mark.parametrize(
    ("question", "kind", "key", "value"),
    [
        ("収容人数32人の施設、総事業費5,500万円。高水準タイプでの国費は？", "plan_program", "国費", 33_750_000),
        ("定員15人のコワーキングスペースを総事業費4,000万円で整備、標準タイプの国費は？", "plan_program", "国費", 15_000_000),
        ("⑤事業で総事業費4,000万円、高水準タイプなら国費はいくら？", "plan_program", "国費", 22_500_000),
        ("標準タイプで3社に進出支援金を満額支給する場合の国費の合計は？", "plan_program", "国費", 1_500_000),
        ("12月末の申請率が65%なら加点は何点？", "mynumber_bonus", "加点", 2),
        ("標準タイプで申請して総合評価点数が19点の場合、採択区分は？", "adoption_decision", "採択区分", "標準タイプで採択"),
        ("100万円の進出支援金を受けた企業が申請日から2年で退去した場合、返還額は？", "repayment", "返還額", 1_000_000),
        ("デジタル活用環境構築推進事業で事業費5,000万円なら補助額はいくら？", "digital_env_grant", "補助額", 20_000_000),
        ("直接経費が800万円のとき一般管理費はいくらまで？", "overhead_limit", "一般管理費上限", 800_000),
        ("交付対象事業費4,500万円の施設で外構工事費（B2）に800万円を計上して問題ありませんか？", "b_limits", "判定", "可"),
        ("千葉県館山市は交付対象になりますか？", "eligibility", "判定", "対象"),
        # the outcome asked after the score, in words other than 採択区分
        ("標準タイプで申請、総合評価点数は18点でした。結果はどうなりますか？", "adoption_decision", "採択区分", "標準タイプで採択"),
        # a plan of two facilities and soft costs: each facility capped by its size, soft costs per 団体
        ("標準タイプで定員12人の施設（総事業費3,500万円）と定員40人の施設（総事業費4,000万円）を整備し、ソフト経費に"
         "800万円。国費の合計はいくら？", "plan_program", "国費", (30_000_000 + 40_000_000 + 8_000_000) // 2),
        ("大阪府豊中市は対象になりますか？", "eligibility", "判定", "対象"),
        # the 県 itself applies, for a project limited to a listed municipality (③)
        ("千葉県（県として）が、南房総市の区域内に限った事業として申請することはできますか？", "eligibility", "区分", "③"),
        ("神奈川県が横浜市の区域に限って申請することはできますか？", "eligibility", "判定", "対象外（原則）"),
        ("定員12人のオフィスを2か所、どちらも2,600万円で整備する計画です。高水準タイプで国費は合計いくら？", "plan_program", "国費", 39_000_000),
        ("人口32,000人の町です。高水準タイプの移住者数のKPIは最低何人？", "migrants_minimum", "移住者数の下限", 4),
        ("総事業費4,000万円を高水準タイプで実施した場合の実質的な地方負担はいくら？", "plan_program", "実質的な地方負担", 2_000_000),
        # a score sheet: items × points plus a further item (6 × 2 + 1 = 13), not the first 「2点」
        ("⑤事業で基礎項目6つがすべて2点、付加項目が1点の場合、採択されますか？", "project5_adoption", "合計点", 13),
        # the My Number bonus from the stated 申請率 (71 % -> 3 points) is added to the total
        ("高水準タイプで申請し、評価の観点の合計が19点、12月末のマイナンバーカード申請率は71%です。採択区分は？",
         "adoption_decision", "採択区分", "標準タイプで採択"),
    ],
)
def test_numeric_questions_are_computed(question, kind, key, value):
    r = route(question)
    assert r is not None and r.kind == kind and r.calculation is not None
    assert r.calculation.result[key] == value
    assert r.calculation.rules


@pytest.mark.parametrize(
    "question",
    ["50人以上の施設の整備・運営の上限額は？", "ソフト経費の上限はいくらですか？", "補助率は？", "進出支援金の返還制度を教えて",
     "マイナンバーカードの加点の仕組みは？", "問い合わせ先を教えてください"],
)
def test_lookups_are_left_to_retrieval(question):
    assert route(question) is None


def test_missing_inputs_are_asked_for_by_name():
    r = route("総事業費6,000万円で施設を整備する場合の国費はいくら？")
    assert r is not None and r.calculation is None
    assert set(r.missing) == {"収容可能人数", "タイプ"} and "収容可能人数" in (r.clarification or "")


def test_inputs_are_carried_from_history():
    history = [Turn("user", "定員40人の施設を総事業費5,000万円で整備します。国費はいくら？"), Turn("assistant", "…")]
    r = route("高水準タイプだといくらですか？", history)
    assert r is not None and r.calculation is not None and r.calculation.result["国費"] == 33_750_000
    r = route("標準タイプなら国費はいくら？", history)
    assert r is not None and r.calculation is not None and r.calculation.result["国費"] == 22_500_000


def test_a_plan_beyond_the_facility_limits_keeps_the_largest_facilities_and_says_why():
    r = route("標準タイプで定員60人の施設を1億円、定員80人の施設を8,000万円で整備します。国費の合計は？")
    assert r is not None and r.kind == "plan_program" and r.calculation is not None
    # one 50人以上 facility per 団体: the larger eligible amount (9,000万円) is kept, the other is left out
    assert r.calculation.result["国費"] == 45_000_000
    assert "50人以上は1団体1施設まで" in r.calculation.summary
    assert any(s.kind == "count_limit" and s.rule is not None for s in r.calculation.steps)


def test_a_follow_up_that_asks_something_else_is_not_routed_to_the_earlier_calculator():
    history = [Turn("user", "進出支援金は1社いくらまで出せますか？"), Turn("assistant", "…")]
    assert route("途中で撤退されたら、返してもらう必要はありますか？", history) is None  # a repayment lookup


def test_several_scores_without_a_total_are_asked_for():
    r = route("高水準タイプで申請し、総合評価はアが3点、イが2点でした。採択区分は？")
    assert r is not None and r.calculation is None and "総合評価点数" in r.missing


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("ソフト経費500万円と定員10人の施設（総事業費3,000万円）を高水準タイプで。国費の合計はいくら？", ()),
        ("定員10人の施設（総事業費3,000万円）とソフト経費500万円、高水準タイプで国費の合計はいくら？",
         (Turn("user", "サテライトオフィスについて教えて"),)),
        ("1人" * 1000, ()),
        ("返して" + "1" * 1997, ()),
    ],
)
def test_odd_plans_and_long_inputs_route_without_error(question, history):
    route(question, history)  # must not raise (nor hang: these once took seconds to minutes)


def test_facilities_and_amounts_are_paired_in_the_order_they_are_stated():
    for question in ("2,800万円で定員10人の施設と、5,000万円で定員30人の施設を高水準タイプで。国費の合計は？",
                     "定員10人の施設と定員30人の施設、総事業費はそれぞれ2,800万円と5,000万円。高水準タイプの国費の合計は？"):
        r = route(question)
        assert r is not None and r.calculation is not None
        assert r.calculation.result["国費"] == (28_000_000 + 45_000_000) * 3 // 4
    four = route("定員10人の施設（1,000万円）、定員12人の施設（1,000万円）、定員15人の施設（1,000万円）、"
                 "定員18人の施設（1,000万円）を標準タイプで整備。国費の合計は？")
    assert four is not None and four.calculation is not None and "3施設まで" in four.calculation.summary
    assert four.calculation.result["国費"] == 15_000_000


def test_a_facility_without_its_amount_is_asked_for_in_the_users_terms():
    r = route("定員25人の施設と定員40人の施設を整備し、ソフト経費600万円。高水準タイプの国費はいくら？")
    assert r is not None and r.calculation is None and "施設ごとの事業費" in (r.clarification or "")


def test_a_total_that_includes_the_bonus_is_not_counted_twice_and_繰り返し_is_not_repayment():
    r = route("合計22点（マイナンバー加点2点を含む）でした。高水準タイプで申請した場合、採択区分は？")
    assert r is not None and r.calculation is not None and r.calculation.result["採択区分"] == "標準タイプで採択"
    assert route("進出支援金100万円は、同じ企業が繰り返し受け取れますか？") is None


@pytest.mark.parametrize("noun", ["の施設", "くらいのコワーキング", "程度の小さめのサテライトオフィス", "規模の", "が入る拠点"])
@pytest.mark.parametrize(("small", "large"), [(1, 1), (2, 1), (3, 2), (4, 1)])
def test_facilities_counted_per_size_whatever_words_name_them(noun, small, large):
    """Each size with its own count, taken at its band's cap; the per-団体 limit per band still applies."""
    question = (f"定員12人{noun}を{small}か所と、定員35人{noun}を{large}か所整備し、施設整備・運営の上限まで使います。"
                "高水準タイプの国費は最大いくら？")
    r = route(question)
    assert r is not None and r.calculation is not None
    kept_large = min(large, 2)  # 20人以上50人未満: 2施設まで, kept first (the larger cap)
    kept_small = min(small, 3, 3 - kept_large)  # 20人未満: 3施設まで, and 1団体合計3施設まで
    assert r.calculation.result["国費"] == (30_000_000 * kept_small + 45_000_000 * kept_large) * 3 // 4


def test_a_count_in_a_follow_up_takes_the_size_said_in_that_turn():
    history = [Turn("user", "定員12人の施設の上限はいくら？"), Turn("assistant", "…"),
               Turn("user", "定員45人ならどうですか？"), Turn("assistant", "…")]
    r = route("その45人規模のを2か所つくるとして、標準タイプなら国費は最大いくら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == 45_000_000 * 2 // 2


def test_a_bands_bound_is_no_facility_size_and_stays_a_lookup_of_the_caps():
    # 「20人未満」 names a band, not the asker's facility: the rule's table answers it
    assert route("20人未満の区分だと上限額は？") is None
    assert route("50人以上の施設の上限は？") is None


@pytest.mark.parametrize(("direct", "overhead"), [(36_000_000, 4_500_000), (30_000_000, 1_000_000), (46_000_000, None)])
def test_the_catalogue_measure_subsidy_runs_the_whole_chain_from_one_direct_total(direct, overhead):
    """デジタル活用環境構築推進事業: overhead within 1/10 of the direct costs, then 1/2, then the 2,000万円 cap;
    asked for the most with no overhead stated, the overhead is taken at its cap."""
    said = f"、一般管理費を{overhead // 10_000}万円で積算" if overhead else ""
    r = route(f"デジタル活用環境構築推進事業で直接経費{direct // 10_000}万円{said}。補助金は最大いくらもらえますか？")
    assert r is not None and r.calculation is not None
    allowed = min(overhead if overhead is not None else direct // 10, direct // 10)
    assert r.calculation.result["補助額"] == min((direct + allowed) // 2, 20_000_000)


@pytest.mark.parametrize("soft_words", ["都市部向けのPR動画", "企業とのマッチングイベント", "プロモーション", "採用活動の説明会"])
def test_soft_costs_named_by_their_items_are_taken_at_their_cap_in_a_maximum_question(soft_words):
    r = route(f"定員35人の施設を2か所整備し、あわせて{soft_words}も実施します。全部上限いっぱいまで使うと標準タイプの国費はいくら？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == (45_000_000 * 2 + 12_000_000) // 2


def test_soft_items_of_a_promotion3_plan_are_not_counted_twice():
    r = route("新しい施設は作らず③の活用促進事業で、プロモーション動画300万円とマッチングセミナー200万円を実施し、"
              "④の進出支援金を3社に満額支給します。高水準タイプの国費は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == (5_000_000 + 3_000_000) * 3 // 4


@pytest.mark.parametrize("partner", ["地元の酒蔵が組んで", "地元企業と連携して", "地元の農協と共同で"])
@pytest.mark.parametrize("cost", [20_000_000, 50_000_000])
def test_a_project5_described_by_what_it_is_gets_the_project5_cap(partner, cost):
    r = route(f"進出企業と{partner}特産品を開発するプロジェクトを総事業費{cost // 10_000}万円で考えています。標準タイプなら国費はいくら？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == min(cost, 30_000_000) // 2


@pytest.mark.parametrize("scores", [(2, 2, 2, 1, 1, 1), (3, 2, 1, 1, 0, 1), (1, 1, 1, 1, 1, 1)])
@pytest.mark.parametrize("extra", [0, 1, 2])
def test_a_project5_sheet_listed_with_points_after_each_score(scores, extra):
    listed = "・".join(f"{s}点" for s in scores)
    added = f"、付加項目は{extra}つで{extra}点" if extra else ""
    r = route(f"⑤の審査で、基礎項目の観点がそれぞれ{listed}{added}の見込みです。採択されますか？")
    assert r is not None and r.calculation is not None
    total = sum(scores) + extra
    assert r.calculation.result["合計点"] == total
    assert r.calculation.result["採択区分"] == ("採択" if total >= 10 else "不採択")


@pytest.mark.parametrize(("points", "applied", "rate"), [(24, "高水準", "3/4"), (21, "高水準", "1/2"), (19, "標準", "1/2")])
def test_an_adoption_type_is_stated_with_its_rate(points, applied, rate):
    r = route(f"{applied}タイプで申請し、総合評価点数は{points}点、加点なしの見込みです。採択区分は？")
    assert r is not None and r.calculation is not None
    assert f"補助率{rate}" in r.calculation.summary
    assert any(rule.name in ("rate_high", "rate_standard") for rule in r.calculation.rules)


@pytest.mark.parametrize("town", ["人口3万ほどの町", "人口は約8万の市", "人口1.5万の村"])
def test_a_population_without_its_unit_is_not_an_amount(town):
    from assistant.quantities import read_quantities

    assert not [q for q in read_quantities(f"{town}です。定員30人の施設を整備します。") if q.unit == "円"]


@pytest.mark.parametrize(("spoken", "yen"), [("百五十万円", 1_500_000), ("千二百万円", 12_000_000), ("十五万円", 150_000)])
def test_kanji_amounts_opening_with_hundreds_or_thousands_are_read_whole(spoken, yen):
    from assistant.quantities import read_quantities

    amounts = [q.value for q in read_quantities(f"直接経費は物品費300万円、旅費{spoken}です。") if q.unit == "円"]
    assert amounts == [3_000_000, yen]


@pytest.mark.parametrize("unit_only", ["千円未満は切り捨て", "数百万円程度"])
def test_a_bare_unit_or_an_estimate_in_kanji_is_no_amount(unit_only):
    from assistant.quantities import read_quantities

    assert not [q for q in read_quantities(f"{unit_only}と聞きました。") if q.unit == "円"]


@pytest.mark.parametrize("space", ["滞在スペース", "居住スペース", "コミュニティスペース"])
def test_the_documents_examples_of_b1_facilities_are_b1_costs(space):
    from assistant.quantities import read_quantities

    roles = [q.role for q in read_quantities(f"交付対象事業費7,200万円のうち、{space}に900万円を入れます。") if q.unit == "円"]
    assert roles == ["交付対象事業費", "B1"]


@pytest.mark.parametrize(("first", "second", "kind"), [(30, 60, "高水準"), (15, 40, "標準"), (45, 10, "標準")])
def test_a_facility_whose_cap_was_asked_is_taken_at_its_cap_and_a_new_size_reruns_it(first, second, kind):
    from assistant.calculators.grants import size_band
    from assistant.calculators.rules import integer

    history = [Turn("user", f"{first}人ほどが使える拠点を整備予定です。整備・運営費の上限を教えてください。"),
               Turn("assistant", "…")]
    r = route(f"その拠点が{kind}タイプで採択となった場合の国費は？", history)
    rate = (3, 4) if kind == "高水準" else (1, 2)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == integer(size_band(first)[0]) * rate[0] // rate[1]
    history += [Turn("user", f"その拠点が{kind}タイプで採択となった場合の国費は？"), Turn("assistant", "…")]
    changed = route(f"もし規模を変えて{second}人入れるようにしたら？", history)
    assert changed is not None and changed.calculation is not None
    assert changed.calculation.result["国費"] == integer(size_band(second)[0]) * rate[0] // rate[1]


@pytest.mark.parametrize(("early", "middle", "staying"), [(1, 2, 2), (2, 1, 0), (0, 3, 1)])
def test_groups_of_companies_leaving_after_the_same_period_are_each_counted(early, middle, staying):
    parts = []
    if early:
        parts.append(f"うち{early}社は申請日から2年で撤退")
    if middle:
        parts.append(f"{middle}社は申請日から4年で利用をやめ")
    if staying:
        parts.append(f"残り{staying}社は今も使っています")
    total = early + middle + staying
    r = route(f"進出支援金を{total}社に80万円ずつ支給しました。" + "、".join(parts) + "。倒産などの事情はないとして、返還額の合計は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額の合計"] == early * 800_000 + middle * 400_000


@pytest.mark.parametrize(("second", "question", "subsidy"), [
    # the measure named two turns back, the direct costs in this turn, the overhead at its cap for 「最大」
    ("一般管理費はどこまで積めますか？", "直接経費が1,600万円だったら補助額は最大いくら？", (16_000_000 + 1_600_000) // 2),
    # the direct costs stated in the turn before, the subsidy asked after an overhead question
    ("直接経費2,600万円のとき一般管理費の上限は？", "その場合の補助額は？", (26_000_000 + 2_600_000) // 2),
])
def test_a_later_turn_keeps_the_catalogue_measure_and_its_direct_costs(second, question, subsidy):
    history = [Turn("user", "デジタル活用環境構築推進事業について教えて"), Turn("assistant", "…"),
               Turn("user", second), Turn("assistant", "…")]
    r = route(question, history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["補助額"] == subsidy


@pytest.mark.parametrize("groups", [((3, 3, 2), (3, 2, 2), (2, 2, 2), (2, 2, 1)), ((1, 1, 1), (2, 1, 1), (1, 1, 2), (1, 1, 1))])
def test_scores_listed_per_viewpoint_named_in_words_are_summed(groups):
    names = ["政策目的への適合性", "実現可能性", "持続可能性", "波及効果"]
    sheet = "、".join(f"{n}が{'・'.join(map(str, g))}" for n, g in zip(names, groups, strict=True))
    r = route(f"標準タイプで申請します。評価点は{sheet}でした。採択の結果はどうなりそうですか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == sum(map(sum, groups))


@pytest.mark.parametrize(("paid", "years"), [((90, 60, 100), (2, 4, 6)), ((50, 100, 80), (4, 1, 3))])
def test_each_company_with_its_amount_in_brackets_is_counted(paid, years):
    # a note in brackets after the company's mark (「X社（N万円）は」) still opens that company's case
    cases = "、".join(f"{name}社（{p}万円支給）は申請日から{y}年{6 if y < 6 else 1}か月で利用を終了"
                     for name, p, y in zip("PQR", paid, years, strict=True))
    r = route(f"進出支援金の返還について。{cases}しました。返還額の合計は？")
    assert r is not None and r.calculation is not None

    def share(months: int) -> float:  # the rule: under 3 years all, 3 to 5 years half, over 5 years nothing
        return 1.0 if months < 36 else 0.5 if months <= 60 else 0.0

    expected = sum(p * 10_000 * share(y * 12 + (6 if y < 6 else 1)) for p, y in zip(paid, years, strict=True))
    assert r.calculation.result["返還額の合計"] == expected


@pytest.mark.parametrize(("each", "kind", "rate"), [(70, "高水準", (3, 4)), (40, "標準", (1, 2))])
def test_the_cap_named_in_passing_is_not_the_amount_paid(each, kind, rate):
    r = route(f"進出支援金は最大100万円ですが、当市は1社あたり{each}万円の支給とします。{kind}タイプで1社分の国費は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == each * 10_000 * rate[0] // rate[1]


def test_the_trial_office_allowance_without_the_askers_correction_is_a_multiple_of_it():
    r = route("お試しサテライトオフィスの取組で経費が300万円と500万円です。特別交付税の措置額はいくら？")
    assert r is not None and r.calculation is not None
    assert "財政力補正" in r.calculation.summary and "記載がありません" in r.calculation.summary
    given = route("お試しサテライトオフィスの取組で経費が300万円と500万円、財政力補正は0.8です。特別交付税の措置額はいくら？")
    assert given is not None and given.calculation is not None
    assert given.calculation.result["措置額"] == 8_000_000 * 0.5 * 0.8


@pytest.mark.parametrize(("points", "changes"), [(22, True), (20, True), (26, False), (12, False)])
def test_a_score_without_the_bonus_says_the_least_bonus_that_changes_the_outcome(points, changes):
    r = route(f"高水準タイプで申請します。12観点の合計は{points}点でした。採択はどうなりますか？")
    assert r is not None and r.calculation is not None
    assert ("加点" in r.calculation.summary and "申請率を教えて" in r.calculation.summary) == changes


@pytest.mark.parametrize(("users", "outside", "kind", "fails"), [(3000, 800, "標準", True), (3000, 1000, "標準", False),
                                                                 (2000, 900, "高水準", True), (2000, 1000, "高水準", False)])
def test_a_user_share_below_the_types_requirement_makes_any_score_d(users, outside, kind, fails):
    # the KPI's outside-prefecture users as counts: under 3割 (標準) / 5割 (高水準) is an unmet 申請要件
    r = route(f"{kind}タイプで申請します。評価の観点の合計は26点です。KPIは年間延べ利用者数{users}人、うち県外からの利用者{outside}人です。"
              "採択の見込みはどうなりますか？")
    assert r is not None and r.calculation is not None
    assert (r.calculation.result["採択区分"] == "不採択") == fails


@pytest.mark.parametrize(("b2", "b1"), [(1000, 2000), (1000, 3100), (500, 1000)])
def test_b1_room_with_b2_kept_and_whether_the_estimate_fits(b2, b1):
    total = 6000
    r = route(f"交付対象事業費{total}万円の施設で、B2は{b2}万円を計上済み、B1は{b1}万円の見積もりです。B2は変えずにB1をどこまで入れられますか？")
    assert r is not None and r.calculation is not None
    room = (total // 2 - b2) * 10_000
    assert r.calculation.result["B1の上限（未満）"] == room
    assert ("収まっていません" in r.calculation.summary) == (b1 * 10_000 >= room)


def test_an_adopted_example_at_the_other_type_is_its_cost_at_that_rate():
    from assistant.calculators.examples import adopted_examples

    for example in [e for e in adopted_examples() if e.grant_type][:4]:
        other = "標準" if example.grant_type == "高水準" else "高水準"
        rate = (1, 2) if other == "標準" else (3, 4)
        expected = example.eligible * rate[0] // rate[1] // 1000 * 1000 - example.national  # 千円未満 truncated
        history = [Turn("user", f"{example.municipality}の採択事例の交付対象事業費はいくら？"), Turn("assistant", "…")]
        r = route(f"それが{other}タイプで採択されていたら国費は？", history)
        assert r is not None and r.calculation is not None, example.municipality
        assert r.calculation.result["国費の差"] == expected


@pytest.mark.parametrize(("each", "items"), [(1, 6), (2, 4)])
def test_a_project5_sheet_of_equal_items_with_an_adjective_before_the_points(each, items):
    # N viewpoints all at the lowest M points: the items times the points, whatever words sit between
    r = route(f"⑤の自己採点は基礎項目{items}観点がいずれも最低の{each}点で付加項目0点、加点なし。採択されますか？")
    assert r is not None and r.calculation is not None
    total = each * items
    assert r.calculation.result["合計点"] == total
    if total < 10:  # the ⑤ adoption line is B (10 points and more)
        assert r.calculation.result["採択までの不足点"] == 10 - total


@pytest.mark.parametrize(("rate", "bonus"), [(50, 0), (57, 1), (65, 2), (75, 3)])
def test_the_least_raw_score_for_each_outcome_takes_the_bonus_from_the_rate(rate, bonus):
    r = route(f"申請は高水準タイプの予定で、マイナンバーカードの申請率は12月末に{rate}%の見込み。素点が最低何点あれば高水準で採択されますか？")
    assert r is not None and r.calculation is not None
    # A (23 points and more) for 高水準 and C (18 and more) for any adoption, the bonus counted in
    assert r.calculation.result["高水準に必要な素点"] == 23 - bonus
    assert r.calculation.result["採択に必要な素点"] == 18 - bonus


@pytest.mark.parametrize(("kpi", "companies"), [(3, 5), (2, 2), (4, 6)])
def test_relocation_support_is_limited_in_number_by_the_kpi_companies(kpi, companies):
    # ④ like ⑤: at most the KPI's outside-prefecture companies (100万円 each at most)
    r = route(f"高水準タイプで、KPIの県外企業数は{kpi}社で設定しています。進出支援金を{companies}社に100万円ずつ出す場合、国費はいくら？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == min(kpi, companies) * 1_000_000 * 3 // 4


@pytest.mark.parametrize(("facility", "project5"), [(4000, 2400), (5200, 3600)])
def test_a_project5_applied_for_with_a_facility_is_in_the_plan(facility, project5):
    r = route(f"定員30人の施設（整備・運営費{facility}万円）を整備し、⑤も同時申請で1本（事業費{project5}万円）の計画です。標準タイプの国費は？")
    assert r is not None and r.calculation is not None
    # each part at its cap: the 20–49 band 4,500万円, a ⑤ project 3,000万円; the 標準 rate 1/2
    expected = (min(facility, 4500) + min(project5, 3000)) * 10_000 // 2
    assert r.calculation.result["国費"] == expected


@pytest.mark.parametrize("order", ["kpi_first", "paid_first"])
def test_the_kpi_companies_and_the_companies_paid_are_read_in_either_order(order):
    kpi, paid = "KPIの県外企業数は2社", "進出支援金を4社に満額"
    said = f"{kpi}で{paid}" if order == "kpi_first" else f"{paid}（{kpi}）"
    r = route(f"標準タイプで{said}支給します。国費はいくら？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == 2 * 1_000_000 // 2  # at most the KPI's companies, 100万円 each, 1/2


@pytest.mark.parametrize("question", [
    # the asker's story says a place can be eligible; the question asks something else about it
    "東京圏でも一定の町村なら対象となれると伺いました。その一覧に埼玉県から載っている町村はどこですか？",
    "群馬県桐生市の空き倉庫を使えないかと考えています。資料の事例に出てくる倉庫の広さはどのくらいでしたか？",
])
def test_a_story_sentence_that_mentions_eligibility_does_not_route_a_question_asking_something_else(question):
    routed = route(question)
    assert routed is None or routed.kind != "eligibility"


def test_an_eligibility_ask_after_a_story_is_still_routed():
    routed = route("山あいの町で空き店舗の活用を考えています。千葉県館山市は交付対象になりますか？")
    assert routed is not None and routed.kind == "eligibility"


@given(items=st.lists(st.integers(50, 2000), min_size=2, max_size=4), overhead=st.integers(0, 600))
def test_the_catalogue_measure_gives_what_the_municipality_bears_when_asked(items, overhead):
    """What the 団体 bears: all it spends (an overhead over its 1/10 cap included) less the subsidy."""
    listed = "、".join(f"{name}{v}万円" for name, v in zip(["物品費", "謝金", "旅費", "外注費"], items, strict=False))
    r = route(f"直接経費は{listed}で、デジタル活用環境構築推進事業に申請します。一般管理費{overhead}万円を見込んでいます。"
              "補助額と、町が負担する額はそれぞれいくらですか？")
    assert r is not None and r.calculation is not None
    direct = sum(items) * 10_000
    allowed = min(overhead * 10_000, direct // 10)
    subsidy = min((direct + allowed) // 2, 20_000_000)
    assert r.calculation.result["補助額"] == subsidy
    assert r.calculation.result["地方負担"] == direct + overhead * 10_000 - subsidy


def test_the_askers_own_arithmetic_on_an_amount_is_no_input():
    from assistant.quantities import read_quantities

    said = read_quantities("改修の総工費は8,000万円です。国費は8,000万円の1/2で4,000万円になりますか？")
    assert [q.value for q in said if q.unit == "円"] == [80_000_000]


def test_a_count_of_migrants_named_as_the_clauses_topic_is_read_as_one():
    from assistant.quantities import read_quantities

    said = read_quantities("人口12,000人の町です。移住者は初年度から最終年度末までの合計で1人の見込みです。")
    assert [(q.role, q.value) for q in said if q.unit == "人"] == [("人口", 12_000), ("移住者数", 1)]


def test_a_payment_spread_over_years_is_no_period_of_use():
    from assistant.quantities import read_quantities

    assert not [q for q in read_quantities("支援金を2年に分けて払えば返還制度は要りませんか？") if q.role == "経過期間"]
    r = route("支援金を2年に分けて払えば返還制度は要りませんか？")
    assert r is None or r.kind != "repayment"


@pytest.mark.parametrize(("kind", "rate", "other_rate"), [("高水準", Fraction(3, 4), Fraction(1, 2)), ("標準", Fraction(1, 2), Fraction(3, 4))])
@pytest.mark.parametrize("real", [1_800_000, 2_700_000])
def test_the_2021_grants_real_burden_is_taken_back_through_the_temporary_grant_and_the_rate(kind, rate, other_rate, real):
    from assistant.calculators.rules import fraction

    left = 1 - fraction("c_rinji_share")
    r = route(f"R2補正の地テレ交付金（施策集）で{kind}タイプだった町は、臨時交付金の後の実質的な持ち出しが{real // 10_000}万円。"
              "交付対象事業費は逆算でいくら？")
    assert r is not None and r.calculation is not None
    cost = Fraction(real) / left / (1 - rate)
    assert r.calculation.result["交付対象事業費"] == int(cost)
    other = "標準" if kind == "高水準" else "高水準"
    assert r.calculation.result[f"{other}タイプの実質的な地方負担"] == int(cost * (1 - other_rate) * left)


def test_a_supposed_other_type_already_computed_by_the_question_is_not_computed_again():
    r = route("高水準タイプで地方負担が500万円の事業なら、交付対象事業費は逆算でいくら？標準タイプで組んでいたら地方負担はいくらになったでしょう。")
    assert r is not None and r.calculation is not None
    assert "標準タイプの地方負担" in r.calculation.result
    assert "の場合】" not in r.calculation.formula


@pytest.mark.parametrize(("people", "band"), [(8, 0), (19, 0), (20, 1), (35, 1), (49, 1), (50, 2), (80, 2)])
def test_a_facility_size_asked_with_how_many_may_be_built_gets_its_bands_count_limit(people, band):
    from assistant.calculators.rules import integer, integers

    r = route(f"定員{people}人規模の施設なら、上限額と、何施設まで作れるかを知りたい。")
    assert r is not None and r.calculation is not None
    assert f"1団体{integers('facility_limit_by_size')[band]}施設まで" in r.calculation.summary
    assert f"合計{integer('facility_limit_total')}施設以内" in r.calculation.summary
    plain = route(f"定員{people}人規模の施設の上限額は？")
    assert plain is not None and plain.calculation is not None and "施設まで" not in plain.calculation.summary


@pytest.mark.parametrize("measure", ["デジタル活用環境構築推進事業", "テレワーク普及展開推進事業"])
def test_eligibility_asked_after_another_catalogue_measure_is_that_measures_not_the_programmes(measure):
    history = [Turn("user", f"施策集の{measure}の補助率は？"), Turn("assistant", "…")]
    r = route("東京都内の町でも申請できますか？", history)
    assert r is None or r.calculation is None or r.calculation.kind != "eligibility"
    # the programme's own 2021 name keeps the programme's eligibility
    history = [Turn("user", "テレワーク交付金の補助率は？"), Turn("assistant", "…")]
    r = route("神奈川県箱根町も対象ですか？", history)
    assert r is not None and r.calculation is not None and r.calculation.kind == "eligibility"


@pytest.mark.parametrize("real", [1_200_000, 1_800_000])
def test_a_second_ask_that_reads_the_questions_figure_as_another_input_is_not_run_beside_it(real):
    r = route(f"R2の地テレ交付金（施策集）で高水準タイプ、実質的な持ち出しが{real // 10_000}万円でした。交付対象事業費は逆算で"
              "いくら？標準タイプなら実質の負担は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["実質的な地方負担"] == real
    # (not the 2021 burden calculator beside it, reading the burden as the cost)
    assert not any(str(k).startswith("国費") for k in r.calculation.result)


@pytest.mark.parametrize("ask", ["支給の仕方は町が自由に決めてよいですか？", "支払いを分割にするのは差し支えありませんか？",
                                 "分割で支給することはできますか？"])
def test_how_a_grant_is_paid_out_is_no_repayment_to_compute(ask):
    # a departure feared in the story (「早く撤退されると困る」) with amounts and a period is no case of leaving
    question = f"進出支援金の要綱の案です。早く撤退されると困るので、100万円を最初に40万円、3年後に残り60万円としたいです。{ask}"
    r = route(question)
    assert r is None or r.calculation is None or r.calculation.kind not in ("repayment", "repayment_program")
    # a departure asked about is computed as before
    r = route("支援金100万円の会社が、申請日から3年で撤退した場合の返還額は？")
    assert r is not None and r.calculation is not None and r.calculation.result["返還額"] == 500_000
