"""One access policy for every route, as a pure ASGI middleware in front of the API and both Gradio mounts.

Why ASGI and not FastAPI dependencies: the Gradio apps mounted at `/` and `/embed` bring their own routes
(`/gradio_api/*`, `/config`, uploads, files) that FastAPI dependencies never see. Everything passes here:
- the body limit on every path, whether or not a Content-Length is declared, and a read timeout for bodies
  that arrive slowly or shorter than declared (408 instead of a held connection);
- JSON bodies of `/api/*` checked for nesting depth and number length, each with its own message;
- uploads refused (the chat needs none);
- with an API token set, every route requires it: `Authorization: Bearer <token>`, or the session cookie
  that the login page `/auth/login` sets after the token is typed once. Browsers asking for a page are sent
  to that login page; everything else gets 401.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, quote

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOGIN_PATH = "/auth/login"
SESSION_COOKIE = "grant_assistant_session"
MAX_JSON_DEPTH = 20
MAX_NUMBER_DIGITS = 40


class _BodyRefused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def session_value(token: str) -> str:
    """The cookie value proving the token was typed: an HMAC of a fixed label, so the token itself never
    travels in a cookie."""
    return hmac.new(token.encode(), b"grant-assistant session v1", hashlib.sha256).hexdigest()


def json_shape_problem(body: bytes) -> str | None:
    """Why a JSON body is refused before parsing, or None: too deep, or a number too long to be a number
    anyone means. One linear pass that skips string contents."""
    depth = 0
    digits = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
            continue
        if byte == 0x22:
            in_string = True
            digits = 0
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return f"JSON is nested too deeply (max {MAX_JSON_DEPTH} levels) (入れ子が深すぎます)"
        elif byte in (0x5D, 0x7D):
            depth -= 1
        if 0x30 <= byte <= 0x39:
            digits += 1
            if digits > MAX_NUMBER_DIGITS:
                return f"a number in the request has more than {MAX_NUMBER_DIGITS} digits (数値が大きすぎます)"
        elif byte not in (0x2E, 0x65, 0x45, 0x2B, 0x2D):  # . e E + -: still the same number
            digits = 0
    return None


class AccessPolicy:
    def __init__(self, app: ASGIApp, *, token: str | None, max_body_bytes: int, body_timeout_s: float = 10.0) -> None:
        self.app = app
        self.token = token
        self.max_body_bytes = max_body_bytes
        self.body_timeout_s = body_timeout_s
        self._session = session_value(token) if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if path.rstrip("/").endswith("/upload"):
            await _json(send, 403, "uploads are disabled (ファイルのアップロードは受け付けていません)")
            return
        if self.token is not None and path != LOGIN_PATH and not self._authorised(headers):
            await self._challenge(scope, headers, send)
            return
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _json(send, 413, f"request body too large (max {self.max_body_bytes} bytes)")
            return
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            try:
                body = await self._read_body(receive, int(declared) if declared else None)
            except _BodyRefused as refused:
                await _json(send, refused.status, refused.detail)
                return
            if path == LOGIN_PATH:
                await self._login(scope, body, send)
                return
            if path.startswith("/api/") and "json" in headers.get("content-type", ""):
                problem = json_shape_problem(body)
                if problem:
                    await _json(send, 422, f"invalid request body: {problem}")
                    return
            receive = _replay(body, receive)
        elif path == LOGIN_PATH:
            await _html(send, 200, _login_page(_next_target(scope), error=False))
            return
        await self.app(scope, receive, send)

    # ---- pieces -----------------------------------------------------------------------------------
    def _authorised(self, headers: dict[str, str]) -> bool:
        assert self.token is not None and self._session is not None
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), self.token.encode()):
            return True
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == SESSION_COOKIE and hmac.compare_digest(value.encode(), self._session.encode()):
                return True
        return False

    async def _challenge(self, scope: Scope, headers: dict[str, str], send: Send) -> None:
        wants_page = scope.get("method") == "GET" and "text/html" in headers.get("accept", "")
        if wants_page:
            target = scope.get("path", "/")
            location = f"{LOGIN_PATH}?next={quote(target)}"
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", location.encode()), (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await _json(send, 401, "missing or wrong bearer token (アクセストークンが必要です)",
                    extra=[(b"www-authenticate", b"Bearer")])

    async def _read_body(self, receive: Receive, declared: int | None) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), timeout=self.body_timeout_s)
            except TimeoutError as exc:
                raise _BodyRefused(408, "request body incomplete or too slow (本文の受信がタイムアウトしました)") from exc
            if message["type"] == "http.disconnect":
                raise _BodyRefused(400, "client disconnected")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _BodyRefused(413, f"request body too large (max {self.max_body_bytes} bytes)")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if declared is not None and len(body) != declared:
            raise _BodyRefused(400, "request body shorter or longer than its Content-Length")
        return body

    async def _login(self, scope: Scope, body: bytes, send: Send) -> None:
        assert self._session is not None or self.token is None
        form = parse_qs(body.decode("utf-8", "replace"))
        given = (form.get("token") or [""])[0]
        target = _safe_next((form.get("next") or ["/"])[0])
        if self.token is None or not hmac.compare_digest(given.encode(), self.token.encode()):
            await _html(send, 401, _login_page(target, error=True))
            return
        cookie = f"{SESSION_COOKIE}={self._session}; Path=/; HttpOnly; SameSite=Lax"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", target.encode()), (b"set-cookie", cookie.encode()),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay


def _safe_next(target: str) -> str:
    """Only a path on this service: never another origin (`//evil`, `https://…`)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _next_target(scope: Scope) -> str:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return _safe_next((query.get("next") or ["/"])[0])


def _login_page(target: str, error: bool) -> str:
    message = '<p role="alert">トークンが違います。</p>' if error else ""
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ログイン｜交付金アシスタント</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="font-family:sans-serif;max-width:28em;margin:3em auto;padding:0 1em">'
        "<h1 style=\"font-size:1.2em\">地方創生テレワーク 交付金アシスタント</h1>"
        f"<p>利用にはアクセストークンが必要です。管理者から受け取ったトークンを入力してください。</p>{message}"
        f'<form method="post" action="{LOGIN_PATH}"><input type="hidden" name="next" value="{html.escape(target)}">'
        '<label>アクセストークン <input type="password" name="token" autocomplete="current-password" required></label> '
        '<button type="submit">ログイン</button></form></body></html>'
    )


async def _json(send: Send, status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _html(send: Send, status: int, page: str) -> None:
    body = page.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff"), (b"content-security-policy", b"frame-ancestors 'self'")]})
    await send({"type": "http.response.body", "body": body})
