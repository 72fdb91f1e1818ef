"""The adopted examples of the 制度概要 (【参考】過年度採択団体の取組事例) as data read from the corpus: each
団体's 採択区分, 交付対象事業費 and 国費, with the line that states them as its quote. Used to add up or compare
examples an officer names; nothing about them is typed in code."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache

from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.common import calculation_of, percent_text
from assistant.calculators.eligibility import PREFECTURES
from assistant.calculators.rules import fraction, integer, rule
from assistant.settings import REPO_ROOT
from assistant.types import Calculation, Rule, Step

SECTION = "【参考】過年度採択団体の取組事例"
_AMOUNTS = re.compile(r"交付対象事業費\s*[（(]国費(?:額|ベース)[）)]\s*\|?\s*([\d,]+)千円\s*[（(]([\d,]+)千円\s*[）)]")
_HEADER = re.compile(rf"^\s*({'|'.join(PREFECTURES)})\s*([一-龥ぁ-んァ-ヶー々]{{1,8}}?[市町村区])")


@dataclass(frozen=True)
class Example:
    prefecture: str
    municipality: str
    grant_type: str | None
    eligible: int  # yen
    national: int  # yen
    quote: str  # the line's words that state both amounts
    project5: bool  # an example of ⑤ (進出企業定着・地域活性化支援事業)
    # its KPI table (2024目標): (what, value, the row as written), in the document's order
    kpi: tuple[tuple[str, int, str], ...] = ()

    def target(self, what: str) -> tuple[int, str] | None:
        return next(((v, row) for k, v, row in self.kpi if k == what), None)


# The rows of an example's KPI table, each its label's words then a tab and the figure (「利用者数(人) (年間のべ)	64」).
KPI_ROWS = (("利用企業数", r"利用企業数"), ("県外企業数", r"当該都道府県外\s*企業数"), ("利用者数", r"利用者数\s*[(（]人[)）]"),
            ("県外利用者割合", r"当該都道府県外\s*利用者割合"), ("移住者数", r"移住者数\s*[(（]人[)）]"))
_KPI_ROW = re.compile(r"(" + "|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(KPI_ROWS)) + r")[^\t\n]*\t\s*([\d,]+)\s*$")


@lru_cache(maxsize=1)
def adopted_examples() -> tuple[Example, ...]:
    source = REPO_ROOT / "corpus" / rule("rate_high").source
    name: tuple[str, str] | None = None
    kind: str | None = None
    project5 = False
    found: list[Example] = []
    rows: list[list[tuple[str, int, str]]] = []  # each example's KPI rows, read in the lines after its amounts
    for line in source.read_text(encoding="utf-8").split("\n"):
        if "取組事例" in line and "進出企業定着" in line:
            project5 = True
        if m := _HEADER.match(line):
            name, kind = (m.group(1), m.group(2)), None
        if m := re.search(r"採択区分\s*\|?\s*(高水準|標準)タイプ", line):
            kind = m.group(1)
        if (m := _AMOUNTS.search(line)) and name is not None:
            found.append(Example(name[0], name[1], kind, int(m.group(1).replace(",", "")) * 1000,
                                 int(m.group(2).replace(",", "")) * 1000, m.group(0), project5))
            rows.append([])
            name = None
        elif (m := _KPI_ROW.search(line)) and rows and not project5:
            what = next(k for i, (k, _) in enumerate(KPI_ROWS) if m.group(f"k{i}"))
            if all(k != what for k, _, _ in rows[-1]):
                rows[-1].append((what, int(m.group(len(KPI_ROWS) + 2).replace(",", "")), line.split("\t")[-2].strip()
                                 + "\t" + line.split("\t")[-1].strip()))
    return tuple(replace(e, kpi=tuple(r)) for e, r in zip(found, rows, strict=True))


def _as_rule(example: Example) -> Rule:
    return Rule(name=f"example_{example.municipality}", value=example.national, unit="円", quote=example.quote,
                source=rule("rate_high").source, section=SECTION, note=f"{example.prefecture}{example.municipality}の採択事例")


# A municipality named without its 市・町 in a list (「佐渡・彦根・京都の3事例」): the short name between separators
# (a kanji on either side makes another name: 「東京都」 is not 京都, 「佐渡島」 not 佐渡)
_LIST_EDGE_BEFORE = r"(?:^|(?<=[・、，,（(「『\s/／ぁ-ん]))"
_LIST_EDGE_AFTER = r"(?=[・、，,）)」』\s/／ぁ-ん]|$)"


def named_examples(text: str) -> list[Example]:
    """The examples whose municipality the text names, in the order named (「佐渡市」, or 「佐渡」 as an item of a list)."""
    hits = []
    for e in adopted_examples():
        at = text.find(e.municipality)
        if at < 0 and len(short := e.municipality[:-1]) >= 2:
            m = re.search(f"{_LIST_EDGE_BEFORE}{re.escape(short)}{_LIST_EDGE_AFTER}", text)
            at = m.start() if m else -1
        if at >= 0:
            hits.append((at, e))
    return [e for _, e in sorted(hits, key=lambda h: h[0])]


# The rows of an example's KPI table an officer asks for, in their words
_TARGET_ASKS = (("利用企業数", re.compile(r"利用企業|利用する企業")), ("県外企業数", re.compile(r"県外(?:の)?企業")),
                ("利用者数", re.compile(r"利用者数|(?:延べ|のべ|年間の?)利用者")),
                ("県外利用者割合", re.compile(r"県外(?:の)?利用者|県外利用")), ("移住者数", re.compile(r"移住")))
_TARGET_WORDS = re.compile(r"目標|KPI|ＫＰＩ|2024|２０２４|数値")


def targets_asked(text: str, asking: str | None = None) -> list[tuple[Example, str]]:
    """(example, KPI row) for each row of its 2024 targets that a question naming an adopted example asks for
    (「彦根市の事例の2024年の目標で、利用企業数と県外企業数は？」). The targets must be what the sentence that asks
    (`asking`, the whole text when not given) asks about; the example may be named in the story before it."""
    asking = text if asking is None else asking
    if not _TARGET_WORDS.search(asking):
        return []
    named = [e for e in named_examples(text) if e.kpi]
    asked = [what for what, ask in _TARGET_ASKS if ask.search(asking)]
    return [(e, what) for e in named for what in asked if e.target(what) is not None]


def examples_listed(examples: list[Example], what: str) -> Calculation:
    """The adopted examples a question selects (by type, element), each with its element and amounts."""
    steps = [Step("band", f"{e.prefecture}{e.municipality}（{e.grant_type}タイプ、{'⑤' if e.project5 else '施設整備・利用促進'}）："
                  f"交付対象事業費{e.eligible // 1000:,}千円、国費{e.national // 1000:,}千円", {}, e.eligible, _as_rule(e))
             for e in examples]
    listed = "、".join(f"{e.prefecture}{e.municipality}（{'⑤進出企業定着・地域活性化支援事業' if e.project5 else '施設整備・利用促進事業'}、"
                      f"交付対象事業費{e.eligible // 1000:,}千円・国費{e.national // 1000:,}千円）" for e in examples)
    return calculation_of("examples_listed", {"条件": what}, {"団体": [e.municipality for e in examples]},
                          f"{what}の採択事例は{len(examples)}団体で、{listed}です。", steps)


def example_burdens(examples: list[Example], supposed: str | None = None, headroom: bool = False,
                    compared: bool = False) -> Calculation:
    """Each named example's local share (交付対象事業費 − 国費), read from its line, and their sum; with a type
    `supposed` (「もし高水準だったら」), the local shares at that type's rate and how much they differ; with
    `headroom`, how far each ⑤ example's 交付対象事業費 stayed under the per-project cap; `compared` (two examples,
    「どちらがいくら多い？」): which bears more and by how much, in place of their sum."""
    steps = [Step("difference", f"{e.prefecture}{e.municipality}：{e.eligible // 1000:,}千円 − {e.national // 1000:,}千円 = "
                  f"{(e.eligible - e.national) // 1000:,}千円", {}, e.eligible - e.national, _as_rule(e)) for e in examples]
    total = sum(e.eligible - e.national for e in examples)
    national = sum(e.national for e in examples)
    parts = "、".join(f"{e.municipality}{(e.eligible - e.national) // 1000:,}千円" for e in examples)
    summary = f"地方負担（交付対象事業費 − 国費）は{parts}です。"
    result: dict[str, object] = {"地方負担の合計": total, "国費の合計": national}
    if compared and len(examples) == 2:
        (a, b) = sorted(examples, key=lambda e: e.eligible - e.national, reverse=True)
        gap = (a.eligible - a.national) - (b.eligible - b.national)
        steps.append(Step("difference", f"差：{(a.eligible - a.national) // 1000:,}千円 − {(b.eligible - b.national) // 1000:,}千円 = "
                          f"{gap // 1000:,}千円", {}, gap))
        summary = (f"{a.municipality}のほうが地方負担が{gap // 1000:,}千円（{fy(gap)}）多いです（{parts}）。" if gap else
                   f"地方負担は同じです（{parts}）。")
        result = {**result, "地方負担の差": gap}
    elif len(examples) > 1:
        eligible = sum(e.eligible for e in examples)
        steps.append(Step("sum", f"合計：交付対象事業費{eligible // 1000:,}千円、地方負担{total // 1000:,}千円、国費{national // 1000:,}千円",
                          {}, total))
        summary += f"合計で地方負担{total // 1000:,}千円、国費{national // 1000:,}千円（交付対象事業費{eligible // 1000:,}千円）です。"
    if supposed is not None:
        from assistant.calculators.common import floor_to, rate_of

        rate, rate_rule = rate_of(supposed)
        at_type = 0
        for e in examples:
            burden = e.eligible - floor_to(e.eligible * rate, integer("national_truncation"))
            at_type += burden
            steps.append(Step("rate", f"{supposed}タイプなら{e.municipality}：{e.eligible // 1000:,}千円 − {e.eligible // 1000:,}千円 × "
                              f"{rate.numerator}/{rate.denominator} = {burden // 1000:,}千円", {}, burden, rate_rule))
        change = at_type - total
        steps.append(Step("difference", f"差：{at_type // 1000:,}千円 − {total // 1000:,}千円 = {change // 1000:+,}千円", {}, change))
        summary += (f"{supposed}タイプ（{rate.numerator}/{rate.denominator}）だったなら地方負担は合計{at_type // 1000:,}千円で、"
                    f"{abs(change) // 1000:,}千円（{fy(abs(change))}）{'少なく済んだ' if change < 0 else '多くかかった'}計算です。")
        result = {**result, f"地方負担の合計（{supposed}タイプ）": at_type, "地方負担の差": change}
    capped = [e for e in examples if e.project5] if headroom else []
    if capped:
        cap = integer("project5_cap")
        room = []
        for e in capped:
            left = max(cap - e.eligible, 0)
            steps.append(Step("difference", f"{e.municipality}の上限までの余裕：{cap // 1000:,}千円 − {e.eligible // 1000:,}千円 = "
                              f"{left // 1000:,}千円", {}, left, rule("project5_cap")))
            room.append(f"{e.municipality}{left // 1000:,}千円（{fy(left)}）" if left else f"{e.municipality}は上限ちょうど（余裕0円）")
            result[f"{e.municipality}の上限までの余裕"] = left
        summary += f"1プロジェクト当たりの上限（交付対象事業費{fy(cap)}）に対する余裕は、{'、'.join(room)}です。"
    if any((e.eligible // 1000) * 3 % 4 for e in examples if e.grant_type == "高水準"):
        summary += "国費は交付対象事業費×補助率の千円未満を切り捨てた額です。"
        steps.append(Step("rate", "国費額は千円未満切り捨て（採択事例の表記）", {}, None, rule("national_truncation")))
    return Calculation(
        kind="example_burdens", inputs={"団体": "・".join(e.municipality for e in examples),
                                        **({"タイプ": supposed} if supposed else {})},
        result=result,
        formula="\n".join(f"・{s.label}" for s in steps), summary=summary,
        rules=tuple(dict.fromkeys(s.rule for s in steps if s.rule is not None)), steps=tuple(steps))


def sum_examples(examples: list[Example], what: str) -> Calculation:
    """The sum of the named examples' 国費 (or 交付対象事業費), each read from its line of the document."""
    field = "national" if what == "国費" else "eligible"
    steps = [Step("band", f"{e.prefecture}{e.municipality}：{getattr(e, field) // 1000:,}千円", {}, getattr(e, field), _as_rule(e))
             for e in examples]
    total = sum(getattr(e, field) for e in examples)
    steps.append(Step("sum", f"合計：{' + '.join(f'{getattr(e, field) // 1000:,}' for e in examples)} = {total // 1000:,}千円",
                      {}, total))
    # the other column and what is left between them (the local side's share) complete the pair of rows summed
    other, other_name = ("eligible", "交付対象事業費") if field == "national" else ("national", "国費")
    other_total = sum(getattr(e, other) for e in examples)
    eligible, national = (other_total, total) if field == "national" else (total, other_total)
    steps.append(Step("sum", f"{other_name}の合計：{' + '.join(f'{getattr(e, other) // 1000:,}' for e in examples)} = "
                      f"{other_total // 1000:,}千円", {}, other_total))
    steps.append(Step("difference", f"地方負担（交付対象事業費 − 国費）：{eligible // 1000:,} − {national // 1000:,} = "
                      f"{(eligible - national) // 1000:,}千円", {}, eligible - national))
    return Calculation(
        kind="example_sum", inputs={"団体": "・".join(e.municipality for e in examples), "項目": what},
        result={f"{what}の合計": total, f"{other_name}の合計": other_total, "地方負担の合計": eligible - national},
        formula="\n".join(f"・{s.label}" for s in steps),
        summary=f"{len(examples)}団体の{what}の合計は{total // 1000:,}千円"
                + (f"（{fy(total)}）" if fy(total) != f"{total // 1000:,}千円" else "")
                + f"です（{other_name}の合計{other_total // 1000:,}千円、差し引いた地方負担{(eligible - national) // 1000:,}千円）。",
        rules=tuple(s.rule for s in steps if s.rule is not None), steps=tuple(steps))


