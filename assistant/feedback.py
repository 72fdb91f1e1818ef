"""Durable user feedback (👍/👎 + comment) in SQLite, WAL mode, safe for concurrent writers.

Exports: JSONL keeps every stored value verbatim (one JSON object a line). CSV is meant to be opened in Excel,
where a cell starting with `= + - @`, TAB or CR is run as a formula (`=HYPERLINK(...)`), so every text cell is
made safe first (`csv_cell`): control characters removed (NUL included), a leading formula character
neutralised with `'`, and a line inside a cell that would start with one joined to the previous line. The
bytes are UTF-8 with a BOM (`export_bytes`), which Japanese Excel needs to read UTF-8 at all.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT ''
)
"""
COLUMNS = ("id", "created_at", "question", "answer", "status", "rating", "comment")

# What spreadsheets treat as the start of a formula (OWASP CSV injection), plus the full-width forms that a
# Japanese IME produces and some importers fold to ASCII.
FORMULA_START = frozenset("=+-@\t\r＝＋－＠")
# C0 controls except newline, DEL, C1 controls, and the Unicode line/paragraph separators.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_DANGEROUS_LINE = re.compile(r"\n(?=[ \u3000]*[=+\-@＝＋－＠])")


def _storable(text: str) -> str:
    """SQLite stores UTF-8: a lone surrogate (no character at all) becomes U+FFFD instead of failing."""
    return _SURROGATE.sub("\ufffd", text)


def csv_cell(value: object) -> object:
    """A value as it is safe to put in a spreadsheet cell; numbers stay numbers.

    Line breaks are normalised to LF and kept (the writer quotes the cell), except a break followed by a
    formula character, which becomes a space; TAB becomes a space; other control characters are removed.
    A cell whose first non-blank character starts a formula gets a leading `'`.
    """
    if value is None or isinstance(value, int | float):
        return value
    text = _storable(str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    while _DANGEROUS_LINE.search(text):  # 「\n\n=」: joining one line can expose the next
        text = _DANGEROUS_LINE.sub(" ", text)
    if text.lstrip(" \u3000")[:1] in FORMULA_START:
        text = "'" + text
    return text


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()  # one writer at a time in this process; WAL serialises across processes
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def add(self, question: str, answer: str, rating: int, comment: str = "", status: str = "") -> int:
        if rating not in (-1, 1):
            raise ValueError("rating must be +1 or -1")
        question, answer, status, comment = (_storable(t) for t in (question, answer, status, comment))
        row = (time.strftime("%Y-%m-%dT%H:%M:%S%z"), question, answer, status, rating, comment)
        with self._lock, self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created_at, question, answer, status, rating, comment) VALUES (?,?,?,?,?,?)", row
            )
            return int(cur.lastrowid or 0)

    def rows(self) -> list[dict[str, Any]]:
        with self._connect() as conn:
            return [dict(zip(COLUMNS, r, strict=True)) for r in conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id")]

    def export(self, fmt: str = "jsonl") -> str:
        """The rows as text: JSONL verbatim, or CSV with every text cell made safe (`csv_cell`)."""
        rows = self.rows()
        if fmt == "jsonl":
            return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if fmt == "csv":
            out = io.StringIO()
            # Text cells quoted (a kept line break stays inside its cell), numbers bare (rating -1 stays a number).
            writer = csv.DictWriter(out, fieldnames=COLUMNS, quoting=csv.QUOTE_NONNUMERIC)
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)
            return out.getvalue()
        raise ValueError(f"unknown format {fmt!r} (jsonl or csv)")

    def export_bytes(self, fmt: str = "jsonl") -> bytes:
        """What a file gets: CSV as UTF-8 with a BOM (Excel reads UTF-8 only then), JSONL as plain UTF-8."""
        return self.export(fmt).encode("utf-8-sig" if fmt == "csv" else "utf-8")
