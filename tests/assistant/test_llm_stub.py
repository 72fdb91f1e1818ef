"""LLM phrasing against a real local OpenAI-compatible server (a stub answering /v1/chat/completions over HTTP,
reached through langchain-openai as configured by the settings): a slow, trickling or failing model and a reply
stating a number the passages do not leave the extractive answer, within llm_timeout_s; a grounded reply is
used. The same through /api/ask and through the chat, which shows the extractive answer first."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from assistant.core import Assistant
from assistant.llm import GroundedGenerator, make_chat_model
from assistant.settings import Settings
from assistant.types import MARKER_RE, Answer, Status
from tests.assistant.test_service_http import start

pytestmark = pytest.mark.integration

TIMEOUT_S = 1.0
MARGIN_S = 1.5  # the extractive answer itself plus thread and HTTP overheads
QUESTION = "50人以上の施設の整備・運営の上限額は？"


class StubLLM:
    """A tiny threaded HTTP server speaking the OpenAI chat-completions protocol.

    `mode`: "ok" answers `reply(prompt)`; "slow" waits `delay` s first; "trickle" sends the headers and then the
    body a byte at a time (no read timeout ever trips); "error" answers 500."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.delay = 5.0
        self.reply: Callable[[str], str] = lambda prompt: "資料に記載がありません"
        self.requests: list[dict[str, Any]] = []
        self.stop = threading.Event()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                stub.requests.append({"path": self.path, "body": body})
                if stub.mode == "error":
                    self._send(500, json.dumps({"error": {"message": "model crashed", "type": "server_error"}}))
                    return
                if stub.mode == "slow" and stub.stop.wait(stub.delay):
                    return
                prompt = str(body["messages"][-1]["content"])
                payload = json.dumps({
                    "id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "stub"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": stub.reply(prompt)}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }, ensure_ascii=False)
                self._send(200, payload, trickle=stub.mode == "trickle")

            def _send(self, status: int, payload: str, trickle: bool = False) -> None:
                data = payload.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    for i in range(len(data)) if trickle else ():
                        if stub.stop.wait(0.2):
                            return
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                    if not trickle:
                        self.wfile.write(data)
                except OSError:
                    pass  # the client gave up

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> StubLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def passage_id(prompt: str, needle: str) -> int:
    """The id of the first <passage> in the prompt that contains `needle`."""
    for m in re.finditer(r'<passage id="(\d+)"[^>]*>(.*?)</passage>', prompt, re.S):
        if needle in m[2]:
            return int(m[1])
    raise AssertionError(f"no passage with {needle!r}")


@pytest.fixture()
def stub() -> Iterator[StubLLM]:
    with StubLLM() as server:
        yield server


@pytest.fixture()
def llm_settings(fake_settings, stub) -> Settings:  # type: ignore[no-untyped-def]
    return fake_settings.model_copy(
        update={"llm_base_url": stub.url, "llm_model": "stub-model", "llm_timeout_s": TIMEOUT_S}
    )


@pytest.fixture()
def with_llm(fake_assistant, llm_settings) -> Assistant:  # type: ignore[no-untyped-def]
    """The shared index and retriever, with the generator build_assistant makes from these settings."""
    model = make_chat_model(llm_settings)
    assert model is not None
    generator = GroundedGenerator(model, timeout_s=llm_settings.llm_timeout_s)
    return Assistant(llm_settings, fake_assistant.index, fake_assistant.retriever, generator)


@pytest.fixture()
def extractive(fake_assistant) -> Answer:  # type: ignore[no-untyped-def]
    answer: Answer = fake_assistant.ask(QUESTION)
    assert answer.status is Status.ANSWERED and "9,000万円" in answer.text
    return answer


def timed_ask(assistant: Assistant, question: str = QUESTION) -> tuple[Answer, float]:
    t0 = time.perf_counter()
    answer = assistant.ask(question)
    return answer, time.perf_counter() - t0


def valid(answer: Answer) -> None:
    assert {int(m) for m in MARKER_RE.findall(answer.text)} == {c.marker for c in answer.citations}
    texts = {p.chunk_id: p.text for p in answer.passages}
    assert all(c.quote in texts[c.chunk_id] for c in answer.citations)


@pytest.mark.parametrize("mode", ["slow", "trickle"])
def test_a_slow_model_is_given_up_after_the_timeout_and_the_extractive_answer_stands(stub, with_llm, extractive, mode):
    stub.mode = mode
    answer, elapsed = timed_ask(with_llm)
    assert stub.requests and stub.requests[0]["path"] == "/v1/chat/completions"  # the model was asked
    assert elapsed < TIMEOUT_S + MARGIN_S, elapsed
    assert answer.text == extractive.text and answer.citations == extractive.citations


def test_a_failing_model_leaves_the_extractive_answer(stub, with_llm, extractive):
    stub.mode = "error"
    answer, elapsed = timed_ask(with_llm)
    assert len(stub.requests) == 1  # no retry: it would spend the time the answer may wait
    assert answer.text == extractive.text and elapsed < TIMEOUT_S + MARGIN_S


def test_a_number_the_passages_do_not_state_is_rejected(stub, with_llm, extractive):
    stub.reply = lambda prompt: f"50人以上の施設の整備・運営の上限額は1億2,000万円です[{passage_id(prompt, '9,000万円')}]。"
    answer, _ = timed_ask(with_llm)
    assert stub.requests and answer.text == extractive.text


