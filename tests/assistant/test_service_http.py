"""The JSON API over real HTTP (uvicorn on a free loopback port) against the real core."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.types import MARKER_RE

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started and time.time() < deadline:
            time.sleep(0.05)
        assert self.server.started, "server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start(settings, assistant, with_ui: bool = False) -> Server:  # type: ignore[no-untyped-def]
    from assistant.api import create_app

    return Server(create_app(settings, assistant, with_ui=with_ui))


@pytest.fixture(scope="module")
def server(fake_settings, fake_assistant) -> Iterator[Server]:
    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        yield srv


def test_ask_follows_the_contract(server):
    body = {"question": "進出支援金の返還制度について教えてください。", "include_passages": True}
    r = httpx.post(f"{server.url}/api/ask", json=body, timeout=30)
    assert r.status_code == 200
    data = r.json()
    assert set(data) >= {"answer", "status", "refused", "citations", "passages", "calculation", "timings_ms"}
    assert data["refused"] == (data["status"] in ("unanswerable", "guardrail"))
    passages = {p["chunk_id"]: p["text"] for p in data["passages"]}
    markers = {c["marker"] for c in data["citations"]}
    for m in MARKER_RE.findall(data["answer"]):
        assert int(m) in markers
    for c in data["citations"]:
        assert c["quote"] in passages[c["chunk_id"]]
    assert [p["rank"] for p in data["passages"]] == sorted(p["rank"] for p in data["passages"])


def test_multi_turn_history_is_used(server):
    history = [{"role": "user", "content": "高水準タイプだと補助率はいくつになりますか。"},
               {"role": "assistant", "content": "補助率 3/4 (高水準タイプ)[1]"}]
    r = httpx.post(f"{server.url}/api/ask", json={"question": "では標準タイプの場合は？", "history": history}, timeout=30)
    assert r.status_code == 200 and re.search(r"1\s*/\s*2", r.json()["answer"])


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"question": ""}, 422),
        ({"question": "   \t "}, 422),
        ({"question": "あ" * 2001}, 422),
        ({"question": 123}, 422),
        ({"question": "上限は？", "history": "not a list"}, 422),
        ({"question": "上限は？", "history": [{"role": "system", "content": "x"}]}, 422),
        ({"question": "制御\x00文字"}, 422),
        ({}, 422),
    ],
)
def test_bad_input_gets_a_clear_4xx(server, payload, expected):
    r = httpx.post(f"{server.url}/api/ask", json=payload, timeout=30)
    assert r.status_code == expected
    assert r.json()["detail"]


def test_malformed_json_and_oversized_body(server):
    r = httpx.post(f"{server.url}/api/ask", content=b"{not json", headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 422 and "JSON" in r.json()["detail"]
    big = json.dumps({"question": "a", "history": [{"role": "user", "content": "x" * 10000}] * 40})
    r = httpx.post(f"{server.url}/api/ask", content=big, headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 413
    r = httpx.post(f"{server.url}/api/ask", content=b"\xff\xfe\x00garbage", headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 422


def test_health_feedback_and_pages(server, fake_settings):
    health = httpx.get(f"{server.url}/api/health", timeout=30).json()
    assert health["status"] == "ok" and health["documents"] == 2 and health["chunks"] > 0 and health["index_version"]
    r = httpx.post(f"{server.url}/api/feedback", json={"question": "q", "answer": "a", "rating": -1, "comment": "違う"}, timeout=30)
    assert r.status_code == 200 and r.json()["stored"]
    assert httpx.post(f"{server.url}/api/feedback", json={"question": "q", "answer": "a", "rating": 5}, timeout=30).status_code == 422
    from assistant.feedback import FeedbackStore

    assert any(row["comment"] == "違う" for row in FeedbackStore(fake_settings.feedback_db).rows())
    for path in ("/", "/embed/"):
        page = httpx.get(f"{server.url}{path}", timeout=30, follow_redirects=True)
        assert page.status_code == 200 and "frame-ancestors 'self'" in page.headers["content-security-policy"]
    spec = httpx.get(f"{server.url}/openapi.json", timeout=30).json()
    assert {"/api/ask", "/api/health", "/api/feedback", "/api/calculators", "/api/calculate"} <= set(spec["paths"])


def test_bearer_token_is_required_when_configured(fake_settings, fake_assistant):
    from pydantic import SecretStr

    settings = fake_settings.model_copy(update={"api_token": SecretStr("s3cret-token")})
    with start(settings, fake_assistant) as srv:
        url = f"{srv.url}/api/ask"
        assert httpx.post(url, json={"question": "上限は？"}, timeout=30).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert httpx.post(url, json={"question": "上限は？"}, headers=wrong, timeout=30).status_code == 401
        right = {"Authorization": "Bearer s3cret-token"}
        assert httpx.post(url, json={"question": "上限は？"}, headers=right, timeout=30).status_code == 200
        assert httpx.get(f"{srv.url}/api/health", timeout=30).status_code == 401


def test_gradio_client_gets_a_cited_answer(server):
    from gradio_client import Client

    client = Client(f"{server.url}/", verbose=False)
    result = client.predict("進出支援金の返還制度について教えてください。", [], api_name="/respond")
    messages = result[1]
    texts = [m["content"] if isinstance(m["content"], str) else str(m["content"]) for m in messages]
    assert any("[1]" in t for t in texts)
    assert any("出典（" in t for t in texts)  # the sources travel inside the answer message, beside their [n]


def test_a_calculated_answer_carries_its_steps_with_their_rules(server):
    body = {"question": "定員30人の施設（事業費5,200万円）とソフト経費1,500万円を高水準タイプで整備します。国費と町の負担は？"}
    data = httpx.post(f"{server.url}/api/ask", json=body, timeout=30).json()
    assert data["status"] == "calculated"
    steps = data["calculation"]["steps"]
    assert [s["kind"] for s in steps][:2] == ["band", "cap"] and steps[-1]["kind"] == "difference"
    cited = [s["rule"] for s in steps if s["rule"]]
    assert cited and all(r["quote"] and r["source"] for r in cited)
    assert data["calculation"]["result"]["国費"] == (45_000_000 + 12_000_000) * 3 // 4
