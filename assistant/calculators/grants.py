"""Grant amounts: 国費 from 総事業費 by facility size and type, ⑤ projects, ④ 進出支援金, the 2021 measures."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.common import count, floor_to, grant_type, optional, rate_of, yen
from assistant.calculators.rules import fraction, integer, integers, rule
from assistant.errors import CalculationError
from assistant.types import Calculation


def _rate(kind: str) -> tuple[Fraction, str]:
    rate, stated = rate_of(kind)
    return rate, stated.name


def _frac(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


def size_band(people: int) -> tuple[str, str]:
    """収容可能人数 -> (cap rule, band label)."""
    small, large = integers("size_bands")
    if people < small:
        return "cap_facility_under20", "20人未満"
    if people < large:
        return "cap_facility_20to49", "20人以上50人未満"
    return "cap_facility_50plus", "50人以上"


def grant_amount(inputs: Mapping[str, object]) -> Calculation:
    total = yen(inputs, "総事業費", "事業費", "交付対象事業費")
    people = count(inputs, "収容可能人数", "利用定員", "定員")
    kind = grant_type(inputs)
    if people == 0:
        raise CalculationError("「収容可能人数」は1人以上で指定してください")
    cap_name, band = size_band(people)
    cap = integer(cap_name)
    rate, rate_name = _rate(kind)
    eligible = min(total, cap)
    national = floor_to(eligible * rate, integer("national_truncation"))
    capped = total > cap
    formula = (
        f"min(総事業費 {fy(total)}, 上限 {fy(cap)}) × {_frac(rate)} = {fy(national)}（千円未満切り捨て）"
    )
    summary = (
        f"国費は{fy(national)}です（{band}の施設の上限{fy(cap)}"
        + ("を適用" if capped else "の範囲内")
        + f"、{kind}タイプ 補助率{_frac(rate)}）。"
    )
    return Calculation(
        kind="grant_amount",
        inputs={"総事業費": total, "収容可能人数": people, "タイプ": kind},
        result={"国費": national, "国費_表示": fy(national), "交付対象事業費": eligible, "地方負担": eligible - national,
                "上限額": cap, "上限適用": capped, "規模区分": band},
        formula=formula,
        summary=summary,
        rules=(rule(cap_name), rule("size_bands"), rule(rate_name), rule("national_truncation")),
    )


def project5_grant(inputs: Mapping[str, object]) -> Calculation:
    total = yen(inputs, "総事業費", "事業費", "交付対象事業費")
    kind = grant_type(inputs)
    cap = integer("project5_cap")
    rate, rate_name = _rate(kind)
    eligible = min(total, cap)
    national = floor_to(eligible * rate, integer("national_truncation"))
    return Calculation(
        kind="project5_grant",
        inputs={"総事業費": total, "タイプ": kind},
        result={"国費": national, "国費_表示": fy(national), "交付対象事業費": eligible, "上限適用": total > cap},
        formula=f"min(総事業費 {fy(total)}, 1プロジェクト上限 {fy(cap)}) × {_frac(rate)} = {fy(national)}",
        summary=f"国費は{fy(national)}です（⑤事業 1プロジェクト上限{fy(cap)}"
        + ("を適用" if total > cap else "の範囲内") + f"、①～④と同じ{kind}タイプ {_frac(rate)}）。",
        rules=(rule("project5_cap"), rule("project5_national"), rule(rate_name), rule("p5_type_same"),
               rule("national_truncation")),
    )


UP_TO_THE_LIMIT = "件数の上限まで"  # as many companies as the KPI's count allows


def relocation_support_national(inputs: Mapping[str, object]) -> Calculation:
    if inputs.get("社数") == UP_TO_THE_LIMIT:
        inputs = {**inputs, "社数": count(inputs, "KPI企業数", maximum=10_000)}
    companies = count(inputs, "社数", maximum=10_000)
    per_company_raw = optional(inputs, "支給額", "1社あたり支給額")
    maximum = integer("relocation_max")
    per_company = maximum if per_company_raw is None else yen(inputs, "支給額", "1社あたり支給額")
    if per_company > maximum:
        raise CalculationError(f"進出支援金は1社あたり最大{fy(maximum)}です（指定: {fy(per_company)}）")
    kind = grant_type(inputs)
    rate, rate_name = _rate(kind)
    per_national = floor_to(per_company * rate, 1)
    # the companies the grant can pay: no more than the KPI's outside-prefecture companies (件数の上限)
    kpi = count(inputs, "KPI企業数", maximum=10_000) if optional(inputs, "KPI企業数") is not None else None
    paid = companies if kpi is None else min(companies, kpi)
    total = per_national * paid
    burden = per_company * paid - total  # what the 団体 pays of the support it gives (the rest of each payment)
    national_rule = "relocation_national_high" if kind == "高水準" else "relocation_national_standard"
    limit = "" if kpi is None else f"min({companies}社, KPIの県外企業数 {kpi}社) = {paid}社\n"
    limited = "" if kpi is None or paid == companies else f"、KPIの県外企業数{kpi}社が上限のため{companies}社のうち{paid}社分"
    return Calculation(
        kind="relocation_support_national",
        inputs={"社数": companies, "支給額": per_company, "タイプ": kind, **({"KPI企業数": kpi} if kpi is not None else {})},
        result={"国費合計": total, "国費合計_表示": fy(total), "1社あたり国費": per_national, "支給総額": per_company * paid,
                "地方負担": burden, **({"交付対象社数": paid} if kpi is not None else {})},
        formula=f"{limit}{fy(per_company)} × {_frac(rate)} × {paid}社 = {fy(total)}\n"
                f"地方負担：{fy(per_company * paid)} − {fy(total)} = {fy(burden)}",
        summary=f"国費の合計は{fy(total)}、地方負担は{fy(burden)}です（1社あたり国費{fy(per_national)} × {paid}社{limited}、"
                f"{kind}タイプ）。",
        rules=(rule("relocation_max"), rule(national_rule), rule(rate_name),
               *((rule("relocation_count_limit"), rule("project5_count_limit")) if kpi is not None else ())),
    )


def digital_env_grant(inputs: Mapping[str, object]) -> Calculation:
    cost = yen(inputs, "事業費", "総事業費")
    rate = fraction("c_digital_rate")
    cap = integer("c_digital_cap")
    subsidy = min(floor_to(cost * rate, 1), cap)
    return Calculation(
        kind="digital_env_grant",
        inputs={"事業費": cost},
        result={"補助額": subsidy, "補助額_表示": fy(subsidy), "上限適用": cost * rate > cap},
        formula=f"min(事業費 {fy(cost)} × {_frac(rate)}, 補助上限額 {fy(cap)}) = {fy(subsidy)}",
        summary=f"補助額は{fy(subsidy)}です（デジタル活用環境構築推進事業：補助率{_frac(rate)}、補助上限額{fy(cap)}）。",
        rules=(rule("c_digital_rate"), rule("c_digital_cap")),
    )


def overhead_limit(inputs: Mapping[str, object]) -> Calculation:
    direct = yen(inputs, "直接経費合計", "直接経費")
    share = fraction("c_overhead")
    limit = floor_to(direct * share, 1)
    return Calculation(
        kind="overhead_limit",
        inputs={"直接経費合計": direct},
        result={"一般管理費上限": limit, "一般管理費上限_表示": fy(limit)},
        formula=f"直接経費合計 {fy(direct)} × {_frac(share)} = {fy(limit)}",
        summary=f"一般管理費は最大{fy(limit)}まで計上できます（直接経費合計の1/10以内）。",
        rules=(rule("c_overhead"),),
    )


def trial_office_tax(inputs: Mapping[str, object]) -> Calculation:
    cost = yen(inputs, "対象経費")
    cap = integer("c_trial_cap")
    rate = fraction("c_trial_rate")
    given = optional(inputs, "財政力補正")
    correction = Fraction(str(given or 1))
    if not 0 < correction <= 2:
        raise CalculationError("「財政力補正」は0より大きく2以下の係数で指定してください")
    amount = floor_to(min(cost, cap) * rate * correction, 1)
    shown = f"{float(correction):g}"  # a coefficient as officers write it (0.9), not as a fraction (9/10)
    return Calculation(
        kind="trial_office_tax",
        inputs={"対象経費": cost, "財政力補正": shown},
        result={"措置額": amount, "措置額_表示": fy(amount), "対象経費_上限適用": cost > cap},
        formula=f"min(対象経費 {fy(cost)}, 上限 {fy(cap)}) × 0.5 × 財政力補正 {shown} = {fy(amount)}",
        summary=(f"特別交付税の措置額は{fy(amount)}です（対象経費の上限1団体{fy(cap)}、措置率0.5×財政力補正{shown}）。"
                 if given else f"特別交付税の措置額は{fy(amount)}×財政力補正です（対象経費の上限1団体{fy(cap)}、措置率0.5×"
                 f"財政力補正。財政力補正の値は資料に記載がありません）。"),
        rules=(rule("c_trial_cap"), rule("c_trial_rate")),
    )


def local_burden_2021(inputs: Mapping[str, object]) -> Calculation:
    cost = yen(inputs, "事業費", "総事業費")
    kind = grant_type(inputs)
    rate = fraction("c_rate_high" if kind == "高水準" else "c_rate_standard")
    national = floor_to(cost * rate, 1)
    burden = cost - national
    rinji = floor_to(burden * fraction("c_rinji_share"), 1)
    real = burden - rinji
    return Calculation(
        kind="local_burden_2021",
        inputs={"事業費": cost, "タイプ": kind},
        result={"国費": national, "地方負担": burden, "臨時交付金充当": rinji, "実質的な地方負担": real,
                "実質的な地方負担_表示": fy(real)},
        formula=f"地方負担 = {fy(cost)} × (1 − {_frac(rate)}) = {fy(burden)}; 実質 = 地方負担 × (1 − 8割) = {fy(real)}",
        summary=f"実質的な地方負担は{fy(real)}です（国費{fy(national)}、地方負担{fy(burden)}の8割{fy(rinji)}に臨時交付金を充当）。",
        rules=(rule("c_rate_high" if kind == "高水準" else "c_rate_standard"), rule("c_rinji_share")),
    )


def b1_b2_check(inputs: Mapping[str, object]) -> Calculation:
    base = yen(inputs, "交付対象事業費", "総事業費")
    b1 = yen(inputs, "B1") if optional(inputs, "B1") is not None else 0
    b2 = yen(inputs, "B2") if optional(inputs, "B2") is not None else 0
    if base == 0:
        raise CalculationError("「交付対象事業費」は0より大きい金額で指定してください")
    b1_share, b2_share, total_share = fraction("b1_limit"), fraction("b2_limit"), fraction("b_total_limit")
    b2_max = floor_to(base * b2_share, 1)
    problems = []
    if b2 > base * b2_share:
        problems.append(f"経費B2 {fy(b2)} が上限（2割以内）{fy(b2_max)} を超えています")
    if b1 >= base * b1_share:
        problems.append(f"経費B1 {fy(b1)} が5割未満（{fy(floor_to(base * b1_share, 1))}未満）ではありません")
    if b1 + b2 >= base * total_share:
        problems.append(f"B1+B2 {fy(b1 + b2)} が5割未満ではありません")
    ok = not problems
    summary = (
        "認められます（B2は2割以内、B1・B1+B2は5割未満に収まっています）。"
        if ok
        else "認められません（不可）：" + "。".join(problems) + "。"
    )
    return Calculation(
        kind="b1_b2_check",
        inputs={"交付対象事業費": base, "B1": b1, "B2": b2},
        result={"可否": "可" if ok else "不可", "B2上限": b2_max, "B2上限_表示": fy(b2_max),
                "B1上限_未満": floor_to(base * b1_share, 1)},
        formula=f"B2 ≤ {fy(base)} × 2/10 = {fy(b2_max)}; B1 < {fy(base)} × 5/10; B1 + B2 < {fy(base)} × 5/10",
        summary=summary,
        rules=(rule("b1_limit"), rule("b2_limit"), rule("b_total_limit")),
    )


MAX_PLAN_FACILITIES = 3


def plan_total(inputs: Mapping[str, object]) -> Calculation:
    """A municipality's whole ①② plan: up to three facilities (each capped by its size band) plus soft costs
    (capped per 団体), checked against the facility-count limits, then one rate and one truncation."""
    kind = grant_type(inputs)
    rate, rate_name = _rate(kind)
    facilities = []
    for i in range(1, MAX_PLAN_FACILITIES + 1):
        people_given = optional(inputs, f"施設{i}_収容可能人数")
        cost_given = optional(inputs, f"施設{i}_総事業費")
        if people_given is None and cost_given is None:
            continue
        if people_given is None or cost_given is None:
            missing = f"施設{i}_総事業費" if people_given is not None else f"施設{i}_収容可能人数"
            raise CalculationError(f"施設{i}の「{missing.split('_')[1]}」が必要です (missing input: {missing})")
        people = count(inputs, f"施設{i}_収容可能人数")
        if people == 0:
            raise CalculationError(f"施設{i}の「収容可能人数」は1人以上で指定してください")
        facilities.append((i, people, yen(inputs, f"施設{i}_総事業費")))
    soft = yen(inputs, "ソフト経費") if optional(inputs, "ソフト経費") is not None else 0
    stated = count(inputs, "施設数", maximum=1_000) if optional(inputs, "施設数") is not None else len(facilities)
    if stated > integer("facility_limit_total"):  # a plan of more facilities than the form has slots for
        raise CalculationError(f"1団体の施設数の上限は合計{integer('facility_limit_total')}施設です（計画: {stated}施設）")
    if not facilities and not soft:
        raise CalculationError("施設（収容可能人数と総事業費）かソフト経費を1つ以上指定してください")

    # The plan must fit the per-団体 facility limits (合計3施設; 20人未満3 / 20人以上50人未満2 / 50人以上1).
    by_band: dict[str, int] = {}
    for _, people, _ in facilities:
        by_band[size_band(people)[1]] = by_band.get(size_band(people)[1], 0) + 1
    per_band = list(integers("facility_limit_by_size"))  # small to large
    band_limits = dict(zip(("20人未満", "20人以上50人未満", "50人以上"), per_band, strict=True))
    if len(facilities) > integer("facility_limit_total"):
        raise CalculationError(f"1団体の施設数の上限は合計{integer('facility_limit_total')}施設です")
    for band, n in by_band.items():
        if n > band_limits[band]:
            raise CalculationError(f"{band}の施設は1団体{band_limits[band]}施設までです（計画: {n}施設）")

    parts, eligible_total, notes = [], 0, []
    for i, people, cost in facilities:
        cap_name, band = size_band(people)
        cap = integer(cap_name)
        eligible = min(cost, cap)
        eligible_total += eligible
        parts.append(f"施設{i} min({fy(cost)}, {fy(cap)})")
        if cost > cap:
            notes.append(f"施設{i}（{band}）は上限{fy(cap)}を適用")
    soft_cap = integer("soft_cost_limit")
    soft_eligible = min(soft, soft_cap)
    if soft:
        eligible_total += soft_eligible
        parts.append(f"ソフト経費 min({fy(soft)}, {fy(soft_cap)})")
        if soft > soft_cap:
            notes.append(f"ソフト経費は1団体{fy(soft_cap)}を適用")
    national = floor_to(eligible_total * rate, integer("national_truncation"))
    formula = f"({' + '.join(parts)}) = {fy(eligible_total)} × {_frac(rate)} = {fy(national)}（千円未満切り捨て）"
    summary = (
        f"国費の合計は{fy(national)}です（交付対象事業費{fy(eligible_total)} × {kind}タイプ {_frac(rate)}"
        + (f"；{'、'.join(notes)}" if notes else "")
        + "）。"
    )
    used = {size_band(p)[0] for _, p, _ in facilities}
    rules = tuple(rule(name) for name in sorted(used))
    if facilities:
        rules += (rule("size_bands"), rule("facility_limit_total"), rule("facility_limit_by_size"))
    if soft:
        rules += (rule("soft_cost_limit"),)
    return Calculation(
        kind="plan_total",
        inputs={**{f"施設{i}_収容可能人数": p for i, p, _ in facilities},
                **{f"施設{i}_総事業費": c for i, _, c in facilities}, "ソフト経費": soft, "タイプ": kind},
        result={"国費合計": national, "国費合計_表示": fy(national), "交付対象事業費合計": eligible_total,
                "地方負担": eligible_total - national, "施設数": len(facilities)},
        formula=formula,
        summary=summary,
        rules=(*rules, rule(rate_name), rule("national_truncation")),
    )
