"""The input stage: text and Markdown titles and structure, saved pages and URLs (a real HTTP
server on 127.0.0.1), and one-line refusals of what is not an article."""

from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path

import pytest

from explainer.parsing import parse_source as parse
from explainer.planning.visuals import is_whole_phrase
import yaml

from explainer.errors import InputError
from explainer.grounding import Grounder
from explainer.planning import PlanSettings, get_planner
from explainer.planning.filler import filler_reason
from explainer.sources import fetch, load_source, parse_source

from .conftest import FIXTURES, run_cli

PAGES = Path(__file__).parent / "data" / "pages"
FERRY = PAGES / "harbor-ferry.html"
BODY = (
    "Imagine a world where every classroom has a tutor that never tires. Schools in Ohio tried it last year, "
    "and test scores rose by 8 percent in the first term. Teachers said the change gave them more time for "
    "students who needed help, according to a report by the state education department."
)


def _sentences(text: str, name: str) -> tuple[str, list[str]]:
    source = parse_source(text.encode(), name)
    return source.title, list(source.sentences.values())


@pytest.mark.parametrize(
    "text, name",
    [
        ("How AI Tutors Will Change Everything\n\n" + BODY, "a.txt"),  # title line, blank line
        ("How AI Tutors Will Change Everything\n" + BODY, "a.txt"),  # title glued to the text
        ("How AI Tutors Will Change Everything\n\n" + BODY, "a.md"),  # Markdown without a '#'
        ("# How AI Tutors Will Change Everything\n\n" + BODY, "a.md"),
        ("How AI Tutors Will Change Everything\n=====================================\n\n" + BODY, "a.md"),  # Setext
        ("---\ntitle: How AI Tutors Will Change Everything\nauthor: R. Diaz\n---\n\n" + BODY, "a.md"),
    ],
    ids=["blank-line", "glued", "markdown-plain", "atx", "setext", "front-matter"],
)
def test_title_is_found_and_never_part_of_a_sentence(text, name):
    title, sentences = _sentences(text, name)
    assert title == "How AI Tutors Will Change Everything"
    assert sentences[0] == "Imagine a world where every classroom has a tutor that never tires."
    assert all("Change Everything" not in s for s in sentences)


def test_title_words_are_not_flagged_by_grounding():
    source = parse_source(("How AI Tutors Will Change Everything\n" + BODY).encode(), "a.txt")
    check = Grounder(source).check_sentence("AI tutors in Ohio schools raised test scores by 8 percent in the first term.")
    assert check.supported, check.issues


def test_hard_wrapped_prose_is_not_taken_for_a_title():
    text = "The city council voted on Tuesday to approve the\nbudget for next year, after a long debate about the\nlibrary and the parks.\n\n" + BODY
    title, sentences = _sentences(text, "council.txt")
    assert title == "Council"  # from the file name: the first line is prose
    assert sentences[0].startswith("The city council voted on Tuesday to approve the budget")


def test_markdown_structure_is_kept_apart_from_prose():
    text = (
        "# Budget vote\n\n"
        "The council approved a $3 million budget on Tuesday, after two hours of debate about parks.\n\n"
        "![The council chamber](chamber.jpg)\n*The council chamber on Tuesday. Photo: J. Ruiz*\n\n"
        "- Parks get $1 million\n- Roads get $2 million\n\n"
        "> We listened to every resident who came to the meetings this spring.\n\n"
        "| Item | Cost |\n|---|---|\n| Parks | $1m |\n\n"
        "Read [the full budget](https://example.org/budget.pdf) on the city website, where it was posted on Monday.\n\n"
        "Parks will get new lights and benches, and the city will repave twelve miles of road before the winter.\n"
    )
    source = parse_source(text.encode(), "budget.md")
    roles = {source.sentences[sid]: role for sid, role in source.roles.items()}
    assert roles == {
        "Parks get $1 million": "list",
        "Roads get $2 million": "list",
        "We listened to every resident who came to the meetings this spring.": "quote",
    }
    everything = " ".join(source.sentences.values())
    assert "Photo" not in everything and "chamber.jpg" not in everything and "| Item" not in everything
    assert "Read the full budget on the city website" in everything  # link text kept, address dropped


def test_saved_page_metadata_and_main_text():
    source = load_source(str(FERRY))
    assert source.title == "Harbor ferry returns after two-year repair"
    assert source.author == "Dana Whitfield"
    assert source.publisher == "Bayside Courier"
    assert source.published == "2025-03-14"
    assert source.url == "https://news.example.org/2025/03/14/harbor-ferry-returns"
    assert source.media_type == "text/html" and source.text.startswith("<!DOCTYPE html>")
    everything = " ".join(source.sentences.values())
    for chrome in ("cookie", "Subscribe", "Share on", "Photo:", "Read more", "newsletter", "Most read", "Finally!", "All rights reserved"):
        assert chrome not in everything, chrome
    assert source.sentences["s1"].startswith("The Marigold, the only passenger ferry")


