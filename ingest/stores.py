"""The on-disk index: a versioned directory per build and a pointer file naming the live one.

    data/index/CURRENT                      -> {"dir": "v-<version>-<time>", "version": ...}
    data/index/v-<version>-<time>/manifest.json, chunks.jsonl, bm25/, chroma/ (embedded mode),
                                  units.json + units.npy (answer-unit vectors, assistant/unit_vectors.py)

A build writes into `.building-*` and only then renames it and replaces CURRENT (`os.replace` is atomic), so
a crash mid-way leaves the previous index live; what a killed build leaves behind is removed at the next start
or ingest (`remove_abandoned_builds`). In server mode the Chroma collection name carries the build
id instead of the directory. Stores are written only here; the serving side only reads them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import IndexMissingError
from assistant.types import Chunk

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.settings import Settings

POINTER = "CURRENT"
FIX_COMMAND = "grant-assistant ingest"


def chroma_client(settings: Settings, persist_dir: Path | None):  # type: ignore[no-untyped-def]
    """Embedded PersistentClient by default; HttpClient when settings name a Chroma server. No telemetry."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    if persist_dir is None:
        raise IndexMissingError("embedded Chroma needs a directory")
    return chromadb.PersistentClient(path=str(persist_dir), settings=chroma_settings)


_EMAIL = re.compile(r"[\w.+-]+(?:@|＠|_atmark_)[\w-]+\.[\w.]+")
_PHONE = re.compile(r"0\d{1,3}-\d{2,4}-\d{3,4}")


def index_text(chunk: Chunk) -> str:
    """What both indexes see: the section path as a contextual header, then the chunk text, then type hints.

    An address or phone number is written without the words people search for it with (「メールアドレス」
    「問い合わせ先」), so chunks holding one get those words as hints; quoted text is never changed.
    """
    hints = []
    if _EMAIL.search(chunk.text):
        hints.append("メールアドレス 問い合わせ先")
    if _PHONE.search(chunk.text):
        hints.append("電話番号 問い合わせ先")
    return "\n".join([chunk.section, chunk.text, *hints])


def write_index(
    settings: Settings,
    chunks: list[Chunk],
    embeddings: Embeddings,
    manifest: dict[str, Any],
    progress: Any = None,
    batch_size: int = 64,
    unit_progress: Any = None,
) -> Path:
    """Build a complete index aside, then make it the live one. Returns the new directory."""
    from langchain_chroma import Chroma

    from assistant.japanese import tokenize

    root = settings.index_dir
    root.mkdir(parents=True, exist_ok=True)
    remove_abandoned_builds(root)
    # Unique even for two builds in the same second; the pid stays last (abandoned-build detection reads it).
    build_id = f"{manifest['version'][:16]}-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}-{os.getpid()}"
    building = root / f".building-{build_id}"
    building.mkdir()

    with (building / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps(asdict(chunk), ensure_ascii=False) + "\n")

    import bm25s

    keyword_index = bm25s.BM25()
    keyword_index.index([tokenize(index_text(c)) or [""] for c in chunks], show_progress=False)
    keyword_index.save(str(building / "bm25"))

    collection = f"{settings.chroma_collection}-{build_id}".replace("_", "-")[:60]
    client = chroma_client(settings, None if settings.chroma_host else building / "chroma")
    store = Chroma(
        collection_name=collection,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )
    for i in range(0, len(chunks), batch_size):
        batch = chunks[i : i + batch_size]
        store.add_texts(
            texts=[index_text(c) for c in batch],
            metadatas=[c.metadata() for c in batch],
            ids=[c.chunk_id for c in batch],
        )
        if progress is not None:
            progress.update(len(batch))

    from assistant.unit_vectors import write_unit_vectors

    unit_texts = (write_unit_vectors(building, chunks, embeddings, manifest.get("embedding", ""), unit_progress)
                  if settings.unit_vectors else 0)
    manifest = {
        **manifest,
        "unit_vectors": unit_texts,
        "build_id": build_id,
        "chroma": {"mode": "http" if settings.chroma_host else "embedded", "collection": collection},
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    (building / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    del store, client

    final = root / f"v-{build_id}"
    building.rename(final)
    _point_to(root, final, manifest)
    _remove_old_versions(root, keep={final.name})
    return final


def _point_to(root: Path, target: Path, manifest: dict[str, Any]) -> None:
    tmp = root / f".{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"dir": target.name, "version": manifest["version"]}), encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, root / POINTER)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned_builds(root: Path) -> list[Path]:
    """Builds (and pointer temp files) whose process died, by a crash or a kill mid-way, are garbage.
    A build whose process still runs is left alone. Returns what was removed."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for path in [*root.glob(".building-*"), *root.glob(f".{POINTER}.*.tmp")]:
        try:
            pid = int(path.name.removesuffix(".tmp").replace(".", "-").rsplit("-", 1)[1])
        except (ValueError, IndexError):
            pid = -1
        if pid != os.getpid() and (pid < 0 or not _pid_alive(pid)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _remove_old_versions(root: Path, keep: Iterable[str], keep_previous: int = 1) -> None:
    """Keep the live build and the one before it (a running server may still read it)."""
    versions = sorted((p for p in root.glob("v-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    keep = set(keep)
    spare = [p for p in versions if p.name not in keep][:keep_previous]
    for path in versions:
        if path.name not in keep and path not in spare:
            shutil.rmtree(path, ignore_errors=True)


def current_index_dir(settings: Settings) -> Path:
    """The live index directory, or IndexMissingError naming the command that builds it."""
    pointer = settings.index_dir / POINTER
    if not pointer.exists():
        raise IndexMissingError(
            f"no index in {settings.index_dir}. Build it with `{FIX_COMMAND}` (or `make run`, which does it)."
        )
    try:
        target = settings.index_dir / json.loads(pointer.read_text(encoding="utf-8"))["dir"]
    except (ValueError, KeyError) as exc:
        raise IndexMissingError(f"the index pointer {pointer} is damaged ({exc}). Rebuild with `{FIX_COMMAND}`.") from exc
    if not (target / "manifest.json").exists() or not (target / "chunks.jsonl").exists():
        raise IndexMissingError(f"the index in {target} is incomplete. Rebuild with `{FIX_COMMAND}`.")
    return target


def read_manifest(index_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IndexMissingError(f"{index_dir}/manifest.json is corrupt ({exc}). Rebuild with `{FIX_COMMAND}`.") from exc


def read_chunks(index_dir: Path) -> list[Chunk]:
    chunks = []
    try:
        with (index_dir / "chunks.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                chunks.append(Chunk(**json.loads(line)))
    except (ValueError, TypeError) as exc:
        raise IndexMissingError(f"{index_dir}/chunks.jsonl is corrupt ({exc}). Rebuild with `{FIX_COMMAND}`.") from exc
    return chunks