def examples_of(text: str) -> list[Example]:
    """The examples a question selects by kind rather than by name (a type, ⑤ or ①②):
    the named ones if it names two or more, else all, narrowed by a type and by ⑤ or ①② when it says so."""
    named = named_examples(text)
    # an example named with 除 (除く, 除いて) right after it is left out
    excluded = {e for e in named if re.search(r"^[^。]{0,30}?除", text[text.find(e.municipality):])}
    named = [e for e in named if e not in excluded]
    chosen = list(named) if len(named) >= 2 else [e for e in adopted_examples() if e not in excluded]
    types = [k for k in ("高水準", "標準") if k in text]
    only = [k for k in types if re.search(rf"{k}(?:タイプ)?[^。、]{{0,12}}(?:だけ|のみ)", text)]
    if len(types) == 1 or len(only) == 1:
        chosen = [e for e in chosen if e.grant_type == (only or types)[0]]
    fifth, facilities = re.search(r"⑤|進出企業定着", text), re.search(r"施設整備|利用促進|①|②", text)
    if fifth and not facilities:
        chosen = [e for e in chosen if e.project5]
    elif facilities and not fifth:
        chosen = [e for e in chosen if not e.project5]
    # (both named: 「施設整備の事例と⑤の事例を全部」 selects both)
    return chosen


