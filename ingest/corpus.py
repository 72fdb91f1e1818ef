"""corpus/manifest.toml + the document files it lists, validated before anything is indexed."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import IngestError

SUPPORTED_FORMATS = {"pdf-text", "text"}


@dataclass(frozen=True)
class Document:
    source: str  # file name inside corpus/, used in citations and chunk ids
    title: str
    issuer: str
    fiscal_year: str
    original_file: str
    sha256: str
    text: str  # raw text as extracted from the PDF
    manifest_sha256: str = ""  # what manifest.toml says; differs when the file changed since it was listed

    @property
    def changed_since_manifest(self) -> bool:
        return bool(self.manifest_sha256) and self.manifest_sha256 != self.sha256


def load_manifest(corpus_dir: Path) -> list[dict[str, str]]:
    manifest = corpus_dir / "manifest.toml"
    if not corpus_dir.is_dir():
        raise IngestError(f"corpus directory not found: {corpus_dir}")
    if not manifest.exists():
        raise IngestError(f"{manifest} is missing: list the documents there (title, issuer, fiscal_year, file).")
    try:
        entries = tomllib.loads(manifest.read_text(encoding="utf-8")).get("documents", [])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{manifest}: not valid TOML ({exc})") from exc
    if not entries:
        raise IngestError(f"{manifest} lists no [[documents]]")
    for entry in entries:
        missing = {"file", "title", "fiscal_year"} - set(entry)
        if missing:
            raise IngestError(f"{manifest}: an entry lacks {sorted(missing)}: {entry}")
    return entries


def read_document(corpus_dir: Path, entry: dict[str, str], verify_hash: bool = False) -> Document:
    path = corpus_dir / entry["file"]
    fmt = entry.get("format", "text")
    if fmt not in SUPPORTED_FORMATS:
        raise IngestError(f"{path}: unknown format '{fmt}' (supported: {sorted(SUPPORTED_FORMATS)})")
    if path.suffix.lower() not in {".txt", ".md"}:
        raise IngestError(f"{path}: unsupported file type '{path.suffix}' (expected extracted text, .txt)")
    if not path.exists():
        raise IngestError(f"{path}: listed in manifest.toml but not found")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path}: the file is empty")
    if b"\x00" in data:
        raise IngestError(f"{path}: looks binary (NUL bytes); expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})") from exc
    digest = hashlib.sha256(data).hexdigest()
    expected = entry.get("sha256")
    if verify_hash and expected and expected != digest:
        raise IngestError(
            f"{path}: sha256 {digest[:12]}… differs from manifest.toml ({expected[:12]}…). If the document was "
            "updated on purpose, put the new hash in the manifest."
        )
    return Document(
        source=entry["file"],
        title=entry["title"],
        issuer=entry.get("issuer", ""),
        fiscal_year=entry["fiscal_year"],
        original_file=entry.get("original_file", entry["file"]),
        sha256=digest,
        text=text,
        manifest_sha256=expected or "",
    )


def load_documents(corpus_dir: Path, verify_hash: bool = False) -> list[Document]:
    return [read_document(corpus_dir, e, verify_hash) for e in load_manifest(corpus_dir)]
