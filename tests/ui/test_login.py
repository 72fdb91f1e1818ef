"""GRANT_ASSISTANT_GRADIO_AUTH puts the chat behind a login; the JSON API keeps its own (token) rule."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from tests.assistant.test_service_http import start

pytestmark = pytest.mark.integration


def test_gradio_login_protects_the_chat(fake_settings, fake_assistant):
    settings = fake_settings.model_copy(update={"gradio_auth": SecretStr("officer:pass123")})
    with start(settings, fake_assistant, with_ui=True) as srv, httpx.Client(base_url=srv.url, timeout=30) as client:
        assert client.get("/config").status_code == 401
        assert client.post("/login", data={"username": "officer", "password": "wrong"}).status_code >= 400
        assert client.post("/login", data={"username": "officer", "password": "pass123"}).status_code == 200
        assert client.get("/config").status_code == 200
        assert client.get("/api/health").status_code == 200