def sum_examples_of(examples: list[Example], fields: list[str], share: bool = False) -> Calculation:
    """One sum per field asked (国費 and/or 交付対象事業費), in one calculation; with `share` (「国費は全体の何％」)
    and both sums, the 国費's share of the 交付対象事業費 too."""
    parts = [sum_examples(examples, what) for what in fields]
    if len(parts) == 1:
        return parts[0]
    steps = tuple(step for part in parts for step in part.steps)
    result = {k: v for part in parts for k, v in part.result.items()}
    summary = " ".join(part.summary for part in parts)
    eligible, national = result.get("交付対象事業費の合計"), result.get("国費の合計")
    if share and isinstance(eligible, int) and isinstance(national, int) and eligible:
        shown = percent_text(float(Fraction(national * 100, eligible)))
        steps = (*steps, Step("rate", f"国費の割合：{national // 1000:,} ÷ {eligible // 1000:,} = {shown}", {}, shown))
        result["国費の割合"] = shown
        summary += f" 国費は交付対象事業費の合計の{shown}です。"
    return Calculation(
        kind="example_sum", inputs={**parts[0].inputs, "項目": "・".join(fields)}, result=result,
        formula="\n".join(f"・{s.label}" for s in steps),
        summary=summary, rules=tuple(dict.fromkeys(r for part in parts for r in part.rules)), steps=steps)


