"""`grant-assistant eval QUESTIONS.jsonl --out DIR [--api URL] [--retriever bm25|dense|hybrid] [--no-synonyms]
[--k N] [--limit N]`: score a question set and write summary.json, rows.jsonl and report.md.

Question-set format (one JSON object per line, as ../shared/eval/dev_questions.jsonl):
  id, category (lookup | calc | eligibility | refusal | multiturn | …), question — or turns (user turns; the
  last one is scored, or the earlier ones when `question` holds the scored one) —, answer (reference text), must_include (list of groups; each group is a list of
  alternatives, one of which must appear), must_not_include (list), gold_quotes (verbatim corpus passages),
  calc ({kind, inputs, expected} or null).
Texts are compared after NFKC, whitespace removal and digit-grouping comma removal (9,000万円 = 9000万円).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.settings import Settings

REFUSED = {"unanswerable", "guardrail"}
MIN_SHARED = 12  # characters two quotes must share for a citation to support a gold quote


# ---- the question set --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    id: str
    category: str
    turns: tuple[str, ...]
    expected: str
    must_include: tuple[tuple[str, ...], ...]
    must_not_include: tuple[str, ...]
    gold_quotes: tuple[str, ...]
    calc: dict[str, Any] | None

    @property
    def question(self) -> str:
        return self.turns[-1]

    @property
    def should_refuse(self) -> bool:
        return self.category == "refusal"


def load_items(path: Path) -> tuple[list[Item], list[str]]:
    """Valid items and one message per malformed line (line number + reason)."""
    items, problems = [], []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
            if not isinstance(row.get("turns") or [], list):
                raise ValueError("'turns' must be a list of strings")
            turns = list(row.get("turns") or [])
            if row.get("question") and (not turns or turns[-1] != row["question"]):
                turns.append(row["question"])  # earlier turns in `turns`, the scored one in `question`
            if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
                raise ValueError("needs 'question' or non-empty 'turns'")
            groups = row.get("must_include", [])
            if not isinstance(groups, list) or not all(isinstance(g, list) and g for g in groups):
                raise ValueError("'must_include' must be a list of non-empty lists")
            item = Item(
                id=str(row.get("id") or f"line{number}"),
                category=str(row.get("category") or "unknown"),
                turns=tuple(turns),
                expected=str(row.get("answer", "")),
                must_include=tuple(tuple(str(a) for a in g) for g in groups),
                must_not_include=tuple(str(x) for x in row.get("must_not_include", [])),
                gold_quotes=tuple(str(q) for q in row.get("gold_quotes", [])),
                calc=row.get("calc"),
            )
            if item.id in seen:
                raise ValueError(f"duplicate id {item.id}")
            seen.add(item.id)
            items.append(item)
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"{path}:{number}: {exc}")
    return items, problems


# ---- metrics (pure) ----------------------------------------------------------------------------------
def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"\s+", "", text)


def quote_key(text: str) -> str:
    return norm(text).replace("|", "")


def answer_correct(item: Item, text: str, status: str) -> bool:
    if item.category == "robustness":  # hostile strings around a real question: any status, nothing leaked
        return not any(norm(x) in norm(text) for x in item.must_not_include)
    if item.should_refuse:
        return status in REFUSED and not any(norm(x) in norm(text) for x in item.must_not_include)
    if status in REFUSED:
        return False
    got = norm(text)
    return all(any(norm(alt) in got for alt in group) for group in item.must_include) and not any(
        norm(x) in got for x in item.must_not_include
    )


def calc_matches(expected: str, text: str) -> bool:
    """「A評価・高水準タイプで採択」 or 「0円（返還不要）」: every part of the main value, or of the note in
    parentheses, appears in the answer."""
    got = norm(text)
    main, _, note = norm(expected).partition("(")  # norm() has turned 「（」 into "("
    options = [main, note.rstrip(")")]
    return any(option and all(part in got for part in option.split("・") if part) for option in options)


def gold_found(gold: str, passage_texts: Sequence[str]) -> int | None:
    """1-based rank of the first passage holding the gold quote, or None."""
    key = quote_key(gold)
    for rank, text in enumerate(passage_texts, 1):
        if key and key in quote_key(text):
            return rank
    return None


def supports(citation_quote: str, gold: str) -> bool:
    a, b = quote_key(citation_quote), quote_key(gold)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return any(shorter[i : i + MIN_SHARED] in longer for i in range(0, max(1, len(shorter) - MIN_SHARED + 1)))


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Row:
    id: str
    category: str
    question: str
    expected: str
    got: str
    status: str
    correct: bool
    refused: bool
    should_refuse: bool
    recall_at_k: float | None
    hit_at_1: float | None
    reciprocal_rank: float | None
    citation_precision: float | None
    citation_recall: float | None
    calc_exact: bool | None
    latency_ms: float
    passages: list[dict[str, Any]] = field(default_factory=list)


def score(item: Item, payload: dict[str, Any], k: int, latency_ms: float) -> Row:
    text, status = payload.get("answer", ""), payload.get("status", "")
    passages = payload.get("passages", [])[:k]
    texts = [p.get("text", "") for p in passages]
    recall = hit1 = rr = cit_p = cit_r = None
    if item.gold_quotes:
        ranks = [gold_found(g, texts) for g in item.gold_quotes]
        recall = sum(r is not None for r in ranks) / len(ranks)
        best = min((r for r in ranks if r is not None), default=None)
        hit1 = 1.0 if best == 1 else 0.0
        rr = 1.0 / best if best else 0.0
        quotes = [c.get("quote", "") for c in payload.get("citations", [])]
        if quotes:
            cit_p = sum(any(supports(q, g) for g in item.gold_quotes) for q in quotes) / len(quotes)
        cit_r = sum(any(supports(q, g) for q in quotes) for g in item.gold_quotes) / len(item.gold_quotes)
    calc_exact = None
    if item.calc and item.calc.get("expected"):
        calc_exact = status == "calculated" and calc_matches(str(item.calc["expected"]), text)
    return Row(
        id=item.id, category=item.category, question=item.question, expected=item.expected, got=text, status=status,
        correct=answer_correct(item, text, status), refused=status in REFUSED, should_refuse=item.should_refuse,
        recall_at_k=recall, hit_at_1=hit1, reciprocal_rank=rr, citation_precision=cit_p, citation_recall=cit_r,
        calc_exact=calc_exact, latency_ms=latency_ms,
        passages=[{"rank": p.get("rank"), "section": p.get("section", ""), "text": p.get("text", "")[:200]} for p in passages],
    )


def _mean(values: Sequence[float | bool | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return round(statistics.fmean(present), 4) if present else None


def summarise(rows: Sequence[Row]) -> dict[str, Any]:
    answerable = [r for r in rows if not r.should_refuse and r.category != "robustness"]
    refusals = [r for r in rows if r.should_refuse]
    answered = [r for r in answerable if not r.refused]
    refused = [r for r in rows if r.refused]
    latencies = [r.latency_ms for r in rows]
    return {
        "items": len(rows),
        "accuracy": _mean([r.correct for r in rows]),
        "answerable_accuracy": _mean([r.correct for r in answerable]),
        "answer_rate": round(len(answered) / len(answerable), 4) if answerable else None,
        "precision_of_answered": _mean([r.correct for r in answered]),
        "false_refusals": len(answerable) - len(answered),
        "false_answers": sum(not r.refused for r in refusals),
        "refusal_precision": round(sum(r.should_refuse for r in refused) / len(refused), 4) if refused else None,
        "refusal_recall": round(sum(r.refused for r in refusals) / len(refusals), 4) if refusals else None,
        "recall_at_k": _mean([r.recall_at_k for r in rows]),
        "hit_at_1": _mean([r.hit_at_1 for r in rows]),
        "mrr": _mean([r.reciprocal_rank for r in rows]),
        "citation_precision": _mean([r.citation_precision for r in rows]),
        "citation_recall": _mean([r.citation_recall for r in rows]),
        "calc_exactness": _mean([r.calc_exact for r in rows]),
        "latency_ms_p50": round(percentile(latencies, 0.5), 1),
        "latency_ms_p95": round(percentile(latencies, 0.95), 1),
    }


# ---- running -----------------------------------------------------------------------------------------
Asker = Callable[[str, list[dict[str, str]]], dict[str, Any]]


def in_process_asker(settings: Settings) -> Asker:
    from assistant.core import build_assistant
    from assistant.payloads import answer_payload
    from assistant.types import Turn

    assistant = build_assistant(settings)

    def ask(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        answer = assistant.ask(question, [Turn(h["role"], h["content"]) for h in history])  # type: ignore[arg-type]
        return answer_payload(answer, include_passages=True)

    return ask


def http_asker(url: str, token: str | None = None) -> Asker:
    import httpx

    client = httpx.Client(base_url=url.rstrip("/"), timeout=60,
                          headers={"Authorization": f"Bearer {token}"} if token else {})

    def ask(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        r = client.post("/api/ask", json={"question": question, "history": history, "include_passages": True})
        if r.status_code != 200:
            return {"answer": f"HTTP {r.status_code}: {r.text[:200]}", "status": f"http_{r.status_code}", "passages": []}
        return r.json()

    return ask


def run_items(items: Sequence[Item], ask: Asker, k: int, progress: bool = True) -> list[Row]:
    from tqdm import tqdm

    rows = []
    for item in tqdm(items, desc="eval", unit="q", disable=not progress):
        history: list[dict[str, str]] = []
        for turn in item.turns[:-1]:
            earlier = ask(turn, history)
            history += [{"role": "user", "content": turn}, {"role": "assistant", "content": earlier.get("answer", "")}]
        started = time.perf_counter()
        payload = ask(item.question, history)
        latency = (time.perf_counter() - started) * 1000
        rows.append(score(item, payload, k, latency))
    return rows


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def report(summary: dict[str, Any], per_category: dict[str, dict[str, Any]], rows: Sequence[Row], meta: dict[str, Any]) -> str:
    keys = ["items", "accuracy", "answer_rate", "precision_of_answered", "false_refusals", "false_answers",
            "refusal_recall", "recall_at_k", "hit_at_1", "mrr", "citation_precision", "citation_recall",
            "calc_exactness", "latency_ms_p50", "latency_ms_p95"]
    lines = [f"# Evaluation: {meta['questions']}", "", f"mode: {meta['mode']}, retriever: {meta['retriever']}, "
             f"synonyms: {meta['synonyms']}, k: {meta['k']}", "", "| metric | value |", "|---|---|"]
    lines += [f"| {key} | {_fmt(summary.get(key))} |" for key in keys]
    lines += ["", "## Per category", "", "| category | items | accuracy | recall@k | answer rate | latency p50 |", "|---|---|---|---|---|---|"]
    for cat, s in sorted(per_category.items()):
        lines.append(f"| {cat} | {s['items']} | {_fmt(s['accuracy'])} | {_fmt(s['recall_at_k'])} | {_fmt(s['answer_rate'])} | {_fmt(s['latency_ms_p50'])} |")
    misses = [r for r in rows if not r.correct]
    lines += ["", f"## Misses ({len(misses)})", ""]
    for r in misses:
        lines += [f"### {r.id} ({r.category}) — status `{r.status}`", "", f"- question: {r.question}",
                  f"- expected: {r.expected}", f"- got: {r.got.replace(chr(10), ' / ')}", "- passages:"]
        lines += [f"  {p['rank']}. {p['section'][-60:]} — {p['text'][:120].replace(chr(10), ' ')}" for p in r.passages]
        lines.append("")
    return "\n".join(lines) + "\n"


def evaluate(path: Path, out: Path, ask: Asker, k: int, meta: dict[str, Any], limit: int | None = None,
             progress: bool = True) -> dict[str, Any]:
    items, problems = load_items(path)
    for problem in problems:
        print(f"skipped malformed line: {problem}", file=sys.stderr)
    if not items:
        raise SystemExit(f"error: no usable questions in {path}")
    items = items[:limit] if limit else items
    rows = run_items(items, ask, k, progress)
    summary = summarise(rows)
    per_category = {cat: summarise([r for r in rows if r.category == cat]) for cat in sorted({r.category for r in rows})}
    out.mkdir(parents=True, exist_ok=True)
    result = {"meta": {**meta, "malformed_lines": problems}, "summary": summary, "per_category": per_category}
    (out / "summary.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    with (out / "rows.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r.__dict__, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(report(summary, per_category, rows, meta), encoding="utf-8")
    return result


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("questions", type=Path, help="question set (.jsonl)")
    parser.add_argument("--out", type=Path, default=Path("out/eval"), help="directory for summary.json, rows.jsonl, report.md")
    parser.add_argument("--api", help="evaluate a running service at this base URL (POST /api/ask) instead of in-process")
    parser.add_argument("--token", help="bearer token for --api")
    parser.add_argument("--retriever", choices=["hybrid", "bm25", "dense"], help="override the retriever")
    parser.add_argument("--no-synonyms", action="store_true", help="disable query synonym expansion")
    parser.add_argument("--rerank", choices=["none", "lines"], help="override the second-stage reranker")
    parser.add_argument("--k", type=int, default=5, help="passages considered for recall@k (default 5)")
    parser.add_argument("--limit", type=int, help="only the first N questions")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.questions.exists():
        print(f"error: {args.questions} not found", file=sys.stderr)
        return 2
    update: dict[str, Any] = {"top_k": max(settings.top_k, args.k)}
    if args.retriever:
        update["retriever"] = args.retriever
    if args.no_synonyms:
        update["use_synonyms"] = False
    if args.rerank:
        update["rerank"] = args.rerank
    settings = settings.model_copy(update=update)
    ask = http_asker(args.api, args.token) if args.api else in_process_asker(settings)
    meta = {"questions": str(args.questions), "mode": f"http {args.api}" if args.api else "in-process",
            "retriever": settings.retriever, "rerank": settings.rerank, "synonyms": settings.use_synonyms, "k": args.k,
            "embedding": settings.embedding_backend}
    result = evaluate(args.questions, args.out, ask, args.k, meta, args.limit)
    s = result["summary"]
    print(f"{s['items']} items: accuracy {_fmt(s['accuracy'])}, recall@{args.k} {_fmt(s['recall_at_k'])}, "
          f"false refusals {s['false_refusals']}, false answers {s['false_answers']}, calc exactness {_fmt(s['calc_exactness'])}, "
          f"p50 {s['latency_ms_p50']} ms, p95 {s['latency_ms_p95']} ms")
    print(f"wrote {args.out}/summary.json, rows.jsonl, report.md")
    return 0
