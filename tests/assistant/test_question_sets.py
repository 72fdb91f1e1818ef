"""The project's question sets are well-formed and their gold quotes are verbatim corpus text."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from assistant.eval import load_items
from tests.conftest import CORPUS, REPO

SETS = [REPO / "eval" / "questions.jsonl", REPO / "eval" / "probes.jsonl"]


def _key(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_question_sets_are_valid_and_quotes_are_verbatim(path):
    items, problems = load_items(path)
    assert not problems
    corpus = "".join(_key(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.txt"))
    for item in items:
        for quote in item.gold_quotes:
            assert _key(quote) in corpus, f"{item.id}: {quote!r}"
        if item.category == "refusal":
            assert not item.gold_quotes and not item.must_include


def test_own_question_set_covers_every_category():
    items, _ = load_items(REPO / "eval" / "questions.jsonl")
    counts = Counter(i.category for i in items)
    assert len(items) >= 100
    assert {"lookup", "calc", "eligibility", "refusal", "multiturn"} <= set(counts)
    assert all(i.calc["expected"] for i in items if i.calc)
    probes, _ = load_items(REPO / "eval" / "probes.jsonl")
    assert len(probes) >= 30