def example_at_type(examples: list[Example], kinds: list[str]) -> Calculation:
    """What each named example's 国費 would have been at the other type (its 交付対象事業費 × that type's rate,
    千円未満 truncated as the examples write it), and how much more or less than the 国費 it was adopted with."""
    from assistant.calculators.common import floor_to, rate_of
    from assistant.calculators.rules import integer

    steps: list[Step] = []
    sentences = []
    changes = []
    for e in examples:
        kind = next(k for k in kinds if k != e.grant_type)
        rate, rate_rule = rate_of(kind)
        national = floor_to(e.eligible * rate, integer("national_truncation"))
        change = national - e.national
        changes.append(change)
        steps.append(Step("band", f"{e.prefecture}{e.municipality}：交付対象事業費{e.eligible // 1000:,}千円、国費{e.national // 1000:,}千円"
                          f"（{e.grant_type}タイプ）", {}, e.eligible, _as_rule(e)))
        steps.append(Step("rate", f"{kind}タイプなら：{e.eligible // 1000:,}千円 × {rate.numerator}/{rate.denominator} = "
                          f"{national // 1000:,}千円", {}, national, rate_rule))
        steps.append(Step("difference", f"差：{national // 1000:,}千円 − {e.national // 1000:,}千円 = {change // 1000:+,}千円",
                          {}, change))
        more = "多い" if change > 0 else "少ない"
        sentences.append(f"{e.municipality}の事例が{kind}タイプなら国費は{national // 1000:,}千円（{fy(national)}）で、"
                         f"実際の{e.grant_type}タイプの国費{e.national // 1000:,}千円より{abs(change) // 1000:,}千円（{fy(abs(change))}）{more}計算です。")
        if e.project5:  # a ⑤ project's cap is on its 交付対象事業費, whatever the type
            cap = integer("project5_cap")
            within = e.eligible <= cap
            steps.append(Step("gate", f"⑤の1プロジェクト上限：{e.eligible // 1000:,}千円 ≦ {fy(cap)}：{'○' if within else '×'}",
                              {}, within, rule("project5_cap")))
            sentences.append(f"⑤の1プロジェクトの上限（交付対象事業費{fy(cap)}）{'の範囲内です' if within else 'を超えています'}。")
    return Calculation(
        kind="example_at_type", inputs={"団体": "・".join(e.municipality for e in examples), "タイプ": "・".join(kinds)},
        result={"国費の差": sum(changes)}, formula="\n".join(f"・{s.label}" for s in steps), summary="".join(sentences),
        rules=tuple(dict.fromkeys(s.rule for s in steps if s.rule is not None)), steps=tuple(steps))


