"""The desk pages in Debian's headless Chromium: log in, submit, review beside the source, approve."""

from __future__ import annotations

import shutil
import time

import pytest

from .axe import serious_violations
from .test_service import ARTICLE, client, server, wait_for  # noqa: F401

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make test installs it)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def test_editor_reviews_and_approves_in_the_browser(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.goto(server.url + "/")
        assert serious_violations(page) == []  # the login page
        page.fill("#token", "not-a-token")
        page.click("button[type=submit]")
        assert "That token is not valid." in page.inner_text("main")
        page.fill("#token", server.tokens["ed"])
        page.click("button[type=submit]")
        assert page.inner_text("h1") == "Requests"
        assert serious_violations(page) == []  # the desk
        page.fill("#title", "Desk test")
        page.fill("#text", ARTICLE)
        page.fill("#length", "6")
        page.click("text=Submit")
        page.wait_for_selector("#submit-status:has-text('Submitted.')")
        page.wait_for_selector("#jobs a:has-text('Desk test')", timeout=10000)
        job_id = page.get_attribute("#jobs tr:has(a:has-text('Desk test'))", "data-id")
        with client(server, "ed") as c:
            wait_for(c, job_id, {"awaiting_review"})
        page.goto(f"{server.url}/desk/{job_id}")
        first = page.locator(".shot").first
        narration = first.locator("textarea").input_value()
        beside = first.locator(".source").inner_text()
        assert narration and narration.split(". ")[0] in beside  # the source sentence beside the narration
        assert beside.startswith("s")
        assert serious_violations(page) == []  # the review page
        page.click("#approve")
        page.wait_for_selector("#msg:has-text('Approved')")
        with client(server, "ed") as c:
            assert wait_for(c, job_id, {"done", "failed"})["status"] == "done"
        page.goto(f"{server.url}/desk/{job_id}")
        page.wait_for_function("document.querySelector('video') && document.querySelector('video').readyState >= 1", timeout=20000)
        # Captions and the audio description, each of its kind.
        kinds = page.evaluate("[...document.querySelector('video').textTracks].map(t => t.kind)")
        assert kinds == ["captions", "descriptions"]
        # The contact sheet of the script loads (one 480 px frame per shot, up to three a row).
        page.wait_for_function("document.getElementById('sheet').complete", timeout=20000)
        assert page.evaluate("document.getElementById('sheet').naturalWidth") in (480 + 24, 2 * 492 + 12, 3 * 492 + 12)
        page.wait_for_selector("#provenance:has-text('Trusted Content Credentials')", timeout=20000)
        browser.close()
