"""Limits that are shares or counts, checked against a plan as cited steps: the B1/B2 shares of a facility's
交付対象事業費, the outside-prefecture user share of the KPI, and the rate implied by an adopted example."""

from __future__ import annotations

import math
from fractions import Fraction

from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.common import calculation_of, floor_to, percent_text, rate_of
from assistant.calculators.rules import fraction, integer, rule
from assistant.types import Calculation, Step


def b_shares(b1_share: Fraction | None, b2_share: Fraction | None) -> Calculation:
    """B1/B2 stated as shares of the facility's 交付対象事業費 (半分, N割, N%) checked against the rules:
    B2 within 2割, B1 and B1+B2 under 5割 (ちょうど5割 is not under it)."""
    def shown(share: Fraction) -> str:
        return f"{float(share * 100):g}%"

    steps: list[Step] = []
    problems: list[str] = []
    b2_cap, half = fraction("b2_limit"), fraction("b_total_limit")
    if b2_share is not None:
        ok = b2_share <= b2_cap
        steps.append(Step("gate", f"B2 {shown(b2_share)} ≦ 2割：{'○' if ok else '×'}", {}, ok, rule("b2_limit")))
        if not ok:
            problems.append(f"B2が{shown(b2_share)}で2割を超えます")
    together = (b1_share or Fraction(0)) + (b2_share or Fraction(0))
    if b1_share is not None:
        ok = together < half
        label = "B1+B2" if b2_share is not None else "B1"
        steps.append(Step("gate", f"{label} {shown(together)} < 5割：{'○' if ok else '×'}", {}, ok, rule("b_total_limit")))
        if not ok:
            problems.append(f"{label}が{shown(together)}で「5割未満」を満たしません" + ("（ちょうど5割）" if together == half else ""))
    summary = ("認められません：" + "、".join(problems) + "。" if problems else
               "認められます（B1・B2の総額は交付対象事業費の5割未満、B2は2割以内）。")
    return calculation_of("b_limits", {"B1の割合": shown(b1_share) if b1_share is not None else "—",
                              "B2の割合": shown(b2_share) if b2_share is not None else "—"},
                 {"判定": "不可" if problems else "可"}, summary, steps)