def _kpi_rule(example: Example, what: str) -> Rule:
    value, row = example.target(what)  # type: ignore[misc]
    return Rule(name=f"example_{example.municipality}_{what}", value=value, unit="", quote=row,
                source=rule("rate_high").source, section=SECTION, note=f"{example.prefecture}{example.municipality}の2024目標")


# Figures derived from the examples' KPI tables (2024目標) and amounts: what each is, in the asker's terms.
METRICS = ("県外利用者数", "県外企業の割合", "利用者1人あたりの国費", "県外利用者1人あたりの国費", "交付対象事業費")


# the rows of the KPI tables compared as they stand, with the unit they are counted in
_RAW_UNITS = {"移住者数": "人", "利用者数": "人", "利用企業数": "社・団体", "県外企業数": "社・団体"}


def example_metric(examples: list[Example], metric: str, requirement_asked: bool = False, rounded: bool = False,
                   summed: bool = False) -> Calculation:
    """One figure per example, derived from its KPI table (and 国費): its outside-prefecture users (年間のべ利用者数 ×
    県外利用者割合), its outside companies' share of its user companies, or its 国費 per user; then the highest
    and lowest (or, for two, their difference). With `requirement_asked`, each example's targets checked against
    its own type's KPI requirement (outside companies counted, outside users as a share)."""
    steps: list[Step] = []
    values: list[tuple[Example, Fraction]] = []
    for e in examples:
        if metric in _RAW_UNITS:  # a row of the table as it stands (移住者数, 利用企業数 …)
            stated = e.target(metric)
            if stated is None:
                continue
            value = Fraction(stated[0])
            label = f"{e.municipality}（{e.grant_type}タイプ）：{stated[1].replace(chr(9), ' ')}"
            cited: tuple[Rule, ...] = (_kpi_rule(e, metric),)
        elif metric == "県外利用者数":
            users, share = e.target("利用者数"), e.target("県外利用者割合")
            if users is None or share is None:
                continue
            value = Fraction(users[0] * share[0], 100)
            label = f"{e.municipality}：{users[0]:,}人 × {share[0]}% = {_shown(value, '人')}"
            cited = (_kpi_rule(e, "利用者数"), _kpi_rule(e, "県外利用者割合"))
        elif metric == "県外企業の割合":
            companies, outside = e.target("利用企業数"), e.target("県外企業数")
            if companies is None or outside is None or not companies[0]:
                continue
            value = Fraction(outside[0] * 100, companies[0])
            label = f"{e.municipality}：{outside[0]} ÷ {companies[0]} = {_shown(value, '%')}"
            cited = (_kpi_rule(e, "県外企業数"), _kpi_rule(e, "利用企業数"))
        elif metric == "交付対象事業費":  # the example's own line: 交付対象事業費 (国費額), in 千円 as written
            value = Fraction(e.eligible)
            label = f"{e.municipality}：{e.eligible // 1000:,}千円（国費{e.national // 1000:,}千円）"
            cited = (_as_rule(e),)
        elif metric == "県外利用者1人あたりの国費":
            users, share = e.target("利用者数"), e.target("県外利用者割合")
            if users is None or share is None or not users[0] * share[0]:
                continue
            outside_users = Fraction(users[0] * share[0], 100)
            value = Fraction(e.national) / outside_users
            label = (f"{e.municipality}：国費{e.national // 1000:,}千円 ÷ （{users[0]:,}人 × {share[0]}% = {_shown(outside_users, '人')}）"
                     f" = {_shown(value, '円')}")
            cited = (_as_rule(e), _kpi_rule(e, "利用者数"), _kpi_rule(e, "県外利用者割合"))
        else:
            users = e.target("利用者数")
            if users is None or not users[0]:
                continue
            value = Fraction(e.national, users[0])
            label = f"{e.municipality}：国費{e.national // 1000:,}千円 ÷ {users[0]:,}人 = {_shown(value, '円')}"
            cited = (_as_rule(e), _kpi_rule(e, "利用者数"))
        values.append((e, value))
        steps += [Step("rate", label, {}, float(value), cited[0]), *(Step("band", f"（{r.note}：{r.quote.replace(chr(9), ' ')}）", {}, r.value, r)
                                                                    for r in cited[1:])]
    if not values:
        raise ValueError("no example states the figures this needs")
    unit = {"県外利用者数": "人", "県外企業の割合": "%", "利用者1人あたりの国費": "円", "県外利用者1人あたりの国費": "円",
            "交付対象事業費": "千円", **_RAW_UNITS}[metric]
    if unit == "千円":
        values = [(e, v / 1000) for e, v in values]
    if rounded and unit == "人":  # 「端数は四捨五入」: whole persons, half up
        values = [(e, Fraction(int(v + Fraction(1, 2)))) for e, v in values]
        steps.append(Step("rate", "端数は四捨五入：" + "、".join(f"{e.municipality} {_shown(v, unit)}" for e, v in values), {}, None))
    if len(values) == 1:
        summary = f"{values[0][0].municipality}の{metric}は{_shown(values[0][1], unit)}です（2024目標）。"
    elif len(values) == 2:
        (a, x), (b, y) = values
        more, less = ((a, x), (b, y)) if x >= y else ((b, y), (a, x))
        summary = (f"{metric}は{a.municipality}{_shown(x, unit)}、{b.municipality}{_shown(y, unit)}で、"
                   f"{more[0].municipality}のほうが{_shown(more[1] - less[1], unit)}多くなります。")
    else:
        high = max(values, key=lambda v: v[1])
        low = min(values, key=lambda v: v[1])
        most, least = ("多い", "少ない") if unit in ("人", "社・団体") else ("高い", "低い")
        if unit == "千円":
            most, least = "大きい", "小さい"
        summary = (f"{metric}がいちばん{most}のは{high[0].prefecture}{high[0].municipality}（{_shown(high[1], unit)}）、"
                   f"いちばん{least}のは{low[0].prefecture}{low[0].municipality}（{_shown(low[1], unit)}）です（{len(values)}事例"
                   + ("" if unit == "千円" else "、2024目標") + "）。")
        if unit == "千円" and low[1]:
            # how far apart the largest and the smallest are, and their 国費
            times = float(high[1] / low[1])
            gap = (high[0].national - low[0].national) // 1000
            steps.append(Step("rate", f"{_shown(high[1], unit)} ÷ {_shown(low[1], unit)} = 約{times:.1f}倍", {}, round(times, 1)))
            steps.append(Step("difference", f"国費の差：{high[0].national // 1000:,}千円 − {low[0].national // 1000:,}千円 = "
                              f"{gap:,}千円", {}, gap * 1000))
            summary += f"約{times:.1f}倍の開きがあり、国費の差は{gap:,}千円（{fy(gap * 1000)}）です。"
    if summed and unit != "%" and len(values) >= 2:
        total = sum((v for _, v in values), Fraction(0))
        steps.append(Step("sum", f"合計：{' + '.join(_shown(v, unit) for _, v in values)} = {_shown(total, unit)}", {}, float(total)))
        summary += f"{len(values)}団体の合計は{_shown(total, unit)}です。"
    if summed and metric == "県外企業の割合" and len(values) >= 2:
        # the examples taken together: their outside companies over their user companies (not an average of shares)
        outside_total = sum(t[0] for e, _ in values if (t := e.target("県外企業数")) is not None)
        companies_total = sum(t[0] for e, _ in values if (t := e.target("利用企業数")) is not None)
        pooled = Fraction(outside_total * 100, companies_total)
        steps.append(Step("rate", f"{len(values)}事例の合計：{outside_total:,} ÷ {companies_total:,} = {_shown(pooled, unit)}",
                          {}, float(pooled)))
        summary += f"{len(values)}事例を合計した割合は{_shown(pooled, unit)}（{outside_total:,}/{companies_total:,}社）です。"
    if requirement_asked and metric in ("県外企業の割合", "県外利用者数"):
        checks = _kpi_checks([e for e, _ in values], metric)
        steps += [step for step, _ in checks]
        if checks:
            summary += "。".join(sentence for _, sentence in checks) + "。"
            if metric == "県外企業の割合":
                summary += "要件は県外企業の割合ではなく社数です。"
    return Calculation(
        kind="example_metric", inputs={"団体": "・".join(e.municipality for e, _ in values), "項目": metric},
        result={e.municipality: float(v) for e, v in values},
        formula="\n".join(f"・{s.label}" for s in steps), summary=summary,
        rules=tuple(dict.fromkeys(s.rule for s in steps if s.rule is not None)), steps=tuple(steps))


