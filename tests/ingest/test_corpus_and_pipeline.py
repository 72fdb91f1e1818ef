from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import pytest

from assistant.errors import IndexMissingError, IngestError
from assistant.settings import Settings
from ingest.corpus import load_documents
from ingest.pipeline import run_ingest
from ingest.stores import current_index_dir, read_chunks
from tests.conftest import CORPUS, REPO


def _corpus_copy(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def test_manifest_hashes_match_the_files():
    docs = load_documents(CORPUS, verify_hash=True)
    assert {d.original_file for d in docs} == {"000_acb8e31bbfb94ded.txt", "004_eab731649471b287.txt"}


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00\x01binary"), "binary"),
        (lambda p: p.write_bytes("テスト".encode("shift_jis")), "not UTF-8"),
        (lambda p: p.unlink(), "not found"),
    ],
)
def test_bad_documents_give_a_clear_error_naming_the_file(tmp_path, damage, message):
    corpus = _corpus_copy(tmp_path)
    victim = corpus / "telework_measures_catalogue_2021.txt"
    damage(victim)
    with pytest.raises(IngestError) as err:
        load_documents(corpus)
    assert message in str(err.value) and "telework_measures_catalogue_2021.txt" in str(err.value)


def test_missing_corpus_and_unknown_format(tmp_path):
    with pytest.raises(IngestError, match="not found"):
        load_documents(tmp_path / "nowhere")
    corpus = _corpus_copy(tmp_path)
    manifest = corpus / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('format = "pdf-text"', 'format = "docx"', 1), encoding="utf-8")
    with pytest.raises(IngestError, match="unknown format"):
        load_documents(corpus)


def test_ingest_is_idempotent_and_follows_corpus_changes(tmp_path):
    corpus = _corpus_copy(tmp_path)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedding_backend="fake")
    first = run_ingest(settings, show_progress=False)
    assert first.documents == 2 and first.chunks > 50 and not first.skipped
    ids = [c.chunk_id for c in read_chunks(current_index_dir(settings))]
    again = run_ingest(settings, show_progress=False)
    assert again.skipped and again.version == first.version
    forced = run_ingest(settings, force=True, show_progress=False)
    assert [c.chunk_id for c in read_chunks(current_index_dir(settings))] == ids
    assert forced.version == first.version
    # Removing text removes its chunks: drop the catalogue from the manifest.
    manifest = corpus / "manifest.toml"
    entries = manifest.read_text(encoding="utf-8").split("[[documents]]")
    manifest.write_text("[[documents]]".join(entries[:2]), encoding="utf-8")
    changed = run_ingest(settings, show_progress=False)
    assert changed.version != first.version and changed.documents == 1
    remaining = read_chunks(current_index_dir(settings))
    assert remaining and all(c.source == "digiden_chiho_sosei_telework_overview.txt" for c in remaining)
    assert len({c.chunk_id for c in remaining}) == len(remaining)


def test_missing_index_names_the_fixing_command(tmp_path):
    with pytest.raises(IndexMissingError, match="grant-assistant ingest"):
        current_index_dir(Settings(data_dir=tmp_path))
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "CURRENT").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexMissingError, match="damaged"):
        current_index_dir(Settings(data_dir=tmp_path))


def test_killed_ingest_leaves_the_old_index_live(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake")
    run_ingest(settings, show_progress=False)
    live_before = current_index_dir(settings)
    # A second build with other chunk settings, killed while it is writing.
    env = {"GRANT_ASSISTANT_EMBEDDING_BACKEND": "fake", "GRANT_ASSISTANT_CHUNK_SIZE": "300",
           "GRANT_ASSISTANT_DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", "--quiet"], cwd=REPO, env=env)
    deadline = time.time() + 60
    while time.time() < deadline and not list(settings.index_dir.glob(".building-*")):
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    assert current_index_dir(settings) == live_before
    assert json.loads((live_before / "manifest.json").read_text(encoding="utf-8"))["chunks"] > 0
    from assistant.core import build_assistant

    answer = build_assistant(settings).ask("進出支援金の返還制度は？")  # the service still answers from it
    assert answer.citations
    # The next ingest cleans the abandoned build and swaps in a complete one.
    summary = run_ingest(settings.model_copy(update={"chunk_size": 300}), show_progress=False)
    assert not list(settings.index_dir.glob(".building-*"))
    assert current_index_dir(settings) != live_before and summary.chunks > 0


def test_a_running_assistant_switches_to_a_rebuilt_index(tmp_path):
    from assistant.core import build_assistant

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake")
    run_ingest(settings, show_progress=False)
    assistant = build_assistant(settings)
    before = assistant.health()["index_version"]
    assert assistant.ask("進出支援金の返還制度は？").citations
    time.sleep(0.01)
    run_ingest(settings.model_copy(update={"chunk_size": 500}), show_progress=False)
    answer = assistant.ask("進出支援金の返還制度は？")  # reloads before answering
    assert assistant.health()["index_version"] != before
    assert answer.citations and all(c.chunk_id in assistant.index.by_id for c in answer.citations)


def test_a_changed_document_is_reindexed_and_named(tmp_path, capsys):
    corpus = _corpus_copy(tmp_path)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedding_backend="fake")
    first = run_ingest(settings, show_progress=False)
    doc = corpus / "telework_measures_catalogue_2021.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n追記：新しい施策。\n", encoding="utf-8")
    second = run_ingest(settings, show_progress=False)
    assert second.version != first.version and not second.skipped
    assert "telework_measures_catalogue_2021.txt changed since corpus/manifest.toml" in capsys.readouterr().err
    assert any("新しい施策" in c.text for c in read_chunks(current_index_dir(settings)))
