"""My Number card bonus points, the grade of a score and the adoption decision (①～④ and ⑤ sheets)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

from assistant.calculators.amounts import format_yen
from assistant.calculators.common import (
    calculation_of,
    count,
    floor_to,
    grant_type,
    optional,
    percent,
    rate_of,
    yen,
)
from assistant.calculators.rules import fraction, integer, integers, rule
from assistant.programme_parts import FACILITIES, FIFTH
from assistant.types import Calculation, Rule, Step


def _flag(value: object) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "はい", "あり", "有", "×"}


def top_mynumber_bonus() -> int:
    """The most the My Number bonus gives: one point from the national average, one more at each band (60%, 70%)."""
    return len(integers("mynumber_bands")) + 1


def rate_for_bonus(points: int) -> str:
    """The least 12月末 申請率 that gives `points` of the My Number bonus (1: the national average, then each band)."""
    if points <= 1:
        return f"全国平均{float(fraction('mynumber_average')):g}%以上"
    return f"{integers('mynumber_bands')[points - 2]}%以上"


def mynumber_bonus(inputs: Mapping[str, object]) -> Calculation:
    rate = percent(inputs, "12月末申請率", "申請率")
    average = fraction("mynumber_average")
    band60, band70 = (Fraction(v) for v in integers("mynumber_bands"))
    if rate < average:
        points, label = 0, f"全国平均{float(average):g}%未満のため加点無し（0点）"
    elif rate < band60:
        points, label = 1, "平均以上～60%未満のため加点は1点"
    elif rate < band70:
        points, label = 2, "60%以上～70%未満のため加点は2点"
    else:
        points, label = 3, "70%以上のため加点は3点"
    shown = f"{float(rate):g}%"
    # the bonus is counted on the rate at 12月末 (「実際の加点は12月末時点の申請率に基づき算定」), whatever other
    # month the asker also names
    summary = f"12月末の申請率{shown}は{label}です。" if points else f"12月末の申請率{shown}は11月末の交付率全国平均{float(average):g}%未満のため、加点無し（0点）です。"
    return Calculation(
        kind="mynumber_bonus",
        inputs={"12月末申請率": shown},
        result={"加点": points},
        formula=(f"{shown} → {float(average):g}%未満:0点 / {float(average):g}%以上{band60}%未満:1点 / "
                 f"{band60}%以上{band70}%未満:2点 / {band70}%以上:3点 = {points}点"),
        summary=summary,
        rules=(rule("mynumber_average"), rule("mynumber_bands")),
    )


def grade(score: int, any_cross: bool = False) -> tuple[str, str]:
    """①～④ sheet: score -> (grade, rule used)."""
    if any_cross:
        return "D", "grade_cross"
    for letter, name in (("S", "grade_s"), ("A", "grade_a"), ("B", "grade_b"), ("C", "grade_c")):
        if score >= integer(name):
            return letter, name
    return "D", "grade_d"


def decision_of(letter: str, applied: str | None) -> tuple[str, str]:
    """①～④: the adoption type a grade gives (高水準 needs 「A」 or better and a 高水準 application; 標準 needs
    「C」 or better) and the rule that says so."""
    order = "SABCD"
    if applied != "標準" and order.index(letter) <= order.index("A"):
        return "高水準タイプで採択", "adopt_high"
    if order.index(letter) <= order.index("C"):
        return "標準タイプで採択", "adopt_standard"
    return "不採択", "adopt_standard"


def _rated(decision: str) -> tuple[str, tuple[Rule, ...]]:
    """「標準タイプで採択」 with the adopted type's rate (「標準タイプ（補助率1/2）で採択」) and the rule stating it:
    an officer's next question is what the type means in money."""
    if not decision.endswith("タイプで採択"):
        return decision, ()
    adopted = decision.removesuffix("タイプで採択").split("タイプで申請すれば")[-1]
    rate, rate_rule = rate_of(adopted)
    return decision.replace(f"{adopted}タイプで採択", f"{adopted}タイプ（補助率{rate.numerator}/{rate.denominator}）で採択"), (rate_rule,)


