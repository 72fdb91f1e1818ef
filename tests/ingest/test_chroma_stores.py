"""Both documents into real Chroma — embedded PersistentClient and a `chroma run` server — then queried
through the dense and hybrid retrievers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.core import build_assistant
from assistant.settings import Settings
from ingest.pipeline import run_ingest
from tests.assistant.test_service_http import free_port
from tests.conftest import APPOINTED, APPOINTED_QUESTION, CORPUS, corpus_figure

pytestmark = pytest.mark.integration
QUESTION = APPOINTED_QUESTION


@pytest.fixture()
def chroma_server(tmp_path):
    binary = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    proc = subprocess.Popen([binary, "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def _check(settings: Settings) -> None:
    summary = run_ingest(settings, show_progress=False)
    assert summary.documents == 2 and summary.chunks > 20
    for mode in ("dense", "hybrid"):
        assistant = build_assistant(settings.model_copy(update={"retriever": mode}))
        passages = assistant.retriever.passages(QUESTION, 5)
        assert len(passages) == 5 and len({p.chunk_id for p in passages}) == 5
        assert any(corpus_figure(APPOINTED) in p.text for p in passages), mode
        docs = assistant.retriever.invoke(QUESTION)  # the LangChain BaseRetriever interface
        assert docs and docs[0].metadata["chunk_id"] == passages[0].chunk_id


def test_embedded_chroma(tmp_path):
    _check(Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake"))


def test_chroma_server(tmp_path, chroma_server):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, embedding_backend="fake",
                        chroma_host="127.0.0.1", chroma_port=chroma_server)
    _check(settings)
    # Re-ingest into the server: a new collection is built aside, the pointer switches, the old one stays
    # readable until the next build.
    again = run_ingest(settings.model_copy(update={"chunk_size": 600}), show_progress=False)
    assert again.chunks > 0
    assert build_assistant(settings.model_copy(update={"chunk_size": 600, "retriever": "dense"})).retriever.passages(QUESTION, 3)
