"""An adopted example's 2024 targets asked by the example's name are answered from its KPI table."""

from __future__ import annotations

import re

from assistant.calculators.examples import adopted_examples, targets_asked


def _with_targets():
    return [e for e in adopted_examples() if e.kpi and e.target("利用企業数") and e.target("移住者数")]


def test_the_rows_asked_are_read_for_the_example_named():
    example = _with_targets()[0]
    asked = targets_asked(f"{example.municipality}のKPI目標、利用企業数と移住者数の値は？")
    assert [(e.municipality, what) for e, what in asked] == [(example.municipality, "利用企業数"), (example.municipality, "移住者数")]
    # no target word, or no example named: nothing asked of a table
    assert targets_asked(f"{example.municipality}の事例の推進体制は？") == []
    assert targets_asked("高水準タイプの移住者数の目標の下限は？") == []


def test_an_examples_targets_asked_are_quoted_from_its_own_table(fake_assistant):
    example = _with_targets()[1]
    answer = fake_assistant.ask(f"{example.municipality}が掲げた移住者数の目標値は？", phrase=False)
    value, row = example.target("移住者数")  # type: ignore[misc]
    assert answer.status.value == "answered"
    assert re.search(rf"(?<![\d,]){value:,}(?![\d,])|(?<!\d){value}(?!\d)", answer.text)
    assert any(row in c.quote or c.quote in row for c in answer.citations)