def b_limits(total: int, b1: int | None, b2: int | None, b1_room_asked: bool = False,
             b2_room_asked: bool = False, b2_at_cap: bool = False) -> Calculation:
    """経費B2 within 2割 of the facility's 交付対象事業費; B1 and B1+B2 under 5割. With amounts given, each is checked
    and any excess named; with B2 given (or planned at its cap) and B1 asked, B1 must stay under 5割 − B2."""
    b2_cap = floor_to(total * fraction("b2_limit"), 1)
    if b2 is None and b2_at_cap:
        b2 = b2_cap
    half = floor_to(total * fraction("b_total_limit"), 1)
    steps = [Step("cap", f"B2の上限：{fy(total)} × 2割 = {fy(b2_cap)}以内", {"交付対象事業費": total}, b2_cap, rule("b2_limit")),
             Step("cap", f"B1・B1+B2の上限：{fy(total)} × 5割 = {fy(half)}未満", {"交付対象事業費": total}, half,
                  rule("b_total_limit"))]
    verdicts: list[str] = []
    if b2 is not None:
        ok = b2 <= b2_cap
        steps.append(Step("gate", f"B2 {fy(b2)} ≦ {fy(b2_cap)}：{'○' if ok else f'×（{fy(b2 - b2_cap)}超過）'}", {"B2": b2}, ok,
                          rule("b2_limit")))
        if not ok:
            verdicts.append(f"B2は上限（2割＝{fy(b2_cap)}以内）を{fy(b2 - b2_cap)}超えています")
    if b1 is not None:
        together = b1 + (b2 or 0)
        ok = together < half
        label = f"B1+B2 {fy(b1)} + {fy(b2)}" if b2 is not None else f"B1 {fy(b1)}"
        over = together - half
        steps.append(Step("gate", f"{label} = {fy(together)} < {fy(half)}：{'○' if ok else '×'}",
                          {"B1": b1}, ok, rule("b_total_limit")))
        if not ok:
            what = "B1とB2の総額" if b2 is not None else "B1"
            verdicts.append(f"{what}{fy(together)}が「5割未満」（{fy(half)}未満）の要件を満たしません"
                            + (f"（{fy(over)}超過）" if over else "（ちょうど5割）"))
    if b2 is not None and b1_room_asked:
        # B2 kept, B1 asked (and, if B1 is estimated already, whether that estimate fits)
        # B2 over its cap can be counted only up to the cap: B1's room is what 5割 leaves beside the counted B2
        counted = min(b2, b2_cap)
        room = half - counted
        label = f"B2 {fy(b2)}" if b2 <= b2_cap else f"B2の上限 {fy(b2_cap)}"
        steps.append(Step("difference", f"B1の上限：{fy(half)} − {label} = {fy(room)}未満", {}, room, rule("b_total_limit")))
        summary = (f"B1は{fy(room)}未満に抑える必要があります（B1とB2の総額で5割＝{fy(half)}未満、B2は2割＝{fy(b2_cap)}以内）。"
                   if b2 <= b2_cap else f"B2は{fy(b2_cap)}まで計上できます（{fy(b2 - b2_cap)}超過）。B2を上限の{fy(b2_cap)}まで計上すると、"
                   f"B1は{fy(room)}未満です（B1とB2の総額で5割＝{fy(half)}未満）。")
        if b1 is not None and b2 <= b2_cap:
            summary += (f"今のB1 {fy(b1)}は収まっています。" if b1 < room else
                        f"今のB1 {fy(b1)}は収まっていません（{fy(b1 - room)}を超える減額が必要）。")
        return calculation_of("b_limits", {"交付対象事業費": fy(total), "B2": fy(b2), **({"B1": fy(b1)} if b1 is not None else {})},
                     {"B1の上限（未満）": room, "B2の上限": b2_cap}, summary, steps)
    if b2 is None and b1 is not None and b2_room_asked:
        # B1 given, B2 asked: within 2割 on its own, and with B1 under 5割 together
        room = half - b1
        steps.append(Step("difference", f"B1とB2の総額が5割未満：{fy(half)} − B1 {fy(b1)} = {fy(room)}未満", {}, room,
                          rule("b_total_limit")))
        binding = "総額" if room <= b2_cap else "2割"
        summary = (f"B2は{fy(room)}未満までです（B1 {fy(b1)}との総額で5割＝{fy(half)}未満のため。B2単独の上限は2割＝{fy(b2_cap)}以内）。"
                   if binding == "総額" else
                   f"B2は{fy(b2_cap)}以内までです（2割。B1 {fy(b1)}との総額も{fy(half)}未満に収まります）。")
        if room <= 0:
            summary = f"B1 {fy(b1)}だけで5割（{fy(half)}）に達するため、B2は計上できません。"
        return calculation_of("b_limits", {"交付対象事業費": fy(total), "B1": fy(b1)},
                     {"B2の上限": min(b2_cap, room), "B1・B1+B2の上限（未満）": half}, summary, steps)
    if b1 is None and b2 is None:
        summary = (f"B2（用地取得・外構工事等）は{fy(b2_cap)}以内、B1（附帯施設等）だけなら{fy(half)}未満、"
                   f"両方を計上する場合は総額で{fy(half)}未満です（交付対象事業費{fy(total)}の2割・5割）。")
        return calculation_of("b_limits", {"交付対象事業費": fy(total)}, {"B2の上限": b2_cap, "B1・B1+B2の上限（未満）": half},
                     summary, steps)
    shares = []
    if b2 is not None:
        shares.append(f"B2は{percent_text(float(Fraction(b2, total) * 100))}")
    if b1 is not None:
        shares.append(f"B1+B2は{percent_text(float(Fraction(b1 + (b2 or 0), total) * 100))}")
    summary = ("不可（認められません）：" + "、".join(verdicts) + "。" if verdicts else
               f"認められます（B2は{fy(b2_cap)}以内、B1・B2の総額は{fy(half)}未満が条件）。")
    summary += f"（上限：B2 {fy(b2_cap)}以内、B総額 {fy(half)}未満）" if verdicts else ""
    if shares:
        summary += "割合：" + "、".join(shares) + "。"
    return calculation_of("b_limits", {"交付対象事業費": fy(total), "B1": fy(b1) if b1 else "—", "B2": fy(b2) if b2 else "—"},
                 {"判定": "不可" if verdicts else "可", "B2の上限": b2_cap, "B総額の上限（未満）": half}, summary, steps)


