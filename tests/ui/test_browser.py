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
