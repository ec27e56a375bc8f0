"""The course site in a real headless Chromium (Debian's, driven by Playwright), served on 127.0.0.1."""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from .axe import serious_violations
from .conftest import REPO as REPO_ROOT
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
    know_answers(out)
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
    # The captions travel inside the page (a folder opened as file: loads no track file).
    assert [(tracks.nth(i).get_attribute("kind"), tracks.nth(i).get_attribute("src")[:22]) for i in range(tracks.count())] == [
        ("captions", "data:text/vtt;base64,V"), ("descriptions", "data:text/vtt;base64,V")]
    assert page.evaluate("[...document.querySelector('video').textTracks].map(t => t.kind)") == ["captions", "descriptions"]
    # The description file is there, next to the page.
    assert page.evaluate("fetch('lesson.descriptions.vtt').then(r => r.text())").startswith("WEBVTT - Audio description")
    assert "AI-generated" in page.inner_text(".provenance")
    assert "Yes" in page.inner_text(".provenance dd")


#: Quizzes whose answers the tests know: the teacher's files of built courses, and pages the
#: tests render themselves. The page holds only a salted hash of each answer.
KNOWN_QUIZZES: list = []


def know_answers(course_folder) -> None:
    """Learn a built course's answers from its teacher's folder, as its teacher could."""
    from lessons.answers import teacher_folder
    from lessons.quiz import Quiz

    KNOWN_QUIZZES.extend(Quiz.model_validate_json(p.read_text()) for p in (teacher_folder(course_folder) / "lessons").glob("*/quiz.json"))


def _right_response(question) -> list[int]:
    """The right response to a question on a page, found as a teacher would: the question
    of the known quizzes whose right response hashes to the page's check."""
    import hashlib

    from lessons.answers import response_text

    salt, check = question.get_attribute("data-salt"), question.get_attribute("data-check")
    for quiz in KNOWN_QUIZZES:
        for q in quiz.questions:
            if hashlib.sha256(f"{salt}:{response_text(q.correct())}".encode()).hexdigest() == check:
                return q.correct()
    raise AssertionError(f"no known quiz answers {question.get_attribute('data-id')}")


def _answer(question, right: bool) -> None:
    """Answer a question as a learner would: a radio for a choice, a list box per line for an
    ordering or a matching; a wrong answer swaps the first two lines."""
    answer = _right_response(question)
    if question.get_attribute("data-kind") in ("ordering", "matching"):
        if not right:
            answer[0], answer[1] = answer[1], answer[0]
        for line, value in enumerate(answer):
            question.locator("select").nth(line).select_option(value=str(value))
    else:
        choice = answer[0] if right else (answer[0] + 1) % question.locator("input[type=radio]").count()
        question.locator("input[type=radio]").nth(choice).check()
    question.locator("button.check").click()


def test_quiz_answer_is_checked_once(site, page):
    page.goto(f"{site}/lessons/01-the-water-cycle/index.html")
    first, second = page.locator("fieldset.question").nth(0), page.locator("fieldset.question").nth(1)
    _answer(first, right=True)
    assert first.locator(".feedback").inner_text().startswith("Correct.")
    # The first answer counts: the choices lock, so a learner cannot try them all.
    assert first.locator("input[type=radio]").first.is_disabled() and first.locator("button.check").is_disabled()
    _answer(second, right=False)
    assert second.locator(".feedback").inner_text().startswith("Not quite.")


