"""A person's path through the web chat, in headless Debian Chromium driven by Playwright against a real
server (uvicorn on a free port, the real assistant over the fake-embedding index). Every wait is on what the
page shows (an answer, a panel), never a fixed sleep.

Screenshots of the chat answering a cited question and of a calculation, at 390 px and 1366 px, are written
to docs/screenshots/ (the README shows them). Skipped when Chromium is missing, except under
GRANT_ASSISTANT_REQUIRE_BROWSER=1 (CI), where that fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.assistant.test_service_http import free_port, start

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
INTERNAL = re.compile(r"cap_facility|rate_high|rate_standard|size_bands|national_truncation|_表示|True|False|\.txt|"
                      r"[a-z]+_[a-z0-9]+")
CALC_QUESTION = "定員35人の施設で総事業費5,000万円、高水準タイプなら国費はいくら？"
BOTS = "#chat .message-row.bot-row"


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


def _ask_in_chat(page, question: str, answers_before: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Ask in the chat and wait for the answer: one more bot message than before, no longer pending."""
    if answers_before is None:
        answers_before = page.locator(BOTS).count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n",
                           arg=[BOTS, answers_before], timeout=60000)
    page.wait_for_function("() => !document.querySelector('#chat .pending, #chat .generating')", timeout=60000)


def _screenshot(page, name: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # No hover or focus state on the picture, so that a rerun makes the same image.
    page.mouse.move(0, 0)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_function("() => !document.querySelector('#chat .pending, #chat .generating')")
    page.screenshot(path=str(tmp_path / name), animations="disabled", caret="hide")
    assert (tmp_path / name).stat().st_size > 10_000
    if _looks_different(tmp_path / name, SCREENSHOTS / name):  # anti-aliasing noise does not dirty the tree
        shutil.copyfile(tmp_path / name, SCREENSHOTS / name)


def _looks_different(new: Path, old: Path) -> bool:
    from PIL import Image, ImageChops

    if not old.exists():
        return True
    with Image.open(new) as a, Image.open(old) as b:
        if a.size != b.size:
            return True
        changed = ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda v: 255 if v > 16 else 0)
        return changed.histogram()[255] > 0.001 * a.size[0] * a.size[1]


def test_the_empty_chat_says_what_it_covers_in_japanese_without_gradio_chrome(browser, fake_settings, fake_assistant):
    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        page = browser.new_page(locale="ja-JP", viewport={"width": 390, "height": 844})
        page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
        assert page.evaluate("document.documentElement.lang") == "ja"
        welcome = page.locator("#chat").inner_text()
        for document in fake_assistant.index.manifest["documents"]:
            assert document["title"] in welcome and document["fiscal_year"] in welcome
        assert "引用" in welcome and fake_assistant.contact.text.split()[-1] in welcome  # the corpus's contact
        assert not page.get_by_text("Gradio", exact=False).first.is_visible()
        assert not page.get_by_text("Use via API", exact=False).first.is_visible()
        assert page.locator("#chat button[aria-label='Share'], #chat button[title='Clear']").filter(
            visible=True).count() == 0
        # On a phone the input, 送信 and リセット are on screen without scrolling.
        for selector in ("#question textarea", "#send", "#reset"):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844, selector
        # An example chip asks its question.
        page.get_by_text("進出支援金の返還ルールを教えてください。").first.click()
        page.wait_for_function("sel => document.querySelectorAll(sel).length > 0", arg=BOTS, timeout=60000)
        page.locator(f"{BOTS} a.ga-cite").first.wait_for(timeout=60000)


def test_a_marker_opens_and_highlights_its_source(browser, fake_settings, fake_assistant, tmp_path):
    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        for width, height in ((1366, 900), (390, 844)):
            page = browser.new_page(locale="ja-JP", viewport={"width": width, "height": height})
            page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
            _ask_in_chat(page, "進出支援金の返還制度について教えてください。")
            marker = page.locator(f"{BOTS} a.ga-cite").first
            target = marker.get_attribute("href")
            assert target and target.startswith("#ga-")
            source = page.locator(target)
            assert not source.is_visible()  # sources start closed
            marker.click()
            page.locator(f"{target}.ga-hl").wait_for(state="visible", timeout=10000)
            text = source.inner_text()
            assert "制度概要" in text or "施策集" in text
            assert "令和" in text and source.locator("mark").count() == 1
            assert "[°]" not in text and "企业" not in text and ".txt" not in text
            _screenshot(page, f"chat-{width}.png", tmp_path)
            page.close()


