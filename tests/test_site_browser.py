"""The course site in a real headless Chromium (Debian's, driven by Playwright), served on 127.0.0.1."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .test_lessons import course  # noqa: F401  (the built four-lesson course)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make test installs it)")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def site(course):  # noqa: F811
    _, out, _ = course
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright makes its own empty profile; it never downloads a browser here.
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        tab = browser.new_page()
        yield tab
        browser.close()


def test_lesson_page_video_captions_and_language(site, page):
    page.goto(f"{site}/index.html")
    page.click("text=The water cycle")
    assert page.url.endswith("/lessons/01-the-water-cycle/index.html")
    assert page.get_attribute("html", "lang") == "en"
    page.wait_for_function("document.querySelector('video').readyState >= 1", timeout=20000)
    duration = page.evaluate("document.querySelector('video').duration")
    assert duration > 2
    tracks = page.locator("video track")
    assert [(tracks.nth(i).get_attribute("kind"), tracks.nth(i).get_attribute("src")) for i in range(tracks.count())] == [
        ("captions", "lesson.vtt"), ("descriptions", "lesson.descriptions.vtt")]
    assert page.evaluate("[...document.querySelector('video').textTracks].map(t => t.kind)") == ["captions", "descriptions"]
    # The description file is there, next to the page.
    assert page.evaluate("fetch('lesson.descriptions.vtt').then(r => r.text())").startswith("WEBVTT - Audio description")
    assert "AI-generated" in page.inner_text(".provenance")
    assert "Yes" in page.inner_text(".provenance dd")


def test_quiz_answer_is_checked(site, page):
    page.goto(f"{site}/lessons/01-the-water-cycle/index.html")
    first = page.locator("fieldset.question").first
    answer = int(first.get_attribute("data-answer"))
    first.locator("input[type=radio]").nth(answer).check()
    first.locator("button.check").click()
    assert first.locator(".feedback").inner_text().startswith("Correct.")
    wrong = (answer + 1) % first.locator("input[type=radio]").count()
    first.locator("input[type=radio]").nth(wrong).check()
    first.locator("button.check").click()
    assert first.locator(".feedback").inner_text().startswith("Not quite.")


def test_keyboard_alone_reaches_and_answers_the_quiz(site, page):
    page.goto(f"{site}/lessons/01-the-water-cycle/index.html")
    reached = False
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#quiz')"):
            reached = True
            break
    assert reached, "Tab never reached the quiz"
    # Arrow keys choose within the radio group, Tab moves to the button, Enter presses it.
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "check"
    page.keyboard.press("Enter")
    feedback = page.locator("fieldset.question").first.locator(".feedback").inner_text()
    assert feedback.startswith(("Correct.", "Not quite."))