def test_a_grounded_phrasing_that_cites_its_passage_is_used(stub, with_llm, extractive):
    stub.reply = lambda prompt: f"50人以上の施設の整備・運営の上限額は9,000万円です[{passage_id(prompt, '9,000万円')}]。"
    answer, _ = timed_ask(with_llm)
    assert answer.text == "50人以上の施設の整備・運営の上限額は9,000万円です[1]。" != extractive.text
    assert len(answer.citations) == 1 and "9,000万円" in answer.citations[0].quote
    valid(answer)
    # The model saw the passages as data and the question, and nothing else.
    messages = stub.requests[0]["body"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user"] and QUESTION in messages[1]["content"]


def test_phrase_after_an_extractive_ask_gives_what_ask_would(stub, with_llm, extractive):
    stub.reply = lambda prompt: f"50人以上の施設の整備・運営の上限額は9,000万円です[{passage_id(prompt, '9,000万円')}]。"
    first = with_llm.ask(QUESTION, phrase=False)
    assert first.text == extractive.text and not stub.requests  # not asked yet
    assert with_llm.phrase(QUESTION, first).text == with_llm.ask(QUESTION).text
    stub.mode = "error"
    assert with_llm.phrase(QUESTION, first) is first
    calc = with_llm.ask("定員35人の施設で総事業費5,000万円、高水準タイプなら国費はいくら？", phrase=False)
    asked = len(stub.requests)
    assert with_llm.phrase("定員35人の施設で総事業費5,000万円、高水準タイプなら国費はいくら？", calc) is calc
    assert len(stub.requests) == asked  # calculations are never phrased


def test_a_corrected_premise_keeps_its_correction_first_when_phrased(stub, with_llm, fake_assistant):
    question = "補助率は10/10ですよね？"
    plain = fake_assistant.ask(question)
    assert plain.text.startswith("いいえ。")
    stub.reply = lambda prompt: f"地方創生テレワーク型の補助率は3/4又は1/2です[{passage_id(prompt, '3/4又は1/2')}]。"
    phrased = with_llm.phrase(question, with_llm.ask(question, phrase=False))
    lead = plain.text.split("\n", 1)[0]
    assert phrased.text == lead + "\n地方創生テレワーク型の補助率は3/4又は1/2です[1]。"
    valid(phrased)


def test_the_api_returns_within_the_timeout_when_the_model_is_slow(stub, llm_settings, with_llm, extractive):
    stub.mode = "slow"
    with start(llm_settings, with_llm, with_ui=False) as srv:
        t0 = time.perf_counter()
        response = httpx.post(f"{srv.url}/api/ask", json={"question": QUESTION}, timeout=30)
        elapsed = time.perf_counter() - t0
    assert response.status_code == 200 and elapsed < TIMEOUT_S + MARGIN_S, elapsed
    assert response.json()["answer"] == extractive.text


def _respond(assistant: Assistant, settings: Settings) -> Callable[..., Iterator[tuple[str, list[Any]]]]:
    from ui import build_ui

    demo = build_ui(assistant, settings)
    return next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "respond")


def _timed(chat: Iterator[tuple[str, list[Any]]]) -> list[tuple[float, str]]:
    """(seconds since start, the last message's content) for every update the chat shows."""
    t0 = time.perf_counter()
    return [(time.perf_counter() - t0, str(messages[-1]["content"])) for _, messages in chat]


def test_the_chat_shows_the_extractive_answer_at_once_then_the_phrased_one(stub, llm_settings, with_llm, extractive):
    from ui import PENDING_NOTE, chat_history, md_text

    stub.mode = "slow"
    stub.delay = 0.6  # arrives within the timeout
    stub.reply = lambda prompt: f"50人以上の施設の整備・運営の上限額は9,000万円です[{passage_id(prompt, '9,000万円')}]。"
    updates = _timed(_respond(with_llm, llm_settings)(QUESTION, []))
    assert len(updates) == 3  # the question, the extractive answer, the phrased one
    (_, asked), (at_once, first), (later, last) = updates
    assert at_once < 0.5 and "9,000万円" in first and PENDING_NOTE in first
    assert later >= 0.6 and PENDING_NOTE not in last
    assert '<strong class="ga-lead">' + md_text("50人以上の施設の整備・運営の上限額は9,000万円です") in last
    assert 'href="#ga-' in last and "出典（1件）" in last
    history = chat_history([{"role": "user", "content": asked}, {"role": "assistant", "content": last}])
    assert history[-1].content == "50人以上の施設の整備・運営の上限額は9,000万円です[1]。"


@pytest.mark.parametrize("mode", ["slow", "error"])
def test_the_chat_keeps_the_extractive_answer_when_the_model_fails(stub, llm_settings, with_llm, extractive, mode):
    from ui import PENDING_NOTE, chat_history

    stub.mode = mode
    updates = _timed(_respond(with_llm, llm_settings)(QUESTION, []))
    assert len(updates) == 3 and updates[1][0] < 0.5 and updates[2][0] < TIMEOUT_S + MARGIN_S
    last = updates[2][1]
    assert PENDING_NOTE not in last
    assert chat_history([{"role": "assistant", "content": last}])[-1].content == extractive.text


def test_without_an_llm_the_chat_answers_once(fake_settings, fake_assistant):
    updates = _timed(_respond(fake_assistant, fake_settings)(QUESTION, []))
    assert len(updates) == 2 and "ga-status" not in updates[1][1]

