"""Shared input handling for the calculators: typed, validated, with messages a user can act on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from assistant.calculators.amounts import parse_amount, parse_ratio
from assistant.errors import CalculationError
from assistant.types import Calculation, Rule, Step

TYPES = {"高水準": "高水準", "高水準タイプ": "高水準", "3/4": "高水準", "標準": "標準", "標準タイプ": "標準", "1/2": "標準"}


def get(inputs: Mapping[str, object], name: str, *aliases: str) -> object:
    for key in (name, *aliases):
        if key in inputs and inputs[key] not in (None, ""):
            return inputs[key]
    raise CalculationError(f"入力「{name}」が必要です (missing input: {name})")


def optional(inputs: Mapping[str, object], name: str, *aliases: str) -> object | None:
    try:
        return get(inputs, name, *aliases)
    except CalculationError:
        return None


def yen(inputs: Mapping[str, object], name: str, *aliases: str) -> int:
    value = get(inputs, name, *aliases)
    return parse_amount(value)


def count(inputs: Mapping[str, object], name: str, *aliases: str, maximum: int = 100_000) -> int:
    value = get(inputs, name, *aliases)
    try:
        number = int(str(value).strip().rstrip("人社件施設点"))
    except ValueError as exc:
        raise CalculationError(f"「{name}」は整数で指定してください: {value!r}") from exc
    if number < 0 or number > maximum:
        raise CalculationError(f"「{name}」は0～{maximum}の範囲で指定してください: {number}")
    return number


def percent(inputs: Mapping[str, object], name: str, *aliases: str) -> Fraction:
    """A percentage as a Fraction of 100 (52.0 -> 52): accepts 52, '52.0', '52%'."""
    value = get(inputs, name, *aliases)
    text = str(value).strip().rstrip("%％")
    try:
        number = Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise CalculationError(f"「{name}」は百分率の数値で指定してください: {value!r}") from exc
    if not 0 <= number <= 100:
        raise CalculationError(f"「{name}」は0～100%で指定してください: {value!r}")
    return number


def ratio(inputs: Mapping[str, object], name: str) -> Fraction:
    return parse_ratio(get(inputs, name))


def grant_type(inputs: Mapping[str, object], name: str = "タイプ") -> str:
    value = str(get(inputs, name, "type", "申請タイプ")).strip()
    if value not in TYPES:
        raise CalculationError(f"「{name}」は「高水準」か「標準」で指定してください: {value!r}")
    return TYPES[value]


def percent_text(value: float) -> str:
    """A share as officers write it: one decimal when it has one (69.2%), none when it is whole (10%, not 10.0%), and
    both decimals when the share is exact at two (484 of 10,000 is 4.84%, not 4.8%)."""
    exact_at_two = abs(value * 100 - round(value * 100)) < 1e-6
    return f"{value:.{2 if exact_at_two else 1}f}".rstrip("0").rstrip(".") + "%"


def floor_to(value: Fraction | int, unit: int) -> int:
    """Round down to a multiple of `unit` yen (the adopted examples truncate 国費 to 千円)."""
    return int(Fraction(value) // unit) * unit


def rate_of(kind: str) -> tuple[Fraction, Rule]:
    """The 補助率 of a type (高水準 3/4, 標準 1/2) with the rule that states it."""
    from assistant.calculators.rules import fraction, rule

    name = "rate_high" if kind == "高水準" else "rate_standard"
    return fraction(name), rule(name)


def cited_rules(steps: Sequence[Step]) -> tuple[Rule, ...]:
    """The rules a program's steps apply, each once, in the order first used."""
    rules: dict[str, Rule] = {}
    for step in steps:
        if step.rule is not None:
            rules.setdefault(step.rule.name, step.rule)
    return tuple(rules.values())


def calculation_of(kind: str, inputs: dict[str, object], result: dict[str, object], summary: str,
                   steps: Sequence[Step]) -> Calculation:
    """A program's result: its steps as the formula lines, the rules they cite."""
    return Calculation(kind=kind, inputs=inputs, result=result, formula="\n".join(f"・{s.label}" for s in steps),
                       summary=summary, rules=cited_rules(steps), steps=tuple(steps))


def combined(kind: str, parts: Sequence[Calculation], *, inputs: Mapping[str, object], result: Mapping[str, object],
             formula: str, summary: str, extra_steps: Sequence[Step] = ()) -> Calculation:
    """Several programs' runs as one answer (a decision and the plan it types, two cases, a change's before and
    after): every part's steps in order, then `extra_steps`, and the rules they all cite, without repeats."""
    return Calculation(kind=kind, inputs=dict(inputs), result=dict(result), formula=formula, summary=summary,
                       rules=tuple(dict.fromkeys(r for part in parts for r in part.rules)),
                       steps=(*(s for part in parts for s in part.steps), *extra_steps))
