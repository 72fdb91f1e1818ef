"""One access policy for every route (assistant/access.py), over real HTTP against the real app with both
Gradio mounts: the token protects the API and the chat alike, uploads are off, bodies are bounded in size,
time and shape."""

from __future__ import annotations

import json
import socket

import httpx
import pytest
from pydantic import SecretStr

from assistant.access import json_shape_problem, session_value
from tests.assistant.test_service_http import start

pytestmark = pytest.mark.integration

TOKEN = "s3cret-token"
# Every kind of route the service exposes: its own API, Gradio's API, config, queue, files, uploads, pages.
GRADIO_ROUTES = [
    ("GET", "/"), ("GET", "/embed/"), ("GET", "/config"), ("GET", "/embed/config"),
    ("GET", "/gradio_api/info"), ("GET", "/embed/gradio_api/info"), ("GET", "/openapi.json"),
    ("POST", "/gradio_api/call/respond"), ("POST", "/gradio_api/queue/join"),
    ("GET", "/gradio_api/queue/data?session_hash=x"), ("GET", "/gradio_api/file=README.md"),
    ("POST", "/api/ask"), ("GET", "/api/health"), ("POST", "/api/feedback"), ("GET", "/api/calculators"),
]


@pytest.fixture(scope="module")
def guarded(fake_settings, fake_assistant):
    settings = fake_settings.model_copy(update={"api_token": SecretStr(TOKEN)})
    with start(settings, fake_assistant, with_ui=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def open_service(fake_settings, fake_assistant):
    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        yield srv


@pytest.mark.parametrize(("method", "path"), GRADIO_ROUTES)
def test_every_route_refuses_a_request_without_credentials(guarded, method, path):
    r = httpx.request(method, f"{guarded.url}{path}", json={"data": ["上限は？", []]} if method == "POST" else None,
                      timeout=30)
    assert r.status_code in (401, 403), (path, r.status_code)


def test_a_browser_is_sent_to_the_login_page_and_the_cookie_opens_the_chat(guarded):
    with httpx.Client(base_url=guarded.url, timeout=30) as client:
        r = client.get("/", headers={"accept": "text/html"})
        assert r.status_code == 303 and r.headers["location"].startswith("/auth/login")
        page = client.get(r.headers["location"])
        assert page.status_code == 200 and 'name="token"' in page.text and 'lang="ja"' in page.text
        assert client.post("/auth/login", data={"token": "wrong", "next": "/"}).status_code == 401
        assert not client.cookies
        ok = client.post("/auth/login", data={"token": TOKEN, "next": "//evil.example/"})
        assert ok.status_code == 303 and ok.headers["location"] == "/"  # never redirected off this service
        assert client.get("/config").status_code == 200
        assert client.get("/api/health").status_code == 200


def test_the_bearer_token_opens_gradio_routes_too(guarded):
    right = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.get(f"{guarded.url}/gradio_api/info", headers=right, timeout=30).status_code == 200
    forged = {"Cookie": f"grant_assistant_session={session_value('another-token')}"}
    assert httpx.get(f"{guarded.url}/config", headers=forged, timeout=30).status_code == 401


def test_uploads_are_refused_with_or_without_a_token(guarded, open_service):
    files = {"files": ("a.txt", b"x" * 1000, "text/plain")}
    right = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.post(f"{guarded.url}/gradio_api/upload", files=files, headers=right, timeout=30).status_code == 403
    assert httpx.post(f"{open_service.url}/gradio_api/upload", files=files, timeout=30).status_code == 403


def test_the_body_limit_holds_on_every_path_even_without_content_length(open_service, fake_settings):
    big = b"x" * (fake_settings.max_body_bytes + 10)

    def chunks():  # no Content-Length: chunked transfer
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    r = httpx.post(f"{open_service.url}/gradio_api/queue/join", content=chunks(), timeout=30)
    assert r.status_code == 413


def test_a_body_shorter_than_declared_gets_408_not_a_held_connection(fake_settings, fake_assistant):
    settings = fake_settings.model_copy(update={"body_timeout_s": 1.0})
    with start(settings, fake_assistant) as srv, socket.create_connection(("127.0.0.1", srv.port), timeout=15) as s:
        body = b'{"question": "x"}'
        s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n" + body)
        reply = s.recv(4096).decode("latin-1")
    assert reply.startswith("HTTP/1.1 408")


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ('{"question": "\\ud800補助率"}', "Unicode"),
        ('{"question": "\\udfff"}', "Unicode"),
        ('{"question": "補助率", "include_passages": "yes"}', "boolean"),
        ('{"question": ' + "[" * 100 + "]" * 100 + "}", "nested"),
        ('{"question": ' + "9" * 5000 + "}", "digits"),
    ],
)
def test_malformed_inputs_get_their_own_422_message(open_service, payload, words):
    r = httpx.post(f"{open_service.url}/api/ask", content=payload.encode(), headers={"content-type": "application/json"},
                   timeout=30)
    assert r.status_code == 422 and words in r.json()["detail"], r.text


@pytest.mark.parametrize("rating", ["true", "1.0", "2"])
def test_feedback_rating_is_strict(open_service, rating):
    body = '{"question": "q", "answer": "a", "rating": ' + rating + "}"
    r = httpx.post(f"{open_service.url}/api/feedback", content=body, headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 422


def test_json_shape_check_skips_string_contents():
    assert json_shape_problem(json.dumps({"q": "[[[[" * 50 + "1" * 100}).encode()) is None
    assert json_shape_problem(b"[" * 21) is not None
    assert json_shape_problem(b'{"n": 1e10, "m": -12.5}') is None
