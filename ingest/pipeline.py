"""documents -> clean text -> sections -> chunks -> stores, with a progress bar and a closing summary.

The index version is a hash of everything that shapes the index (document bytes, chunking settings,
embedding backend, this pipeline's format), so `ensure_index` re-ingests exactly when the corpus or those
settings changed, and an unchanged corpus gives the same chunk ids again.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.errors import IndexMissingError
from ingest.chunks import DocumentInfo, make_chunks
from ingest.clean import clean_text
from ingest.corpus import Document, load_documents
from ingest.sections import split_sections

if TYPE_CHECKING:
    from assistant.settings import Settings
    from assistant.types import Chunk

FORMAT_VERSION = "10"  # 8: answer-unit vectors; 9: spaced acronyms (K P I) closed up in search keys; 10: spaced katakana


@dataclass(frozen=True)
class IngestSummary:
    documents: int
    sections: int
    chunks: int
    seconds: float
    version: str
    skipped: bool = False
    embedded: int = 0  # texts the model embedded
    cached: int = 0  # texts whose vector came from the embedding cache

    def __str__(self) -> str:
        if self.skipped:
            return f"index is up to date (version {self.version[:12]}, {self.chunks} chunks)"
        return (
            f"indexed {self.documents} documents, {self.sections} sections, {self.chunks} chunks "
            f"in {self.seconds:.1f} s (version {self.version[:12]}; {self.embedded} texts embedded, "
            f"{self.cached} from the embedding cache)"
        )


def index_version(settings: Settings, documents: list[Document]) -> str:
    from assistant.embeddings import embedding_name

    key = {
        "format": FORMAT_VERSION,
        "documents": sorted((d.source, d.sha256, d.title, d.fiscal_year) for d in documents),
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
        "embedding": embedding_name(settings),
        "chroma": bool(settings.chroma_host),
        "unit_vectors": settings.unit_vectors,
    }
    return hashlib.sha256(json.dumps(key, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def build_chunks(settings: Settings, documents: list[Document]) -> tuple[list[Chunk], int]:
    chunks: list[Chunk] = []
    n_sections = 0
    for doc in documents:
        cleaned = clean_text(doc.text)
        sections = split_sections(cleaned)
        n_sections += len(sections)
        info = DocumentInfo(doc.source, doc.title, doc.fiscal_year)
        chunks.extend(make_chunks(cleaned, sections, info, settings.chunk_size, settings.chunk_overlap))
    return chunks, n_sections


def run_ingest(settings: Settings, force: bool = False, show_progress: bool = True) -> IngestSummary:
    from tqdm import tqdm

    from assistant.embedding_cache import CachedEmbeddings
    from assistant.embeddings import embedding_name, make_embeddings
    from ingest.stores import current_index_dir, read_manifest, remove_abandoned_builds, write_index

    started = time.perf_counter()
    remove_abandoned_builds(settings.index_dir)  # a killed ingest's leftovers go even when nothing is rebuilt
    documents = load_documents(settings.corpus_dir)
    for doc in documents:
        if doc.changed_since_manifest:
            print(
                f"warning: {doc.source} changed since corpus/manifest.toml was written (sha256 {doc.sha256[:12]}…, "
                f"manifest {doc.manifest_sha256[:12]}…); it is indexed as it is now — update the manifest entry.",
                file=sys.stderr,
            )
    version = index_version(settings, documents)
    if not force:
        try:
            live = read_manifest(current_index_dir(settings))
            if live.get("version") == version:
                return IngestSummary(len(documents), live.get("sections", 0), live.get("chunks", 0), 0.0, version, True)
        except IndexMissingError:
            pass
    chunks, n_sections = build_chunks(settings, documents)
    manifest = {
        "version": version,
        "format": FORMAT_VERSION,
        "embedding": embedding_name(settings),
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
        "documents": [
            {"source": d.source, "title": d.title, "fiscal_year": d.fiscal_year, "sha256": d.sha256,
             "original_file": d.original_file, "chunks": sum(c.source == d.source for c in chunks)}
            for d in documents
        ],
        "sections": n_sections,
        "chunks": len(chunks),
    }
    # Vectors are cached by (model, text hash): re-ingesting unchanged text embeds nothing.
    embeddings = CachedEmbeddings(make_embeddings(settings), embedding_name(settings), settings.embedding_cache)
    with (
        tqdm(total=len(chunks), desc="embedding chunks", unit="chunk", disable=not show_progress) as bar,
        tqdm(desc="embedding answer units", unit="unit", disable=not show_progress or not settings.unit_vectors) as unit_bar,
    ):
        write_index(settings, chunks, embeddings, manifest, progress=bar, unit_progress=unit_bar)
    # The fact cards' vectors go into the cache too: serving reads them from it (assistant/facts.py).
    from assistant.facts import FactBook, load_facts

    embeddings.embed_documents([FactBook.meaning_text(f) for f in load_facts(settings.corpus_dir)])
    return IngestSummary(len(documents), n_sections, len(chunks), time.perf_counter() - started, version,
                         embedded=embeddings.misses, cached=embeddings.hits)


def ensure_index(settings: Settings, show_progress: bool = True) -> IngestSummary:
    """Ingest when the index is missing or stale (changed corpus or index settings); otherwise nothing."""
    return run_ingest(settings, force=False, show_progress=show_progress)
