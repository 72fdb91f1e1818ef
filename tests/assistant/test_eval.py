from __future__ import annotations

import json

import pytest

from assistant.eval import (
    Item,
    answer_correct,
    calc_matches,
    evaluate,
    gold_found,
    in_process_asker,
    load_items,
    score,
    summarise,
    supports,
)
from tests.conftest import REPO


def item(**kw):
    base = dict(id="x", category="lookup", turns=("q",), expected="", must_include=(("9000万", "9千万"),),
                must_not_include=(), gold_quotes=("事業費最大9,000万円／施設",), calc=None)
    return Item(**{**base, **kw})


def test_answer_correctness_normalises_digits_and_widths():
    assert answer_correct(item(), "上限は９，０００万円です[1]", "answered")
    assert not answer_correct(item(), "上限は4,500万円です", "answered")
    assert not answer_correct(item(), "9,000万円", "unanswerable")
    assert not answer_correct(item(must_not_include=("認められます",)), "9000万円は認められます", "answered")
    refusal = item(category="refusal", must_include=())
    assert answer_correct(refusal, "記載がありません", "unanswerable") and not answer_correct(refusal, "…", "answered")


def test_retrieval_and_citation_metrics():
    assert gold_found("事業費最大9,000万円／施設", ["x", "… 事業費最大9,000万円／施設 (50人…"]) == 2
    assert gold_found("A\tB", ["A | B"]) == 1
    assert gold_found("nothing", ["x"]) is None
    assert supports("事業費最大9,000万円／施設 (50人以上収容の場合)", "事業費最大9,000万円／施設")
    assert not supports("補助率 1/2 (標準タイプ)", "事業費最大9,000万円／施設")
    row = score(item(), {"answer": "9,000万円[1]", "status": "answered",
                         "citations": [{"quote": "事業費最大9,000万円／施設"}],
                         "passages": [{"rank": 1, "text": "x"}, {"rank": 2, "text": "事業費最大9,000万円／施設"}]}, 5, 3.0)
    assert row.correct and row.recall_at_k == 1.0 and row.hit_at_1 == 0.0 and row.reciprocal_rank == 0.5
    assert row.citation_precision == 1.0 and row.citation_recall == 1.0
    s = summarise([row])
    assert s["accuracy"] == 1.0 and s["mrr"] == 0.5 and s["false_refusals"] == 0


def test_calc_matches_main_value_or_note():
    assert calc_matches("A評価・高水準タイプで採択", "24点はA評価で、高水準タイプで採択となります")
    assert calc_matches("0円（返還不要）", "返還は不要です") is False
    assert calc_matches("0円（返還不要）", "返還不要です")
    assert not calc_matches("4,500万円", "国費は2,850万円です")


def test_malformed_lines_are_reported_with_line_numbers(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a", "category": "lookup", "question": "上限は？", "must_include": [["x"]]}),
        "{not json",
        json.dumps({"id": "b", "category": "lookup"}),
        json.dumps({"id": "a", "question": "dup"}),
        json.dumps({"id": "c", "question": "ok", "must_include": "not a list"}),
    ]), encoding="utf-8")
    items, problems = load_items(path)
    assert [i.id for i in items] == ["a"]
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4", "5"]


def test_multi_turn_items_in_either_layout(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "last-in-turns", "turns": ["高水準タイプの補助率は？", "標準タイプだと？"]}),
        json.dumps({"id": "scored-in-question", "turns": ["高水準タイプの補助率は？"], "question": "標準タイプだと？"}),
        json.dumps({"id": "turns-not-a-list", "turns": "標準タイプだと？"}),
    ]), encoding="utf-8")
    items, problems = load_items(path)
    assert [(i.id, i.turns) for i in items] == [
        ("last-in-turns", ("高水準タイプの補助率は？", "標準タイプだと？")),
        ("scored-in-question", ("高水準タイプの補助率は？", "標準タイプだと？")),
    ]
    assert len(problems) == 1 and problems[0].split(":")[1] == "3"


@pytest.mark.integration
def test_small_eval_end_to_end(tmp_path, fake_settings, fake_assistant):
    result = evaluate(REPO.parent / "shared" / "eval" / "dev_questions.jsonl" if (REPO.parent / "shared").exists()
                      else REPO / "eval" / "questions.jsonl",
                      tmp_path, in_process_asker(fake_settings), 5, {"questions": "dev", "mode": "in-process",
                      "retriever": "hybrid", "synonyms": True, "k": 5}, limit=8, progress=False)
    assert result["summary"]["items"] == 8
    for name in ("summary.json", "rows.jsonl", "report.md"):
        assert (tmp_path / name).stat().st_size > 0
    assert len((tmp_path / "rows.jsonl").read_text(encoding="utf-8").splitlines()) == 8


@pytest.mark.integration
def test_eval_over_http_matches_in_process(tmp_path, fake_settings, fake_assistant):
    from assistant.eval import http_asker
    from tests.assistant.test_service_http import start

    path = REPO / "eval" / "questions.jsonl"
    meta = {"questions": "own", "mode": "x", "retriever": "bm25", "synonyms": True, "k": 5}
    local = evaluate(path, tmp_path / "local", in_process_asker(fake_settings), 5, meta, limit=6, progress=False)
    with start(fake_settings, fake_assistant) as srv:
        remote = evaluate(path, tmp_path / "http", http_asker(srv.url), 5, meta, limit=6, progress=False)
    assert remote["summary"]["accuracy"] == local["summary"]["accuracy"]
    assert remote["summary"]["recall_at_k"] == local["summary"]["recall_at_k"]