def test_the_video_stops_at_a_checkpoint_and_goes_on_once_answered(site, page, course):  # noqa: F811
    import json
    from pathlib import Path

    _, out, _ = course
    record = json.loads((Path(out) / "lessons" / "01-the-water-cycle" / "lesson.record.json").read_text())
    shot_ends = {round(s["start_s"] + s["duration_s"], 2) for s in record["shots"]}
    page.goto(f"{site}/lessons/01-the-water-cycle/index.html")
    stops = page.locator("fieldset.question[data-checkpoint]")
    course_yaml = yaml.safe_load((Path(out) / "course.yaml").read_text())
    lesson = next(l for unit in course_yaml["units"] for l in unit["lessons"] if l["id"] == "01-the-water-cycle")
    taught = [t for t in lesson["taught"] if t["status"] == "taught"]
    # One per taught objective, each at the end of the shot that teaches it (the notes never
    # name the water cycle's stages, so that objective is partly taught and not stopped for).
    assert stops.count() == len(taught) >= 1
    at = [float(stops.nth(i).get_attribute("data-checkpoint")) for i in range(stops.count())]
    assert set(at) <= shot_ends
    stop = stops.nth(at.index(min(at)))
    page.wait_for_function("document.querySelector('video').readyState >= 1", timeout=20000)
    page.evaluate(f"(async () => {{ const v = document.querySelector('video'); v.muted = true; v.currentTime = {max(0.0, min(at) - 1.5)}; await v.play(); }})()")
    page.wait_for_function("document.querySelector('video').paused && !!document.querySelector('fieldset.checkpoint')", timeout=20000)
    paused_at = page.evaluate("document.querySelector('video').currentTime")
    assert min(at) - 0.8 <= paused_at <= min(at) + 0.05, (paused_at, at)
    assert stop.get_attribute("class") == "question checkpoint"
    assert page.evaluate("document.activeElement.closest('fieldset') === document.querySelector('fieldset.checkpoint')")
    assert "answer to continue" in stop.locator(".feedback").inner_text()
    _answer(stop, right=True)
    page.wait_for_function("!document.querySelector('video').paused", timeout=10000)
    assert stop.get_attribute("class") == "question"


LMS = {
    "1.2": ("scorm12.js", "window.API = new Scorm12API({}); API.on('LMSSetValue.cmi.*', (k, v) => window.reported.push([k, v]));"),
    "2004": ("scorm2004.js", "window.API_1484_11 = new Scorm2004API({}); API_1484_11.on('SetValue.cmi.*', (k, v) => window.reported.push([k, v]));"),
}


@pytest.fixture(scope="module")
def lms_site(course, tmp_path_factory):  # noqa: F811
    """The course beside two LMS pages that run scorm-again (from npm, installed by make test)
    and open a lesson in a frame, as an LMS does."""
    _, out, _ = course
    know_answers(out)
    root = tmp_path_factory.mktemp("lms")
    (root / "site").symlink_to(out)
    for version in LMS:
        for name, page in ((f"lms-{version}", "index"), (f"lms-{version}-mixed", "mixed")):
            lms_page(root, name, version, f"site/lessons/01-the-water-cycle/{page}.html")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def lms_page(root, name: str, version: str, lesson_src: str) -> None:
    """``root/name.html``: an LMS page running scorm-again's SCORM ``version`` runtime (from npm,
    installed by make test) that opens ``lesson_src`` in a frame, as an LMS does, and keeps
    every value the lesson sets in ``window.reported``."""
    from pathlib import Path

    runtime = Path(__file__).resolve().parents[1] / ".venv" / "npm" / "node_modules" / "scorm-again" / "dist"
    assert runtime.is_dir(), "scorm-again is missing: make test installs it (npm install --prefix .venv/npm scorm-again)"
    script, setup = LMS[version]
    shutil.copy(runtime / script, root / script)
    (root / f"{name}.html").write_text(
        f'<!doctype html><html lang="en"><head><title>LMS {version}</title><script src="{script}"></script>'
        f"<script>window.reported = []; {setup}</script></head><body>"
        f'<iframe id="sco" title="lesson" src="{lesson_src}" width="1100" height="900"></iframe></body></html>')


def _learner(page, url: str, right: list[bool]) -> None:
    page.goto(url)
    lesson = page.frame_locator("#sco")
    questions = lesson.locator("fieldset.question")
    questions.first.wait_for()
    assert questions.count() == len(right)
    for n, is_right in enumerate(right):
        _answer(questions.nth(n), is_right)


def test_scorm_12_runtime_records_score_status_and_answers(lms_site, page):
    page.goto(f"{lms_site}/lms-1.2.html")
    count = page.frame_locator("#sco").locator("fieldset.question").count()
    assert count >= 2  # one question per narrated fact; the first lesson narrates two
    _learner(page, f"{lms_site}/lms-1.2.html", [False] + [True] * (count - 1))
    get = lambda key: page.evaluate(f"API.LMSGetValue('{key}')")  # noqa: E731
    score = round(100 * (count - 1) / count)
    assert (get("cmi.core.score.raw"), get("cmi.core.score.min"), get("cmi.core.score.max")) == (str(score), "0", "100")
    assert get("cmi.core.lesson_status") == ("passed" if score >= 80 else "failed")
    assert get("cmi.interactions._count") == str(count)
    reported = page.evaluate("window.reported")
    results = [v for k, v in reported if k.endswith(".result")]
    assert results == ["wrong"] + ["correct"] * (count - 1)
    assert page.evaluate("API.LMSGetLastError()") == "0"  # every value the package sent was valid


