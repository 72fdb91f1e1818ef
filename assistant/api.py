"""One FastAPI app: the JSON API under /api (contract: ../shared/docs/api.md) and the Gradio chat at / and
/embed. User input can produce 4xx answers, never a 500; an unexpected error returns a JSON 500 that
names no path, setting or secret.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field, StrictBool, StrictInt, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.access import AccessPolicy
from assistant.errors import CalculationError, IndexBusyError, IndexMissingError, InputError
from assistant.feedback import FeedbackStore
from assistant.payloads import answer_payload, calculation_payload
from assistant.types import Citation, Turn

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.settings import Settings

log = logging.getLogger("grant_assistant.api")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HARD_MAX_CHARS = 2000  # the contract's limit; settings may lower it


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _valid_text(value: str) -> str:
    """Lone surrogates (JSON "\\ud800") are no text in any encoding: refused here with a message."""
    if _SURROGATE.search(value):
        raise ValueError("contains invalid Unicode (lone surrogate) (不正な文字が含まれています)")
    return value


class HistoryTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20000)

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return _valid_text(value)


class AskRequest(BaseModel):
    question: str = Field(description="1..2000 characters after trimming", examples=["50人以上の施設の整備・運営の上限額は？"])
    history: list[HistoryTurn] = Field(default_factory=list, max_length=50, description="most recent last")
    include_passages: StrictBool = False

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        value = _valid_text(value).strip()
        if not value:
            raise ValueError("question is empty (質問が空です)")
        if len(value) > HARD_MAX_CHARS:
            raise ValueError(f"question is longer than {HARD_MAX_CHARS} characters (質問が長すぎます)")
        if _CONTROL.search(value):
            raise ValueError("question contains control characters (制御文字は使えません)")
        return value


class PassageOut(BaseModel):
    rank: int
    chunk_id: str
    source: str
    title: str
    section: str
    text: str
    score: float


class RuleOut(BaseModel):
    name: str
    value: str
    unit: str = ""
    quote: str
    source: str
    section: str = ""


class StepOut(BaseModel):
    kind: str = Field(description="sum | cap | rate | count_limit | difference | band | rank | gate")
    label: str
    inputs: dict[str, Any]
    result: Any
    rule: RuleOut | None


class CalculationOut(BaseModel):
    kind: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    formula: str
    summary: str
    rules: list[RuleOut]
    steps: list[StepOut] = Field(default_factory=list, description="the program of cited steps, in order")


class AskResponse(BaseModel):
    answer: str
    status: Literal["answered", "calculated", "clarification_needed", "unanswerable", "guardrail"]
    refused: bool
    citations: list[Citation]  # the domain dataclass itself: one definition of a citation
    passages: list[PassageOut]
    calculation: CalculationOut | None
    timings_ms: dict[str, float]


class FeedbackRequest(BaseModel):
    question: str = Field(min_length=1, max_length=4000)
    answer: str = Field(min_length=1, max_length=20000)
    rating: StrictInt = Field(description="1 (useful) or -1 (not useful); booleans and floats are refused")
    comment: str = Field(default="", max_length=4000)
    status: str = Field(default="", max_length=40)

    @field_validator("rating")
    @classmethod
    def _rating(cls, value: int) -> int:
        if value not in (1, -1):
            raise ValueError("rating must be 1 or -1")
        return value

    @field_validator("question", "answer", "comment", "status")
    @classmethod
    def _text(cls, value: str) -> str:
        return _valid_text(value)


class FeedbackResponse(BaseModel):
    id: int
    stored: bool = True


class CalculateRequest(BaseModel):
    kind: str = Field(min_length=1, max_length=80)
    inputs: dict[str, Any] = Field(default_factory=dict)


class HealthResponse(BaseModel):
    status: str
    documents: int
    chunks: int
    index_version: str


class ErrorResponse(BaseModel):
    detail: str


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


def create_app(settings: Settings, assistant: Assistant, with_ui: bool = True) -> FastAPI:
    app = FastAPI(
        title="grant-assistant",
        version="0.1.0",
        description="地方創生テレワーク型交付金の公表資料に基づく、出典付きの回答と計算。",
        # The interactive docs load scripts from a CDN: off, so that nothing is fetched from outside.
        docs_url=None,
        redoc_url=None,
        # Every operation can answer these; documenting them keeps clients (and schemathesis) honest.
        responses={401: {"model": ErrorResponse, "description": "missing or wrong bearer token"},
                   413: {"model": ErrorResponse, "description": "request body too large"},
                   422: {"model": ErrorResponse, "description": "invalid input, with a message"},
                   503: {"model": ErrorResponse, "description": "index missing or being rebuilt"}},
    )
    feedback = FeedbackStore(settings.feedback_db)
    token = settings.api_token.get_secret_value() if settings.api_token else None
    max_chars = min(settings.max_question_chars, HARD_MAX_CHARS)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers["Content-Security-Policy"] = "frame-ancestors " + " ".join(settings.frame_ancestors)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            problems.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
        return _error(422, "invalid request: " + "; ".join(problems)[:1000])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # the body could not be parsed at all (e.g. not UTF-8): invalid input
            return _error(422, "invalid request body: send UTF-8 JSON (本文をUTF-8のJSONで送ってください)")
        return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail}, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return _error(500, "internal error; the request was not processed")

    # Access (token, body limits, uploads) is one ASGI policy around the whole app: see assistant/access.py.
    @app.post("/api/ask", response_model=AskResponse)
    def ask(body: AskRequest) -> dict[str, Any]:
        if len(body.question) > max_chars:
            raise HTTPException(422, f"question is longer than {max_chars} characters (質問が長すぎます)")
        history = [Turn(t.role, t.content) for t in body.history]
        try:
            answer = assistant.ask(body.question, history)  # thread-safe: read-only index, locked C engine
        except InputError as exc:
            raise HTTPException(422, str(exc)) from exc
        except (IndexBusyError, IndexMissingError) as exc:
            raise HTTPException(503, str(exc)) from exc
        return answer_payload(answer, body.include_passages)

    @app.get("/api/health", response_model=HealthResponse)
    def health() -> dict[str, Any]:
        return {"status": "ok", **assistant.health()}

    @app.post("/api/feedback", response_model=FeedbackResponse)
    def add_feedback(body: FeedbackRequest) -> dict[str, Any]:
        row = feedback.add(body.question, body.answer, body.rating, body.comment, body.status)
        return {"id": row, "stored": True}

    @app.get("/api/calculators")
    def calculators() -> list[dict[str, Any]]:
        return [
            {"kind": c.kind, "title": c.title, "description": c.description, "input_schema": c.input_schema}
            for c in assistant.calculators()
        ]

    @app.post("/api/calculate", response_model=CalculationOut)
    def calculate(body: CalculateRequest) -> dict[str, Any] | None:
        try:
            return calculation_payload(assistant.calculate(body.kind, body.inputs))
        except CalculationError as exc:
            raise HTTPException(422, str(exc)) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise HTTPException(422, f"invalid inputs for {body.kind}: {exc}") from exc

    if with_ui:
        from ui import mount_ui

        auth = None
        if settings.gradio_auth:
            user, _, password = settings.gradio_auth.get_secret_value().partition(":")
            auth = (user, password)

        @app.api_route("/embed", methods=["GET", "HEAD"], include_in_schema=False)
        def embed_slash(request: Request) -> RedirectResponse:
            """The portal's iframe may name /embed: the chat lives at /embed/ (a route before the mounts). The
            target is relative, so that it holds behind a proxy that serves the service under a prefix."""
            query = request.url.query
            return RedirectResponse("embed/" + (f"?{query}" if query else ""), status_code=307)

        app = mount_ui(app, assistant, settings, auth)
    app.add_middleware(AccessPolicy, token=token, max_body_bytes=settings.max_body_bytes,  # type: ignore[arg-type]
                       body_timeout_s=settings.body_timeout_s)
    return app