def test_page_furniture_and_questions_are_never_narrated():
    source = load_source(str(FERRY))
    shotlist = get_planner("extractive").plan(source, PlanSettings(length_s=120))
    narrated = [s for shot in shotlist.shots for s in shot.narration.split(". ")]
    assert not any(filler_reason(s) for s in narrated)
    assert "Advertisement" not in " ".join(narrated) and "Interested in riding" not in " ".join(narrated)
    # "However, the schedule will be cut..." leans on the sentence before it: never alone.
    for shot in shotlist.shots:
        if shot.narration.startswith("However"):
            pytest.fail("a leaning sentence opens a shot without what it leans on")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves tests/data/pages, plus the failures a real site can answer with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(PAGES), **kwargs)

    def log_message(self, *args):
        pass

    def _send(self, status: int, kind: str, body: bytes, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length if length is not None else len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _tarpit(self) -> None:
        """A page that arrives a byte every half second: no read ever times out."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass  # the client gave up, as it should

    def do_GET(self):
        routes = {
            "/missing": (404, "text/html", b"<h1>Not found</h1>"),
            "/broken": (503, "text/html", b"<h1>Down for maintenance</h1>"),
            "/report.pdf": (200, "application/pdf", b"%PDF-1.7\n" + b"0" * 100),
            "/photo.jpg": (200, "image/jpeg", b"\xff\xd8\xff\xe0" + b"0" * 100),
            "/empty": (200, "text/html", b""),
            "/stub": (200, "text/html", b"<html><body><h1>Council approves bridge plan</h1><p>Subscribe to keep reading. The city council voted on Tuesday.</p></body></html>"),
        }
        if self.path in routes:
            return self._send(*routes[self.path])
        if self.path == "/slow":
            time.sleep(3)
            return self._send(200, "text/html", b"<p>late</p>")
        if self.path == "/tarpit":
            return self._tarpit()
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/harbor-ferry.html")
            self.end_headers()
            return None
        return super().do_GET()


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_and_saved_page_give_the_same_source(site):
    saved = load_source(str(FERRY))
    fetched = load_source(f"{site}/moved")  # follows the redirect to the page
    assert fetched.sentences == saved.sentences and fetched.title == saved.title
    assert fetched.sha256 == saved.sha256
    assert fetched.retrieved_at and saved.retrieved_at is None
    # The page's canonical address is what the record keeps.
    assert fetched.url == "https://news.example.org/2025/03/14/harbor-ferry-returns"


@pytest.mark.parametrize(
    "path, needle",
    [
        ("/missing", "the server answered 404 Not Found; check the address"),
        ("/broken", "the server answered 503"),
        ("/report.pdf", "is application/pdf, not a web page"),
        ("/photo.jpg", "is image/jpeg, not a web page"),
        ("/empty", "is an empty page"),
        ("/stub", "words of article text (a paywall"),
    ],
)
def test_unusable_pages_are_one_line_errors(site, tmp_path, path, needle):
    run = run_cli("make", f"{site}{path}", "-o", str(tmp_path / "out.mp4"), cache=tmp_path / "cache")
    assert run.code == 2, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], run.stderr
    assert list(tmp_path.glob("out*")) == []


def test_timeouts_and_size_limits(site):
    with pytest.raises(InputError, match=r"no answer within 1 s"):
        fetch(f"{site}/slow", timeout_s=1)
    with pytest.raises(InputError, match=r"over the 0 MB limit"):
        fetch(f"{site}/harbor-ferry.html", max_bytes=1000)


def test_a_page_that_trickles_in_is_cut_off_at_the_deadline(site):
    started = time.monotonic()
    with pytest.raises(InputError, match=r"the page took more than 2 s to arrive"):
        fetch(f"{site}/tarpit", timeout_s=5, deadline_s=2)
    assert time.monotonic() - started < 4


def test_the_address_that_passed_the_check_is_the_one_connected_to(site, monkeypatch):
    """DNS rebinding: a name that answers one address for the check and another for the
    connection. The fetch resolves once and connects to what it checked."""
    import socket
    import sys

    fetching = sys.modules["explainer.sources.fetch"]
    port = int(site.rsplit(":", 1)[1])
    answers = iter(["127.0.0.1", "127.0.0.2"])  # the second answer would be somewhere else
    asked: list[str] = []
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host != "news.test":
            return real(host, *args, **kwargs)
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), 0))]

    monkeypatch.setattr(fetching.socket, "getaddrinfo", rebinding)
    page = fetch(f"http://news.test:{port}/harbor-ferry.html")
    assert b"ferry" in page.data.lower() and asked == ["news.test"]  # asked once, and the answer was used


def test_private_addresses_are_refused_when_fetching_for_others(site):
    with pytest.raises(InputError, match=r"points to an internal address \(127\.0\.0\.1\)"):
        fetch(f"{site}/harbor-ferry.html", allow_private=False)


def test_plan_from_url_records_the_page(site, tmp_path):
    shots = tmp_path / "ferry.shots.yaml"
    run = run_cli("plan", f"{site}/harbor-ferry.html", "-o", str(shots), "--length", "30", cache=tmp_path / "cache")
    assert run.code == 0, run.stderr
    data = yaml.safe_load(shots.read_text())
    source = data["source"]
    assert source["media_type"] == "text/html" and source["publisher"] == "Bayside Courier"
    assert source["author"] == "Dana Whitfield" and source["retrieved_at"]
    assert data["shots"][0]["narration"].startswith("The Marigold, the only passenger ferry")
    assert data["planner"]["name"] == "extractive" and data["target_s"] == 30


def _real_pages() -> list[Path]:
    """Real third-party pages: the committed, freely licensed corpus (tests/data/corpus; sources in tests/data/CORPUS-ATTRIBUTION.md), and
    more where at hand: ../shared/fixtures/articles or a folder named by EXPLAINER_TEST_CORPUS."""
    folders = [Path(__file__).parent / "data" / "corpus", FIXTURES / "articles"]
    if os.environ.get("EXPLAINER_TEST_CORPUS"):
        folders.append(Path(os.environ["EXPLAINER_TEST_CORPUS"]))
    return sorted(p for folder in folders if folder.is_dir() for p in folder.iterdir() if p.suffix in (".html", ".htm", ".txt", ".md"))


@pytest.mark.parametrize("page", _real_pages() or [pytest.param(None, marks=pytest.mark.skip(reason="no corpus of real pages here"))],
                         ids=lambda p: p.name if p else "none")
def test_real_pages_give_a_script_an_editor_would_keep(page):
    source = load_source(str(page))
    shotlist = get_planner("extractive").plan(source, PlanSettings(length_s=60))
    for shot in shotlist.shots:
        for sentence in (source.sentences[r] for r in shot.source_refs):
            assert filler_reason(sentence) is None, (shot.id, sentence)
        shown = shot.on_screen_text
        parsed = parse(source)
        if parsed is not None:
            # A whole phrase of the shot's own sentences (a noun phrase or a clause), never a fragment
            # (for the lede, which must be told, it may leave out context but nothing that qualifies it).
            docs = [parsed.doc(r) for r in shot.source_refs]
            assert is_whole_phrase(shown, docs) or shot.id == "shot-01" and is_whole_phrase(shown, docs, lenient=True), \
                (shown, shot.narration)
            continue
        # Without a parser for the language: never a sentence's opening words, unless they are a name or a figure.
        opening = shot.narration.startswith(shown + " ")
        name = all(w[:1].isupper() or w in ("and", "of", "de", "the", "for", "&") for w in shown.split())
        figure = shown[:1].isdigit() or shown[:1] in "$\u00a3\u20ac"
        assert shown and (not opening or name or figure), (shown, shot.narration)


PAYWALL = """<!doctype html><html lang="en"><head><title>Harbor ferry returns | Bay Gazette | 19.01.2020</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle",
"headline": "Harbor ferry returns", "articleBody": "%s"}]}</script></head>
<body><article><h1>Harbor ferry returns</h1><p>The harbor ferry is coming back. Subscribe to read the full story.</p></article></body></html>"""


def test_a_paywall_stub_is_read_from_the_pages_json_ld_article_body_and_the_source_says_so():
    body = ("The city council voted on Tuesday to restore the harbor ferry that stopped running in 2019. " * 3
            + "\\n\\nThe ferry will carry up to 150 passengers between the two piers every 30 minutes on weekdays. " * 3)
    source = parse_source((PAYWALL % body).encode(), "ferry.html")
    assert source.body_from == "JSON-LD articleBody"
    assert any("150 passengers" in s for s in source.sentences.values())
    # Publisher and date after bars are not the headline.
    assert source.title == "Harbor ferry returns"


def test_an_author_that_is_no_name_is_not_credited():
    # A metadata extractor takes a Wikipedia navigation heading for the author; a title card
    # then read "en.wikipedia.org · Authority control".
    page = FERRY.read_bytes().replace(b"Dana Whitfield", b"Authority control")
    assert b"Authority control" in page
    source = parse_source(page, "ferry.html")
    assert source.author is None and source.title == "Harbor ferry returns after two-year repair"


@pytest.mark.parametrize(("byline", "author"), [
    ("By Brian Deese, Sameera Fazili, and Bharat Ramamurti", "Brian Deese, Sameera Fazili and Bharat Ramamurti"),
    ("By Jane Roe and John Smith", "Jane Roe and John Smith"),
    # A role or a desk after the name is not a co-author.
    ("By Jane Roe, Staff Writer", "Jane Roe"),
    ("By Jane Roe, The Associated Press", "Jane Roe"),
    ("By Jane Roe | Reuters", "Jane Roe"),
])
def test_a_byline_credits_every_author_and_no_role(byline, author):
    from explainer.sources.document import byline_author

    assert byline_author(byline) == author