def test_scorm_2004_runtime_records_a_failing_learner(lms_site, page):
    page.goto(f"{lms_site}/lms-2004.html")
    count = page.frame_locator("#sco").locator("fieldset.question").count()
    _learner(page, f"{lms_site}/lms-2004.html", [True] + [False] * (count - 1))
    get = lambda key: page.evaluate(f"API_1484_11.GetValue('{key}')")  # noqa: E731
    score = round(100 / count)
    assert get("cmi.score.raw") == str(score) and float(get("cmi.score.scaled")) == pytest.approx(score / 100)
    assert (get("cmi.completion_status"), get("cmi.success_status")) == ("completed", "failed")
    assert get("cmi.interactions._count") == str(count)
    assert [v for k, v in page.evaluate("window.reported") if k.endswith(".result")] == ["correct"] + ["incorrect"] * (count - 1)
    assert page.evaluate("API_1484_11.GetLastError()") == "0"


@pytest.fixture(scope="module")
def mixed_page(course, lms_site):  # noqa: F811
    """The first lesson's page rendered again, by the site's own template, with an ordering, a
    matching and a choice question (from the quiz tests' narration), beside the LMS pages."""
    import json
    from pathlib import Path

    from lessons import load_syllabus
    from lessons.build import _env
    from lessons.quiz import Quiz, quiz_from_narration

    from .test_lessons import PROCESS, TERMS

    _, out, _ = course
    folder = Path(out) / "lessons" / "01-the-water-cycle"
    cycle = quiz_from_narration("x", PROCESS, ["evaporation"], []).questions
    sky = quiz_from_narration("y", TERMS, ["zenith", "horizon", "orbit", "ellipse"], ["meridian"]).questions
    picked = [next(q for q in cycle if q.kind == "ordering"), next(q for q in sky if q.kind == "matching"),
              next(q for q in sky if q.kind == "choice")]
    quiz = Quiz(lesson_id="01-the-water-cycle", made_by="test",
                questions=[q.model_copy(update={"id": f"q{n}", "checkpoint_s": None}) for n, q in enumerate(picked, start=1)])
    course_plan = load_syllabus(Path(out) / "course.yaml")
    unit = course_plan.units[0]
    from lessons.answers import seal

    KNOWN_QUIZZES.append(quiz)
    from lessons.site import Entry, data_url

    page_html = _env().get_template("lesson.html").render(
        root="../../", unit=unit, lesson=unit.lessons[0], quiz=quiz, provenance=json.loads((folder / "provenance.json").read_text()),
        transcript=["A transcript."], sources=["notes"], width=640, height=360, course=course_plan, lang="en", lang_name="English",
        sealed={q.id: seal(q) for q in quiz.questions}, entry=Entry(1, unit, unit.lessons[0], 10.0), total=1, previous=None, next=None,
        captions=data_url(folder / "lesson.vtt", "text/vtt"), descriptions=data_url(folder / "lesson.descriptions.vtt", "text/vtt"),
        storage_key="test", has_glossary=False)
    (folder / "mixed.html").write_text(page_html, encoding="utf-8")
    return quiz


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_ordering_and_matching_reach_the_lms_in_its_formats(lms_site, mixed_page, page, version):
    page.goto(f"{lms_site}/lms-{version}-mixed.html")
    questions = page.frame_locator("#sco").locator("fieldset.question")
    questions.first.wait_for()
    assert [questions.nth(i).get_attribute("data-kind") for i in range(3)] == ["ordering", "matching", "choice"]
    # Unanswered lines are refused, not scored.
    questions.nth(0).locator("button.check").click()
    assert questions.nth(0).locator(".feedback").inner_text() == "Answer every line first."
    for n, right in enumerate([True, False, True]):
        _answer(questions.nth(n), right)
    assert questions.nth(0).locator(".feedback").inner_text().startswith("Correct.")
    assert questions.nth(1).locator(".feedback").inner_text().startswith("Not quite.")
    assert questions.nth(0).locator("select").first.is_disabled()
    ordering, matching, _ = mixed_page.questions
    letters = "abcdefghijklmnopqrstuvwxyz"
    sep, pair = ("[,]", "[.]") if version == "2004" else (",", ".")
    sequence = sep.join(letters[i] for i in ordering.order)
    pairs = sep.join(f"{letters[m]}{pair}{line + 1}" for line, m in enumerate(matching.matches))
    if version == "2004":
        get = lambda key: page.evaluate(f"API_1484_11.GetValue('{key}')")  # noqa: E731
        response, error = "learner_response", "API_1484_11.GetLastError()"
        assert get("cmi.score.raw") == "67"
    else:
        get = lambda key: page.evaluate(f"API.LMSGetValue('{key}')")  # noqa: E731
        response, error = "student_response", "API.LMSGetLastError()"
        assert get("cmi.core.score.raw") == "67"
    reported = dict(page.evaluate("window.reported"))
    assert reported["cmi.interactions.0.type"] == "sequencing" and reported["cmi.interactions.1.type"] == "matching"
    assert reported["cmi.interactions.0.correct_responses.0.pattern"] == sequence
    assert reported[f"cmi.interactions.0.{response}"] == sequence  # answered right: the same sequence
    # Answered wrong: the page cannot say what was right, it never knew.
    assert "cmi.interactions.1.correct_responses.0.pattern" not in reported
    assert reported[f"cmi.interactions.1.{response}"] != pairs
    assert page.evaluate(error) == "0"  # every value was valid for the runtime