def test_a_calculation_question_shows_the_panel_in_officer_language(browser, fake_settings, fake_assistant, tmp_path):
    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        for width, height in ((1366, 900), (390, 844)):
            page = browser.new_page(locale="ja-JP", viewport={"width": width, "height": height})
            page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
            _ask_in_chat(page, CALC_QUESTION)
            panel = page.locator(f"{BOTS} .ga-calc").last
            panel.wait_for(state="visible", timeout=60000)
            text = panel.inner_text()
            assert "33,750,000円（3,375万円）" in text and "根拠" in text and "補助率" in text
            assert "制度概要" in text and "採択事例" in text
            assert not INTERNAL.search(text), INTERNAL.search(text)
            panel.locator("h4").first.scroll_into_view_if_needed()
            _screenshot(page, f"calculation-{width}.png", tmp_path)
            page.close()


def test_an_html_payload_typed_by_the_user_is_shown_as_text_and_fetches_nothing(browser, fake_settings, fake_assistant):
    payload = '<img src=x onerror="window.__xss=1"><b>太字</b> **星** [リンク](/y)'
    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        page = browser.new_page(locale="ja-JP")
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
        _ask_in_chat(page, payload)
        bubble = page.locator("#chat .message-row.user-row").last
        assert bubble.inner_text().strip() == payload
        assert bubble.locator("img, b, a").count() == 0
        assert page.evaluate("window.__xss") is None
        # Markdown, LaTeX and entities typed by the user are shown as typed too.
        for typed in ("$$x^2$$ と $y$", "1. 番号\n# 見出し\n> 引用\n| a | b |\n|---|---|",
                      "https://example.com/a_b_c <script>window.__xss=2</script>", "&lt;b&gt; &amp; \\* \\\\"):
            _ask_in_chat(page, typed)
            bubble = page.locator("#chat .message-row.user-row").last
            assert bubble.inner_text().strip() == typed
            assert bubble.locator("a, h1, ol, table, blockquote, .katex, script, b").count() == 0
        assert page.evaluate("window.__xss") is None
    paths = [httpx.URL(u).path for u in requested]
    assert not any(p.endswith(("/x", "/y")) for p in paths), paths


def test_a_follow_up_in_the_chat_reaches_the_assistant_with_its_history(browser, fake_settings, fake_assistant):
    spy = RecordingAssistant(fake_assistant)
    with start(fake_settings, spy, with_ui=True) as srv:  # type: ignore[arg-type]
        page = browser.new_page(locale="ja-JP")
        page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
        _ask_in_chat(page, "高水準タイプの補助率は？", 0)
        page.wait_for_function("() => (document.querySelector('#chat')?.innerText || '').includes('3/4')", timeout=60000)
        _ask_in_chat(page, "標準タイプだと？")
        page.wait_for_function("() => (document.querySelector('#chat')?.innerText || '').includes('1/2')", timeout=60000)
    follow_up, history = spy.asked[-1]
    assert follow_up == "標準タイプだと？"
    assert [t.role for t in history][:1] == ["user"] and history[0].content == "高水準タイプの補助率は？"
    assert any(t.role == "assistant" and "3/4" in t.content for t in history)
    assert not any("<" in t.content or "出典（" in t.content for t in history)  # no markup, no panels