def user_share(total_users: int, outside_users: int) -> Calculation:
    """The KPI's outside-prefecture user share: 5割以上 for 高水準, 3割以上 for 標準; how many more would reach 5割."""
    share = Fraction(outside_users, total_users)
    shown = percent_text(float(share * 100))
    steps = [Step("rate", f"県外利用者の割合：{outside_users:,}人 ÷ {total_users:,}人 = {shown}", {}, shown)]
    verdicts = []
    for kind, name in (("高水準", "kpi_high_users"), ("標準", "kpi_standard_users")):
        need = fraction(name)
        ok = share >= need
        steps.append(Step("gate", f"{kind}タイプ（{int(need * 10)}割以上）：{'○' if ok else '×'}", {}, ok, rule(name)))
        verdicts.append(f"{kind}タイプの要件（{int(need * 10)}割以上）を{'満たします' if ok else '満たしません'}")
    high = fraction("kpi_high_users") * total_users
    needed = math.ceil(high)
    if share < fraction("kpi_high_users"):
        steps.append(Step("difference", f"5割に必要な県外利用者：{total_users:,}人 × 5割 = {needed:,}人（あと{needed - outside_users:,}人）",
                          {}, needed, rule("kpi_high_users")))
    summary = f"県外利用者の割合は{shown}で、{'。'.join(verdicts)}。" + (
        f"高水準タイプには県外利用者を{needed:,}人以上（あと{needed - outside_users:,}人）にする必要があります。"
        if share < fraction("kpi_high_users") else "")
    return calculation_of("user_share", {"延べ利用者数": total_users, "県外利用者数": outside_users},
                 {"割合": shown, "高水準に必要な県外利用者数": needed,
                  "高水準の要件": share >= fraction("kpi_high_users"), "標準の要件": share >= fraction("kpi_standard_users")},
                 summary, steps)


def example_rate(eligible_thousand: int, national_thousand: int) -> Calculation | None:
    """The rate an adopted example used: the type's rate whose product, truncated to 千円, gives its 国費."""
    eligible, national = eligible_thousand * 1000, national_thousand * 1000
    for kind, name in (("高水準", "rate_high"), ("標準", "rate_standard")):
        rate = fraction(name)
        exact = eligible * rate
        if floor_to(exact, integer("national_truncation")) == national:
            shown = f"{float(exact / 1000):,.1f}千円".replace(".0千円", "千円")
            truncated = exact != national
            steps = [Step("rate", f"{eligible_thousand:,}千円 × {rate.numerator}/{rate.denominator} = {shown}"
                          + (f" → 千円未満切り捨てで{national_thousand:,}千円" if truncated else ""), {}, national, rule(name))]
            if truncated:
                steps.append(Step("rate", "国費額は千円未満を切り捨て（採択事例の表記）", {}, national,
                                  rule("national_truncation")))
            summary = (f"国費は交付対象事業費の{rate.numerator}/{rate.denominator}（{kind}タイプ）です"
                       + (f"：{shown}の千円未満を切り捨てて{national_thousand:,}千円。" if truncated else "。"))
            return calculation_of("example_rate", {"交付対象事業費": f"{eligible_thousand:,}千円", "国費": f"{national_thousand:,}千円"},
                         {"補助率": f"{rate.numerator}/{rate.denominator}", "タイプ": kind}, summary, steps)
    return None