def adoption_of_grade(letter: str, applied: str | None) -> Calculation:
    """A grade stated rather than scored: the adoption type it gives."""
    decision, adopt_rule = decision_of(letter, applied)
    if applied == "高水準" and decision != "高水準タイプで採択":
        summary = (f"{letter}評価では高水準タイプでは採択されず、{decision}となります"
                   f"（高水準タイプは「A」評価以上）。" if decision != "不採択" else f"{letter}評価は不採択です。")
    else:
        summary = f"{letter}評価は{_rated(decision)[0]}となります" + (f"（{applied}タイプで申請）。" if applied else "。")
        if applied == "標準" and decision == "標準タイプで採択" and decision_of(letter, "高水準")[0] == "高水準タイプで採択":
            # the grade would carry a 高水準 application: the type applied for, not the grade, keeps it at 標準
            summary += "高水準タイプで採択されるのは高水準タイプで申請し「A」評価以上の場合で、評価によって格上げはされません。"
    used: tuple[Rule, ...] = (rule(adopt_rule),) if adopt_rule == "adopt_high" else (rule(adopt_rule), rule("adopt_high"))
    used += _rated(decision)[1]
    return Calculation(
        kind="adoption_of_grade",
        inputs={"総合評価": letter, "申請タイプ": applied or "（未指定）"},
        result={"評価": letter, "採択区分": decision},
        formula=f"{letter}評価（{applied or '申請タイプ未指定'}）→ {decision}（高水準：「A」以上、標準：「C」以上）",
        summary=summary,
        rules=used,
    )


def _bonus_dependence(score: int, applied: str | None, decision: str) -> str:
    """The My Number bonus was not given: the least bonus that would change the outcome, if any (the asker's
    12月末 申請率 decides it)."""
    for bonus in range(1, 4):
        letter, _ = grade(score + bonus, False)
        other, _ = decision_of(letter, applied)
        if other != decision:
            return (f"ただし加点（12月末のマイナンバーカード申請率による0～3点）は含めていません。加点{bonus}点以上なら"
                    f"{score + bonus}点以上で{letter}評価、{_rated(other)[0]}です。申請率を教えていただければ確定します。")
    return ""


