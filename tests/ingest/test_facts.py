"""The fact cards (corpus/facts.jsonl) say only what the documents say: every quote is the documents' own text,
found in the index, and every figure of a statement stands in its quotes."""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata

import pytest

from tests.conftest import CORPUS

_CIRCLED = re.compile(r"[\u2460-\u2473\u24ea\u3251-\u325f]")  # ①…: labels, not figures (NFKC turns them into digits)


def _cards() -> list[dict]:
    return [json.loads(line) for line in (CORPUS / "facts.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def _figures(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", _CIRCLED.sub(" ", text)).replace(",", ""))


def _figure_text(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _CIRCLED.sub(" ", text)).replace(",", ""))


def test_the_cards_are_well_formed_and_name_a_corpus_document():
    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    files = {d["file"] for d in manifest["documents"]}
    cards = _cards()
    assert len(cards) >= 100
    assert len({c["id"] for c in cards}) == len(cards)
    for card in cards:
        assert card["source"] in files, card["id"]
        assert 0 < len(card["statement"]) <= 180, card["id"]
        assert 1 <= len(card["quotes"]) <= 5, card["id"]
        assert card["topic"].strip() and card["kind"].strip(), card["id"]


def test_every_quote_is_the_documents_own_text():
    texts = {}
    for card in _cards():
        text = texts.setdefault(card["source"], (CORPUS / card["source"]).read_text(encoding="utf-8"))
        for quote in card["quotes"]:
            assert quote in text, (card["id"], quote)
            assert "\n" not in quote, card["id"]  # one line: a citation quotes one line


def test_every_figure_of_a_statement_stands_in_its_quotes():
    for card in _cards():
        quoted = _figure_text(" ".join(card["quotes"]))
        missing = [f for f in _figures(card["statement"]) if f not in quoted]
        assert not missing, (card["id"], missing)


def test_the_figure_check_can_fail():
    assert _figures("上限は9,000万円（①②共通）") == ["9000"]
    assert "4500" not in _figure_text("施設整備・運営\t3,000万円\t9,000万円")


def test_every_quote_is_found_in_the_indexed_chunks_with_its_whole_line(fake_assistant):
    from assistant.facts import Locator, _key

    locator = Locator(fake_assistant.index.chunks)
    for card in _cards():
        for quote in card["quotes"]:
            found = locator.find(quote, card["source"])
            assert found is not None, (card["id"], quote)
            assert _key(quote) in _key(found.line)  # the cleaned line may differ in spacing and ** only
            assert found.line in found.chunk.text


@pytest.mark.parametrize("quote", ["この文は文書にない", ""])
def test_a_quote_not_in_the_documents_is_not_found(fake_assistant, quote):
    from assistant.facts import Locator

    assert Locator(fake_assistant.index.chunks).find(quote, "") is None