def example_share(eligible_thousand: int, kind: str) -> Calculation:
    """An example's 国費 and the rest (the local and other burden) from its 交付対象事業費 and type."""
    rate, rate_rule = rate_of(kind)
    eligible = eligible_thousand * 1000
    national = floor_to(eligible * rate, integer("national_truncation"))
    rest = eligible - national
    steps = [Step("rate", f"国費：{eligible_thousand:,}千円 × {rate.numerator}/{rate.denominator} = {national // 1000:,}千円",
                  {}, national, rate_rule),
             Step("difference", f"国費以外：{eligible_thousand:,}千円 − {national // 1000:,}千円 = {rest // 1000:,}千円", {}, rest)]
    if eligible * rate != national:
        steps.insert(1, Step("rate", "千円未満切り捨て", {}, national, rule("national_truncation")))
    summary = (f"国費は{national // 1000:,}千円（{fy(national)}）、国費以外の負担は{rest // 1000:,}千円（{fy(rest)}）です"
               f"（{kind}タイプ {rate.numerator}/{rate.denominator}）。")
    return calculation_of("example_share", {"交付対象事業費": f"{eligible_thousand:,}千円", "タイプ": kind},
                 {"国費": national, "国費以外": rest}, summary, steps)


def kpi_minimums(kinds: tuple[str, ...], population: int | None, users: int | None,
                 difference_asked: bool = False) -> Calculation:
    """The lowest KPI values a plan of each type asked may set: outside-prefecture companies, the
    outside-prefecture share of its users (as a head-count of the users given) and, for 高水準, 移住者数 of
    0.01% of the population (標準 only sets one); with both types and `difference_asked`, how far apart the
    outside users' minimums are."""
    steps: list[Step] = []
    sentences = []
    needed_users: dict[str, int] = {}
    for kind in kinds:
        high = kind == "高水準"
        companies = integer("kpi_high_companies" if high else "kpi_standard_companies")
        steps.append(Step("gate", f"{kind}：県外企業数{companies}社以上", {}, companies,
                          rule("kpi_high_companies" if high else "kpi_standard_companies")))
        parts = [f"県外企業{companies}社以上"]
        share_rule = "kpi_high_users" if high else "kpi_standard_users"
        share = fraction(share_rule)
        if users is not None:
            exact = share * users
            need = math.ceil(exact)
            steps.append(Step("rate", f"{kind}：県外利用者数 {users:,}人 × {int(share * 10)}割 = {need:,}人以上", {"利用者数": users},
                              need, rule(share_rule)))
            parts.append(f"県外利用者{need:,}人以上（{int(share * 10)}割）")
            needed_users[kind] = need
        else:
            parts.append(f"県外利用者の割合{int(share * 10)}割以上")
        if high and population is not None:
            exact = fraction("kpi_high_migrants") * population
            need = math.ceil(exact)
            steps.append(Step("rate", f"{kind}：移住者数 {population:,}人 × 0.01% = {float(exact):g}人 → {need}人以上",
                              {"人口": population}, need, rule("kpi_high_migrants")))
            parts.append(f"移住者{need}人以上")
        elif not high:
            parts.append("移住者数は設定（下限なし）")
        sentences.append(f"{kind}タイプは" + "、".join(parts))
    summary = "KPIの最低ラインは、" + "。".join(sentences) + "です。"
    result: dict[str, object] = {"内容": sentences}
    if difference_asked and len(needed_users) == 2:
        gap = needed_users["高水準"] - needed_users["標準"]
        steps.append(Step("difference", f"県外利用者の最低人数の差：{needed_users['高水準']:,}人 − {needed_users['標準']:,}人 = {gap:,}人",
                          {}, gap))
        summary = f"県外利用者の最低人数は高水準タイプのほうが{gap:,}人多くなります。" + summary
        result["差"] = gap
    return calculation_of("kpi_minimums", {"タイプ": "・".join(kinds), "人口": population or "—", "利用者数": users or "—"},
                 result, summary, steps)