def adoption_decision(inputs: Mapping[str, object]) -> Calculation:
    applied = grant_type(inputs, "申請タイプ") if optional(inputs, "申請タイプ", "タイプ") is not None else None
    score = count(inputs, "総合評価点数", "点数", maximum=integer("max_score") + 3)
    bonus = count(inputs, "加点", maximum=top_mynumber_bonus()) if optional(inputs, "加点") is not None else 0
    cross = _flag(optional(inputs, "申請要件×") or "")
    total = score + bonus
    letter, grade_rule = grade(total, cross)
    order = "SABCD"
    decision, adopt_rule = decision_of(letter, applied)
    reason = "申請要件に「×」があるため" if cross else f"{total}点は"
    summary = f"{reason}{letter}評価で、{_rated(decision)[0]}となります（{applied}タイプで申請）。"
    cost = optional(inputs, "交付対象事業費")
    national_note = ""
    extra_rules: tuple[Rule, ...] = ()
    result_extra: dict[str, object] = {}
    if cost is not None and decision.endswith("タイプで採択") and applied is not None:
        # 国費 asked with the score: the adopted type's rate on the eligible cost, truncated to 千円
        adopted = decision.removesuffix("タイプで採択")
        rate, rate_rule = rate_of(adopted)
        national = floor_to(yen(inputs, "交付対象事業費") * rate, integer("national_truncation"))
        national_note = (f"\n・国費：{format_yen(yen(inputs, '交付対象事業費'))} × {rate.numerator}/{rate.denominator}"
                         f"（{adopted}タイプ）= {format_yen(national)}")
        local = yen(inputs, "交付対象事業費") - national
        national_note += f"\n・地方負担：{format_yen(yen(inputs, '交付対象事業費'))} − {format_yen(national)} = {format_yen(local)}"
        summary += (f"国費は{format_yen(national)}、地方負担は{format_yen(local)}です"
                    f"（{adopted}タイプの補助率{rate.numerator}/{rate.denominator}）。")
        extra_rules, result_extra = (rate_rule,), {"国費": national, "地方負担": local}
    if decision == "不採択":
        unmet = optional(inputs, "満たさない申請要件")
        summary = (f"申請要件に「×」があるため{f'（{unmet}）' if unmet else ''}D評価となり、点数（{total}点）にかかわらず不採択です。"
                   if cross
                   else f"{reason}{letter}評価のため、不採択となります。")
    elif applied is None:
        # The grade alone was asked (or the type is not known): say what each type would give.
        decision = "高水準タイプで申請すれば高水準タイプで採択" if adopt_rule == "adopt_high" else decision
        summary = (f"{reason}{letter}評価です（加点を含む総合評価点数{total}点）。"
                   + ("高水準タイプで申請していれば高水準タイプ、標準タイプなら標準タイプで採択の見込みです。"
                      if order.index(letter) <= order.index("A") else f"{decision}の見込みです。"))
    if optional(inputs, "加点") is None and not cross:
        summary += _bonus_dependence(score, applied, decision)
    return Calculation(
        kind="adoption_decision",
        inputs={"申請タイプ": applied or "（未指定）", "総合評価点数": score, "加点": bonus, "申請要件×": cross},
        result={"評価": letter, "採択区分": decision, "合計点": total, **result_extra},
        formula=f"{score}点 + 加点{bonus}点 = {total}点 → {letter}評価（"
                + ", ".join(f"{g}≥{integer(n)}" for g, n in (("S", "grade_s"), ("A", "grade_a"), ("B", "grade_b"), ("C", "grade_c")))
                + f"）→ {decision}" + national_note,
        summary=summary,
        rules=((rule(grade_rule), rule(adopt_rule), rule("adopt_high")) if adopt_rule != "adopt_high"
               else (rule(grade_rule), rule(adopt_rule))) + (extra_rules or _rated(decision)[1]),
    )


