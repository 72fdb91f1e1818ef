"""Index swaps under load: a running assistant keeps answering from the old index while `ingest --force`
builds and loads a new one, then switches in one step: no IndexBusyError (HTTP 503), no error at all.
What a killed ingest leaves behind is removed at the next start or ingest."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from assistant.settings import Settings
from ingest.pipeline import run_ingest
from ingest.stores import current_index_dir
from tests.conftest import APPOINTED_QUESTION

REPO = Path(__file__).resolve().parent.parent.parent
CORPUS = REPO / "corpus"
QUESTIONS = ["進出支援金の返還制度は？", "サテライトオフィス等整備事業ではどのような経費が対象になりますか？",
             APPOINTED_QUESTION, "問い合わせ先の電話番号は？"]


def test_rebuilds_under_load_refuse_nothing(tmp_path):
    from assistant.core import build_assistant

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake")
    run_ingest(settings, show_progress=False)
    assistant = build_assistant(settings)
    versions = {assistant.health()["index_version"]}
    errors: list[BaseException] = []
    answered = [0]
    stop = threading.Event()

    def client(offset: int) -> None:
        i = offset
        while not stop.is_set():
            try:
                answer = assistant.ask(QUESTIONS[i % len(QUESTIONS)])
                passages = {p.chunk_id: p.text for p in answer.passages}
                assert all(c.quote in passages[c.chunk_id] for c in answer.citations)  # one build per answer
                answered[0] += 1
            except BaseException as exc:  # IndexBusyError was the 503; any error fails the test
                errors.append(exc)
            i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    try:
        for size in (900, 500, 900):  # forced rebuilds, with and without a change of chunks
            before = answered[0]
            run_ingest(settings.model_copy(update={"chunk_size": size}), force=True, show_progress=False)
            deadline = time.time() + 30
            while time.time() < deadline and assistant.health()["index_version"] in versions:
                time.sleep(0.01)  # the next question after the new pointer loads the new build
            versions.add(assistant.health()["index_version"])
            assert answered[0] > before, "questions kept being answered during the rebuild"
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors[:3]
    assert len(versions) == 4  # every rebuild was swapped in
    assert assistant.index.directory == current_index_dir(settings)


def test_a_failed_reload_keeps_the_old_index(tmp_path):
    from assistant.core import build_assistant

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake")
    run_ingest(settings, show_progress=False)
    assistant = build_assistant(settings)
    before = assistant.health()["index_version"]
    time.sleep(0.01)
    (settings.index_dir / "CURRENT").write_text('{"dir": "v-missing"}', encoding="utf-8")  # a pointer to nothing
    assert assistant.ask("進出支援金の返還制度は？").citations
    assert assistant.health()["index_version"] == before


def _abandoned(root: Path) -> list[Path]:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # a process that has exited: its build is garbage
    paths = [root / f".building-0123456789abcdef-20260101000000-abcdef-{pid}", root / f".CURRENT.{pid}.tmp"]
    paths[0].mkdir()
    (paths[0] / "chunks.jsonl").write_text("{}", encoding="utf-8")
    paths[1].write_text("{}", encoding="utf-8")
    return paths


def test_abandoned_builds_are_removed_at_start_and_at_ingest(tmp_path):
    from assistant.core import build_assistant

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake")
    run_ingest(settings, show_progress=False)
    running = settings.index_dir / f".building-0123456789abcdef-20260101000000-abcdef-{os.getpid()}"
    running.mkdir()  # a build whose process still runs is left alone
    left = _abandoned(settings.index_dir)
    build_assistant(settings)  # a start (serve --no-ingest, ask) cleans up
    assert not any(p.exists() for p in left) and running.exists()
    left = _abandoned(settings.index_dir)
    assert run_ingest(settings, show_progress=False).skipped  # an up-to-date ingest cleans up too
    assert not any(p.exists() for p in left) and running.exists()