def kpi_check(kinds: tuple[str, ...], outside_companies: int | None, users: int | None, outside_users: int | None,
              migrants: int | None, population: int | None, stated_share: Fraction | None = None) -> Calculation:
    """A plan's KPI against each type's requirements (県外企業 3社/1社 以上, 県外利用者の割合 5割/3割 以上, and for
    高水準 移住者数 ≥ 人口の0.01%): each requirement met or short by how much, the requirements not stated left out.
    The outside share is worked out from the users (or given as `stated_share`, 0–1)."""
    steps: list[Step] = []
    sentences: list[str] = []
    result: dict[str, object] = {}
    for kind in kinds:
        high = kind == "高水準"
        shortfalls: list[str] = []
        if outside_companies is not None:
            name = "kpi_high_companies" if high else "kpi_standard_companies"
            need = integer(name)
            ok = outside_companies >= need
            steps.append(Step("gate", f"{kind}：県外企業{outside_companies}社（{need}社以上）：{'○' if ok else '×'}",
                              {"県外企業数": outside_companies}, ok, rule(name)))
            if not ok:
                shortfalls.append(f"県外企業は{need}社以上必要で{need - outside_companies}社不足")
        if users and outside_users is not None:
            name = "kpi_high_users" if high else "kpi_standard_users"
            share_needed = fraction(name)
            exact = share_needed * users
            need = math.ceil(exact)
            share = percent_text(outside_users * 100 / users)
            ok = outside_users >= need
            steps.append(Step("gate", f"{kind}：県外利用者 {outside_users:,}人 ÷ {users:,}人 = {share}（{int(share_needed * 10)}割以上 = "
                              f"{need:,}人以上）：{'○' if ok else '×'}", {"利用者数": users, "県外利用者数": outside_users},
                              ok, rule(name)))
            if not ok:
                shortfalls.append(f"県外利用者の割合は{share}で{int(share_needed * 10)}割に届かず、{need:,}人以上が必要"
                                  f"（{need - outside_users:,}人不足）")
        elif stated_share is not None:
            name = "kpi_high_users" if high else "kpi_standard_users"
            share_needed = fraction(name)
            ok = stated_share >= share_needed
            shown = f"{float(stated_share * 100):g}%"
            steps.append(Step("gate", f"{kind}：県外利用者の割合{shown}（{int(share_needed * 10)}割以上）：{'○' if ok else '×'}",
                              {"県外利用者割合": shown}, ok, rule(name)))
            if not ok:
                shortfalls.append(f"県外利用者の割合は{shown}で{int(share_needed * 10)}割に届かず")
        if high and migrants is not None and population is not None:
            exact = fraction("kpi_high_migrants") * population
            need = math.ceil(exact)
            ok = migrants >= need
            steps.append(Step("gate", f"{kind}：移住者数{migrants}人（人口{population:,}人 × 0.01% = {float(exact):g}人 → "
                              f"{need}人以上）：{'○' if ok else '×'}", {"移住者数": migrants, "人口": population}, ok,
                              rule("kpi_high_migrants")))
            if not ok:
                shortfalls.append(f"移住者数は{need}人以上が必要で{need - migrants}人不足")
        met = not shortfalls
        result[f"{kind}タイプの要件"] = met
        sentences.append(f"{kind}タイプの要件は" + ("満たしています" if met else "満たしていません（" + "、".join(shortfalls) + "）")
                         + ("（移住者数は設定のみ）" if not high and migrants is not None else ""))
    summary = "KPIは、" + "。".join(sentences) + "。"
    if len(kinds) == 1 and not all(result.values()):
        # a requirement of the type applied for not met is a 「×」, and one 「×」 makes the grade D whatever the
        # points (不採択); with both types checked, the other type may still be met, so no grade is stated
        steps.append(Step("gate", "申請要件に「×」が一つでもあれば総合評価はD（不採択）", {}, "D", rule("grade_cross")))
        summary += "申請要件に「×」が一つでもあると、点数にかかわらず総合評価はD評価（不採択）です。"
    inputs = {"タイプ": "・".join(kinds), "県外企業数": outside_companies, "利用者数": users, "県外利用者数": outside_users,
              "移住者数": migrants, "人口": population}
    return calculation_of("kpi_check", {k: v for k, v in inputs.items() if v is not None}, result, summary, steps)


