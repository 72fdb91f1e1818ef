"""Rules are quotes of the corpus, and the corpus's own adopted examples come out exactly."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from assistant.calculators.common import floor_to
from assistant.calculators.rules import all_rules, fraction, integer
from ingest.clean import clean_text
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {p.name: clean_text(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.txt")}


def test_every_rule_quote_is_in_the_cleaned_corpus(cleaned):
    rules = all_rules()
    assert len(rules) >= 50
    for name, rule in rules.items():
        assert rule.source in cleaned, name
        assert rule.quote in cleaned[rule.source], f"{name}: quote not found: {rule.quote!r}"


def test_rule_values_are_exact_types():
    assert fraction("rate_high") == Fraction(3, 4) and fraction("rate_standard") == Fraction(1, 2)
    assert [integer(n) for n in ("cap_facility_under20", "cap_facility_20to49", "cap_facility_50plus")] == [
        30_000_000, 45_000_000, 90_000_000]
    assert all(not isinstance(r.value, float) for r in all_rules().values())


def test_every_adopted_example_in_the_corpus_is_reproduced(cleaned):
    """交付対象事業費 × 補助率, truncated to 千円, equals the 国費 each example states."""
    text = cleaned["digiden_chiho_sosei_telework_overview.txt"]
    examples = []
    kind = None
    for line in text.split("\n"):
        if m := re.search(r"採択区分\s*\|?\s*(高水準|標準)タイプ", line):
            kind = m.group(1)
        if m := re.search(r"交付対象事業費\s*[（(]国費(?:額|ベース)[）)]\s*\|?\s*([\d,]+)千円\s*[（(]([\d,]+)千円", line):
            examples.append((kind, int(m.group(1).replace(",", "")) * 1000, int(m.group(2).replace(",", "")) * 1000))
    assert len(examples) >= 8
    for kind, eligible, national in examples:
        rate = fraction("rate_high" if kind == "高水準" else "rate_standard")
        assert floor_to(eligible * rate, integer("national_truncation")) == national, (kind, eligible, national)