def example_row_totals(examples: list[Example], rows: list[str], share_of: Example | None = None) -> Calculation:
    """The rows of the examples' KPI tables added up across the examples (利用企業数, 県外企業数 …); with both company
    rows, the outside companies' share of the total; with `share_of`, that example's share of each total."""
    steps: list[Step] = []
    totals: dict[str, int] = {}
    for what in rows:
        stated = [(e, t) for e in examples if (t := e.target(what)) is not None]
        if len(stated) < 2:
            continue
        totals[what] = sum(t[0] for _, t in stated)
        steps += [Step("band", f"{e.municipality}：{t[1].replace(chr(9), ' ')}", {}, t[0], _kpi_rule(e, what)) for e, t in stated]
        steps.append(Step("sum", f"{what}の合計：{' + '.join(f'{t[0]:,}' for _, t in stated)} = {totals[what]:,}", {}, totals[what]))
    if not totals:
        raise ValueError("no two examples state these targets")
    summary = f"{len(examples)}事例の2024目標の合計は" + "、".join(f"{w}{v:,}{_RAW_UNITS.get(w, '')}" for w, v in totals.items()) + "です。"
    if share_of is not None:
        for what, total in totals.items():
            own = share_of.target(what)
            if own is None or not total:
                continue
            shown = percent_text(float(Fraction(own[0] * 100, total)))
            steps.append(Step("rate", f"{share_of.municipality}の割合：{own[0]:,} ÷ {total:,} = {shown}", {}, shown,
                              _kpi_rule(share_of, what)))
            summary += (f"うち{share_of.municipality}が{own[0]:,}{_RAW_UNITS.get(what, '')}で{shown}を占め、"
                        f"除くと{total - own[0]:,}{_RAW_UNITS.get(what, '')}です。")
    if "利用企業数" in totals and "県外企業数" in totals and totals["利用企業数"]:
        shown = percent_text(float(Fraction(totals["県外企業数"] * 100, totals["利用企業数"])))
        steps.append(Step("rate", f"県外企業の割合：{totals['県外企業数']:,} ÷ {totals['利用企業数']:,} = {shown}", {}, shown))
        summary += f"県外企業の割合は{shown}です。"
    return calculation_of("example_row_totals", {"団体": "・".join(e.municipality for e in examples), "項目": "・".join(totals)},
                          {f"{w}の合計": v for w, v in totals.items()}, summary, steps)


