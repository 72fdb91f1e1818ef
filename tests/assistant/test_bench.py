"""The benchmark runs end to end and reports every section (figures are not judged here)."""

from __future__ import annotations

import json

import pytest

from assistant.bench import synthetic_chunks
from assistant.cli import main

pytestmark = pytest.mark.integration


def test_synthetic_corpus_is_deterministic_and_sized():
    sentences = [f"文{i}。" for i in range(50)]
    first = synthetic_chunks(sentences, 1000, seed=3)
    assert len(first) == 1000 and first == synthetic_chunks(sentences, 1000, seed=3)
    assert first != synthetic_chunks(sentences, 1000, seed=4)


def test_quick_bench_writes_all_sections(tmp_path, monkeypatch):
    monkeypatch.setenv("GRANT_ASSISTANT_EMBEDDING_BACKEND", "fake")
    out = tmp_path / "bench"
    assert main(["--data-dir", str(tmp_path / "data"), "bench", "--quick", "--out", str(out)]) == 0
    result = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    for section in ("ingest", "cold_start", "warm", "scale", "http", "baseline"):
        assert section in result, section
    assert result["ingest"]["chunks"] > 0
    assert result["warm"]["total_p50_ms"] <= result["warm"]["total_p95_ms"]  # figures, not timing targets
    assert result["scale"][0]["chunks"] == 1000
    assert [level["clients"] for level in result["http"]["levels"]] == [1, 5, 20]
    assert all(level["requests"] > 0 for level in result["http"]["levels"])
    assert 0 <= result["baseline"]["baseline_recall_at_5"] <= 1
    assert "| clients |" in (out / "bench.md").read_text(encoding="utf-8")


def test_swap_bench_reports_errors_and_503_during_forced_ingests(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRANT_ASSISTANT_EMBEDDING_BACKEND", "fake")
    out = tmp_path / "bench"
    code = main(["--data-dir", str(tmp_path / "data"), "bench", "swap", "--quick", "--clients", "2", "--seconds", "6",
                 "--out", str(out)])
    result = json.loads((out / "swap.json").read_text(encoding="utf-8"))
    for key in ("clients", "seconds", "requests", "errors", "status_503", "statuses", "rebuilds", "versions_served"):
        assert key in result, key
    assert result["requests"] > 0 and result["rebuilds"] >= 1
    assert result["errors"] == 0 and result["status_503"] == 0 and result["swapped_to_last_build"] and code == 0
    assert "× 503" in capsys.readouterr().out