def project5_adoption(inputs: Mapping[str, object]) -> Calculation:
    score = count(inputs, "総合評価点数", "点数", maximum=integer("p5_max_score") + 3)
    bonus = count(inputs, "加点", maximum=top_mynumber_bonus()) if optional(inputs, "加点") is not None else 0
    cross = _flag(optional(inputs, "申請要件×") or "")
    kind = grant_type(inputs) if optional(inputs, "タイプ") is not None else None
    cost = optional(inputs, "事業費")
    total = score + bonus
    if cross:
        letter, grade_rule = "C", "p5_grade_cross"
    else:
        letter, grade_rule = "C", "p5_grade_b"
        for candidate, name in (("S", "p5_grade_s"), ("A", "p5_grade_a"), ("B", "p5_grade_b")):
            if total >= integer(name):
                letter, grade_rule = candidate, name
                break
    adopted = letter in "SAB"
    decision = "採択" if adopted else "不採択"
    used = [rule(grade_rule), rule("p5_adopt")]
    summary = (f"⑤事業は{total}点で{letter}評価となり、採択となります（採択ラインは「B」評価以上）。" if adopted else
               f"⑤事業は{total}点ですが、申請要件に「×」があるためC評価となり、不採択です（申請要件に一つでも「×」が"
               f"つくとC評価）。" if cross else
               f"⑤事業は{total}点で{letter}評価となり、不採択です（採択ラインは「B」評価以上）。")
    result: dict[str, object] = {"評価": letter, "採択区分": decision, "合計点": total}
    reaching = ""
    if not adopted and not cross:  # how far the line is: B needs p5_grade_b points
        short = integer("p5_grade_b") - total
        summary += f"B評価（{integer('p5_grade_b')}点以上）まであと{short}点必要です。"
        result["採択までの不足点"] = short
        if bonus + short <= top_mynumber_bonus():
            # the 申請率 whose bonus makes up the shortfall (the bonus is the asker's lever left)
            rate_needed = rate_for_bonus(bonus + short)
            summary += f"12月末の申請率が{rate_needed}なら加点{bonus + short}点で{score + bonus + short}点となり、B評価に届きます。"
            result["届く申請率"] = rate_needed
            reaching = f"\n申請率{rate_needed} → 加点{bonus + short}点：{score}点 + {bonus + short}点 = {score + bonus + short}点 → B評価"
            used.append(rule("mynumber_bands"))
    if adopted and kind is not None:
        summary = f"⑤事業は{total}点で{letter}評価となり、{_rated(kind + 'タイプで採択')[0]}の見込みです（①～④と同じタイプ、採択は「B」評価以上）。"
        result["採択タイプ"] = kind
        used.append(rule("p5_type_same"))
        if cost is not None:
            cap = integer("project5_cap")
            rate, rate_rule = rate_of(kind)
            spent = yen(inputs, "事業費")
            national = floor_to(min(spent, cap) * rate, integer("national_truncation"))
            over = f"上限を超える{format_yen(spent - cap)}は交付対象外" if spent > cap else ""
            # what the 団体 and its partners are left to find is a result whether asked or not (a follow-up may ask
            # how it moves): the whole cost less the national share, the part over the cap included
            summary += (f"国費は{format_yen(national)}です（事業費は1プロジェクト{format_yen(cap)}まで × "
                        f"{rate.numerator}/{rate.denominator}{'、' + over if over else ''}）。"
                        f"残る{format_yen(spent - national)}は地方負担です。")
            result["国費"] = national
            result["地方負担"] = spent - national
            if spent > cap:
                result["交付対象外"] = spent - cap
            used += [rule("project5_cap"), rate_rule]
    thresholds = ", ".join(f"{letter_}≥{integer(name)}" for letter_, name in (("S", "p5_grade_s"), ("A", "p5_grade_a"), ("B", "p5_grade_b")))
    return Calculation(
        kind="project5_adoption",
        inputs={"総合評価点数": score, "加点": bonus, "申請要件×": cross, **({"タイプ": kind} if kind else {})},
        result=result,
        formula=f"{score}点 + 加点{bonus}点 = {total}点 → {letter}評価（{thresholds}）→ {decision}{reaching}",
        summary=summary,
        rules=tuple(used),
    )


def kpi_check(inputs: Mapping[str, object]) -> Calculation:
    """Does a plan's 2026 KPI meet its type's requirements (高水準: 3社・5割・人口の0.01%; 標準: 1社・3割・設定)?
    The checks are the KPI program's (assistant/calculators/checks.py), for the one type given."""
    from assistant.calculators import checks

    kind = grant_type(inputs)
    companies = count(inputs, "県外企業数")
    share = percent(inputs, "県外利用者割合")
    migrants = count(inputs, "移住者数", maximum=10_000_000)
    population = count(inputs, "市町村人口", maximum=100_000_000) if kind == "高水準" else None
    checked = checks.kpi_check((kind,), companies, None, None, migrants, population, stated_share=share / 100)
    met = bool(checked.result[f"{kind}タイプの要件"])
    return replace(checked, inputs={"タイプ": kind, "県外企業数": companies, "県外利用者割合": f"{float(share):g}%",
                                    "移住者数": migrants, **({"市町村人口": population} if population is not None else {})},
                   result={"判定": "充足" if met else "未達", **checked.result})