def project5_count(kpi_companies: int, adopted: int, counter: str = "件", kind: str | None = None) -> Calculation:
    """How many ⑤ projects a 団体 may still apply for: the KPI's outside-prefecture companies, less those
    already adopted (counted in the asker's 件 or 本). With the type (`kind`, when the 国費 is asked too), the most
    国費 those projects can bring: each project's 国費 ceiling of that type times their number."""
    allowed = max(0, kpi_companies - adopted)
    steps = [Step("count_limit", f"⑤の申請可能件数：KPIの県外企業数{kpi_companies}社" + (f" − 採択済{adopted}{counter}" if adopted else "")
                  + f" = {allowed}{counter}", {"KPI企業数": kpi_companies, "採択済": adopted}, allowed, rule("project5_count_limit"))]
    summary = (f"⑤は{allowed}{counter}まで申請できます（KPIの県外企業数{kpi_companies}社"
                + (f"、採択済{adopted}{counter}" if adopted else "") + "）。")
    result: dict[str, object] = {"申請可能件数": allowed}
    if kind in ("高水準", "標準"):
        ceilings = rule("project5_national")
        per_project = int(ceilings.value[0 if kind == "高水準" else 1])  # type: ignore[index]
        most = per_project * allowed
        steps.append(Step("national_cap", f"国費の上限：{fy(per_project)}（{kind}タイプ、1プロジェクト当たり）× {allowed}{counter} = {fy(most)}",
                          {"1プロジェクト当たり国費上限": per_project, "件数": allowed}, most, ceilings))
        summary += f"国費は{kind}タイプで1{counter}当たり最大{fy(per_project)}、{allowed}{counter}で最大{fy(most)}です。"
        result["国費の上限"] = most
    return calculation_of("project5_count", {"KPI企業数": kpi_companies, "採択済": adopted}, result, summary, steps)


def cost_from_share(kind: str, national: int | None = None, local: int | None = None,
                    facility_asked: bool = False, real: bool = False) -> Calculation:
    """Back from a stated 国費 (or local burden) to the 交付対象事業費 at the type's rate; with a facility asked
    about, the smallest size band whose cap allows that cost; from a burden, the other type's burden too. `real`: the
    burden stated is the 2021 交付金's 実質的な地方負担, what is left after the 臨時交付金 took its share of the burden."""
    rate, rate_rule = rate_of(kind)
    steps: list[Step] = []
    if real and local is not None:
        return _cost_from_real_burden(kind, local)
    if national is not None:
        cost = Fraction(national) / rate
        steps.append(Step("rate", f"交付対象事業費：国費{fy(national)} ÷ {rate.numerator}/{rate.denominator}（{kind}タイプ）"
                                  f" = {fy(int(cost))}", {"国費": national}, int(cost), rate_rule))
        summary = f"{kind}タイプで国費{fy(national)}には、交付対象事業費{fy(int(cost))}が必要です。"
        result: dict[str, object] = {"交付対象事業費": int(cost), "国費": national}
    else:
        assert local is not None
        cost = Fraction(local) / (1 - rate)
        steps.append(Step("rate", f"交付対象事業費：地方負担{fy(local)} ÷ (1 − {rate.numerator}/{rate.denominator})（{kind}タイプ）"
                                  f" = {fy(int(cost))}", {"地方負担": local}, int(cost), rate_rule))
        other = "標準" if kind == "高水準" else "高水準"
        other_rate, other_rule = rate_of(other)
        other_local = int(cost * (1 - other_rate))
        steps.append(Step("rate", f"{other}タイプの地方負担：{fy(int(cost))} × (1 − {other_rate.numerator}/{other_rate.denominator})"
                                  f" = {fy(other_local)}", {"交付対象事業費": int(cost)}, other_local, other_rule))
        summary = (f"地方負担{fy(local)}（{kind}タイプ）なら交付対象事業費は{fy(int(cost))}で、"
                   f"{other}タイプなら地方負担は{fy(other_local)}です。")
        result = {"交付対象事業費": int(cost), "地方負担": local, f"{other}タイプの地方負担": other_local}
    if facility_asked:
        from assistant.calculators.plan import BANDS

        band = next(((name, label) for name, label in BANDS if integer(name) >= cost), None)
        if band is None:
            steps.append(Step("cap", f"施設整備・運営の上限は1施設最大{fy(integer(BANDS[-1][0]))}：1施設では届きません",
                              {}, False, rule(BANDS[-1][0])))
            summary += f"1施設の上限（最大{fy(integer(BANDS[-1][0]))}）を超えるため、1施設では届きません。"
        else:
            steps.append(Step("band", f"上限が{fy(int(cost))}以上の区分：「{band[1]}」（上限{fy(integer(band[0]))}）",
                              {"交付対象事業費": int(cost)}, band[1], rule(band[0])))
            summary += f"施設整備・運営の上限からみて、収容{band[1]}の施設が必要です。"
            result["区分"] = band[1]
    return calculation_of("cost_from_share", {"タイプ": kind, "国費": national, "地方負担": local}, result, summary, steps)