def test_partial_attempt_is_incomplete(lms_site, page):
    page.goto(f"{lms_site}/lms-1.2.html")
    questions = page.frame_locator("#sco").locator("fieldset.question")
    questions.first.wait_for()
    _answer(questions.first, right=True)
    assert page.evaluate("API.LMSGetValue('cmi.core.lesson_status')") == "incomplete"


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


def test_no_answer_is_in_the_page_source_or_the_packages(site, page, course):  # noqa: F811
    """What a student can open (page source, the SCORM zips, the site folder) holds no answer
    key; the teacher's folder beside the course does. Right and wrong answers are still scored
    right (the other tests answer through the hashes)."""
    import json
    import zipfile
    from pathlib import Path

    from lessons.answers import opened, teacher_folder

    root, out, _ = course
    allowed = {"class", "data-id", "data-kind", "data-salt", "data-check", "data-sealed", "data-explained-at", "data-checkpoint"}
    from lessons.quiz import Quiz

    quizzes = [Quiz.model_validate_json(f.read_text()) for f in sorted((teacher_folder(out) / "lessons").glob("*/quiz.json"))]
    assert quizzes
    for quiz in quizzes:
        page.goto(f"{site}/lessons/{quiz.lesson_id}/index.html")
        source = page.evaluate("fetch(location.href).then(r => r.text())")  # the page source, as sent
        fields = page.locator("fieldset.question")
        assert fields.count() == len(quiz.questions)
        for n, q in enumerate(quiz.questions):
            field = fields.nth(n)
            names = set(page.evaluate("f => [...f.attributes].map(a => a.name)", field.element_handle()))
            assert names <= allowed, names - allowed
            attributes = {k: field.get_attribute(f"data-{k}") for k in ("salt", "check", "sealed")}
            # The explanation opens with the right response only.
            assert opened(attributes, q.correct()) == q.explanation
            wrong = [(q.correct()[0] + 1) % len(q.options)] + q.correct()[1:]
            assert opened(attributes, wrong) is None
        assert "data-answer" not in source and "answer-key" not in source
    for package in (root / "site.zip", root / "site-scorm2004.zip", root / "site-cmi5.zip"):
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
            assert not [n for n in names if Path(n).name in ("quiz.json", "answer-key.json")], names
            assert not any(b'"answer":' in archive.read(n) or b'"matches":' in archive.read(n) for n in names if not n.endswith(".mp4"))
    assert not list(Path(out).rglob("quiz.json")) and not list(Path(out).rglob("answer-key.json"))
    key = json.loads((teacher_folder(out) / "answer-key.json").read_text())
    assert set(key) == {q.lesson_id for q in quizzes} and sum(len(v) for v in key.values()) == sum(len(q.questions) for q in quizzes)


