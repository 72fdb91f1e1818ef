"""Vectors of the answer units, built at ingest and read by the unit ranker's meaning feature.

A unit (a line, a table cell, a sentence: `answer._chunk_units`) is embedded *in context*: the last part of its
section path, its heading / column / row label, then its text, so that a cell 「4,500万円」 means
「20人以上50人未満 … 施設整備・運営の上限 4,500万円」 to the model. Units are a pure function of the chunk, so
the index stores one row per (chunk id, start, end) and the serving side looks a unit up by that key.
Identical texts (overlapping chunks) are embedded once; the embedding cache makes a re-ingest of unchanged
text free.

    units.json  ->  {"model": …, "keys": [[chunk_id, start, end], …]}
    units.npy   ->  float32 matrix, one L2-normalised row per key
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.types import Chunk

KEYS_FILE = "units.json"
MATRIX_FILE = "units.npy"
MAX_CONTEXT_CHARS = 80  # a long heading path says little more than its last words and costs embedding time


def vector_text(section: str, context: str, label: str, text: str) -> str:
    leaf = section.split(" > ")[-1]
    head = " ".join(x for x in (leaf, context, label) if x)[-MAX_CONTEXT_CHARS:]
    return f"{head}\n{text}" if head else text


def unit_texts(chunks: Sequence[Chunk]) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Every unit of every chunk: its key and the text its vector is made from."""
    from assistant.answer import _chunk_units

    keys, texts = [], []
    for chunk in chunks:
        for unit, _ in _chunk_units(chunk):
            if unit.is_heading:
                continue  # headings are never chosen as answers
            keys.append((chunk.chunk_id, unit.start, unit.end))
            texts.append(vector_text(chunk.section, unit.context, unit.label, unit.text))
    return keys, texts


def write_unit_vectors(directory: Path, chunks: Sequence[Chunk], embeddings: Embeddings, model: str,
                       progress: Any = None, batch_size: int = 64) -> int:
    import numpy as np

    keys, texts = unit_texts(chunks)
    distinct = list(dict.fromkeys(texts))
    vectors: dict[str, list[float]] = {}
    for i in range(0, len(distinct), batch_size):
        batch = distinct[i : i + batch_size]
        vectors.update(zip(batch, embeddings.embed_documents(batch), strict=True))
        if progress is not None:
            progress.update(len(batch))
    matrix = np.array([vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms > 0, norms, 1.0)
    np.save(directory / MATRIX_FILE, matrix)
    (directory / KEYS_FILE).write_text(json.dumps({"model": model, "keys": keys}, ensure_ascii=False), encoding="utf-8")
    return len(distinct)


@dataclass
class UnitVectors:
    rows: dict[tuple[str, int, int], int]
    matrix: Any  # numpy float32, rows L2-normalised

    @classmethod
    def load(cls, directory: Path) -> UnitVectors | None:
        """None for an index built before unit vectors existed (the meaning feature is then 0)."""
        import numpy as np

        if not (directory / KEYS_FILE).exists() or not (directory / MATRIX_FILE).exists():
            return None
        keys = json.loads((directory / KEYS_FILE).read_text(encoding="utf-8"))["keys"]
        return cls({(k[0], k[1], k[2]): i for i, k in enumerate(keys)}, np.load(directory / MATRIX_FILE))

    def similarity(self, query_vector: Sequence[float]) -> Callable[[str, int, int], float]:
        """cosine(question, unit) by unit key; 0 for a unit the index has no vector of."""
        import numpy as np

        q = np.asarray(query_vector, dtype=np.float32)
        q /= float(np.linalg.norm(q)) or 1.0
        cosines = self.matrix @ q
        rows = self.rows

        def of(chunk_id: str, start: int, end: int) -> float:
            row = rows.get((chunk_id, start, end))
            return float(cosines[row]) if row is not None else 0.0

        return of
