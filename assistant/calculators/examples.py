"""The adopted examples of the 制度概要 (【参考】過年度採択団体の取組事例) as data read from the corpus: each
団体's 採択区分, 交付対象事業費 and 国費, with the line that states them as its quote. Used to add up or compare
examples an officer names; nothing about them is typed in code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.calculators.amounts import format_yen as fy
from assistant.calculators.eligibility import PREFECTURES
from assistant.calculators.rules import rule
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


@lru_cache(maxsize=1)
def adopted_examples() -> tuple[Example, ...]:
    source = REPO_ROOT / "corpus" / rule("rate_high").source
    name: tuple[str, str] | None = None
    kind: str | None = None
    project5 = False
    found = []
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
            name = None
    return tuple(found)


def _as_rule(example: Example) -> Rule:
    return Rule(name=f"example_{example.municipality}", value=example.national, unit="円", quote=example.quote,
                source=rule("rate_high").source, section=SECTION, note=f"{example.prefecture}{example.municipality}の採択事例")


def named_examples(text: str) -> list[Example]:
    """The examples whose municipality the text names, in the order named."""
    hits = [(text.find(e.municipality), e) for e in adopted_examples() if e.municipality in text]
    return [e for at, e in sorted(hits, key=lambda h: h[0]) if at >= 0]


def example_burdens(examples: list[Example]) -> Calculation:
    """Each named example's local share (交付対象事業費 − 国費), read from its line, and their sum."""
    steps = [Step("difference", f"{e.prefecture}{e.municipality}：{e.eligible // 1000:,}千円 − {e.national // 1000:,}千円 = "
                  f"{(e.eligible - e.national) // 1000:,}千円", {}, e.eligible - e.national, _as_rule(e)) for e in examples]
    total = sum(e.eligible - e.national for e in examples)
    national = sum(e.national for e in examples)
    parts = "、".join(f"{e.municipality}{(e.eligible - e.national) // 1000:,}千円" for e in examples)
    summary = f"地方負担（交付対象事業費 − 国費）は{parts}です。"
    if len(examples) > 1:
        steps.append(Step("sum", f"合計：地方負担{total // 1000:,}千円、国費{national // 1000:,}千円", {}, total))
        summary += f"合計で地方負担{total // 1000:,}千円、国費{national // 1000:,}千円です。"
    if any((e.eligible // 1000) * 3 % 4 for e in examples if e.grant_type == "高水準"):
        summary += "国費は交付対象事業費×補助率の千円未満を切り捨てた額です。"
        steps.append(Step("rate", "国費額は千円未満切り捨て（採択事例の表記）", {}, None, rule("national_truncation")))
    return Calculation(
        kind="example_burdens", inputs={"団体": "・".join(e.municipality for e in examples)},
        result={"地方負担の合計": total, "国費の合計": national},
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
    return Calculation(
        kind="example_sum", inputs={"団体": "・".join(e.municipality for e in examples), "項目": what},
        result={f"{what}の合計": total},
        formula="\n".join(f"・{s.label}" for s in steps),
        summary=f"{len(examples)}団体の{what}の合計は{total // 1000:,}千円"
                + (f"（{fy(total)}）" if fy(total) != f"{total // 1000:,}千円" else "") + "です。",
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
    if re.search(r"⑤|進出企業定着", text):
        chosen = [e for e in chosen if e.project5]
    elif re.search(r"施設整備|利用促進|①|②", text):
        chosen = [e for e in chosen if not e.project5]
    return chosen


def sum_examples_of(examples: list[Example], fields: list[str]) -> Calculation:
    """One sum per field asked (国費 and/or 交付対象事業費), in one calculation."""
    parts = [sum_examples(examples, what) for what in fields]
    if len(parts) == 1:
        return parts[0]
    steps = tuple(step for part in parts for step in part.steps)
    return Calculation(
        kind="example_sum", inputs={**parts[0].inputs, "項目": "・".join(fields)},
        result={k: v for part in parts for k, v in part.result.items()},
        formula="\n".join(part.formula for part in parts),
        summary=" ".join(part.summary for part in parts),
        rules=tuple(dict.fromkeys(r for part in parts for r in part.rules)), steps=steps)


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
