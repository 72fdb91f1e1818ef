"""Shared fixtures: a fake-embedding index built once per session from the real corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))  # release run: HYPOTHESIS_PROFILE=long

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def fake_settings(tmp_path_factory: pytest.TempPathFactory):
    from assistant.settings import Settings

    return Settings(data_dir=tmp_path_factory.mktemp("data"), embedding_backend="fake", corpus_dir=CORPUS)


@pytest.fixture(scope="session")
def fake_assistant(fake_settings):
    from assistant.core import build_assistant
    from ingest.pipeline import ensure_index

    ensure_index(fake_settings, show_progress=False)
    return build_assistant(fake_settings)


def corpus_figure(pattern: str, document: str = "telework_measures_catalogue_2021.txt") -> str:
    """The figure a document states (the first group of `pattern` in its text): tests compare answers with the
    document, not with a value typed beside a question."""
    import re

    found = re.search(pattern, (CORPUS / document).read_text(encoding="utf-8"))
    assert found is not None, pattern
    return found.group(1)


# How many people the documents say were appointed, asked in words of no question set.
APPOINTED_QUESTION = "伝道師として任命された人数を教えてください。"
APPOINTED = r"伝道師として([０-９\d]+名)任命"
