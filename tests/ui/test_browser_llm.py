"""The web chat with an LLM configured, in headless Chromium against a real server and a real local
OpenAI-compatible stub model: the extractive answer appears at once, the phrased one replaces it in the same
message when it arrives, and its [n] still opens its source. Waits on what the page shows, never sleeps."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from assistant.core import Assistant
from assistant.llm import GroundedGenerator, make_chat_model
from tests.assistant.test_llm_stub import QUESTION, StubLLM, passage_id
from tests.assistant.test_service_http import start
from tests.ui.test_browser import BOTS, browser  # noqa: F401 — the module's Chromium fixture
from ui import PENDING_NOTE

pytestmark = pytest.mark.integration

DELAY_S = 2.0  # the model's answer arrives this late, within the timeout
TIMEOUT_S = 6.0
PHRASED = "50人以上の施設の整備・運営の上限額は9,000万円です"


@pytest.fixture()
def stub() -> Iterator[StubLLM]:
    with StubLLM() as server:
        yield server


def test_the_chat_shows_the_extractive_answer_first_and_the_phrased_one_when_it_arrives(
    browser, fake_settings, fake_assistant, stub  # noqa: F811
):  # type: ignore[no-untyped-def]
    stub.mode, stub.delay = "slow", DELAY_S
    stub.reply = lambda prompt: f"{PHRASED}[{passage_id(prompt, '9,000万円')}]。"
    settings = fake_settings.model_copy(
        update={"llm_base_url": stub.url, "llm_model": "stub-model", "llm_timeout_s": TIMEOUT_S}
    )
    model = make_chat_model(settings)
    assert model is not None
    assistant = Assistant(settings, fake_assistant.index, fake_assistant.retriever,
                          GroundedGenerator(model, timeout_s=TIMEOUT_S))
    with start(settings, assistant, with_ui=True) as srv:
        page = browser.new_page(locale="ja-JP", viewport={"width": 1366, "height": 900})
        page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
        before = page.locator(BOTS).count()
        page.locator("#question textarea").fill(QUESTION)
        asked = time.perf_counter()
        page.locator("#send").click()
        answer = page.locator(BOTS).nth(before)
        answer.get_by_text(PENDING_NOTE).wait_for(timeout=DELAY_S * 1000)  # extractive, before the model answers
        shown_at = time.perf_counter() - asked
        assert "9,000万円" in answer.inner_text() and PHRASED not in answer.inner_text()
        lead = answer.locator("strong.ga-lead")
        lead.get_by_text(PHRASED).wait_for(timeout=TIMEOUT_S * 1000)  # the same message, now phrased
        assert shown_at < DELAY_S and time.perf_counter() - asked >= DELAY_S
        assert PENDING_NOTE not in answer.inner_text() and page.locator(BOTS).count() == before + 1
        marker = lead.locator("a.ga-cite")
        target = marker.get_attribute("href")
        assert target and target.startswith("#ga-")
        marker.click()
        page.locator(f"{target}.ga-hl").wait_for(state="visible", timeout=10000)
        assert "9,000万円" in page.locator(f"{target} mark").inner_text()
        page.close()
