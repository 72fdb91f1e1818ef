"""The rules table (rules.toml) as typed `Rule` objects, loaded once through pydantic.

Values have real types: integers (yen, people, points, counts), fractions as numerator/denominator, arrays
for bands and lists, strings for grades and labels. A malformed entry fails at load with the rule's name.
"""

from __future__ import annotations

import tomllib
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from assistant.types import Rule

RULES_FILE = Path(__file__).with_name("rules.toml")


class FractionValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    numerator: StrictInt
    denominator: StrictInt = Field(gt=0)


class RuleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: StrictInt | FractionValue | list[StrictInt] | list[StrictStr] | StrictStr
    unit: str = ""
    source: str
    section: str = ""
    quote: str = Field(min_length=1)
    note: str = ""


class RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: dict[str, str]
    rules: dict[str, RuleEntry]


def _value(raw: int | FractionValue | list[int] | list[str] | str) -> int | Fraction | tuple[int, ...] | tuple[str, ...] | str:
    if isinstance(raw, FractionValue):
        return Fraction(raw.numerator, raw.denominator)
    if isinstance(raw, list):
        return tuple(raw)  # type: ignore[return-value]
    return raw


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    data = RulesFile.model_validate(tomllib.loads(RULES_FILE.read_text(encoding="utf-8")))
    return {
        name: Rule(name=name, value=_value(entry.value), unit=entry.unit, quote=entry.quote,
                   source=data.sources[entry.source], section=entry.section, note=entry.note)
        for name, entry in data.rules.items()
    }


def rule(name: str) -> Rule:
    return all_rules()[name]


def fraction(name: str) -> Fraction:
    value = rule(name).value
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if not isinstance(value, Fraction):
        raise TypeError(f"rule {name} is not a fraction: {value!r}")
    return value


def integer(name: str) -> int:
    value = rule(name).value
    if not isinstance(value, int):
        raise TypeError(f"rule {name} is not an integer: {value!r}")
    return value


def integers(name: str) -> tuple[int, ...]:
    value = rule(name).value
    if not isinstance(value, tuple) or not all(isinstance(v, int) for v in value):
        raise TypeError(f"rule {name} is not a list of integers: {value!r}")
    return value  # type: ignore[return-value]


def strings(name: str) -> tuple[str, ...]:
    value = rule(name).value
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"rule {name} is not a list of names: {value!r}")
    return value  # type: ignore[return-value]