def test_the_course_home_numbers_lessons_through_keeps_progress_and_pages_link_on(site, page):
    page.goto(f"{site}/index.html")
    items = page.locator("ol.lessons li")
    count = items.count()
    numbers = [items.nth(i).get_attribute("value") for i in range(count)]
    assert count >= 3 and numbers == [str(n) for n in range(1, count + 1)]  # through the course, not again per unit
    assert page.locator("h2").first.inner_text().startswith("Unit 1") and "Unit 1: Unit" not in page.inner_text("main")
    assert all(re.search(r"\(\d+:\d\d\)", items.nth(i).inner_text()) for i in range(count))  # each lesson's length
    page.click("ol.lessons li >> nth=0 >> a")
    assert page.locator("p.unit").inner_text().startswith(f"Lesson 1 of {count} · Unit 1")
    # The quiz comes right after the video; the transcript is folded away below it.
    order = page.evaluate("[...document.querySelectorAll('main > figure, main > #quiz, main > details.transcript')].map(e => e.tagName + (e.id ? '#' + e.id : ''))")
    assert order == ["FIGURE", "SECTION#quiz", "DETAILS"]
    assert page.evaluate("document.querySelector('details.transcript').open") is False
    assert page.locator("a[rel=prev]").count() == 0 and page.locator("a[rel=next]").inner_text().startswith("Lesson 2: ")
    questions = page.locator("fieldset.question")
    for n in range(questions.count()):
        _answer(questions.nth(n), right=True)
    page.goto(f"{site}/index.html")
    assert items.first.locator(".progress").inner_text() == "\u2713 done"
    page.click("ol.lessons li >> nth=1 >> a")
    assert page.locator("a[rel=prev]").inner_text().startswith("\u2190 Lesson 1: ")
    assert not serious_violations(page)
    if page.locator("a[href$='glossary.html']").count():
        page.click("header a[href$='glossary.html']")
        assert page.locator("dl.glossary dt").count() >= 1 and not serious_violations(page)


def test_captions_load_from_the_folder_opened_as_a_file(course, page):  # noqa: F811
    _, out, _ = course
    page.goto((out / "lessons" / "01-the-water-cycle" / "index.html").as_uri())
    page.evaluate("document.querySelector('video').textTracks[0].mode = 'hidden'")
    page.wait_for_function("document.querySelector('video').textTracks[0].cues && document.querySelector('video').textTracks[0].cues.length > 0",
                           timeout=20000)


RALPH = REPO_ROOT / ".venv" / "lrs" / "bin" / "ralph"