def _cost_from_real_burden(kind: str, real: int) -> Calculation:
    """The 2021 交付金's cost back from its 実質的な地方負担: the burden is (1 − rate) of the cost and the 臨時交付金
    covered its 8割, so the real burden is cost × (1 − rate) × (1 − 8割); then the other type's real burden."""
    covered_share, rinji = fraction("c_rinji_share"), rule("c_rinji_share")
    rate, rate_rule = rate_of(kind)
    left = 1 - covered_share
    burden = Fraction(real) / left
    cost = burden / (1 - rate)
    steps = [Step("rate", f"地方負担：実質的な地方負担{fy(real)} ÷ (1 − 8割) = {fy(int(burden))}", {"実質的な地方負担": real},
                  int(burden), rinji),
             Step("rate", f"交付対象事業費：地方負担{fy(int(burden))} ÷ (1 − {rate.numerator}/{rate.denominator})（{kind}タイプ）"
                          f" = {fy(int(cost))}", {"地方負担": int(burden)}, int(cost), rate_rule)]
    other = "標準" if kind == "高水準" else "高水準"
    other_rate, other_rule = rate_of(other)
    other_burden = cost * (1 - other_rate)
    other_real = other_burden * left
    steps += [Step("rate", f"{other}タイプの地方負担：{fy(int(cost))} × (1 − {other_rate.numerator}/{other_rate.denominator})"
                           f" = {fy(int(other_burden))}", {"交付対象事業費": int(cost)}, int(other_burden), other_rule),
              Step("rate", f"{other}タイプの実質的な地方負担：{fy(int(other_burden))} × (1 − 8割) = {fy(int(other_real))}",
                   {"地方負担": int(other_burden)}, int(other_real), rinji)]
    summary = (f"実質的な地方負担{fy(real)}（{kind}タイプ、臨時交付金充当後）なら交付対象事業費は{fy(int(cost))}で、"
               f"{other}タイプなら実質的な地方負担は{fy(int(other_real))}です。")
    result: dict[str, object] = {"交付対象事業費": int(cost), "実質的な地方負担": real, f"{other}タイプの実質的な地方負担": int(other_real)}
    return calculation_of("cost_from_share", {"タイプ": kind, "実質的な地方負担": real}, result, summary, steps)


