"""The rules table (rules.toml) as typed `Rule` objects, loaded once."""

from __future__ import annotations

import tomllib
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from assistant.types import Rule

RULES_FILE = Path(__file__).with_name("rules.toml")


def _value(raw: object) -> int | Fraction | str:
    if isinstance(raw, int):
        return raw
    text = str(raw)
    if text.count("/") == 1 and all(p.strip().isdigit() for p in text.split("/")):
        numerator, denominator = text.split("/")
        return Fraction(int(numerator), int(denominator))
    return text


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    sources = data["sources"]
    return {
        name: Rule(
            name=name,
            value=_value(entry["value"]),
            unit=entry.get("unit", ""),
            quote=entry["quote"],
            source=sources[entry["source"]],
            section=entry.get("section", ""),
            note=entry.get("note", ""),
        )
        for name, entry in data["rules"].items()
    }


def rule(name: str) -> Rule:
    return all_rules()[name]


def fraction(name: str) -> Fraction:
    value = rule(name).value
    if not isinstance(value, Fraction):
        raise TypeError(f"rule {name} is not a fraction: {value!r}")
    return value


def integer(name: str) -> int:
    value = rule(name).value
    if not isinstance(value, int):
        raise TypeError(f"rule {name} is not an integer: {value!r}")
    return value