class _Lms(SimpleHTTPRequestHandler):
    """What a cmi5 LMS does for a launched page: its fetch URL hands out the LRS credentials
    (once per launch, as cmi5 says), readable by the lesson page's origin."""

    token = base64.b64encode(b"lms:secret").decode()
    origin = ""
    spent: set = set()

    def do_POST(self):
        body = {"auth-token": self.token} if self.path not in self.spent else {"error-code": "1", "error-text": "already fetched"}
        self.spent.add(self.path)
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Access-Control-Allow-Origin", self.origin)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def lrs(site, tmp_path_factory):
    """A real learning record store: ralph (ralph-malph, installed by make test in a venv of its
    own), on 127.0.0.1 with a file backend, accepting the course site's origin; and the LMS's
    fetch URL beside it. Yields (LRS URL, fetch URL)."""
    if not RALPH.exists():
        pytest.skip("needs ralph, the learning record store (make test installs it in .venv/lrs)")
    root = tmp_path_factory.mktemp("lrs")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RALPH_APP_DIR": str(root), "RALPH_AUTH_FILE": str(root / "auth.json"), "RALPH_RUNSERVER_BACKEND": "fs",
           "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps([site])}
    subprocess.run([str(RALPH), "auth", "-u", "lms", "-p", "secret", "-s", "all", "-M", "mailto:lms@example.org", "-w"],
                   env=env, check=True, capture_output=True, timeout=60)
    env["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = str(root)
    server = subprocess.Popen([str(RALPH.with_name("python")), str(REPO_ROOT / "tests" / "ralph_lrs.py"), "127.0.0.1", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    _Lms.origin = site
    lms = ThreadingHTTPServer(("127.0.0.1", 0), _Lms)
    threading.Thread(target=lms.serve_forever, daemon=True).start()
    try:
        for _ in range(300):
            try:
                if urllib.request.urlopen(f"{url}/__lbheartbeat__", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("ralph did not start")
        yield url, f"http://127.0.0.1:{lms.server_address[1]}"
    finally:
        lms.shutdown()
        server.terminate()
        server.wait(timeout=20)


def _xapi(url: str, path: str, body: dict | None = None):
    request = urllib.request.Request(f"{url}/xAPI/{path}", data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Basic {_Lms.token}", "Content-Type": "application/json",
                                              "X-Experience-API-Version": "1.0.3"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


@pytest.mark.parametrize("right", [True, False], ids=["passed", "failed"])
def test_cmi5_statements_reach_a_real_lrs_with_the_score(site, page, lrs, right):
    """Launched by an LMS as cmi5 says (the LMS writes "launched", then opens the page with the
    LRS endpoint, its fetch URL, the learner, the registration and the AU's id), the lesson
    reports initialized, each answer, completed, passed or failed with its score, terminated."""
    import uuid
    from urllib.parse import urlencode

    url, fetch = lrs
    registration, session = str(uuid.uuid4()), str(uuid.uuid4())
    activity = "urn:explainer:course:earth-science-101:01-the-water-cycle"
    actor = {"objectType": "Agent", "name": "Student One", "account": {"homePage": "http://127.0.0.1", "name": "student-1"}}
    cmi5 = {"registration": registration, "contextActivities": {"category": [{"id": CMI5}]}, "extensions": {SESSION: session}}
    _xapi(url, "statements", {"actor": actor, "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"},
                              "object": {"id": activity, "objectType": "Activity"}, "context": cmi5})
    query = urlencode({"endpoint": f"{url}/xAPI/", "fetch": f"{fetch}/fetch/{registration}", "actor": json.dumps(actor),
                       "registration": registration, "activityId": activity})
    page.goto(f"{site}/lessons/01-the-water-cycle/index.html?{query}")
    questions = page.locator("fieldset.question")
    for n in range(questions.count()):
        _answer(questions.nth(n), right=right)
    page.evaluate("window.cmi5Terminate()")
    statements = _xapi(url, f"statements?registration={registration}")["statements"]
    statements.sort(key=lambda s: s["stored"])
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    n = questions.count()
    assert verbs == ["launched", "initialized", *["answered"] * n, "completed", "passed" if right else "failed", "terminated"]
    answered = [s for s in statements if s["verb"]["id"].endswith("answered")]
    assert [s["result"]["success"] for s in answered] == [right] * n
    assert all(s["object"]["id"].startswith(activity + "/") and s["context"]["contextActivities"]["parent"] == [{"id": activity}]
               for s in answered)
    verdict = statements[-2]
    assert verdict["result"]["score"]["scaled"] == (1.0 if right else 0.0) and verdict["result"]["success"] is right
    assert verdict["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == 0.8
    for s in statements[1:]:  # the page's own: the learner, the registration, one session
        assert s["actor"]["account"] == actor["account"] and s["context"]["registration"] == registration
        assert s["context"]["extensions"][SESSION] == statements[1]["context"]["extensions"][SESSION]
        assert ({"id": CMI5} in s["context"]["contextActivities"].get("category", [])) is (s not in answered)


def test_pages_fit_a_phone_without_sideways_scrolling(site, page):
    """At a phone's width (375 px) the course home and a lesson page scroll only downwards:
    the video, the questions and the pager fit the screen."""
    page.set_viewport_size({"width": 375, "height": 740})
    try:
        for path in ("index.html", "lessons/01-the-water-cycle/index.html", "glossary.html"):
            page.goto(f"{site}/{path}")
            wide = page.evaluate("document.scrollingElement.scrollWidth")
            assert wide <= 375, (path, wide)
        page.goto(f"{site}/lessons/01-the-water-cycle/index.html")
        box = page.locator("video").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


def test_the_objectives_say_which_the_video_does_not_fully_teach(site, page):
    """The page promises what the video teaches: an objective it covers only in part says so
    (the water cycle's stages are never named in its notes)."""
    page.goto(f"{site}/lessons/01-the-water-cycle/index.html")
    items = page.locator("section[aria-labelledby=objectives] li")
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    assert texts == ["Describe the three main stages of the water cycle (the video covers part of this; the notes say more)",
                     "Explain what drives evaporation"]
