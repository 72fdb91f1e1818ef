"""Sections -> chunks: section-aligned, size-limited, overlapping, with deterministic ids.

A chunk never crosses a part (a measure's page); small neighbouring sections of one part are packed
together up to `size`; a long section is cut at line boundaries with `overlap` characters of context
carried over; a table (consecutive TAB or ` | ` rows) stays whole while it fits in 1.5 × `size`.
Every chunk's text is exactly `cleaned[start:end]`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.types import Chunk
from ingest.sections import Section

_SENTENCE_END = re.compile(r"(?<=[。！？])")


@dataclass(frozen=True)
class DocumentInfo:
    source: str
    title: str
    fiscal_year: str


def chunk_id(source: str, start: int, end: int, text: str) -> str:
    """Same document text at the same place -> same id, across runs and machines."""
    digest = hashlib.sha256(f"{source}\x00{start}\x00{end}\x00{text}".encode()).hexdigest()
    stem = source.rsplit(".", 1)[0][:24]
    return f"{stem}-{digest[:16]}"


def _units(text: str, section: Section, size: int) -> Iterator[tuple[int, int]]:
    """Atomic spans of a section: lines, table blocks kept whole, over-long lines cut at sentence ends."""
    pos = section.start
    table_start: int | None = None
    table_end = 0
    for line in text[section.start : section.end].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        is_table = "\t" in line or " | " in line
        if table_start is not None and (not is_table or end - table_start > size * 3 // 2):
            yield table_start, table_end
            table_start = None
        if not line.strip():
            continue
        if is_table and end - start <= size * 3 // 2:
            if table_start is None:
                table_start = start
            table_end = end
            continue
        if end - start <= size:
            yield start, end
            continue
        # An over-long line (a table row or a paragraph): cut after sentence ends, else hard cut.
        piece_start = start
        for piece in _SENTENCE_END.split(line):
            if not piece:
                continue
            piece_end = piece_start + len(piece)
            while piece_end - piece_start > size:
                yield piece_start, piece_start + size
                piece_start += size
            yield piece_start, piece_end
            piece_start = piece_end
    if table_start is not None:
        yield table_start, table_end


def _pack(units: list[tuple[int, int]], size: int, overlap: int) -> Iterator[tuple[int, int]]:
    """Greedy windows of whole units up to `size`, each starting with ≥ `overlap` chars of the last."""
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1][1] - units[i][0] <= size:
            j += 1
        yield units[i][0], units[j][1]
        if j + 1 >= len(units):
            return
        # Step back from j+1 so the next window repeats about `overlap` characters, but always advance.
        k = j + 1
        while k - 1 > i and units[j][1] - units[k - 1][0] <= overlap:
            k -= 1
        i = k


def make_chunks(
    text: str, sections: list[Section], doc: DocumentInfo, size: int, overlap: int
) -> list[Chunk]:
    """Chunk one cleaned document. Neighbouring small sections of the same part are packed together."""
    chunks: list[Chunk] = []
    group: list[Section] = []

    def flush() -> None:
        if not group:
            return
        units = [u for s in group for u in _units(text, s, size)]
        for start, end in _pack(units, size, overlap):
            owner = next((s for s in group if s.start <= start < s.end), group[0])
            body = text[start:end]
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc.source, start, end, body),
                    source=doc.source,
                    title=doc.title,
                    fiscal_year=doc.fiscal_year,
                    section=owner.path,
                    text=body,
                    start=start,
                    end=end,
                )
            )
        group.clear()

    for section in sections:
        if group and (
            section.part != group[0].part or section.end - group[0].start > size
        ):
            flush()
        group.append(section)
    flush()
    return chunks