def migrants_minimum(inputs: Mapping[str, object]) -> Calculation:
    """The smallest 移住者数 KPI a 高水準 plan may set: 0.01% of the municipality's population, rounded up
    to whole people (3.2人 -> 4人: a KPI of 3 would fall short of the requirement)."""
    population = count(inputs, "市町村人口", maximum=100_000_000)
    share = fraction("kpi_high_migrants")
    exact = share * population
    minimum = math.ceil(exact)
    if optional(inputs, "タイプ") is not None and grant_type(inputs) == "標準":
        # the 標準 KPI sets a number of movers but no floor: the 高水準 floor is told beside it for comparison
        return Calculation(
            kind="migrants_minimum",
            inputs={"市町村人口": population, "タイプ": "標準"},
            result={"移住者数の下限": None, "高水準の下限": minimum},
            formula=f"標準タイプ：移住者数を設定（下限なし）／高水準タイプ：{population:,}人 × 0.01% = {float(exact):g}人 → {minimum}人",
            summary=(f"標準タイプでは移住者数の目標を設定すればよく、人口比の下限は定められていません（高水準タイプなら人口の"
                     f"0.01%以上で{minimum}人以上）。"),
            rules=(rule("kpi_standard_migrants"), rule("kpi_high_migrants")),
        )
    return Calculation(
        kind="migrants_minimum",
        inputs={"市町村人口": population},
        result={"移住者数の下限": minimum, "人口の0.01%": f"{float(exact):g}"},
        formula=f"{population:,}人 × 0.01% = {float(exact):g}人 → 切り上げ {minimum}人",
        summary=f"高水準タイプでは移住者数のKPIを{minimum}人以上に設定する必要があります（人口{population:,}人の0.01% = {float(exact):g}人）。",
        rules=(rule("kpi_high_migrants"),),
    )


def score_needed(rate: Fraction | None, bonus: int | None) -> Calculation:
    """The least raw total of the 12 viewpoints for each outcome, given the My Number bonus (from the 12月末
    申請率, or stated): 高水準 needs 「A」, any adoption 「C」; below that, 不採択."""
    steps: list[Step] = []
    used = [rule("grade_a"), rule("grade_c"), rule("adopt_high")]
    if bonus is None:
        found = mynumber_bonus({"12月末申請率": f"{float(rate or 0):g}%"})
        bonus = int(found.result["加点"])  # type: ignore[call-overload]
        steps.append(Step("band", f"加点：{found.formula}", {}, bonus, rule("mynumber_bands")))
        used.append(rule("mynumber_bands"))
    high = max(0, integer("grade_a") - bonus)
    adopt = max(0, integer("grade_c") - bonus)
    steps.append(Step("difference", f"高水準タイプ（A評価 {integer('grade_a')}点以上）：{integer('grade_a')} − 加点{bonus} = 素点{high}点以上",
                      {}, high, rule("grade_a")))
    steps.append(Step("difference", f"採択（C評価 {integer('grade_c')}点以上）：{integer('grade_c')} − 加点{bonus} = 素点{adopt}点以上",
                      {}, adopt, rule("grade_c")))
    summary = (f"加点{bonus}点なら、高水準タイプでの採択には12観点の素点{high}点以上（加点後{integer('grade_a')}点以上のA評価）が必要です。"
               f"素点{adopt}～{high - 1}点は標準タイプでの採択、素点{adopt - 1}点以下は不採択です（申請要件に「×」があれば点数にかかわらず不採択）。")
    return Calculation(
        kind="score_needed", inputs={"加点": bonus, **({"12月末申請率": f"{float(rate):g}%"} if rate is not None else {})},
        result={"高水準に必要な素点": high, "採択に必要な素点": adopt, "加点": bonus},
        formula="\n".join(f"・{s.label}" for s in steps), summary=summary, rules=tuple(dict.fromkeys(used)), steps=tuple(steps))


