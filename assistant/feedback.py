"""Durable user feedback (👍/👎 + comment) in SQLite, WAL mode, safe for concurrent writers."""

from __future__ import annotations

import csv
import io
import json
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
        rows = self.rows()
        if fmt == "jsonl":
            return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
            return out.getvalue()
        raise ValueError(f"unknown format {fmt!r} (jsonl or csv)")
