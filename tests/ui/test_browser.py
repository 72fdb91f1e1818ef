"""A person's path through the web chat, in headless Debian Chromium driven by Playwright.

Skipped when Chromium is missing, except under GRANT_ASSISTANT_REQUIRE_BROWSER=1 (CI), where that fails.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.assistant.test_service_http import start

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("GRANT_ASSISTANT_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required here (apt-get install chromium fonts-ipafont-gothic)")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_chat_answers_with_sources_panel(browser, fake_settings, fake_assistant, tmp_path):
    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        page = browser.new_page(locale="ja-JP")
        page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
        page.locator("#question textarea").fill("進出支援金の返還制度について教えてください。")
        page.locator("#send").click()
        panel = page.locator("#chat").get_by_text("出典（", exact=False).first
        panel.wait_for(timeout=60000)
        page.wait_for_timeout(1500)  # let the streamed answer finish
        chat = page.locator("#chat").inner_text()
        assert "[1]" in chat and "返還" in chat
        panel.click()
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        assert (tmp_path / "chat.png").stat().st_size > 10_000
        assert "制度概要" in page.locator("#chat").inner_text() or "施策" in page.locator("#chat").inner_text()


def test_embed_page_works_inside_an_iframe(browser, fake_settings, fake_assistant, tmp_path):
    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        page = browser.new_page()
        # A portal page on the same origin embeds the chat (frame-ancestors 'self' by default).
        page.goto(f"{srv.url}/api/health")
        page.set_content(f'<iframe id="ga" src="{srv.url}/embed/" width="900" height="700"></iframe>')
        frame = page.frame_locator("#ga")
        frame.locator("#question textarea").fill("上限は？", timeout=60000)
        frame.locator("#send").click()
        frame.get_by_text("どの事業", exact=False).first.wait_for(timeout=60000)
        page.screenshot(path=str(tmp_path / "embed.png"))


class RecordingAssistant:
    """The real assistant, with every (question, history) it is asked recorded: what the chat sent."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.asked: list[tuple[str, list]] = []

    def ask(self, question, history=()):  # type: ignore[no-untyped-def]
        self.asked.append((question, list(history)))
        return self.inner.ask(question, history)

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)


def _ask_in_chat(page, question: str, answers_before: int) -> None:  # type: ignore[no-untyped-def]
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    # Wait on the answer: one more 出典 panel or one more bot message than before.
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .message-row.bot-row, #chat .bot').length > n",
        arg=answers_before, timeout=60000)
    page.wait_for_function(
        "() => !document.querySelector('#chat .pending, #chat .generating')", timeout=60000)


def test_a_follow_up_in_the_chat_reaches_the_assistant_with_its_history(browser, fake_settings, fake_assistant):
    spy = RecordingAssistant(fake_assistant)
    with start(fake_settings, spy, with_ui=True) as srv:  # type: ignore[arg-type]
        page = browser.new_page(locale="ja-JP")
        page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
        _ask_in_chat(page, "高水準タイプの補助率は？", 0)
        page.wait_for_function("() => (document.querySelector('#chat')?.innerText || '').includes('3/4')", timeout=60000)
        bots = page.locator("#chat .message-row.bot-row, #chat .bot").count()
        _ask_in_chat(page, "標準タイプだと？", bots)
        page.wait_for_function("() => (document.querySelector('#chat')?.innerText || '').includes('1/2')", timeout=60000)
    follow_up, history = spy.asked[-1]
    assert follow_up == "標準タイプだと？"
    assert [t.role for t in history][:1] == ["user"] and history[0].content == "高水準タイプの補助率は？"
    assert any(t.role == "assistant" and "3/4" in t.content for t in history)


def test_a_like_with_a_comment_is_stored_as_plain_text(browser, fake_settings, fake_assistant):
    from assistant.feedback import FeedbackStore

    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        page = browser.new_page(locale="ja-JP")
        page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
        _ask_in_chat(page, "進出支援金の返還制度は？", 0)
        page.wait_for_function("() => (document.querySelector('#chat')?.innerText || '').includes('[1]')", timeout=60000)
        page.locator("#comment textarea").fill("ブラウザからのコメント")
        like = page.locator("#chat button[aria-label='いいね'], #chat button[aria-label='Like']").first
        like.scroll_into_view_if_needed()
        like.click(force=True)  # Gradio shows the message buttons on hover
        page.get_by_text("フィードバックを記録しました", exact=False).first.wait_for(timeout=30000)
    rows = [r for r in FeedbackStore(fake_settings.feedback_db).rows() if r["comment"] == "ブラウザからのコメント"]
    assert rows and rows[-1]["question"] == "進出支援金の返還制度は？" and rows[-1]["rating"] == 1
    assert "[1]" in rows[-1]["answer"] and not rows[-1]["answer"].startswith("[{")