# ---- the two scales side by side: their highest totals, S's share of them, the average a grade needs --------------
def _scales(parts: tuple[str, ...]) -> list[tuple[str, int, Rule, list[tuple[str, Rule]]]]:
    """(part, 満点, its rule, [(grade letter, its threshold rule)]) for ①～④ and ⑤, as asked."""
    out = []
    if FACILITIES in parts:
        out.append((FACILITIES, integer("max_score"), rule("max_score"),
                    [("S", rule("grade_s")), ("A", rule("grade_a"))]))
    if FIFTH in parts:
        out.append((FIFTH, integer("p5_max_score"), rule("p5_max_score"),
                    [("S", rule("p5_grade_s")), ("A", rule("p5_grade_a"))]))
    return out


def scale_arithmetic(parts: tuple[str, ...], asks: frozenset[str], bonus: int | None = None) -> Calculation:
    """Figures of the scoring scales themselves, for the parts asked (①～④, ⑤): the highest total with the My
    Number bonus at its top and its margin over S (`highest`), S's threshold as a share of the raw 満点 (`s_share`),
    and the average per viewpoint A and S need, with and without a given bonus (`average`, ①～④ only: its 12
    viewpoints)."""
    top_bonus = top_mynumber_bonus()
    steps: list[Step] = []
    result: dict[str, object] = {}
    sentences: list[str] = []
    shares: dict[str, float] = {}
    for part, full, full_rule, grades in _scales(parts):
        s_rule = grades[0][1]
        s_line = int(s_rule.value)  # type: ignore[arg-type]
        if "highest" in asks:
            highest = full + top_bonus
            steps.append(Step("sum", f"{part}の最高点：満点{full}点 + 加点{top_bonus}点 = {highest}点", {}, highest, full_rule))
            steps.append(Step("difference", f"{part}：{highest} − S評価{s_line}点 = {highest - s_line}点", {}, highest - s_line, s_rule))
            result[f"{part}の最高点"] = highest
            sentences.append(f"{part}は満点{full}点＋加点{top_bonus}点＝{highest}点で、S評価（{s_line}点以上）を{highest - s_line}点上回ります。")
        if "s_share" in asks:
            share = s_line / full * 100
            shares[part] = share
            steps.append(Step("rate", f"{part}：S評価{s_line}点 ÷ 満点{full}点 = {share:.1f}%", {}, round(share, 1), s_rule))
            steps.append(Step("band", f"{part}の満点{full}点", {}, full, full_rule))
            result[f"{part}のS評価の割合"] = f"{share:.1f}%"
            sentences.append(f"{part}はS評価{s_line}点÷満点{full}点＝約{share:.1f}%です。")
        if "average" in asks and part == FACILITIES:
            viewpoints = integer("viewpoints")
            for letter, grade_rule in grades[::-1]:
                line = int(grade_rule.value)  # type: ignore[arg-type]
                needed = [(0, line)] + ([(bonus, line - bonus)] if bonus else [])
                for given, raw in needed:
                    average = raw / viewpoints
                    label = f"加点{given}点なら素点{raw}点" if given else f"{line}点"
                    steps.append(Step("rate", f"{letter}評価：{label} ÷ {viewpoints}観点 = 平均{average:.2f}点", {},
                                      round(average, 2), grade_rule))
                    result[f"{letter}評価の平均点" + (f"（加点{given}点）" if given else "")] = f"{average:.2f}"
                    sentences.append(f"{letter}評価は{label}÷{viewpoints}観点＝平均約{average:.2f}点です。")
            steps.append(Step("band", f"評価の観点は{viewpoints}観点", {}, viewpoints, rule("viewpoints")))
    if "highest" in asks:
        steps.append(Step("band", f"加点は最大{top_bonus}点", {}, top_bonus, rule("mynumber_bands")))
    summary = "".join(sentences)
    if len(shares) == 2:
        stricter = max(shares, key=lambda p: shares[p])
        summary = f"満点に対するS評価の割合は{stricter}のほうが高く、わずかに厳しいです。" + summary
    return calculation_of("scale_arithmetic", {"対象": "・".join(parts)}, result, summary, steps)
