"""Issue-8 properties: fuzzed questions never crash the core, the API survives schemathesis, feedback loses
nothing under concurrent writers, a damaged index fails with the command that fixes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import InputError
from assistant.feedback import FeedbackStore
from assistant.router import route
from assistant.types import MARKER_RE, Turn

# Example counts come from the hypothesis profile (tests/conftest.py): ci by default, HYPOTHESIS_PROFILE=long
# for the 10,000-example release run.
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
japanese = st.text(alphabet=st.sampled_from(list("上限額補助率国費施設定員人万円億高水準標準タイプ返還年か月点採択評価対象市町村は？、。0123456789①⑤%／/")), max_size=80)


@FUZZ
@given(st.one_of(japanese, st.text(max_size=300)))
def test_router_never_raises(text):
    result = route(text, [Turn("user", text[:40])])
    if result is not None:
        assert result.calculation is not None or result.clarification


@FUZZ
@given(question=st.one_of(japanese, st.text(max_size=400)), previous=st.text(max_size=100))
def test_ask_returns_a_grounded_answer_or_an_input_error(fake_assistant, question, previous):
    try:
        answer = fake_assistant.ask(question, [Turn("user", previous)] if previous.strip() else [])
    except InputError:
        return
    markers = {c.marker for c in answer.citations}
    assert {int(m) for m in MARKER_RE.findall(answer.text)} <= markers
    passages = {p.chunk_id: p.text for p in answer.passages}
    assert all(c.quote in passages[c.chunk_id] for c in answer.citations)
    assert len(answer.text) <= 600 + 200  # calculation answers carry the formula line too


def test_feedback_survives_concurrent_writers(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")

    def write(worker: int) -> None:
        for i in range(25):
            FeedbackStore(tmp_path / "feedback.sqlite3").add(f"q{worker}-{i}", "a", 1 if i % 2 else -1, "c")

    threads = [threading.Thread(target=write, args=(w,)) for w in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = store.rows()
    assert len(rows) == 500 and len({r["question"] for r in rows}) == 500
    assert store.export("csv").count("\n") == 501


def test_corrupt_index_names_the_fix(tmp_path, fake_settings):
    from assistant.core import build_assistant
    from assistant.errors import IndexMissingError
    from ingest.stores import current_index_dir

    settings = fake_settings.model_copy(update={"data_dir": tmp_path})
    shutil.copytree(fake_settings.index_dir, settings.index_dir)
    (current_index_dir(settings) / "chunks.jsonl").write_text("{broken", encoding="utf-8")
    with pytest.raises(IndexMissingError, match="grant-assistant ingest"):
        build_assistant(settings)


@pytest.mark.integration
def test_schemathesis_finds_no_server_errors(fake_settings, fake_assistant):
    from tests.assistant.test_service_http import start

    examples = os.environ.get("GRANT_ASSISTANT_SCHEMATHESIS_EXAMPLES", "25")
    with start(fake_settings, fake_assistant) as srv:
        proc = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), "schemathesis"), "run", f"{srv.url}/openapi.json",
             "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance",
             "--max-examples", examples, "--generation-deterministic", "--no-color"],
            capture_output=True, text=True, timeout=600,
        )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