def rows_asked(text: str) -> list[str]:
    """The KPI rows a text names (利用企業数, 県外企業数, 利用者数, 移住者数), in the tables' order."""
    return [what for what, ask in _TARGET_ASKS if ask.search(text) and what != "県外利用者割合"]


def example_kpi_check(examples: list[Example], against: str | None) -> Calculation:
    """Each named example's 2024 targets (outside companies, outside users' share) against a type's KPI
    requirements: the type asked about (「高水準の要件を満たす水準か」), else the type it was adopted at."""
    checks = _kpi_checks(examples, "県外企業の割合", against) + _kpi_checks(examples, "県外利用者数", against)
    if not checks:
        raise ValueError("no example states the targets this needs")
    steps = [step for step, _ in checks]
    summary = "。".join(sentence for _, sentence in checks) + "。"
    if against is not None:
        summary += "（移住者数の要件は、資料に各団体の人口がないため確かめられません）" if against == "高水準" else ""
    return calculation_of("example_kpi_check", {"団体": "・".join(e.municipality for e in examples), "タイプ": against or "採択時のタイプ"},
                          {step.label: step.result for step in steps}, summary, steps)


def _kpi_checks(examples: list[Example], metric: str, against: str | None = None) -> list[tuple[Step, str]]:
    """Each example's 2024 target against its type's requirement (or the type `against`): outside companies
    (3社以上 / 1社以上) or the outside users' share (5割以上 / 3割以上)."""
    out = []
    for e in examples:
        kind = against or e.grant_type
        if kind is None:
            continue
        level = "high" if kind == "高水準" else "standard"
        if metric == "県外企業の割合":
            have, name = e.target("県外企業数"), f"kpi_{level}_companies"
            if have is None:
                continue
            need = integer(name)
            ok, shown, prose = have[0] >= need, f"県外企業{have[0]}社 ≧ {need}社", f"県外企業{have[0]}社（要件{need}社以上）"
            people = ""
        else:
            have, name = e.target("県外利用者割合"), f"kpi_{level}_users"
            if have is None:
                continue
            share = fraction(name)
            ok = Fraction(have[0], 100) >= share
            shown = f"県外利用者割合{have[0]}% ≧ {float(share) * 100:g}%"
            prose = f"県外利用者割合{have[0]}%（要件{float(share) * 100:g}%以上）"
            people = ""
            users = e.target("利用者数")
            if users is not None and users[0]:
                # the share as people: the requirement's line over the year's users, and how far the target is from it
                line, outside = users[0] * share, Fraction(users[0] * have[0], 100)
                gap, side = abs(outside - line), "上回る" if outside >= line else "下回る"
                shown += (f"（{users[0]:,}人 × {float(share) * 100:g}% = {_shown(line, '人')}、県外利用者{_shown(outside, '人')}"
                          f" − {_shown(line, '人')} = {'' if outside >= line else '−'}{_shown(gap, '人')}）")
                people = f"（県外利用者{_shown(outside, '人')}は要件の{_shown(line, '人')}を{_shown(gap, '人')}{side}）" if gap else \
                    f"（県外利用者{_shown(outside, '人')}はちょうど要件の{_shown(line, '人')}）"
        whose = f"{e.grant_type}タイプ" if kind == e.grant_type else f"{e.grant_type}タイプで採択、{kind}タイプの要件で"
        out.append((Step("gate", f"{e.municipality}（{whose}）：{shown}：{'○' if ok else '×'}", {}, ok, rule(name)),
                    f"{e.municipality}（{whose}）は{prose}で、{'' if kind == e.grant_type else kind + 'タイプの'}"
                    f"KPIの申請要件を{'満たしています' if ok else '満たしていません'}{people}"))
    return out


def _shown(value: Fraction, unit: str) -> str:
    if unit == "円":
        return f"{round(value):,}円"
    if unit == "%":
        return percent_text(float(value))
    return f"{float(value):,.6g}{unit}"
