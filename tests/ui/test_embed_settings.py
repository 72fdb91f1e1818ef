"""The README's one-line portal setting is read as written (space- or comma-separated CSP sources)."""

from __future__ import annotations

import pytest

from assistant.settings import Settings


@pytest.mark.parametrize("value", ["'self' https://portal.example.lg.jp", "'self',https://portal.example.lg.jp",
                                   " 'self' ,  https://portal.example.lg.jp "])
def test_frame_ancestors_from_the_environment(monkeypatch, value):
    monkeypatch.setenv("GRANT_ASSISTANT_FRAME_ANCESTORS", value)
    assert Settings().frame_ancestors == ["'self'", "https://portal.example.lg.jp"]


def test_cors_origins_from_the_environment(monkeypatch):
    monkeypatch.setenv("GRANT_ASSISTANT_CORS_ORIGINS", "https://a.example.jp, https://b.example.jp")
    assert Settings().cors_origins == ["https://a.example.jp", "https://b.example.jp"]


def test_defaults_allow_only_the_service_itself():
    assert Settings().frame_ancestors == ["'self'"] and Settings().cors_origins == []