def cost_for_national(national: int, kinds: tuple[str, ...], people: int) -> Calculation:
    """The 交付対象事業費 a stated 国費 needs at each type, for one facility of `people`: within the facility's
    cap, or else the facility at its cap and the rest as ソフト経費 (within its 1団体 limit)."""
    from assistant.calculators.grants import size_band

    cap_name, band = size_band(people)
    cap, soft_cap = integer(cap_name), integer("soft_cost_limit")
    steps: list[Step] = [Step("band", f"定員{people}人は「{band}」：施設整備・運営の上限{fy(cap)}", {"収容可能人数": people},
                              cap, rule(cap_name))]
    said: list[str] = []
    result: dict[str, object] = {}
    for kind in kinds:
        rate, rate_rule = rate_of(kind)
        need = math.ceil(Fraction(national) / rate)  # whole yen, rounded up: the 国費 must reach the amount
        steps.append(Step("rate", f"{kind}タイプ：国費{fy(national)} ÷ {rate.numerator}/{rate.denominator} = {fy(int(need))}",
                          {"国費": national}, int(need), rate_rule))
        result[f"交付対象事業費（{kind}タイプ）"] = int(need)
        if need <= cap:
            said.append(f"{kind}タイプなら交付対象事業費{fy(int(need))}で、施設1か所の上限{fy(cap)}に収まります")
            continue
        soft = int(need) - cap
        steps.append(Step("cap", f"{kind}タイプ：施設は上限{fy(cap)}まで、残り{fy(int(need))} − {fy(cap)} = {fy(soft)}"
                          + ("はソフト経費で" if soft <= soft_cap else f"はソフト経費の上限{fy(soft_cap)}も超えます"),
                          {"交付対象事業費": int(need)}, soft, rule("soft_cost_limit")))
        # (the most the facility and the soft costs can carry together, against which the need is checked)
        ceiling = f"この構成の上限は施設{fy(cap)}＋ソフト経費{fy(soft_cap)}＝{fy(cap + soft_cap)}"
        if soft <= soft_cap:
            said.append(f"{kind}タイプなら{fy(int(need))}必要ですが施設の上限{fy(cap)}を超えるため、"
                        f"施設{fy(cap)}＋ソフト経費{fy(soft)}で届きます（{ceiling}）")
        else:
            most = int(floor_to((cap + soft_cap) * rate, 1))
            said.append(f"{kind}タイプでは{fy(int(need))}必要で、{ceiling}のため、国費は最大{fy(most)}で届きません")
        result[f"ソフト経費（{kind}タイプ）"] = soft
    summary = f"国費{fy(national)}には、" + "。".join(said) + "。"
    return calculation_of("cost_from_share", {"国費": national, "タイプ": "・".join(kinds), "収容可能人数": people},
                          result, summary, steps)


def facility_counts(sizes: list[int]) -> Calculation:
    """A plan's facilities (収容可能人数 each) checked against the count limits: 合計3施設 per 団体, and per size band
    3 / 2 / 1 (20人未満 / 20人以上50人未満 / 50人以上). The answer is はい when every facility fits, else いいえ with
    what exceeds which limit."""
    from assistant.calculators.grants import size_band
    from assistant.calculators.plan import band_limits

    limits = band_limits()
    total = integer("facility_limit_total")
    steps: list[Step] = []
    bands: dict[str, list[int]] = {}
    for people in sizes:
        bands.setdefault(size_band(people)[1], []).append(people)
    problems: list[str] = []
    ok = len(sizes) <= total
    steps.append(Step("count_limit", f"施設数 {len(sizes)} ≦ 1団体合計{total}施設：{'○' if ok else '×'}",
                      {"施設数": len(sizes)}, ok, rule("facility_limit_total")))
    if not ok:
        problems.append(f"1団体の施設数は合計{total}施設までです（計画は{len(sizes)}施設）")
    for band, members in bands.items():
        fits = len(members) <= limits[band]
        shown = "・".join(f"{p}人" for p in members)
        steps.append(Step("count_limit", f"{band}の施設 {len(members)}（{shown}） ≦ {limits[band]}施設：{'○' if fits else '×'}",
                          {"区分": band, "施設数": len(members)}, fits, rule("facility_limit_by_size")))
        if not fits:
            problems.append(f"{band}の施設は1団体{limits[band]}施設までです（計画は{len(members)}施設）")
    summary = (f"いいえ、このままでは全施設は対象になりません。{'。'.join(problems)}。" if problems else
               f"はい、施設数の上限（合計{total}施設、規模別 {'・'.join(f'{b}{n}' for b, n in limits.items())}施設）の範囲内です。")
    return calculation_of("facility_counts", {"施設の定員": "、".join(f"{p}人" for p in sizes)},
                          {"判定": "いいえ" if problems else "はい", "施設数": len(sizes)}, summary, steps)
