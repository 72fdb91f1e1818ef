"""Calculation programs against independent formulas written here from the documents' rules, over random
plans, score sheets and repayment schedules written the way officers write them."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from assistant.quantities import read_quantities
from assistant.router import route
from assistant.types import Turn

# The documents' rules, restated independently of rules.toml:
# 施設整備・運営 caps by 収容可能人数 (20人未満 3,000万円 / 20人以上50人未満 4,500万円 / 50人以上 9,000万円),
# ソフト経費 1,200万円 per 団体, 補助率 3/4 (高水準) or 1/2 (標準), 国費 truncated to 千円 as the adopted examples.
MAN = 10_000


def cap_of(people: int) -> int:
    return 3000 * MAN if people < 20 else 4500 * MAN if people < 50 else 9000 * MAN


def rate_of(kind: str) -> tuple[int, int]:
    return (3, 4) if kind == "高水準" else (1, 2)


def national(eligible: int, kind: str) -> int:
    n, d = rate_of(kind)
    return eligible * n // d // 1000 * 1000


def trial_measure(man: int, correction: int) -> int:
    """The お試し measure for a cost in 万円 and a 財政力補正 of 0.`correction`: the cost capped at 1,000万円,
    × 0.5 × the correction."""
    return min(man, 1000) * MAN * 5 * correction // 100


ZENKAKU = str.maketrans("0123456789,", "０１２３４５６７８９，")


def written(man: int, style: int) -> str:
    """An amount in 万円 as officers write it."""
    if style == 0:
        return f"{man:,}万円"
    if style == 1:
        return f"{man:,}万円".translate(ZENKAKU)
    if style == 2 and man >= 10_000:
        oku, rest = divmod(man, 10_000)
        return f"{oku}億{rest:,}万円" if rest else f"{oku}億円"
    return f"{man * 10:,}千円"


facility = st.tuples(st.integers(1, 120), st.integers(100, 12_000), st.integers(0, 3))


@given(facilities=st.lists(facility, min_size=1, max_size=3), soft=st.one_of(st.none(), st.integers(50, 3000)),
       kind=st.sampled_from(["高水準", "標準"]), soft_style=st.integers(0, 3))
def test_a_plan_costs_what_the_rules_say(facilities, soft, kind, soft_style):
    bands = [0 if p < 20 else 1 if p < 50 else 2 for p, _, _ in facilities]
    if any(bands.count(b) > limit for b, limit in ((0, 3), (1, 2), (2, 1))):
        return  # over the per-band limits: covered by the router tests
    parts = [f"定員{p}人の施設（事業費{written(c, style)}）" for p, c, style in facilities]
    question = "、".join(parts) + (f"、ソフト経費{written(soft, soft_style)}" if soft else "") + f"を{kind}タイプで整備します。国費はいくらですか？"
    r = route(question)
    assert r is not None and r.calculation is not None, question
    eligible = sum(min(c * MAN, cap_of(p)) for p, c, _ in facilities) + min((soft or 0) * MAN, 1200 * MAN)
    assert r.calculation.result["国費"] == national(eligible, kind), question
    stated = sum(c * MAN for _, c, _ in facilities) + (soft or 0) * MAN
    assert r.calculation.result["地方負担"] == stated - national(eligible, kind)
    assert all(s.rule is None or s.rule.quote for s in r.calculation.steps)


@given(three=st.integers(0, 12), two=st.integers(0, 12), rate=st.one_of(st.none(), st.floats(30, 99)),
       kind=st.sampled_from(["高水準", "標準"]))
def test_a_score_sheet_given_as_counts_gets_its_grade_and_type(three, two, rate, kind):
    one = 12 - three - two
    if one < 0:
        return
    question = f"採点の内訳：3点が{three}項目、2点が{two}項目、1点が{one}項目（{kind}タイプで申請）。"
    if rate is not None:
        question += f"マイナンバーカードの申請率は12月末で{rate:.1f}%です。"
    question += "総合評価と採択区分は？"
    r = route(question)
    assert r is not None and r.calculation is not None, question
    shown = round(rate, 1) if rate is not None else None
    bonus = 0 if shown is None or shown < 53.9 else 1 if shown < 60 else 2 if shown < 70 else 3
    total = 3 * three + 2 * two + one + bonus
    grade = "S" if total >= 25 else "A" if total >= 23 else "B" if total >= 20 else "C" if total >= 18 else "D"
    assert r.calculation.result["合計点"] == total and r.calculation.result["評価"] == grade
    expected = ("高水準タイプで採択" if kind == "高水準" and grade in "SA" else
                "標準タイプで採択" if grade in "SABC" else "不採択")
    assert r.calculation.result["採択区分"] == expected


@given(periods=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 11)), min_size=2, max_size=4),
       each=st.sampled_from([50, 80, 100]))
def test_repayments_of_several_companies_add_up_by_the_rule(periods, each):
    names = "ABCD"
    said = "、".join(f"{names[i]}社は{y}年{m}か月" if m else f"{names[i]}社は{y}年" for i, (y, m) in enumerate(periods))
    question = f"進出支援金を各社に{each}万円ずつ支給しました。申請日から数えて、{said}で施設の利用を終了しました。返還額は合計いくらですか？"
    r = route(question)
    assert r is not None and r.calculation is not None, question

    def owed(months: int) -> int:  # 3年未満: 全額, 3年以上5年以内: 半額, 5年超: なし
        return each * MAN if months < 36 else each * MAN // 2 if months <= 60 else 0

    assert r.calculation.result["返還額の合計"] == sum(owed(y * 12 + m) for y, m in periods)


@given(man=st.integers(1, 99_999), style=st.integers(0, 3))
def test_amounts_are_read_in_every_written_form(man, style):
    found = [q for q in read_quantities(f"事業費は{written(man, style)}です") if q.unit == "円"]
    assert [q.value for q in found] == [man * MAN]


@given(thousands=st.integers(1, 99), rest=st.integers(0, 9))
def test_head_counts_with_man_and_sen_are_read(thousands, rest):
    text = f"人口{thousands}万{rest}千人の町".translate(ZENKAKU) if rest else f"人口{thousands}万人の町"
    people = [q for q in read_quantities(text) if q.role == "人口"]
    assert [q.value for q in people] == [thousands * 10_000 + rest * 1000]
    assert not [q for q in read_quantities(text) if q.unit == "円"]  # 「1万2千人」 is no amount


@given(man=st.integers(0, 99), sen=st.integers(0, 9), hyaku=st.integers(0, 9), zenkaku=st.booleans())
def test_head_counts_spoken_in_man_sen_and_hyaku_are_read(man, sen, hyaku, zenkaku):
    spoken = (f"{man}万" if man else "") + (f"{sen}千" if sen else "") + (f"{hyaku}百" if hyaku else "")
    if not spoken or not (sen or hyaku):
        return  # 「N万人」 alone is read above
    text = f"人口{spoken}人の町です"
    text = text.translate(ZENKAKU) if zenkaku else text
    assert [q.value for q in read_quantities(text) if q.role == "人口"] == [man * 10_000 + sen * 1000 + hyaku * 100]


@given(man=st.integers(1, 99), rest=st.integers(1, 9999))
def test_head_counts_with_man_and_a_comma_written_rest_are_read(man, rest):
    text = f"当市（人口{man}万{rest:,}人）では延べ利用者数を5,400人と見込む"  # the part after 万 keeps its comma
    assert [q.value for q in read_quantities(text) if q.role == "人口"] == [man * 10_000 + rest]


def test_a_follow_up_that_changes_the_type_reports_the_change_in_burden():
    first = "定員25人の施設（整備・運営費4,700万円）とソフト経費950万円の計画で、高水準タイプの国費と負担を知りたい"
    history = [Turn("user", first), Turn("assistant", "…")]
    r = route("標準タイプで採択された場合、負担はどれだけ増える？", history)
    assert r is not None and r.calculation is not None
    eligible = 4500 * MAN + 950 * MAN
    stated = 4700 * MAN + 950 * MAN
    increase = (stated - national(eligible, "標準")) - (stated - national(eligible, "高水準"))
    assert r.calculation.result["地方負担の増減"] == increase


@pytest.mark.parametrize("compared", ["高水準のときより", "高水準タイプと比べて", "高水準の場合より"])
def test_the_type_a_follow_up_compares_with_is_not_the_type_it_asks(compared):
    # 「では標準タイプだったら？…高水準のときより…」 names both types: the one compared with is the earlier run's
    first = "定員25人の施設（整備・運営費4,700万円）とソフト経費950万円の計画で、高水準タイプの国費と負担を知りたい"
    history = [Turn("user", first), Turn("assistant", "…")]
    r = route(f"では標準タイプだったら？持ち出しは{compared}どれだけ増える？", history)
    assert r is not None and r.calculation is not None
    eligible = 4500 * MAN + 950 * MAN
    assert r.calculation.result["地方負担の増減"] == national(eligible, "高水準") - national(eligible, "標準")


def test_a_plan_missing_its_type_is_asked_for_by_name():
    r = route("定員30人の施設を5,000万円で整備します。国費はいくら？")
    assert r is not None and r.calculation is None and "タイプ" in (r.clarification or "")


def test_named_adopted_examples_are_added_up_from_their_own_lines():
    from assistant.calculators.examples import adopted_examples

    examples = adopted_examples()
    assert len(examples) >= 8 and all(e.national < e.eligible for e in examples)
    first, second = examples[0], examples[2]
    r = route(f"取組事例の{first.municipality}と{second.municipality}の国費を合計するといくら？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費の合計"] == first.national + second.national
    # the pair completed: the other column summed, and the local side's share between them
    assert r.calculation.result["交付対象事業費の合計"] == first.eligible + second.eligible
    assert r.calculation.result["地方負担の合計"] == first.eligible + second.eligible - first.national - second.national
    # each step quotes the line of the document that states its amount
    quoted = [s.rule.quote for s in r.calculation.steps if s.rule is not None]
    assert any(f"{first.national // 1000:,}千円" in q for q in quoted)


def test_a_question_of_its_own_is_not_merged_into_an_earlier_plan_but_an_elliptic_one_is():
    history = [Turn("user", "定員30人の施設を5,000万円で整備、高水準タイプの国費は？"), Turn("assistant", "…")]
    own = route("標準タイプで3社に進出支援金を満額支給する場合の国費の合計は？", history)
    assert own is not None and own.calculation is not None
    assert own.calculation.result["国費"] == 3 * 100 * MAN // 2
    changed = route("では進出支援金を4社に満額支給したら、国費はいくら？", [*history, Turn("user", "進出支援金を2社に満額支給も足したら？"),
                                                           Turn("assistant", "…")])
    assert changed is not None and changed.calculation is not None
    assert changed.calculation.result["国費"] == national(4500 * MAN + 4 * 100 * MAN, "高水準")


@given(sen=st.integers(1, 9), hyaku=st.integers(0, 9))
def test_thousands_and_hundreds_written_before_man_are_one_amount(sen, hyaku):
    text = f"改修費は{sen}千{hyaku}百万円です" if hyaku else f"改修費は{sen}千万円です"
    assert [q.value for q in read_quantities(text) if q.unit == "円"] == [(sen * 1000 + hyaku * 100) * MAN]


@given(companies=st.integers(2, 9))
def test_an_amount_per_company_times_companies_is_a_count_and_an_amount(companies):
    qs = read_quantities(f"支援金は1社80万円×{companies}社分の予定")
    assert [q.value for q in qs if q.unit == "社"] == [companies]
    assert [q.value for q in qs if q.unit == "円"] == [80 * MAN]


@given(sheet=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 6)), min_size=2, max_size=3, unique_by=lambda p: p[0]))
def test_a_score_sheet_written_as_points_times_items_is_summed(sheet):
    written_sheet = "、".join(f"{p}点×{n}" for p, n in sheet)
    r = route(f"採点結果：{written_sheet}。申請要件はすべて満たし、高水準で申請。評価と採択区分は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == sum(p * n for p, n in sheet)


def test_sizes_given_with_counts_are_that_many_facilities_at_their_caps():
    r = route("収容40人の拠点を1か所と収容12人の拠点を2か所つくり、ソフト事業も行う計画。高水準で上限いっぱい使ったときの国費の最大は？")
    assert r is not None and r.calculation is not None
    eligible = cap_of(40) + 2 * cap_of(12) + 1200 * MAN
    assert r.calculation.result["国費"] == national(eligible, "高水準")


def test_soft_cost_items_alone_are_capped_without_asking_for_a_facility():
    r = route("ソフト事業だけを申請する予定です。動画制作500万、パンフレット300万、交流イベント700万。標準での国費は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == national(1200 * MAN, "標準")


@given(years=st.integers(0, 7), months=st.integers(0, 11), late_days=st.integers(0, 20))
def test_two_dates_of_one_company_are_the_period_between_them(years, months, late_days):
    assume(years or months or late_days)  # the same day twice is no period
    start = (2023, 4, 1)
    end_month = 4 + months
    end = (2023 + years + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1 + late_days)
    qs = read_quantities(f"申請日は{start[0]}年{start[1]}月{start[2]}日、利用終了日は{end[0]}年{end[1]}月{end[2]}日です")
    periods = [q.value for q in qs if q.role == "経過期間"]
    whole = years * 12 + months
    assert len(periods) == 1 and not [q for q in qs if q.unit == "円"]
    # some days past a whole number of years is beyond that many years (5年と数日 is not 「5年以内」)
    assert periods[0] == (whole + 1 if late_days and whole % 12 == 0 and whole else whole)


def test_a_follow_up_about_one_more_company_adds_it_to_the_earlier_ones():
    first = "支援金80万円ずつを受けた3社のうち、1社目が申請2年後に、2社目が申請4年後に退去。返還の合計は？"
    history = [Turn("user", first), Turn("assistant", "…")]
    r = route("さらに3社目も申請1年後に退去した場合は？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額の合計"] == 80 * MAN + 40 * MAN + 80 * MAN


def test_full_amount_in_a_later_turn_is_the_support_cap_of_the_conversation():
    history = [Turn("user", "進出支援金の返還ルールを教えて"), Turn("assistant", "…")]
    r = route("満額を受給した企業が申請の4年後に退去したら、返還はいくら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額"] == 100 * MAN // 2  # 満額 100万円, 3年以上5年以内 → 半額


@given(score=st.integers(18, 30), man=st.integers(100, 9000))
def test_a_score_and_an_eligible_cost_give_the_adopted_types_national_share(score, man):
    r = route(f"評価点{score}点（要件すべて○、高水準で申請）、交付対象事業費{man:,}万円の場合、採択時の国費見込みは？")
    assert r is not None and r.calculation is not None
    adopted = "高水準" if score >= 23 else "標準"  # 「A」 (23点) or better for 高水準, 「C」 (18点) or better for 標準
    assert r.calculation.result["採択区分"] == f"{adopted}タイプで採択"
    assert r.calculation.result["国費"] == national(man * MAN, adopted)


@given(population=st.integers(1, 40), thousands=st.integers(0, 9))
def test_a_population_in_man_and_sen_gives_the_migrant_minimum(population, thousands):
    people = population * 10_000 + thousands * 1000
    written = f"{population}万{thousands}千人" if thousands else f"{population}万人"
    r = route(f"市の人口{written}、高水準を狙う場合に移住者数はKPIで何人以上必要？")
    assert r is not None and r.calculation is not None
    assert -(-people // 10_000) in r.calculation.result.values()  # 0.01% of the population, rounded up


def test_one_amount_after_a_turn_about_both_types_gives_each_types_burden():
    history = [Turn("user", "補助率は高水準と標準でそれぞれ何分の何？"), Turn("assistant", "…")]
    r = route("では2,000万円の事業で、自治体の負担は各タイプいくら？", history)
    assert r is not None and r.calculation is not None
    text = r.calculation.summary + r.calculation.formula
    assert "500万円" in text and "1,000万円" in text  # 1/4 and 1/2 of 2,000万円


@given(total_man=st.integers(1000, 20000), b1_share=st.integers(1, 49))
def test_b2_room_given_b1_is_the_smaller_of_its_own_cap_and_what_b1_leaves(total_man, b1_share):
    b1_man = total_man * b1_share // 100
    r = route(f"交付対象事業費{total_man:,}万円の施設で、B1（カフェ等）が{b1_man:,}万円。B2に回せるのは最大いくら？")
    assert r is not None and r.calculation is not None
    own_cap = total_man * MAN * 2 // 10  # 2割以内
    left = total_man * MAN // 2 - b1_man * MAN  # B1+B2 under 5割
    assert r.calculation.result["B2の上限"] == min(own_cap, left)


def test_examples_chosen_by_type_are_summed_from_the_documents_lines():
    from assistant.calculators.examples import adopted_examples

    r = route("採択事例（施設整備・利用促進）のうち標準タイプのものについて、国費の合計は？")
    assert r is not None and r.calculation is not None
    expected = sum(e.national for e in adopted_examples() if e.grant_type == "標準" and not e.project5)
    assert r.calculation.result["国費の合計"] == expected


@given(man=st.integers(500, 12000), kind=st.sampled_from(["高水準", "標準"]))
def test_a_facility_of_unknown_size_gets_each_size_bands_result(man, kind):
    r = route(f"定員未定の拠点を{man:,}万円で整備する計画、{kind}タイプでの国費は？")
    assert r is not None and r.calculation is not None
    results = r.calculation.result
    for people in (19, 20, 50):
        band = [k for k in results if k.startswith("国費（")][(19, 20, 50).index(people)]
        assert results[band] == national(min(man * MAN, cap_of(people)), kind)


@given(companies=st.integers(0, 5), kind=st.sampled_from(["高水準", "標準"]))
def test_a_kpi_company_count_below_the_types_minimum_is_a_failed_requirement(companies, kind):
    history = [Turn("user", f"{kind}で申請、評価12項目の合計は27点。評価は？"), Turn("assistant", "…")]
    r = route(f"県外企業数のKPIを{companies}社にしたら評価はどうなる？", history)
    assert r is not None and r.calculation is not None
    minimum = 3 if kind == "高水準" else 1  # 所在都道府県外の企業 3社以上 / 1社以上
    assert (r.calculation.result["評価"] == "D") is (companies < minimum)


def test_scores_per_viewpoint_in_groups_are_all_summed():
    r = route("観点ごとの点数は ①3・2・2 ②2・2・1 ③1・2・2 ④2・2・2点。要件は全て○、高水準での採択区分は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == 3 + 2 + 2 + 2 + 2 + 1 + 1 + 2 + 2 + 2 + 2 + 2


def test_an_expected_total_is_not_read_as_including_the_bonus():
    r = route("高水準で申請予定。合計は20点の見込みで、12月末のマイナンバーカード申請率は72%。加点を含めた評価は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == 20 + 3  # 70%以上: 3点 (「見込み」 is no 「込み」)


def test_a_follow_up_changes_the_type_of_a_plan_stated_as_one_amount():
    history = [Turn("user", "事業費6,000万円の計画で、標準タイプなら自治体の負担はどれだけ？"), Turn("assistant", "…")]
    r = route("高水準タイプに変われば負担はいくら少なくなる？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["地方負担の増減"] == -(6000 * MAN // 2 - 6000 * MAN // 4)


@given(month=st.integers(1, 12), years=st.integers(1, 6))
def test_a_date_at_the_end_of_a_month_is_its_last_day_and_a_calendar_year_is_no_period(month, years):
    import calendar

    text = f"2023年{month}月1日に申請し、{2023 + years}年{month}月末に利用を終了"
    periods = [q.value for q in read_quantities(text) if q.role == "経過期間"]
    last = calendar.monthrange(2023 + years, month)[1]
    whole = years * 12
    assert periods == [whole + 1 if last != 1 else whole]  # some days past whole years count beyond them
    assert not [q for q in read_quantities(f"{2023 + years}年{month}月末まで延ばしたら") if q.role == "経過期間"]


@given(low=st.integers(1, 6), span=st.integers(1, 4), between=st.sampled_from(["以上", "から", "～", "以上～"]),
       after=st.sampled_from(["以内", "未満", "の間", "まで"]))
def test_two_periods_bounding_a_range_are_a_condition_not_two_companies(low, span, between, after):
    text = f"支援金を受けた企業が{low}年{between}{low + span}年{after}に撤退したら返還は？"
    qs = read_quantities(text)
    assert [q.role for q in qs if q.unit == "か月"] == ["期間の範囲", "期間の範囲"]
    r = route(text)
    assert r is None or r.calculation is None or "2社目" not in r.calculation.formula
    # two companies' own periods stay periods
    assert [q.role for q in read_quantities(f"A社は{low}年、B社は{low + span}年で撤退")] == ["経過期間", "経過期間"]


def test_sizes_described_with_adjectives_or_decades_are_capacities():
    qs = read_quantities("60人以上入る広めの拠点を1つ、30人台の拠点を2つ、職員は3人で運営")
    assert [(q.value, q.role) for q in qs if q.unit == "人"] == [(60, "定員"), (30, "定員"), (3, "人数")]


@given(start_year=st.integers(2023, 2025), later=st.integers(1, 7))
def test_a_follow_up_moving_the_end_date_recomputes_from_the_earlier_start(start_year, later):
    history = [Turn("user", f"支援金100万円の企業（申請日{start_year}年4月1日）が{start_year + 1}年3月末に退去予定。返還は？"),
               Turn("assistant", "…")]
    r = route(f"退去が{start_year + later}年4月1日にずれたら？", history)
    assert r is not None and r.calculation is not None
    owed = 100 * MAN if later < 3 else 50 * MAN if later <= 5 else 0  # 3年未満 全額 / 3年以上5年以内 半額 / 5年超 なし
    assert r.calculation.result["返還額"] == owed
    # nothing owed is said as 「返還は不要」, not as an amount of 0円 first
    assert r.calculation.summary.startswith("返還は不要" if owed == 0 else "返還額は")


def test_a_follow_up_about_the_local_share_keeps_the_example_named_before():
    from assistant.calculators.examples import adopted_examples

    example = adopted_examples()[0]
    history = [Turn("user", f"{example.municipality}の採択事例、事業費はどのくらい？"), Turn("assistant", "…")]
    r = route("その自治体の負担額は？", history)
    assert r is not None and r.calculation is not None
    assert str(f"{(example.eligible - example.national) // 1000:,}千円") in r.calculation.summary


@given(kpi=st.integers(1, 6), planned=st.integers(1, 8), kind=st.sampled_from(["高水準", "標準"]))
def test_planned_projects_without_amounts_are_taken_at_the_cap_and_limited_by_the_kpi(kpi, planned, kind):
    history = [Turn("user", f"⑤の事業を{planned}本組む計画で、KPIの県外企業数は{kpi}社、タイプは{kind}です。"),
               Turn("assistant", "…")]
    r = route("その場合の国費の上限額は？", history)
    assert r is not None and r.calculation is not None
    per_project = 2250 * MAN if kind == "高水準" else 1500 * MAN  # 3,000万円 × 3/4 or 1/2
    assert r.calculation.result["国費"] == min(kpi, planned) * per_project


@pytest.mark.parametrize(("said", "allowed"), [("ちょうど半分", False), ("4割", True), ("45%", True), ("5割", False)])
def test_an_ancillary_share_stated_without_amounts_is_checked_against_under_half(said, allowed):
    r = route(f"附帯施設（B1）が交付対象事業費の{said}を占める計画です。問題ありませんか？")
    assert r is not None and r.calculation is not None
    assert (r.calculation.result["判定"] == "可") is allowed  # B1 must stay under 5割


def test_a_bonus_item_named_after_a_listed_sheet_is_added():
    r = route("⑤事業の採点：基礎6項目 2・2・1・2・1・1、付加項目はAction宣言の1点のみ、申請率50%。採択される？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == 2 + 2 + 1 + 2 + 1 + 1 + 1  # 申請率50% is under the 53.9% average: no bonus


@pytest.mark.parametrize("question", ["B1の上限は5割ですか？", "B1は3割以内までしか載せられないという理解で合ってますか？"])
def test_a_share_in_a_question_about_the_rule_is_not_taken_as_the_askers_plan(question):
    r = route(question)
    assert r is None or r.calculation is None or "B1の割合" not in r.calculation.inputs


@given(capacity=st.integers(1, 120), tenths=st.integers(1, 20), verb=st.sampled_from(["入る", "入れる", "くらい収容できる"]))
def test_a_building_that_takes_in_n_people_is_a_facility_of_that_capacity(capacity, tenths, verb):
    # 「N人入る旧校舎の改修が0.6億」: the head-count is the facility's capacity, the decimal 億 its cost
    r = route(f"標準タイプです。{capacity}人{verb}旧校舎の改修が{tenths / 10:g}億、ソフト経費が500万。国費はいくら？", [])
    assert r is not None and r.calculation is not None
    cap = 3000 * MAN if capacity < 20 else 4500 * MAN if capacity < 50 else 9000 * MAN
    assert r.calculation.result["国費"] == (min(tenths * 1000 * MAN, cap) + 500 * MAN) // 2


@given(points=st.integers(0, 3), met=st.integers(0, 3), every=st.sampled_from(["どれも", "全部", "いずれも"]))
def test_a_project5_sheet_of_equal_items_and_counted_extra_items_is_summed(points, met, every):
    # 「6つの観点はどれもN点」 is 6 × N; 「付加項目は…M つ当てはまる」 adds M (each extra item is worth 1 point)
    q = f"⑤の採点見込み：6つの観点は{every}{points}点、付加項目は{met}つ当てはまる。申請率は12月末で50%。採択の可否は？"
    r = route(q, [])
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == 6 * points + met


@given(items=st.lists(st.integers(50, 900), min_size=2, max_size=4), staff=st.integers(10, 500), fund=st.integers(10, 500))
def test_excluded_costs_named_in_a_plan_are_left_out_with_their_rule(items, staff, fund):
    # 職員の人件費 and 基金積立 are 対象外経費: paid by the 団体, never in the 交付対象事業費
    listed = "、".join(f"PR動画{v}万円" if i == 0 else f"マッチングイベント{v}万円" for i, v in enumerate(items))
    q = f"③の活用促進事業を高水準タイプで申請します。{listed}、担当職員の人件費{staff}万円、基金積立{fund}万円。国費はいくら？"
    r = route(q, [])
    assert r is not None and r.calculation is not None
    eligible = min(sum(items) * MAN, 1200 * MAN)
    assert r.calculation.result["交付対象事業費"] == eligible
    national = eligible * 3 // 4 // 1000 * 1000  # 千円未満切り捨て
    assert r.calculation.result["国費"] == national
    assert r.calculation.result["地方負担"] == (sum(items) + staff + fund) * MAN - national
    gates = [s for s in r.calculation.steps if s.kind == "gate"]
    assert {g.rule.name for g in gates if g.rule} == {"excluded_staff_pay", "excluded_loans_funds"}


@given(items=st.lists(st.integers(100, 1500), min_size=2, max_size=4), setup=st.integers(10, 300))
def test_a_project5_estimate_is_one_project_summed_before_its_cap(items, setup):
    listed = "、".join(f"{name}{v}万円" for name, v in zip(["機器購入", "講師の人件費・旅費", "会場費", "広報費"][: len(items)], items, strict=True))
    q = f"①～④は標準タイプで採択済みです。進出企業と地元企業が組む⑤の事業の見積もりは、{listed}、協議会の設立経費{setup}万円です。国費はいくら？"
    r = route(q, [])
    assert r is not None and r.calculation is not None
    eligible = min(sum(items) * MAN, 3000 * MAN)
    assert r.calculation.result["交付対象事業費"] == eligible
    assert r.calculation.result["国費"] == eligible // 2


@given(man=st.integers(100, 12_000), high=st.booleans())
def test_the_cost_behind_a_stated_national_share_and_the_band_it_needs(man, high):
    kind = "高水準" if high else "標準"
    r = route(f"{kind}タイプで国費を{man:,}万円もらうには、事業費はいくら必要？施設は収容何人の規模が要る？", [])
    assert r is not None and r.calculation is not None and r.calculation.kind == "cost_from_share"
    cost = man * MAN * 4 // 3 if high else man * MAN * 2
    assert r.calculation.result["交付対象事業費"] == cost
    band = "20人未満" if cost <= 3000 * MAN else "20人以上50人未満" if cost <= 4500 * MAN else "50人以上" if cost <= 9000 * MAN else None
    assert r.calculation.result.get("区分") == band


@given(man=st.integers(10, 5_000), high=st.booleans())
def test_the_cost_behind_a_stated_local_burden_and_the_other_types_burden(man, high):
    kind, other = ("高水準", "標準") if high else ("標準", "高水準")
    r = route(f"{kind}タイプの採択で地方負担が{man:,}万円だった事業、事業費はいくらだった？{other}タイプなら負担は？", [])
    assert r is not None and r.calculation is not None and r.calculation.kind == "cost_from_share"
    cost = man * MAN * 4 if high else man * MAN * 2
    assert r.calculation.result["交付対象事業費"] == cost
    assert r.calculation.result[f"{other}タイプの地方負担"] == (cost // 2 if high else cost // 4)


@given(total=st.integers(12, 34), more=st.integers(1, 4),
       phrase=st.sampled_from(["じゃあ素点をあと{n}点積み上げられたら？", "さらに{n}点上がったらどうなる？", "合計があと{n}点増えたら採択区分は？"]))
def test_a_follow_up_adding_points_changes_the_earlier_total(total, more, phrase):
    first = f"申請は高水準タイプ、観点の合計{total}点、要件はすべて○、申請率は12月末61%見込み。採択区分は？"
    r = route(phrase.format(n=more), [Turn("user", first), Turn("assistant", "…")])
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == total + more + 2  # 61% → 加点2点


@given(kpi=st.integers(1, 4), adopted=st.integers(0, 2), costs=st.lists(st.integers(500, 4000), min_size=1, max_size=3))
def test_the_kpi_said_in_an_earlier_turn_limits_the_projects_of_a_later_one(kpi, adopted, costs):
    assume(adopted < kpi)
    first = f"県外の企業数のKPIは{kpi}社にしました。⑤は何件まで出せますか？"
    listed = "と".join(f"{c:,}万" for c in costs)
    done = f"⑤は前年度までに{adopted}件が採択済みです。" if adopted else ""
    q = f"{done}今回の⑤は事業費{listed}の{len(costs)}本で、タイプは高水準。国費は最大でいくら？"
    r = route(q, [Turn("user", first), Turn("assistant", "…")])
    assert r is not None and r.calculation is not None
    kept = sorted((min(c, 3000) for c in costs), reverse=True)[: kpi - adopted]
    assert r.calculation.result["国費"] == sum(kept) * MAN * 3 // 4 // 1000 * 1000


@pytest.mark.parametrize("prefecture", ["東京都", "埼玉県", "千葉県", "神奈川県"])
def test_the_count_of_listed_municipalities_is_read_from_the_reference_table(prefecture):
    from pathlib import Path

    text = (Path(__file__).parents[3] / "corpus" / "digiden_chiho_sosei_telework_overview.txt").read_text(encoding="utf-8")
    block = text[text.index("（参考）東京圏内の条件不利地域を含む市町村") :].split("\n\n")[1].split("\n")
    header = [c.strip() for c in block[0].split("\t")]
    columns = [h or next((x for x in reversed(header[:i]) if x), "") for i, h in enumerate(header)]
    names = [(columns[i], c.strip()) for row in block[1:] for i, c in enumerate(row.split("\t")) if c.strip()]
    r = route(f"東京圏の参考の一覧で、{prefecture}の団体数はいくつ？", [])
    assert r is not None and r.calculation is not None and r.calculation.kind == "listed_count"
    assert r.calculation.result[prefecture] == sum(1 for p, _ in names if p == prefecture)
    assert r.calculation.result["合計"] == len(names)


@given(scores=st.lists(st.integers(0, 3), min_size=6, max_size=6), rate=st.sampled_from([40, 52, 61, 75]))
def test_a_score_sheet_in_a_conversation_about_project5_is_scored_on_project5s_scale(scores, rate):
    history = [Turn("user", "⑤の評価は満点が何点ですか？"), Turn("assistant", "…")]
    sheet = "・".join(str(s) for s in scores)
    r = route(f"基礎項目6つの採点は{sheet}点、付加項目はなし、申請率は12月末{rate}%の見込み。これで通りますか？", history)
    assert r is not None and r.calculation is not None and r.calculation.kind == "project5_adoption"
    bonus = 0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3
    assert r.calculation.result["合計点"] == sum(scores) + bonus


@given(share=st.integers(1, 99), raw=st.integers(18, 36))
def test_an_outside_user_share_said_earlier_gates_a_later_score(share, raw):
    history = [Turn("user", "標準タイプのKPI要件を教えてください。"), Turn("assistant", "…"),
               Turn("user", f"見込みでは県外企業は1社、利用者のうち県外の人が{share}%です。"), Turn("assistant", "…")]
    r = route(f"素点は{raw}点ほどの見込みです。この内容で申請したら結果はどうなりますか？", history)
    assert r is not None and r.calculation is not None
    assert (r.calculation.result["評価"] == "D") == (share < 30)


@given(three=st.integers(0, 4), two=st.integers(0, 4), people=st.integers(1, 120), cost=st.integers(500, 12_000),
       soft=st.integers(50, 3000), kind=st.sampled_from(["高水準", "標準"]))
def test_a_score_sheet_and_a_plan_in_one_question_give_the_adopted_types_capped_national_share(
        three, two, people, cost, soft, kind):
    raw = 3 * three + 2 * two
    q = (f"{kind}タイプで出す市です。採点は3点が{three}つ、2点が{two}つ、他は0点。12月末の申請率は40%の想定。"
         f"整備するのは定員{people}人の拠点で整備・運営費{cost:,}万円、ほかにソフト経費{soft:,}万円。評価と国費を教えて。")
    r = route(q)
    assert r is not None and r.calculation is not None
    grade = "S" if raw >= 25 else "A" if raw >= 23 else "B" if raw >= 20 else "C" if raw >= 18 else "D"
    assert r.calculation.result["評価"] == grade
    if grade == "D":
        assert "国費" not in r.calculation.result
        return
    adopted = "高水準" if kind == "高水準" and grade in "SA" else "標準"
    eligible = min(cost * MAN, cap_of(people)) + min(soft * MAN, 1200 * MAN)
    assert r.calculation.result["国費"] == national(eligible, adopted)


@given(costs=st.lists(st.integers(500, 5000), min_size=3, max_size=5), kpi=st.integers(1, 4))
def test_lettered_project_candidates_share_one_role_and_the_largest_are_kept(costs, kpi):
    names = ["地酒の開発", "温泉のPRツアー", "宿泊体験の企画", "IT教室", "特産品の販路開拓"]
    listed = "、".join(f"{chr(65 + i)}{names[i]}{c:,}万円" for i, c in enumerate(costs))
    q = f"⑤は標準タイプで、KPIの県外企業数は{kpi}社です。今年の⑤の候補が{len(costs)}本あります。{listed}。国費が最大になるといくら？"
    r = route(q)
    assert r is not None and r.calculation is not None
    kept = sorted((min(c, 3000) for c in costs), reverse=True)[:kpi]
    assert r.calculation.result["国費"] == sum(kept) * MAN // 2 // 1000 * 1000


def test_a_candidate_facility_a_count_limit_leaves_out_is_no_burden_but_a_planned_one_is():
    facilities = "A定員60人・1億円、B定員55人・8,000万円、C定員30人・4,000万円"
    chosen = route(f"3か所の候補から選ぶ予定です（高水準タイプ）。{facilities}。国費が最大になる組み合わせの国費と市の負担は？")
    planned = route(f"3か所とも整備します（高水準タイプ）。{facilities}。国費と市の負担は？")
    assert chosen is not None and chosen.calculation is not None and planned is not None and planned.calculation is not None
    national_share = (9000 + 4000) * MAN * 3 // 4
    assert chosen.calculation.result["国費"] == planned.calculation.result["国費"] == national_share
    assert chosen.calculation.result["地方負担"] == (10000 + 4000) * MAN - national_share
    assert planned.calculation.result["地方負担"] == (10000 + 8000 + 4000) * MAN - national_share


@given(first=st.integers(100, 2000), second=st.integers(100, 2000), correction=st.sampled_from([5, 8, 9]))
def test_a_follow_up_changing_the_trial_office_cost_gives_the_change_in_the_measure(first, second, correction):
    assume(first != second)
    history = [Turn("user", f"財政力補正0.{correction}で、お試しサテライトオフィス向けの特別交付税措置の対象経費が{first:,}万円なら措置額は？"),
               Turn("assistant", "…")]
    r = route(f"じゃあ対象経費を{second:,}万円にしたら、措置額はいくら変わりますか？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["措置額の増減"] == trial_measure(second, correction) - trial_measure(first, correction)
    assert r.calculation.result["変更前の措置額"] == trial_measure(first, correction)


@given(before=st.integers(1, 9), after=st.integers(1, 9), kind=st.sampled_from(["高水準", "標準"]))
def test_a_follow_up_changing_the_kpi_company_count_gives_the_change_in_the_national_share(before, after, kind):
    assume(before != after)
    history = [Turn("user", f"{kind}タイプの町で、KPIの県外企業数は{before}社。進出支援金を件数の上限まで満額にすると国費は？"),
               Turn("assistant", "…")]
    r = route(f"KPIを{after}社にしたら、国費はいくら増えますか？", history)
    assert r is not None and r.calculation is not None
    n, d = rate_of(kind)
    per_company = 100 * MAN * n // d
    assert r.calculation.result["国費合計の増減"] == per_company * (after - before)


@given(first=st.integers(1, 80), second=st.integers(1, 80), each=st.integers(10, 100))
def test_a_group_of_companies_with_one_period_each_repays_by_each_period(first, second, each):
    r = route(f"進出支援金を{each}万円ずつ出した2社が、申請日から{first // 12}年{first % 12}か月と{second // 12}年{second % 12}か月で撤退しました。返還合計は？")
    assert r is not None and r.calculation is not None

    def share(months: int) -> int:  # 3年未満 全額, 3年以上5年以内 半額, それ以降 なし
        return each * MAN if months < 36 else each * MAN // 2 if months <= 60 else 0

    assume(first % 12 and second % 12)  # 「N年0か月」 is not how a period is written
    assert r.calculation.result["返還額の合計"] == share(first) + share(second)


@given(pr=st.integers(50, 900), rent=st.integers(50, 900), works=st.integers(50, 900), correction=st.sampled_from([5, 8, 9]))
def test_hard_works_are_left_out_of_the_trial_office_measure(pr, rent, works, correction):
    r = route(f"お試しサテライトオフィス向けの特別交付税措置を使います。PR経費{pr}万円、賃料{rent}万円、空き家の改修工事{works}万円。"
              f"財政力補正0.{correction}で措置額は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["措置額"] == trial_measure(pr + rent, correction)
    # what is left to the town is kept for a follow-up, but shown as a step only when asked
    assert r.calculation.result["地方負担"] == (pr + rent + works) * MAN - r.calculation.result["措置額"]
    assert not any(s.kind == "difference" for s in r.calculation.steps)


@pytest.mark.parametrize("hedge", ["を仮に", "はおよそ", "を約"])
def test_a_fiscal_correction_given_with_a_hedge_is_applied(hedge):
    r = route(f"PR経費300万円と賃料400万円のお試しサテライトオフィス事業、財政力補正{hedge}0.8として特別交付税の措置額は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["措置額"] == trial_measure(700, 8)


@pytest.mark.parametrize("ask", ["町が自分で持つ額", "町の手出し", "単費で賄う分"])
def test_the_digital_env_measure_states_what_the_town_pays_in_the_officers_words(ask):
    r = route(f"物品費900万円・外注費600万円に一般管理費200万円を積んだデジタル活用環境構築推進事業の補助額と{ask}は？")
    assert r is not None and r.calculation is not None
    subsidy = (1500 + 150) * MAN // 2
    assert r.calculation.result["補助額"] == subsidy
    assert r.calculation.result["地方負担"] == 1700 * MAN - subsidy
    assert "補助対象経費1,650万円" in r.calculation.summary


def test_a_raw_score_written_without_its_unit_is_the_total():
    r = route("素点21、12月末の申請率65%、標準で申請した結果は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == 21 + 2 and r.calculation.result["評価"] == "A"


@given(raw=st.integers(10, 30), rate=st.sampled_from([40, 55, 65, 75]))
def test_a_follow_up_switching_the_type_says_whether_the_outcome_changes(raw, rate):
    history = [Turn("user", f"市として高水準タイプで出す予定。素点{raw}点で申請要件はすべて○。"), Turn("assistant", "…"),
               Turn("user", f"12月末の申請率は{rate}%の見込み。採択区分は？"), Turn("assistant", "…")]
    r = route("じゃあ標準タイプで申請していたら、結果に違いは出ましたか？", history)
    assert r is not None and r.calculation is not None
    bonus = 0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3
    grade = next((g for g, floor in (("S", 25), ("A", 23), ("B", 20), ("C", 18)) if raw + bonus >= floor), "D")
    high = "高水準タイプで採択" if grade in "SA" else "標準タイプで採択" if grade != "D" else "不採択"
    standard = "標準タイプで採択" if grade != "D" else "不採択"
    assert r.calculation.result["変更前の採択区分"] == high and r.calculation.result["採択区分"] == standard
    assert r.calculation.summary.startswith("変わりません" if high == standard else "変わります")


def test_a_long_conversation_of_follow_ups_runs_each_earlier_turn_once(monkeypatch):
    import assistant.router as router

    calls = []
    real = router._route_turn
    monkeypatch.setattr(router, "_route_turn", lambda q, h=(): calls.append(q) or real(q, h))
    history = []
    for n in range(10):
        history += [Turn("user", f"じゃあ定員を{20 + n}人にしたら？"), Turn("assistant", "…")]
    route("じゃあ定員を40人にしたら、国費はいくら変わる？", history)
    assert len(calls) <= 1 + 10  # this turn, then at most each earlier user turn once


@given(count=st.integers(1, 3), people=st.integers(1, 49), kind=st.sampled_from(["高水準", "標準"]))
def test_a_count_written_before_the_size_is_that_many_facilities_at_their_caps(count, people, kind):
    r = route(f"{count}か所（定員{people}人）の拠点を{kind}タイプで整備します。上限まで使うと国費は最大いくら？")
    assert r is not None and r.calculation is not None
    limit = 3 if people < 20 else 2  # facilities per 団体 in the band (20人未満 3, 20人以上50人未満 2)
    assert r.calculation.result["国費"] == national(min(count, limit) * cap_of(people), kind)


@given(raw=st.integers(12, 26), first=st.sampled_from([50, 58, 65, 72]), second=st.sampled_from([45, 55, 61, 69.5, 70]))
def test_a_second_case_of_the_application_rate_is_computed_as_well(raw, first, second):
    assume(first != second)
    r = route(f"標準タイプで出す予定です。素点{raw}点、12月末の申請率は{first}%の見込み。結果は？"
              f"もし申請率が{second}%だった場合も知りたいです。")
    assert r is not None and r.calculation is not None

    def total(rate: float) -> int:
        return raw + (0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3)

    assert r.calculation.result["合計点"] == total(first)
    assert r.calculation.result[f"合計点（{second}%の場合）"] == total(second)


@given(users=st.integers(100, 9000), kind=st.sampled_from(["高水準", "標準"]))
def test_figures_given_after_a_rule_was_asked_are_read_with_that_question(users, kind):
    history = [Turn("user", f"{kind}タイプのKPIでは、県外からの利用者の割合は何割以上が必要？"), Turn("assistant", "…")]
    r = route(f"年間の延べ利用者を{users:,}人で置くなら何人？", history)
    assert r is not None and r.calculation is not None
    share = (5, 10) if kind == "高水準" else (3, 10)
    needed = -(-users * share[0] // share[1])  # 以上: rounded up to whole people
    assert any(s.result == needed for s in r.calculation.steps), r.calculation.formula


@given(pr=st.integers(50, 900), rent=st.integers(50, 900), works=st.integers(50, 900), correction=st.sampled_from([5, 8, 9]))
def test_a_restated_total_is_no_further_cost_and_the_burden_asked_is_what_the_measure_leaves(pr, rent, works, correction):
    total = pr + rent + works
    r = route(f"特交（お試しサテライトオフィス）の見積もり：宣伝費{pr}万円、オフィス賃借{rent}万円、古民家の改修工事{works}万円。"
              f"財政力補正は0.{correction}。合計{total}万円のうち、措置されずに町に残る負担はいくら？")
    assert r is not None and r.calculation is not None
    measure = trial_measure(pr + rent, correction)  # the total is not a fourth cost item
    assert r.calculation.result["措置額"] == measure
    assert r.calculation.result["地方負担"] == total * MAN - measure
    assert r.calculation.summary.startswith("措置されずに残る負担は")
    assert any(s.kind == "difference" and s.result == total * MAN - measure for s in r.calculation.steps)


@given(items=st.lists(st.integers(10, 900), min_size=2, max_size=5), off=st.integers(1, 50))
def test_an_amount_restated_as_the_sum_of_the_earlier_ones_is_their_total_and_only_then(items, off):
    listed = "、".join(f"経費{chr(65 + i)}が{v}万円" for i, v in enumerate(items))
    summed = read_quantities(f"{listed}。全部で{sum(items)}万円かかります。")
    assert [q.role for q in summed if q.unit == "円"][-1] == "合計"
    other = read_quantities(f"{listed}。全部で{sum(items) + off}万円かかります。")
    assert [q.role for q in other if q.unit == "円"][-1] != "合計"


@given(sheet=st.lists(st.integers(1, 3), min_size=12, max_size=12), people=st.integers(20, 49),
       cost=st.integers(1000, 8000), rate=st.sampled_from([40, 55, 65, 75]))
def test_a_score_sheet_with_a_plan_and_a_money_question_gives_the_money_at_the_adopted_type(sheet, people, cost, rate):
    r = route(f"高水準タイプで出します。評価の観点12項目の点数：{','.join(map(str, sheet))}点。要件はすべて○、12月末の申請率{rate}%。"
              f"{people}人定員の拠点（整備・運営{cost}万円）の国費は？")
    assert r is not None and r.calculation is not None
    bonus = 0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3
    total = sum(sheet) + bonus
    grade = next((g for g, floor in (("S", 25), ("A", 23), ("B", 20), ("C", 18)) if total >= floor), "D")
    rate_of = {"S": (3, 4), "A": (3, 4), "B": (1, 2), "C": (1, 2)}.get(grade)
    if rate_of is None:
        assert "国費" not in r.calculation.result
    else:
        eligible = min(cost, 4500) * MAN  # 20人以上50人未満: 4,500万円
        # 国費 in whole 千円, as the adopted examples state it
        assert r.calculation.result["国費"] == eligible * rate_of[0] // rate_of[1] // 1000 * 1000


@given(raw=st.integers(12, 30), rate=st.sampled_from([45, 55, 59.8, 65, 75]), assumed=st.integers(0, 3))
def test_a_bonus_the_asker_assumes_gives_way_to_the_one_the_stated_rate_gives(raw, rate, assumed):
    r = route(f"高水準で申請予定です。素点は{raw}点、申請要件はすべて○。12月末の申請率は{rate}%で、加点は{assumed}点の前提です。"
              "採択区分はどうなりますか？")
    assert r is not None and r.calculation is not None
    bonus = 0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3
    assert r.calculation.result["合計点"] == raw + bonus
    assert (f"加点は{bonus}点です" in r.calculation.summary) is (assumed != bonus)


@given(cost=st.integers(1000, 6000), kpi=st.integers(1, 4), kind=st.sampled_from(["高水準", "標準"]))
def test_a_projects_amount_in_a_conversation_about_the_fifth_element_is_read_as_a_fifth_element_project(cost, kpi, kind):
    history = [Turn("user", "⑤の件数の上限はどう決まりますか？"), Turn("assistant", "…")]
    r = route(f"採択は{kind}、KPIの県外企業{kpi}社。{cost}万円のプロジェクトを1件出すと国費は？", history)
    assert r is not None and r.calculation is not None
    n, d = (3, 4) if kind == "高水準" else (1, 2)
    assert r.calculation.result["国費"] == min(cost, 3000) * MAN * n // d // 1000 * 1000  # ⑤ is capped per project (project5_cap)


@given(promo=st.integers(50, 400), escort=st.integers(10, 90), trip=st.integers(10, 90), old=st.integers(50, 300),
       side=st.integers(50, 300), overtime=st.integers(10, 150))
def test_excluded_costs_are_left_out_with_the_exceptions_their_rules_state(promo, escort, trip, old, side, overtime):
    r = route(f"高水準タイプの③の内訳：動画制作{promo}万円、首長に同行するトップセールスの職員旅費{escort}万円、"
              f"担当職員だけで行く出張の旅費{trip}万円、毎年やっている町のフェス{old}万円、今年新しくやるサイドイベント{side}万円、"
              f"担当職員の時間外勤務手当{overtime}万円。国費はいくら？")
    assert r is not None and r.calculation is not None
    # 対象外: 職員旅費 (not the トップセールス escort), 従前からのイベント (not a new side event), 職員の人件費
    eligible = min(promo + escort + side, 1200) * MAN
    assert r.calculation.result["国費"] == eligible * 3 // 4 // 1000 * 1000


@given(sizes=st.lists(st.integers(5, 120), min_size=2, max_size=5))
def test_a_yes_no_question_about_a_plans_facilities_is_checked_against_the_count_limits(sizes):
    listed = "、".join(f"定員{p}人の施設" for p in sizes)
    r = route(f"{listed}の{len(sizes)}施設を整備する計画です。この計画で大丈夫ですか？")
    assert r is not None and r.calculation is not None
    # 1団体合計3施設; by size: 20人未満 3, 20人以上50人未満 2, 50人以上 1
    bands = [sum(p < 20 for p in sizes), sum(20 <= p < 50 for p in sizes), sum(p >= 50 for p in sizes)]
    fits = len(sizes) <= 3 and all(n <= limit for n, limit in zip(bands, (3, 2, 1), strict=True))
    assert r.calculation.result["判定"] == ("はい" if fits else "いいえ")
    assert r.calculation.summary.startswith("はい" if fits else "いいえ")


def test_n_facilities_of_one_band_are_counted_against_that_bands_limit():
    r = route("50人以上の大きな施設を2か所つくっても大丈夫ですか？")
    assert r is not None and r.calculation is not None and r.calculation.result["判定"] == "いいえ"
    r = route("20人未満の小さな施設なら3か所いけますか？")
    assert r is not None and r.calculation is not None and r.calculation.result["判定"] == "はい"


_APPLICANT_KINDS = {  # how an applicant is described -> qualifies (the 支援対象者の要件)
    "東京のIT企業": True, "大阪のNPO法人": True, "同じ県内の隣の市の会社": True,
    "町内に本社がある会社": False, "業種が風俗営業の会社": False,
    "出資金30億円の三セク（自治体の補助なし）": False,
    "出資金30億円の三セク（市から補助を受けている）": True, "出資金2億円の三セク": True,
}


@given(described=st.lists(st.sampled_from(sorted(_APPLICANT_KINDS)), min_size=2, max_size=6),
       amounts=st.lists(st.integers(30, 150), min_size=6, max_size=6), kpi=st.integers(1, 6),
       kind=st.sampled_from(["高水準", "標準"]))
def test_listed_applicants_are_checked_against_the_requirements_and_the_qualified_paid(described, amounts, kpi, kind):
    listed = "、".join(f"{chr(65 + i)}：{d}（{amounts[i]}万円）" for i, d in enumerate(described))
    r = route(f"{kind}タイプ採択、KPIの県外企業{kpi}社。進出支援金の申請者：{listed}。"
              "支給できるのはどこで、国費はいくらですか？")
    qualified = [(chr(65 + i), min(amounts[i], 100)) for i, d in enumerate(described) if _APPLICANT_KINDS[d]]
    if not qualified:
        return
    assert r is not None and r.calculation is not None
    assert r.calculation.result["支給対象"] == "・".join(label for label, _ in qualified)
    paid = sorted((amount for _, amount in qualified), reverse=True)[:kpi]  # the KPI limits the count
    n, d = (3, 4) if kind == "高水準" else (1, 2)
    assert r.calculation.result["国費"] == sum(paid) * MAN * n // d // 1000 * 1000


@given(people=st.integers(20, 49), cost=st.integers(1000, 4400), other=st.integers(1000, 4400))
def test_a_change_supposed_in_the_questions_last_sentence_is_run_as_a_follow_up_of_the_case(people, cost, other):
    assume(cost != other)
    asked = f"{people}人定員の拠点、事業費{cost}万円、高水準で国費は？"
    r = route(f"{asked}仮に標準タイプなら、国費はどれだけ減る？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費の増減"] == cost * MAN // 2 // 1000 * 1000 - cost * MAN * 3 // 4 // 1000 * 1000
    r = route(f"{asked}仮に事業費が{other}万円だったら、国費はどうなりますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == cost * MAN * 3 // 4 // 1000 * 1000  # the case as asked, then the change
    assert any(v == other * MAN * 3 // 4 // 1000 * 1000 for k, v in r.calculation.result.items() if k.startswith("国費（"))


@given(residents=st.integers(2_000, 90_000), share=st.integers(40, 80), issued=st.integers(30, 70))
def test_the_application_rate_is_the_one_named_so_or_the_share_of_residents_who_applied(residents, share, issued):
    # 申請率 bands (12月末申請率 against the national average 53.9%): below it 0, to 60% 1, to 70% 2, above 3 points
    def points(rate: float) -> int:
        return 0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3

    stated = route(f"マイナカードは交付率で見ると{issued}%、12月末の申請率で見ると{share}%。加点はいくつ付く？")
    assert stated is not None and stated.calculation is not None
    assert stated.calculation.result["加点"] == points(share)  # not the 交付率 beside it
    applied = residents * share // 100
    counted = route(f"町民{residents:,}人に対してマイナンバーカードの申請が12月末で{applied:,}人。加点はいくつ付く？")
    assert counted is not None and counted.calculation is not None
    assert counted.calculation.result["加点"] == points(applied * 100 / residents)


@given(cost=st.integers(500, 4_000), own=st.sampled_from(["高水準", "標準"]))
def test_element5_is_granted_at_the_type_elements_1_to_4_were_adopted_at(cost, own):
    other = "標準" if own == "高水準" else "高水準"
    history = [Turn("user", f"①〜④は昨年度に{own}タイプで採択された町です。⑤の基礎項目は全部2点、付加項目は0。採択されますか？"),
               Turn("assistant", "…")]
    r = route(f"事業費{cost}万円だと国費はいくら？{other}並みになりますか？", history)
    assert r is not None and r.calculation is not None
    n, d = rate_of(own)  # ⑤ takes ①～④'s type, capped at 3,000万円 per project
    assert r.calculation.result["国費"] == min(cost * MAN, 3000 * MAN) * n // d // 1000 * 1000


@given(coming=st.integers(1, 9), kpi=st.integers(1, 9), kind=st.sampled_from(["高水準", "標準"]))
def test_relocation_support_pays_no_more_companies_than_the_kpi_counts_across_turns(coming, kpi, kind):
    first = (f"{kind}タイプの町で、KPIは県外企業{kpi}社で設定。要件に合う進出企業が{coming}社あったら、進出支援金の"
             "国費は合計いくら？")
    n, d = rate_of(kind)
    r = route(first)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費合計"] == min(coming, kpi) * 100 * MAN * n // d
    changed = route(f"KPIを{kpi + 2}社にしていたら？", [Turn("user", first), Turn("assistant", "…")])
    assert changed is not None and changed.calculation is not None
    assert changed.calculation.result["国費合計"] == min(coming, kpi + 2) * 100 * MAN * n // d


@given(people=st.integers(5, 80), cost=st.integers(2_000, 15_000), soft=st.integers(100, 2_000),
       kind=st.sampled_from(["高水準", "標準"]))
def test_the_national_share_of_the_whole_cost_is_computed_when_asked_and_no_other_grant_is_assumed(people, cost, soft, kind):
    r = route(f"{kind}タイプで、定員{people}人の拠点の整備・運営に{cost}万円、ソフト経費に{soft}万円。"
              "国費と、事業費全体に占める国費の割合、それに町の負担は？")
    assert r is not None and r.calculation is not None
    eligible = min(cost * MAN, cap_of(people)) + min(soft * MAN, 1200 * MAN)
    grant = national(eligible, kind)
    total = (cost + soft) * MAN
    assert r.calculation.result["国費"] == grant
    assert r.calculation.result["地方負担"] == total - grant  # no 臨時交付金 supposed: the asker did not name one
    shown = r.calculation.result["国費の割合"]
    assert abs(float(shown.rstrip("%")) - grant * 100 / total) <= 0.05  # one decimal, none when whole
    assert not shown.endswith(".0%")


def test_a_question_asking_what_something_is_for_is_no_yes_no_eligibility_ask():
    from assistant.router import _YesNoAsk

    ask = _YesNoAsk(r"使え|対象(?:に)?なり")
    assert ask.search("うちの町は対象になりますか？")
    assert not ask.search("事例の町では、ポイントを何に使えるようにしたんですか？")
    assert ask.search("事例は何件ありますか。うちの町も使えますか？")  # another sentence's question word


@given(before=st.integers(1_000, 200_000), after=st.integers(1_000, 200_000))
def test_a_turn_comparing_two_earlier_calculated_turns_gives_their_difference(before, after):
    import math

    assume(before != after)
    first = f"うちは人口{before:,}人。高水準なら移住者数のKPIは最低何人？"
    history = [Turn("user", first), Turn("assistant", "…"),
               Turn("user", f"合併して人口{after:,}人になった場合は？"), Turn("assistant", "…")]
    r = route("合併の前後で、必要な最低人数は何人違う？", history)
    assert r is not None and r.calculation is not None
    least = lambda people: math.ceil(people / 10_000)  # noqa: E731 — 高水準: 移住者数 ≥ 人口の0.01%
    assert r.calculation.result["移住者数の下限の増減"] == least(after) - least(before)


@given(target=st.integers(100, 8_000), people=st.integers(5, 80))
def test_the_cost_a_stated_national_share_needs_at_each_type_fills_the_facility_then_soft_costs(target, people):
    r = route(f"国費を{target}万円取りたい。定員{people}人の拠点1つで考えると、高水準と標準それぞれで"
              "事業費はいくら要る？")
    assert r is not None and r.calculation is not None
    for kind in ("高水準", "標準"):
        n, d = rate_of(kind)
        need = -(-target * MAN * d // n)  # rounded up to the yen
        assert r.calculation.result[f"交付対象事業費（{kind}タイプ）"] == need
        soft = r.calculation.result.get(f"ソフト経費（{kind}タイプ）")
        assert soft == (need - cap_of(people) if need > cap_of(people) else None)


@given(population=st.integers(1_000, 300_000), outside_companies=st.integers(1, 6), local=st.integers(0, 6),
       users=st.integers(100, 9_000), outside_share=st.integers(1, 100), migrants=st.integers(0, 40))
def test_a_plans_kpi_is_checked_against_each_types_requirements(population, outside_companies, local, users,
                                                                 outside_share, migrants):
    import math

    companies = outside_companies + local
    outside = max(1, users * outside_share // 100)
    r = route(f"人口{population:,}人の市です。利用企業{companies}社のうち県外が{outside_companies}社、延べ利用者{users:,}人のうち"
              f"県外が{outside:,}人、事業開始からの移住者は{migrants}人の見込みです。KPIの要件に届いていますか？")
    assert r is not None and r.calculation is not None
    # 高水準: 県外企業 3社以上, 県外利用者 5割以上, 移住者 ≥ 人口の0.01%; 標準: 1社以上, 3割以上 (移住者は設定のみ)
    high = outside_companies >= 3 and outside * 2 >= users and migrants >= math.ceil(population / 10_000)
    standard = outside_companies >= 1 and outside * 10 >= users * 3
    assert r.calculation.result["高水準タイプの要件"] is high
    assert r.calculation.result["標準タイプの要件"] is standard


@given(total=st.integers(2_000, 9_000), cafe=st.integers(100, 4_000), fence=st.integers(100, 2_000),
       land=st.integers(100, 2_000))
def test_items_added_turn_by_turn_are_checked_together_against_the_b1_b2_limits(total, cafe, fence, land):
    first = (f"施設の交付対象事業費{total:,}万円の中に、カフェを{cafe:,}万円で作りたいけど大丈夫？")
    history = [Turn("user", first), Turn("assistant", "…"), Turn("user", f"外構工事{fence:,}万円も足したら？"),
               Turn("assistant", "…")]
    r = route(f"さらに用地の取得費{land:,}万円も載せたら？", history)
    assert r is not None and r.calculation is not None
    b2 = fence + land  # B2 (外構・用地) ≤ 2割 of the total; B1 (カフェ) + B2 < 5割
    allowed = b2 * 5 <= total and (cafe + b2) * 2 < total
    assert r.calculation.result["判定"] == ("可" if allowed else "不可")


# The 制度概要's schedule, the years read from its weekdays: 12月8日（木）事前相談受付開始, 1月13日（金）事前相談締切,
# 1月23日（月）実施計画提出受付開始, 1月25日（水）実施計画提出締切, 4月3日（月）交付決定.
SCHEDULE = {"事前相談の受付開始": (2022, 12, 8), "事前相談の締切": (2023, 1, 13), "実施計画の提出受付開始": (2023, 1, 23),
            "実施計画の提出締切": (2023, 1, 25), "交付決定": (2023, 4, 3)}


@given(first=st.sampled_from(sorted(SCHEDULE)), second=st.sampled_from(sorted(SCHEDULE)), inclusive=st.booleans())
def test_days_between_two_dates_of_the_schedule(first, second, inclusive):
    import datetime as dt

    assume(first != second)
    r = route(f"スケジュールで、{first}から{second}まで" + ("両日を含めて何日間ありますか？" if inclusive else "何日ありますか？"))
    assert r is not None and r.calculation is not None
    a, b = sorted([dt.date(*SCHEDULE[first]), dt.date(*SCHEDULE[second])])
    assert list(r.calculation.result.values()) == [(b - a).days + (1 if inclusive else 0)]


@given(first=st.sampled_from(sorted(SCHEDULE)), second=st.sampled_from(sorted(SCHEDULE)))
def test_days_counted_from_the_date_the_turn_before_asked_about(first, second):
    import datetime as dt

    assume(first != second)
    history = [Turn("user", f"{first}はいつでしたっけ？"), Turn("assistant", "…")]
    r = route(f"そこから{second}までは何日ありますか？", history)
    assert r is not None and r.calculation is not None
    a, b = sorted([dt.date(*SCHEDULE[first]), dt.date(*SCHEDULE[second])])
    assert list(r.calculation.result.values()) == [(b - a).days]


@pytest.mark.parametrize("asked", ["実施計画の提出締切は何日の何時ですか？", "交付決定は何月何日ですか？", "事前相談は何日までに出せばいい？"])
def test_a_day_asked_is_no_count_of_days(asked):
    r = route(asked)
    assert r is None or r.calculation is None or r.calculation.kind != "schedule_days"


@given(average=st.sampled_from(["1.5", "2.0", "2.5", "2", "3.0"]), rate=st.integers(40, 80))
def test_a_score_sheet_given_as_its_average_is_the_items_times_the_average(average, rate):
    r = route(f"高水準で申請予定。12観点の平均{average}点、要件はすべて○、申請率は12月末で{rate}%。"
              "評価と採択区分は？")
    assert r is not None and r.calculation is not None
    bonus = 0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3
    assert r.calculation.result["合計点"] == int(12 * float(average)) + bonus


def test_seats_named_by_teiin_are_seats_even_beside_a_word_for_staff():
    qs = read_quantities("元の社員食堂を定員30人のコワーキングに改修。社員2人が常駐予定。")
    assert [(q.value, q.role) for q in qs if q.unit == "人"] == [(30, "定員"), (2, "人数")]


@given(cost=st.integers(1_000, 8_000), raw=st.integers(18, 30))
def test_a_counterfactual_after_a_connective_is_run_as_a_change_of_the_question(cost, raw):
    r = route(f"標準で出す町。素点{raw}点、要件はすべて○、加点なし、交付対象事業費{cost}万円。区分と国費は？"
              "あと、同じ条件で高水準にしていたら国費はどれだけ違った？")
    assert r is not None and r.calculation is not None
    # 高水準 is adopted at 3/4 only from A (23点); below that, at 1/2 as 標準 (from C, 18点)
    high_rate = (3, 4) if raw >= 23 else (1, 2)
    std = cost * MAN // 2 // 1000 * 1000
    high = cost * MAN * high_rate[0] // high_rate[1] // 1000 * 1000
    assert r.calculation.result.get("国費の増減", 0) == high - std


@given(ours=st.integers(15, 30), theirs=st.integers(15, 30), cost=st.integers(1_000, 8_000))
def test_two_parties_in_one_question_are_each_computed_and_their_national_shares_compared(ours, theirs, cost):
    r = route(f"隣町と同じ{cost}万円の計画（上限内）を両方とも高水準で出す。加点なし、要件はすべて○。"
              f"うちは素点{ours}点、隣町は素点{theirs}点。両方の区分と国費、その差を知りたい。")
    assert r is not None and r.calculation is not None

    def grant(points: int) -> int:  # 高水準 applied: A (23点) or above → 3/4; C (18点) to B → 標準 1/2; below → none
        n, d = (3, 4) if points >= 23 else (1, 2) if points >= 18 else (0, 1)
        return cost * MAN * n // d // 1000 * 1000

    if grant(ours) != grant(theirs):
        assert r.calculation.result["国費の差"] == abs(grant(ours) - grant(theirs))


@given(first=st.integers(1, 80), second=st.integers(1, 80), each=st.integers(10, 100))
def test_a_follow_up_giving_one_lettered_company_a_special_case_changes_that_company_only(first, second, each):
    def share(months: int) -> int:  # in yen: 3年未満 全額, 3年以上5年以内 半額, それ以降 なし
        return each * MAN if months < 36 else each * MAN // 2 if months <= 60 else 0

    earlier = (f"A社が申請日から{first // 12}年{first % 12}か月、B社が{second // 12}年{second % 12}か月で出ていきました。"
               f"進出支援金はどちらも{each}万円です。返還はいくら？")
    r = route("B社はそもそも最初から利用していなかったと判明したら？", [Turn("user", earlier), Turn("assistant", "…")])
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額の合計"] == share(first) + each * MAN  # 利用の実態がない: 全額


@given(month=st.sampled_from([12, 1, 2]), day=st.integers(1, 28),
       phase=st.sampled_from(["事前相談を", "実施計画を"]))
def test_a_day_the_asker_plans_is_checked_against_the_phase_it_names(month, day, phase):
    import datetime as dt

    r = route(f"{phase}{month}月{day}日に持っていく予定、間に合いますか？")
    assert r is not None and r.calculation is not None
    asked = dt.date(2022 if month == 12 else 2023, month, day)
    start, end = ((dt.date(*SCHEDULE["事前相談の受付開始"]), dt.date(*SCHEDULE["事前相談の締切"])) if phase == "事前相談を"
                  else (dt.date(*SCHEDULE["実施計画の提出受付開始"]), dt.date(*SCHEDULE["実施計画の提出締切"])))
    assert r.calculation.result["判定"] == ("はい" if start <= asked <= end else "いいえ")


def test_a_day_the_asker_only_recalls_is_no_plan_to_check():
    r = route("提出期限が1月25日の15時とは聞いていますが、受付開始はいつ？")
    assert r is None or r.calculation is None or r.calculation.kind != "schedule_date"


def test_two_dates_of_one_phase_named_with_its_word_once_are_counted_between():
    r = route("事前相談の受付開始から締切まで、何日ありますか？")
    assert r is not None and r.calculation is not None
    import datetime as dt

    days = (dt.date(*SCHEDULE["事前相談の締切"]) - dt.date(*SCHEDULE["事前相談の受付開始"])).days
    assert list(r.calculation.result.values()) == [days]


def test_more_outside_users_than_users_is_asked_back_not_checked():
    r = route("延べ利用者100人のうち県外が500人、移住者は1人、利用企業5社のうち県外が2社。KPIの要件に届いていますか？")
    assert r is not None and r.calculation is None and r.clarification is not None and "超えて" in r.clarification


# 進出支援金 repayment by time of leaving, counted from the application: all before 3 years, half from 3 to 5
# years, nothing after 5 years.
def repaid(received_man: int, months: int) -> int:
    return received_man * MAN if months < 36 else received_man * MAN // 2 if months <= 60 else 0


@given(received=st.integers(10, 100), years=st.integers(0, 6), months=st.integers(0, 11), more=st.integers(1, 30))
def test_a_follow_up_that_adds_months_moves_the_earlier_period(received, years, months, more):
    first = f"進出支援金を1社{received}万円で交付しています。ある企業が申請から{years}年{months}か月後に退去した場合、返還額は？"
    history = [Turn("user", first), Turn("assistant", "…")]
    r = route(f"退去がさらに{more}か月遅かったら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額"] == repaid(received, years * 12 + months + more)


@given(people=st.integers(5, 80), more=st.integers(1, 40), kind=st.sampled_from(["高水準", "標準"]))
def test_a_follow_up_that_adds_seats_moves_the_earlier_capacity(people, more, kind):
    cost_man = 9500
    history = [Turn("user", f"町営サテオフを定員{people}人、整備・運営費{cost_man:,}万円で整備します。{kind}タイプの国費は？"),
               Turn("assistant", "…")]
    r = route(f"定員をさらに{more}人増やしたら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == national(min(cost_man * MAN, cap_of(people + more)), kind)


@given(total_man=st.integers(1000, 20000), over=st.integers(1, 500))
def test_b1_room_counts_b2_only_up_to_its_cap(total_man, over):
    b2_man = total_man * 2 // 10 + over  # more than B2's 2割
    r = route(f"町営施設の交付対象事業費が{total_man:,}万円、うち外構（B2）の見積りが{b2_man:,}万円です。"
              "B2を上限いっぱい計上した場合、カフェ（B1）はいくら未満まで計上できますか？")
    assert r is not None and r.calculation is not None
    b2_cap = total_man * MAN * 2 // 10
    assert r.calculation.result["B2の上限"] == b2_cap
    assert r.calculation.result["B1の上限（未満）"] == total_man * MAN // 2 - b2_cap


def test_lettered_candidates_are_named_by_their_letters_and_the_chosen_ones_said():
    r = route("候補は4か所、全部町営で高水準タイプです。P：旧庁舎（定員70人、9,900万円）、Q：旧病院（定員52人、8,800万円）、"
              "R：倉庫（定員30人、4,000万円）、S：空き家（定員8人、1,500万円）。国費が最大になる組み合わせは？")
    assert r is not None and r.calculation is not None
    assert "Q：50人以上の施設は1団体1施設まで → 対象外" in r.calculation.formula
    assert "P・R・Sの組み合わせ" in r.calculation.summary
    assert r.calculation.result["国費"] == national(9000 * MAN + 4000 * MAN + 1500 * MAN, "高水準")


def test_a_lettered_company_named_again_is_one_company():
    r = route("進出支援金の返還です。X社：90万円、申請から3年2か月で利用終了。Y社：50万円、1年で利用終了。"
              "X社は支給日起算なら3年未満なので全額返還でよいですか？合計返還額は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額の合計"] == repaid(90, 38) + repaid(50, 12)
    assert "X社：" in r.calculation.formula and "3社目" not in r.calculation.formula


@given(people=st.integers(20, 49), cost_man=st.integers(4600, 8000), kind=st.sampled_from(["高水準", "標準"]))
def test_the_2021_real_burden_adds_what_the_caps_leave_out(people, cost_man, kind):
    r = route(f"旧制度（2021年の施策集にある交付金）の{kind}タイプで、定員{people}人の施設に{cost_man:,}万円かけたとき、"
              "上限超過分まで含めた実質負担は？")
    assert r is not None and r.calculation is not None
    eligible = min(cost_man * MAN, cap_of(people))
    in_scope = eligible - national(eligible, kind)
    real = in_scope - in_scope * 8 // 10  # 8割 of the burden within the grant met by the 臨時交付金
    assert r.calculation.result["実質的な地方負担"] == real
    assert "上限超過分を含めた実質的な負担：" in r.calculation.formula
    assert r.calculation.steps[-1].result == real + cost_man * MAN - eligible


@given(promo=st.integers(300, 2000), companies=st.integers(1, 6), each=st.integers(30, 100), kpi=st.integers(1, 5),
       project=st.integers(1000, 4000), kind=st.sampled_from(["高水準", "標準"]))
def test_each_elements_own_part_of_a_plan_is_capped_by_its_own_rule_and_summed(promo, companies, each, kpi, project, kind):
    # ③ soft costs up to 1,200万円 per 団体; ④ 100万円 per company for as many companies as the KPI's outside
    # companies; ⑤ up to 3,000万円 per project, as many projects as the KPI's outside companies
    r = route(f"施設は新設せず{kind}タイプで申請します。③は既存施設のPRとセミナーで{promo:,}万円、④は県外企業{companies}社に"
              f"{each}万円ずつ支給します（KPIの県外企業数は{kpi}社）。⑤は特産品開発1本で{project:,}万円。"
              "交付対象事業費と国費は？")
    assert r is not None and r.calculation is not None
    eligible = (min(promo, 1200) + min(companies, kpi) * min(each, 100) + min(project, 3000)) * MAN
    assert r.calculation.result["交付対象事業費"] == eligible
    assert r.calculation.result["国費"] == national(eligible, kind)


@given(kpi=st.integers(1, 5), adopted=st.integers(0, 2), kind=st.sampled_from(["高水準", "標準"]))
def test_relocation_support_and_projects_both_at_their_caps_are_limited_by_the_kpi(kpi, adopted, kind):
    assume(adopted < kpi)
    said = f"⑤は過年度に{adopted}件採択済みです。" if adopted else "⑤はまだ使っていません。"
    r = route(f"{kind}タイプ、KPIの県外企業数は{kpi}社。{said}④と⑤を両方とも上限いっぱい使うと国費の合計は？")
    assert r is not None and r.calculation is not None
    eligible = kpi * 100 * MAN + (kpi - adopted) * 3000 * MAN  # ④ 100万円 a company; ⑤ 3,000万円 a project
    assert r.calculation.result["国費"] == national(eligible, kind)


@given(man=st.integers(100, 4000), kind=st.sampled_from(["高水準", "標準"]))
def test_the_2021_real_burden_is_said_as_its_share_of_the_eligible_cost(man, kind):
    r = route(f"旧交付金（2021年の施策集のもの）で、ソフト事業{man:,}万円・{kind}タイプなら実質的な負担はいくら？")
    assert r is not None and r.calculation is not None
    eligible = min(man, 1200) * MAN
    in_scope = eligible - national(eligible, kind)
    real = in_scope - in_scope * 8 // 10
    share = real * 100 / eligible
    assert f"交付対象事業費の{share:g}%" in r.calculation.summary


@given(kpi=st.integers(1, 6), adopted=st.integers(0, 3))
def test_projects_counted_in_the_askers_unit_and_a_follow_up_adopted_count_subtracted(kpi, adopted):
    first = f"KPIの県外企業数は{kpi}社です。⑤は何本まで出せる？"
    r = route(first)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["申請可能件数"] == kpi and f"{kpi}本まで" in r.calculation.summary
    history = [Turn("user", first), Turn("assistant", r.calculation.summary)]
    r = route(f"過年度にすでに⑤を{adopted}本採択してもらっていたら？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["申請可能件数"] == max(0, kpi - adopted)


@given(before=st.integers(5, 49), after=st.integers(50, 90), cost_man=st.integers(3000, 9500),
       kind=st.sampled_from(["高水準", "標準"]))
def test_a_turn_comparing_with_an_earlier_plan_named_by_its_figure_gives_the_difference(before, after, cost_man, kind):
    turns = [f"町営サテオフを定員{before}人、整備・運営費{cost_man:,}万円で整備します。{kind}タイプで国費はいくら？",
             f"設計を変えて定員{after}人にしたらどうなりますか？費用は同じです。"]
    history = [t for turn in turns for t in (Turn("user", turn), Turn("assistant", "…"))]
    r = route(f"{before}人の案と比較すると国費はどれだけ増える？", history)
    assert r is not None and r.calculation is not None
    old = national(min(cost_man * MAN, cap_of(before)), kind)
    new = national(min(cost_man * MAN, cap_of(after)), kind)
    assert r.calculation.result["国費の増減"] == new - old


def bonus_of(rate: int) -> int:
    # My Number card bonus: under the national average (53.9%) none; to 60% 1; to 70% 2; from 70% 3
    return 0 if rate < 53.9 else 1 if rate < 60 else 2 if rate < 70 else 3


@given(raw=st.integers(15, 33), rate=st.integers(40, 85), fifth=st.integers(5, 20))
def test_both_score_sheets_in_one_question_are_graded_each_on_its_own_scale(raw, rate, fifth):
    r = route(f"高水準タイプで①と⑤を同時申請。①～④は12観点の合計が{raw}点（申請要件はすべて○）、申請率（12月末）{rate}%。"
              f"⑤の基礎項目と付加項目の合計は{fifth}点です。結果はどうなりますか？")
    assert r is not None and r.calculation is not None
    total = raw + bonus_of(rate)
    grade = "S" if total >= 25 else "A" if total >= 23 else "B" if total >= 20 else "C" if total >= 18 else "D"
    kind = "高水準" if grade in "SA" else "標準" if grade in "BC" else None
    result = r.calculation.result
    assert (kind or "不採択") in str(result["①～④の採択区分"])
    total5 = fifth + bonus_of(rate)
    assert result["⑤の評価"] == ("S" if total5 >= 15 else "A" if total5 >= 12 else "B" if total5 >= 10 else "C")
    if kind and total5 >= 10:
        assert result["採択タイプ"] == kind


@given(fifth=st.integers(10, 21), partner=st.sampled_from(["法人格のない任意団体", "個人事業主", "株式会社の製材所"]))
def test_a_fifth_project_whose_local_partner_lacks_legal_personality_fails_its_requirement(fifth, partner):
    # ⑤'s 推進体制 needs a 地元企業等 that is 「法人格を有する組織」; a requirement failed makes it C (不採択)
    r = route(f"⑤を申請します。地元側のパートナーは{partner}です。⑤の基礎項目と付加項目の合計は{fifth}点です。採択されますか？")
    assert r is not None and r.calculation is not None
    lacks = partner != "株式会社の製材所"
    assert (r.calculation.result["採択区分"] == "不採択") == lacks


@given(cost=st.integers(1000, 6000), soft=st.integers(100, 2000), people=st.integers(5, 80), kind=st.sampled_from(["高水準", "標準"]))
def test_soft_costs_written_as_soft_and_a_figure_are_soft_costs(cost, soft, people, kind):
    r = route(f"{kind}タイプで、定員{people}人の町営施設（整備運営費{cost:,}万円）にソフト{soft:,}万円。国費は？")
    assert r is not None and r.calculation is not None
    eligible = min(cost * MAN, cap_of(people)) + min(soft, 1200) * MAN
    assert r.calculation.result["国費"] == national(eligible, kind)


@given(raw=st.integers(40, 10_000))
def test_a_score_sheet_beside_fifths_outside_its_scale_is_said_not_computed(raw):
    r = route(f"①～④の素点は{raw}点、⑤は基礎項目と付加項目で12点でした。高水準で同時申請、結果は？")
    assert r is not None and r.calculation is None and r.clarification and "範囲" in r.clarification


def test_count_patterns_start_only_at_a_digit_runs_first_digit():
    # A count pattern that may start inside a run of digits re-reads the run from every digit when the run has no
    # unit after it: a 20,000-digit history turn took 45 s to read (the server's robustness probe timed out). Each
    # pattern must refuse to start after a digit; the numbers it finds are the same.
    from assistant import quantities
    from assistant.calculators import plan

    for pattern in (quantities._PEOPLE, quantities._COMPANIES, quantities._CASES, quantities._PERCENT,
                    quantities._PERIOD, plan._SCORE_COUNTS):
        assert pattern.pattern.startswith(("(?<![\\d", "(?<!\\d)")), pattern.pattern
    text = "1234社、5678人、90%、12年3か月、45件"
    assert [q.value for q in read_quantities(text)] == [1234, 5678, 9000, 147, 45]


@given(before=st.integers(5, 90), after=st.integers(5, 90), cost_before=st.integers(1500, 9500),
       cost_after=st.integers(1500, 9500), kind=st.sampled_from(["高水準", "標準"]),
       back=st.sampled_from(["さっきと比べて", "当初の案より", "前の計算から"]))
def test_a_turn_with_a_plan_of_its_own_compared_back_gives_each_named_difference(before, after, cost_before,
                                                                                  cost_after, kind, back):
    first = f"公民館を定員{before}人の町営サテオフに改修し、整備・運営費は{cost_before:,}万円です。{kind}タイプだと国費はいくら？"
    history = [Turn("user", first), Turn("assistant", "…")]
    old = min(cost_before * MAN, cap_of(before))
    new = min(cost_after * MAN, cap_of(after))
    assume(old != new)
    r = route(f"定員{after}人、整備・運営費{cost_after:,}万円に見直したら？{back}国費と持ち出しはそれぞれどれだけ違ってきますか？",
              history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費の増減"] == national(new, kind) - national(old, kind)
    local_old = cost_before * MAN - national(old, kind)
    local_new = cost_after * MAN - national(new, kind)
    assert r.calculation.result["地方負担の増減"] == local_new - local_old


@pytest.mark.parametrize(("earlier", "turn"), [
    # the turn's figures in a condition (read with the earlier turn's measure), or stated plainly beside the cost
    ("お試しサテライトオフィス向けの特交って、措置額はどう算定されますか？",
     "当町の対象経費が{cost:,}万円、財政力補正が0.{correction}なら、措置額はいくらですか？"),
    ("お試しサテライトオフィス向けの特別交付税って、措置額はどんな式で出すんでしょう？",
     "当町では対象経費を{cost:,}万円と見積もっていて、財政力補正は0.{correction}です。措置額はいくらですか？"),
])
@given(cost=st.integers(100, 2000), correction=st.sampled_from([5, 7, 9]))
def test_the_askers_fiscal_correction_is_read_when_an_earlier_turn_named_the_measure(earlier, turn, cost, correction):
    r = route(turn.format(cost=cost, correction=correction), [Turn("user", earlier), Turn("assistant", "…")])
    assert r is not None and r.calculation is not None
    amount = trial_measure(cost, correction)
    assert amount in r.calculation.result.values()
    assert f"財政力補正0.{correction}" in r.calculation.summary  # written as the asker wrote it, not as a fraction


@given(sheet=st.lists(st.integers(1, 3), min_size=12, max_size=12), lettered=st.integers(0, 3))
def test_a_score_sheet_written_partly_by_item_letter_and_partly_as_lists_is_summed_whole(sheet, lettered):
    parts = []
    for v in range(4):
        scores = sheet[3 * v: 3 * v + 3]
        if v == lettered:  # one viewpoint written ア・イ・ウ, the others as bare lists
            written = "・".join(f"{letter}{p}" for letter, p in zip("アイウ", scores, strict=True))
        else:
            written = "・".join(str(p) for p in scores)
        parts.append(f"{'①②③④'[v]}の観点は{written}")
    r = route(f"自己採点で{'、'.join(parts)}でした。標準タイプで申請すると結果はどうなりますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.inputs["総合評価点数"] == sum(sheet)


def grade5(points: int) -> str:
    # ⑤'s sheet (21 points): S from 15, A from 12, B from 10, else C (not adopted)
    return "S" if points >= 15 else "A" if points >= 12 else "B" if points >= 10 else "C"


@given(sheet=st.lists(st.integers(1, 3), min_size=6, max_size=6), extra=st.lists(st.integers(0, 1), min_size=3, max_size=3),
       rate=st.integers(54, 95), cost=st.integers(1000, 6000), other=st.sampled_from(["加点ゼロだと", "加点なしだと", "加点がない場合"]))
def test_a_project5_sheet_asked_with_and_without_its_bonus_gives_both_outcomes(sheet, extra, rate, cost, other):
    viewpoints = "、".join(f"{'①②③'[v]}はア{sheet[2 * v]}・イ{sheet[2 * v + 1]}・付加{extra[v]}" for v in range(3))
    r = route(f"①～④は標準タイプで採択済みです。⑤の自己採点は{viewpoints}で、うちのマイナンバーカード申請率（12月末）は{rate}%を見込み、"
              f"⑤の事業費は{cost:,}万円。判定と国費は？ {other}どうなるかも知りたいです。")
    assert r is not None and r.calculation is not None
    raw = sum(sheet) + sum(extra)
    result = r.calculation.result
    assert result["評価"] == grade5(raw + bonus_of(rate))
    assert result["評価（加点なしの場合）"] == grade5(raw)
    assert "ご想定" not in r.calculation.summary  # the other case's words state no bonus of the asker's own
    if grade5(raw + bonus_of(rate)) != "C":
        assert result["国費"] == min(cost * MAN, 30_000_000) // 2 // 1000 * 1000
        assert result.get("交付対象外", 0) == max(0, cost * MAN - 30_000_000)


@given(base=st.lists(st.integers(1, 3), min_size=6, max_size=6))
def test_a_count_of_added_items_is_not_read_as_their_score(base):
    listed = "・".join(str(p) for p in base)
    r = route(f"⑤の採点です。基礎項目の6つが{listed}点、付加項目3つのうち1つだけ1点です（要件は全部満たします）。どう判定されますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == sum(base) + 1  # 「付加項目3つ」 counts the items; one of them scores 1


@given(base=st.lists(st.integers(1, 3), min_size=6, max_size=6), named=st.integers(1, 3),
       names=st.sampled_from(["地域のデジタル実装への貢献", "Action宣言企業の参画", "政策間連携の取組"]))
def test_added_items_named_in_brackets_each_take_the_points_given_to_them_all(base, named, names):
    # 「付加項目は「X」と「Y」が1点ずつ」: every named item scores the point, however long its name
    listed = "と".join([f"「{names}{i}」" for i in range(named)])
    sheet = "・".join(str(p) for p in base)
    r = route(f"⑤の自己採点は基礎項目が{sheet}点で、付加項目は{listed}が1点ずつです。要件は全部○、申請率は40%。判定は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == sum(base) + named


@given(costs=st.lists(st.integers(500, 4000), min_size=3, max_size=4), kpi=st.integers(2, 5), adopted=st.integers(0, 1),
       kind=st.sampled_from(["高水準", "標準"]))
def test_project5_candidates_lettered_after_a_range_of_elements_are_projects_not_companies(costs, kpi, adopted, kind):
    assume(kpi - adopted >= 1)
    listed = "、".join(f"{'ABCD'[i]}：事業費{c:,}万円" for i, c in enumerate(costs))
    r = route(f"施設整備の①～④を{kind}タイプで採ってもらっており、取組計画の県外企業数KPIは{kpi}社です。⑤はこれまでに{adopted}本採択されています。"
              f"今年度は⑤の候補が{listed}の{len(costs)}本。国費が一番多くなる選び方だと合計はいくら？")
    assert r is not None and r.calculation is not None
    allowed = kpi - adopted
    best = sorted((min(c * MAN, 30_000_000) for c in costs), reverse=True)[:allowed]
    assert r.calculation.result["国費"] == national(sum(best), kind)


@given(points=st.integers(12, 21), partner=st.sampled_from(["地元側の相手はまだ見つかっていません", "地元の企業等はいない状態です",
                                                           "地元の団体は決まっていない段階です"]))
def test_a_project5_plan_with_no_local_partner_fails_its_requirement_whatever_the_points(points, partner):
    r = route(f"⑤の自己採点は合計{points}点です。ただ推進体制について、{partner}。⑤の結果はどうなりますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["評価"] == "C" and r.calculation.result["採択区分"] == "不採択"
    assert "×" in r.calculation.summary


@pytest.mark.parametrize("weekday_words", ["土日を除くと", "平日だけ数えると", "営業日で数えると"])
def test_days_between_schedule_dates_can_leave_out_weekends(weekday_words):
    import datetime as dt

    from assistant.calculators.schedule import dated_events

    dates = {e.rule_name: d for e, d in dated_events()}
    start, end = dates["schedule_consultation_end"], dates["schedule_submission_end"]
    expected = sum(1 for n in range(1, (end - start).days + 1) if (start + dt.timedelta(days=n)).weekday() < 5)
    r = route(f"事前相談の締切の翌日から、実施計画の提出締切の日までは、{weekday_words}何日ありますか？")
    assert r is not None and r.calculation is not None
    assert expected in r.calculation.result.values() and expected < (end - start).days


@given(bad=st.integers(4, 9), at=st.integers(0, 11))
def test_an_item_score_outside_its_scale_is_asked_back_not_summed(bad, at):
    items = [2] * 12
    items[at] = bad
    sheet = "、".join(f"{'①②③④'[v]}はア{items[3 * v]}・イ{items[3 * v + 1]}・ウ{items[3 * v + 2]}" for v in range(4))
    r = route(f"採点は{sheet}。標準タイプで申請すると結果は？")
    assert r is not None and r.calculation is None and "総合評価点数" in r.missing


@given(population=st.integers(2_000, 300_000), share=st.integers(1, 99), raw=st.integers(12, 30),
       applications_first=st.booleans())
def test_an_application_rate_given_as_a_count_and_the_population_in_either_order_sets_the_bonus(
        population, share, raw, applications_first):
    applied = population * share // 100
    assume(applied > 0)
    counts = [f"マイナンバーカードの申請件数は12月末で{applied:,}件", f"住民基本台帳の人口は{population:,}人"]
    if not applications_first:
        counts.reverse()
    r = route(f"高水準タイプで申請します。素点合計は{raw}点です。{'、'.join(counts)}です。総合評価は？")
    assert r is not None and r.calculation is not None
    rate = applied * 100 / population  # the bonus bands of the scoring rules: 53.9% / 60% / 70%
    bonus = 3 if rate >= 70 else 2 if rate >= 60 else 1 if rate >= 53.9 else 0
    assert r.calculation.result["合計点"] == raw + bonus


@given(core=st.integers(1000, 9000), cafe=st.integers(100, 3000), fence=st.integers(100, 2000))
def test_b_shares_are_of_the_whole_amount_when_a_total_of_the_parts_is_stated(core, cafe, fence):
    total = core + cafe + fence
    r = route(f"町営施設の本体部分が{core:,}万円、附帯のカフェスペース{cafe:,}万円、外構工事{fence:,}万円で、"
              f"施設の整備・運営費に係る交付対象事業費は合計{total:,}万円です。B1・B2の上限に収まっていますか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["B2の上限"] == total * MAN * 2 // 10  # 2割 of the whole, B parts included
    within = fence * 10 <= total * 2 and (cafe + fence) * 2 < total
    assert r.calculation.result["判定"] == ("可" if within else "不可")


@given(base=st.sampled_from(["直接経費", "事業費", "交付対象事業費"]), rate=st.sampled_from(["2割", "10%", "1/10", "3分の1"]),
       man=st.integers(1, 9_999))
def test_the_base_of_a_rate_named_before_an_amount_is_not_its_role(base, rate, man):
    # the amount belongs to the subject of the clause, not to the cost its rate is taken of
    text = f"物品費500万円。一般管理費は{base}の{rate}まで積めるそうなので{man}万円にしました"
    roles = {q.value: q.role for q in read_quantities(text) if q.unit == "円"}
    assert roles[man * MAN] == "一般管理費" or (man == 500 and len(roles) == 1)


@pytest.mark.parametrize("said", ["{n}件採択済み", "今までに{n}本が通っています", "過年度に{n}件", "すでに{n}件"])
def test_projects_already_adopted_are_read_however_said(said):
    text = f"⑤は{said.format(n=2)}。今年の候補は4本です"
    roles = [(q.role, q.value) for q in read_quantities(text) if q.unit == "件"]
    assert ("採択済件数", 2) in roles and ("件数", 4) in roles


@given(each=st.integers(0, 1), joined=st.sampled_from(["と、", "と", "や"]))
def test_extra_items_named_together_each_get_the_points_said_for_them(each, joined):
    # 「XとYでそれぞれN点」: both named items are scored N (a long description of each, as officers write them)
    r = route(f"⑤の自己採点：基礎6項目 2・2・1・2・1・1。付加項目は、地域のデジタル化に役立つ点{joined}"
              f"宣言企業が推進体制に入っている点でそれぞれ{each}点です。申請率は50%。採択される？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["合計点"] == 2 + 2 + 1 + 2 + 1 + 1 + 2 * each


@given(small=st.integers(5, 19), large=st.integers(20, 49), cost=st.integers(3_100, 4_400))
def test_an_input_given_as_two_alternatives_is_computed_for_each(small, large, cost):
    # 「定員はA人かB人かで迷っていて」: one plan per alternative, each named, neither summed with the other
    r = route(f"高水準で申請します。定員は{small}人か{large}人かで迷っていて、改修費は{cost:,}万円です。国費はそれぞれいくらですか？")
    assert r is not None and r.calculation is not None
    result = r.calculation.result

    def national(eligible: int) -> int:  # 3/4, under 千円 cut off as the adopted examples state it
        return eligible * MAN * 3 // 4 // 1000 * 1000

    assert result["国費"] == national(min(cost, 3000))
    assert result[f"国費（{large}人の場合）"] == national(min(cost, 4500))
    assert r.calculation.summary.startswith(f"{small}人の場合は")


@given(first=st.integers(500, 1_100), second=st.integers(500, 1_100))
def test_two_amounts_of_one_cost_as_alternatives_are_not_summed(first, second):
    assume(first != second)
    r = route(f"標準タイプで、ソフト経費が{first:,}万円か{second:,}万円のどちらかになりそうです。国費は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["国費"] == first * MAN // 2
    assert r.calculation.result[f"国費（{second:,}万円の場合）"] == second * MAN // 2


@pytest.mark.parametrize("said", ["計画上の県外企業の目標が{k}社", "県外企業数の目標を{k}社としています", "KPIの県外企業数は{k}社"])
def test_the_kpis_company_count_is_read_when_said_as_a_target(said):
    text = f"{said.format(k=3)}。④で県外企業5社に80万円ずつ出したい"
    roles = {(q.role, q.value) for q in read_quantities(text) if q.unit == "社"}
    assert ("KPI企業数", 3) in roles and ("社数", 5) in roles


@given(share=st.integers(1, 99), high=st.booleans(), said=st.sampled_from(["比率", "割合"]))
def test_an_outside_user_share_said_alone_is_checked_against_the_type_and_a_miss_is_grade_d(share, high, said):
    kind = "3/4のほう" if high else "1/2のタイプ"
    r = route(f"{kind}で申請します。県外利用者の{said}は{share}%の見込みです。要件は大丈夫ですよね？")
    assert r is not None and r.calculation is not None
    needed = 50 if high else 30
    met = share >= needed
    assert r.calculation.result[f"{'高水準' if high else '標準'}タイプの要件"] is met
    assert ("D評価" in r.calculation.summary) is (not met)


@given(rates=st.lists(st.integers(400, 900), min_size=2, max_size=5),
       names=st.sampled_from([["甲町", "乙町", "丙町", "丁町", "戊町"], ["A村", "B村", "C村", "D村", "E村"]]),
       mark=st.sampled_from(["、", "・", "，"]))
def test_one_input_given_for_several_named_cases_is_computed_for_each_and_totalled(rates, names, mark):
    # 「甲町72.3%、乙町69.9%…」: the same calculation once per named case, each with its own value, and the total asked
    listed = mark.join(f"{names[i]}{r / 10:.1f}%" for i, r in enumerate(rates))
    r = route(f"マイナカードの申請率（12月末見込み）：{listed}。加点はそれぞれ何点で、合計何点ですか。")
    assert r is not None and r.calculation is not None
    result = r.calculation.result
    for i, rate in enumerate(rates):
        assert result[f"加点（{names[i]}）"] == bonus_of(rate / 10)
    assert result["加点（合計）"] == sum(bonus_of(x / 10) for x in rates)


@given(months=st.lists(st.integers(1, 90), min_size=2, max_size=4), each=st.integers(10, 100),
       letters=st.sampled_from(["アイウエオ", "甲乙丙丁戊"]))
def test_companies_lettered_in_katakana_or_kanji_are_each_repaid_by_their_own_period(months, each, letters):
    def share(m: int) -> int:  # in yen: 3年未満 全額, 3年以上5年以内 半額, それ以降 なし
        return each * MAN if m < 36 else each * MAN // 2 if m <= 60 else 0

    listed = "\n".join(f"・{letters[i]}社：申請から{m // 12}年{m % 12}か月で退去" for i, m in enumerate(months))
    falsely = f"・{letters[len(months)]}社：入居契約のみで実際には利用していなかった"  # 全額, whatever its period
    r = route(f"進出支援金はどこも{each}万円です。\n{listed}\n{falsely}\n返還額の総額は？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["返還額の合計"] == sum(share(m) for m in months) + each * MAN


@given(total=st.integers(40, 120).map(lambda x: x * 100), b2=st.integers(2, 30).map(lambda x: x * 50),
       cut=st.integers(1, 29).map(lambda x: x * 50), b1=st.integers(0, 40).map(lambda x: x * 50))
def test_a_later_sentence_changing_an_input_is_computed_as_a_second_case_and_not_added_to_the_first(total, b2, cut, b1):
    # 「外構をN万円まで減らせば？」 after the plan: the plan as given, then the plan with that one input changed
    assume(cut < b2)

    def allowed(outside: int) -> str:  # B2 within 2割 of the 交付対象事業費, B1 + B2 under 5割
        return "可" if outside * 10 <= total * 2 and (outside + b1) * 2 < total else "不可"

    r = route(f"交付対象事業費（施設の整備・運営分）{total:,}万円のうち、外構工事で{b2:,}万円、カフェで{b1:,}万円を計上します。"
              f"要件を満たしますか？外構を{cut:,}万円まで減らせばどうですか？")
    assert r is not None and r.calculation is not None
    assert r.calculation.result["判定"] == allowed(b2)
    assert r.calculation.result[f"判定（{cut:,}万円の場合）"] == allowed(cut)


@pytest.mark.parametrize("missing", ["地元の事業者の参加はまだ得られていません", "推進体制は進出企業のみで組んでいます",
                                     "地元側の法人は結局入っていない状況です"])
@given(points=st.integers(15, 21))
def test_a_fifth_element_plan_without_a_local_partner_fails_its_requirement_whatever_its_points(missing, points):
    # ⑤'s 申請要件: 進出企業 and 地元企業等 each at least one in the 推進体制; a × makes it C, not adopted
    r = route(f"⑤の自己採点は{points}点です。{missing}。採択されますか？")
    assert r is not None and r.calculation is not None
    assert "不採択" in r.calculation.summary and "C評価" in r.calculation.summary


@given(direct=st.integers(100, 5_000), said=st.sampled_from(["上限まで乗せたら？", "限度額いっぱいまで計上したら？", "満額入れたら？"]))
def test_a_follow_up_putting_the_overhead_at_its_limit_reruns_the_earlier_subsidy(direct, said):
    # the 2021 catalogue's satellite-office subsidy: 一般管理費 up to 1/10 of the direct costs, 1/2 of the total, at most
    # 2,000万円; the follow-up gives the overhead as 「at its limit」, no figure
    earlier = f"デジタル活用環境構築推進事業（総務省）で直接経費が{direct:,}万円なら補助額は？"
    r = route(f"では一般管理費も{said}", [Turn("user", earlier), Turn("assistant", "…")])
    assert r is not None and r.calculation is not None
    assert r.calculation.result["補助額"] == min((direct * MAN + direct * MAN // 10) // 2, 2_000 * MAN)


@given(costs=st.lists(st.integers(500, 5_000), min_size=2, max_size=3), kind=st.sampled_from(["高水準", "標準"]))
def test_each_fifth_element_project_shows_its_own_national_share(costs, kind):
    # ⑤: each project's 交付対象事業費 capped at 3,000万円, its 国費 at the type's rate (千円 cut off), beside the total
    listed = "、".join(f"{i + 1}本目は{c:,}万円" for i, c in enumerate(costs))
    r = route(f"{kind}タイプで⑤を{len(costs)}本申請予定。県外企業数のKPIは5社、⑤の採択実績はなし。{listed}。国費はいくら？")
    assert r is not None and r.calculation is not None
    shown = [s.result for s in r.calculation.steps if s.label.startswith("⑤事業") and "の国費" in s.label]
    assert sorted(shown) == sorted(national(min(c, 3_000) * MAN, kind) for c in costs)


@given(cost=st.integers(100, 2000), before=st.sampled_from([5, 8, 9]), after=st.sampled_from([5, 8, 9]))
def test_a_follow_up_keeping_the_cost_and_changing_the_correction_gives_the_change_in_the_measure(cost, before, after):
    assume(before != after)
    history = [Turn("user", f"施策集にある特交（お試しサテライトオフィス）で、対象経費{cost:,}万円・財政力補正0.{before}のとき措置額はいくら？"),
               Turn("assistant", "…")]
    r = route(f"対象経費は{cost:,}万円のままとして財政力補正0.{after}の団体だと、措置額はいくら変わる？", history)
    assert r is not None and r.calculation is not None
    assert r.calculation.result["措置額の増減"] == trial_measure(cost, after) - trial_measure(cost, before)
    assert "対象経費：" not in r.calculation.summary  # the cost kept is no change


@pytest.mark.parametrize("ask", ["いくら少なくなる", "いくら多くなる"])
def test_a_type_change_asking_how_much_less_gives_the_difference(ask):
    history = [Turn("user", "高水準で、30人規模の町営施設と15人規模の民間施設を各1つ上限額で整備し、ソフト経費も上限額で"
                            "計上したら国費の最大は？"), Turn("assistant", "…")]
    r = route(f"これを標準タイプで組んだ場合、最大の国費は{ask}？", history)
    assert r is not None and r.calculation is not None
    eligible = (4500 + 3000 + 1200) * MAN
    assert r.calculation.result["国費の増減"] == national(eligible, "標準") - national(eligible, "高水準")


@pytest.mark.parametrize("rate", [54, 58])
def test_an_input_kept_while_another_falls_is_a_new_case_not_a_difference(rate):
    history = [Turn("user", "高水準タイプで申請予定。①～④の素点21点で、マイナンバーカード申請率70%のとき採択区分は？"),
               Turn("assistant", "…")]
    r = route(f"素点はそのままとして、申請率が{rate}%まで下がったら？", history)
    assert r is not None and r.calculation is not None
    assert not any("増減" in k for k in r.calculation.result)


@given(described=st.lists(st.sampled_from(sorted(_APPLICANT_KINDS)), min_size=2, max_size=6),
       each=st.integers(30, 150), kpi=st.integers(1, 6), kind=st.sampled_from(["高水準", "標準"]))
def test_applicants_listed_without_amounts_take_the_one_amount_said_for_them_all(described, each, kpi, kind):
    listed = "、".join(f"{chr(65 + i)}：{d}" for i, d in enumerate(described))
    r = route(f"{kind}タイプ採択、KPIの県外企業{kpi}社。進出支援金の申請が来ました。{listed}。"
              f"どの社も1社{each}万円を予定しています。支給できるのはどこで、国費はいくらですか？")
    qualified = [chr(65 + i) for i, d in enumerate(described) if _APPLICANT_KINDS[d]]
    if not qualified:
        return
    assert r is not None and r.calculation is not None
    assert r.calculation.result["支給対象"] == "・".join(qualified)  # a 出資金 describes the applicant, pays nothing
    n, d = (3, 4) if kind == "高水準" else (1, 2)
    assert r.calculation.result["国費"] == min(len(qualified), kpi) * min(each, 100) * MAN * n // d // 1000 * 1000
