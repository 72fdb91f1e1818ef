"""The read side of the index: chunks, keyword index and Chroma collection, loaded once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.types import Chunk

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.entities import Entities
    from assistant.settings import Settings


def measure_names(chunks: Sequence[Chunk]) -> frozenset[str]:
    """Names of the documents' measures: the 施策名 parts of the chunks' sections."""
    parts = {c.section.split(" > ")[0] for c in chunks}
    return frozenset(p.removeprefix("施策名：").strip() for p in parts if p.startswith("施策名："))


@dataclass
class LoadedIndex:
    directory: Path
    manifest: dict[str, Any]
    chunks: list[Chunk]
    keyword: Any  # bm25s.BM25
    dense: Any  # langchain_chroma.Chroma
    units: Any = None  # assistant.unit_vectors.UnitVectors, or None for an index built without them
    by_id: dict[str, Chunk] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {c.chunk_id: c for c in self.chunks}
        self.position = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    @property
    def measures(self) -> frozenset[str]:
        """Names of the documents' measures: the 施策名 parts of the sections."""
        if not hasattr(self, "_measures"):
            self._measures = measure_names(self.chunks)
        return self._measures

    @property
    def entities(self) -> Entities:
        """The measures and case-study towns the documents describe one by one (assistant/entities.py)."""
        if not hasattr(self, "_entities"):
            from assistant.entities import Entities

            self._entities = Entities.from_chunks(self.measures, self.chunks)
        return self._entities

    def idf(self, token: str) -> float:
        """Inverse document frequency of a search token over the chunks (BM25's formula); unseen -> highest."""
        if not hasattr(self, "_df"):
            import numpy as np

            indptr = np.asarray(self.keyword.scores["indptr"])
            ends = np.append(indptr[1:], len(self.keyword.scores["indices"]))
            df = ends - indptr
            self._df = {tok: int(df[i]) for tok, i in self.keyword.vocab_dict.items() if i < len(df)}
        n = max(1, len(self.chunks))
        df = self._df.get(token, 0)
        return math.log((n - df + 0.5) / (df + 0.5) + 1.0)

    def similarity(self, text: str) -> Any:
        """cosine(text as a question, unit) by unit key (`UnitVectors.similarity`), or None without unit vectors."""
        if self.units is None or not text.strip():
            return None
        return self.units.similarity(self.dense.embeddings.embed_query(text))

    @property
    def version(self) -> str:
        return str(self.manifest.get("build_id") or self.manifest.get("version", ""))[:40]


def load_index(settings: Settings, embeddings: Embeddings) -> LoadedIndex:
    """Open the live index (IndexMissingError with the fixing command when there is none)."""
    import bm25s
    from langchain_chroma import Chroma

    from assistant.unit_vectors import UnitVectors
    from ingest.stores import chroma_client, current_index_dir, read_chunks, read_manifest

    directory = current_index_dir(settings)
    manifest = read_manifest(directory)
    chunks = read_chunks(directory)
    keyword = bm25s.BM25.load(str(directory / "bm25"))
    client = chroma_client(settings, None if settings.chroma_host else directory / "chroma")
    dense = Chroma(
        collection_name=manifest["chroma"]["collection"],
        embedding_function=embeddings,
        client=client,
        create_collection_if_not_exists=False,
    )
    return LoadedIndex(directory, manifest, chunks, keyword, dense, UnitVectors.load(directory))