def test_a_like_with_a_comment_is_stored_as_plain_text_and_confirmed_beside_it(browser, fake_settings, fake_assistant):
    from assistant.feedback import FeedbackStore

    with start(fake_settings, fake_assistant, with_ui=True) as srv:
        page = browser.new_page(locale="ja-JP")
        page.goto(f"{srv.url}/", wait_until="networkidle", timeout=60000)
        _ask_in_chat(page, "進出支援金の返還制度は？", 0)
        page.locator("#comment textarea").fill("ブラウザからのコメント")
        like = page.locator("#chat button[aria-label='いいね'], #chat button[aria-label='Like']").first
        like.scroll_into_view_if_needed()
        like.click(force=True)  # Gradio shows the message buttons on hover
        note = page.locator("#feedback-note").get_by_text("フィードバックを記録しました", exact=False)
        note.wait_for(timeout=30000)
        assert page.locator("#comment textarea").input_value() == ""
        # …and repeated right beside the buttons that were clicked.
        flash = page.locator("#chat .message-buttons .ga-feedback-flash")
        flash.wait_for(timeout=10000)
        assert "記録しました" in flash.inner_text()
        flash_box = flash.bounding_box()
        buttons_box = page.locator("#chat .message-buttons:has(.ga-feedback-flash)").first.bounding_box()
        assert flash_box and buttons_box and buttons_box["y"] - 5 <= flash_box["y"] <= buttons_box["y"] + buttons_box["height"]
        comment_box = page.locator("#comment").bounding_box()
        note_box = note.bounding_box()
        assert comment_box and note_box and abs(note_box["y"] - comment_box["y"]) < 120  # beside, not far below
    rows = [r for r in FeedbackStore(fake_settings.feedback_db).rows() if r["comment"] == "ブラウザからのコメント"]
    assert rows and rows[-1]["question"] == "進出支援金の返還制度は？" and rows[-1]["rating"] == 1
    assert "[1]" in rows[-1]["answer"] and not rows[-1]["answer"].startswith("[{")
    assert "<" not in rows[-1]["answer"] and "出典（" not in rows[-1]["answer"]


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


@pytest.fixture()
def portal() -> Iterator[str]:
    """examples/ served by a second HTTP server on another port: the portal is another origin."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(REPO / "examples"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_embed_works_inside_the_example_portal_from_another_origin(browser, fake_settings, fake_assistant, portal):
    settings = fake_settings.model_copy(update={"frame_ancestors": ["'self'", portal]})
    with start(settings, fake_assistant, with_ui=True) as srv:
        assert f"frame-ancestors 'self' {portal}" in httpx.get(f"{srv.url}/embed/").headers["content-security-policy"]
        redirect = httpx.get(f"{srv.url}/embed?lang=ja", follow_redirects=False)
        assert redirect.status_code == 307 and redirect.headers["location"] == "embed/?lang=ja"
        assert str(httpx.get(f"{srv.url}/embed", follow_redirects=True).url) == f"{srv.url}/embed/"
        for width in (400, 1366):
            page = browser.new_page(locale="ja-JP", viewport={"width": width, "height": 900})
            # The portal names /embed without the slash: the redirect brings the iframe to /embed/.
            page.goto(f"{portal}/portal.html?assistant={srv.url}/embed", wait_until="networkidle", timeout=60000)
            frame = page.frame_locator("#grant-assistant")
            frame.locator("#question textarea").wait_for(timeout=60000)
            embed = next(f for f in page.frames if f.url.startswith(srv.url))
            assert embed.url.startswith(f"{srv.url}/embed/")
            size = embed.evaluate("""() => ({height: document.documentElement.scrollHeight,
                width: document.documentElement.clientWidth,
                input: document.querySelector('#question textarea').getBoundingClientRect().width})""")
            assert size["height"] <= 720, size  # fits the portal's 720 px iframe
            if width <= 640:
                assert size["input"] >= 0.85 * size["width"], size  # a full-width input on a narrow portal
            assert frame.get_by_role("tab", name="計算").is_visible()
            frame.locator("#question textarea").fill("進出支援金の返還制度は？")
            frame.locator("#send").click()
            frame.locator(f"{BOTS} a.ga-cite").first.wait_for(timeout=60000)
            assert "返還" in frame.locator(BOTS).last.inner_text()
            assert embed.evaluate("document.documentElement.scrollHeight") <= 720
            if width <= 640:  # the calculation form works inside the narrow portal too
                frame.get_by_role("tab", name="計算").click()
                frame.locator("#calc-kind input").click()
                frame.get_by_role("option", name="④進出支援金の返還額").click()
                frame.get_by_label("受給額（必須）").fill("100万円")
                frame.get_by_label("経過期間").fill("4年")
                frame.locator(".ga-calc-run:visible").click()
                result = frame.locator(".ga-calc-out:visible .ga-calc").first
                result.wait_for(timeout=60000)
                text = result.inner_text()
                assert "500,000円（50万円）" in text and "半額" in text and not INTERNAL.search(text)
            page.close()
