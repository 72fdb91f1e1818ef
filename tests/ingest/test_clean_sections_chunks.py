from __future__ import annotations

import re

import pytest

from ingest.chunks import DocumentInfo, chunk_id, make_chunks
from ingest.clean import clean_text
from ingest.corpus import load_documents
from ingest.sections import classify, split_sections
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def documents():
    return load_documents(CORPUS, verify_hash=True)


def test_html_fragments_become_rows_without_tags():
    raw = '申請要件\t<ul style="list-style-type: none"><li>1. 要件A</li><li>2. <u>要件B</u></li></ul>\n'
    assert clean_text(raw).strip() == "申請要件 | 1. 要件A | 2. 要件B"


def test_vertical_label_fragments_and_wrapped_lines_are_joined():
    raw = "予算\n額\n\n• コロナ禍の中、テレワークやサテライトオフィスについて\n注目されていることを踏まえ、加速\n"
    cleaned = clean_text(raw)
    assert "予算額" in cleaned
    assert "サテライトオフィスについて注目されている" in cleaned


def test_page_numbers_and_separator_rows_go_but_characters_are_kept():
    raw = "①事業の上限は３，０００万円\n12\n|---|---|\n全角ＡＢＣ\n"
    cleaned = clean_text(raw)
    assert "①事業の上限は３，０００万円" in cleaned  # no NFKC on quoted text
    assert "全角ＡＢＣ" in cleaned
    assert "\n12\n" not in cleaned and "---" not in cleaned


def test_real_corpus_has_no_html_tags_left(documents):
    for doc in documents:
        cleaned = clean_text(doc.text)
        assert not re.search(r"</?(?:p|ul|li|div|u)\b", cleaned), doc.source


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("施策名：地方創生テレワーク交付金", "part"),
        ("■ 対象経費", "heading"),
        ("【デジタル実装タイプ】", "heading"),
        ("＜交付上限額等＞", "heading"),
        ("① 政策目的に対する適合性", "heading"),
        ("3. 総合評価", "heading"),
        ("地方公共団体が、サテライトオフィス等を開設し、プロジェクトを推進する。", None),
        ("B 1 | 附帯施設 | 5割未満", None),
    ],
)
def test_heading_classification(line, kind):
    assert classify(line) == kind


def test_sections_cover_both_documents_with_parts(documents):
    for doc in documents:
        cleaned = clean_text(doc.text)
        sections = split_sections(cleaned)
        assert len(sections) > 20
        assert all(cleaned[s.start : s.end].strip() for s in sections)
        assert sorted(sections, key=lambda s: s.start) == sections
    paths = {s.path for s in split_sections(clean_text(documents[0].text))}
    assert any("⑤進出企業定着・地域活性化支援事業" in p for p in paths)


@pytest.mark.parametrize(("size", "overlap"), [(200, 40), (400, 80), (800, 0)])
def test_every_chunk_is_the_cleaned_text_at_its_offsets(documents, size, overlap):
    for doc in documents:
        cleaned = clean_text(doc.text)
        chunks = make_chunks(cleaned, split_sections(cleaned), DocumentInfo(doc.source, doc.title, doc.fiscal_year), size, overlap)
        assert chunks
        for c in chunks:
            assert cleaned[c.start : c.end] == c.text
            assert len(c.text) <= size * 3 // 2
            assert c.title == doc.title and c.fiscal_year == doc.fiscal_year and c.section
        # Nothing of the text is lost: every non-blank line is inside some chunk.
        covered = set()
        for c in chunks:
            covered.update(range(c.start, c.end))
        pos = 0
        for line in cleaned.split("\n"):
            if line.strip():
                assert any(i in covered for i in range(pos, pos + len(line))), line
            pos += len(line) + 1


def test_chunk_ids_are_deterministic_and_unique(documents):
    doc = documents[0]
    cleaned = clean_text(doc.text)
    info = DocumentInfo(doc.source, doc.title, doc.fiscal_year)
    first = make_chunks(cleaned, split_sections(cleaned), info, 400, 80)
    second = make_chunks(clean_text(doc.text), split_sections(cleaned), info, 400, 80)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert len({c.chunk_id for c in first}) == len(first)
    assert chunk_id("a.txt", 0, 3, "abc") != chunk_id("a.txt", 0, 3, "abd")
