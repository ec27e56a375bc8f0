"""Four real syllabi no one here wrote, built end to end: objectives, questions, the LMS, axe.

They are chapters of OpenStax textbooks (see tests/data/syllabi/README.md for sources and
licenses): introductory programming, astronomy (a history with dates), statistics (quantitative)
and metabolism (a process), each a unit per chapter with
the section's learning objectives as written by its authors.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from .axe import serious_violations
from .test_lessons import teacher_quiz
from .conftest import REPO, run_cli
from .test_site_browser import ARGS, CHROMIUM, _learner, _Quiet, know_answers, lms_page

SYLLABI = REPO / "tests" / "data" / "syllabi"
NAMES = ("python-programming", "astronomy", "statistics", "metabolism")
STATUSES = {"taught", "partly taught", "not narrated", "not in the material"}


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    root = tmp_path_factory.mktemp("real-syllabi")
    built = {}
    for name in NAMES:
        out = root / name
        run = run_cli("lesson", str(SYLLABI / f"{name}.md"), "-o", str(out), "--length", "30", cache=root / "cache", timeout=900)
        assert run.code == 0, run.stderr
        built[name] = (out, run)
    return built


def _lessons(out: Path) -> list[dict]:
    return [lesson for unit in yaml.safe_load((out / "course.yaml").read_text())["units"] for lesson in unit["lessons"]]


def test_every_objective_is_accounted_for_and_taught_lines_are_narrated(courses):
    for name, (out, run) in courses.items():
        for lesson in _lessons(out):
            assert lesson["status"] == "built"
            assert [t["objective"] for t in lesson["taught"]] == lesson["objectives"], name
            transcript = (out / "lessons" / lesson["id"] / "transcript.txt").read_text()
            for status in lesson["taught"]:
                assert status["status"] in STATUSES
                if status["status"] == "taught":
                    assert status["line"] in transcript, (name, status)
                else:  # never silently dropped: reported in the run and in course.yaml
                    warning = f"objective {status['status']}: {status['objective']}"
                    assert any(w.startswith(warning) for w in lesson["warnings"]) and f"warning: {lesson['id']}: {warning}" in run.stderr
    # Read as a teacher would: what the notes do not cover is reported, what they do is taught.
    python = {t["objective"]: t["status"] for lesson in _lessons(courses["python-programming"][0]) for t in lesson["taught"]}
    assert python["Explain the function of the up and down arrow keyboard shortcuts."] == "not in the material"
    # The video shows the shell but never says "statements" or "expressions": partly, as a teacher reads it.
    assert python["Use a Python shell to run statements and expressions interactively."] == "partly taught"
    shell = next(t for lesson in _lessons(courses["python-programming"][0]) for t in lesson["taught"]
                 if t["objective"].startswith("Use a Python shell"))
    assert shell["missing"] == ["expression", "statement"] and "Python shell" in shell["line"]
    sky = {t["objective"]: t for lesson in _lessons(courses["astronomy"][0]) for t in lesson["taught"]}
    assert sky["Understand the modern meaning of the term constellation"]["status"] == "not in the material"
    assert "Brahe" in sky["Describe how Tycho Brahe and Johannes Kepler contributed to our understanding of how planets move around the Sun"]["line"]


def test_questions_are_valid(courses):
    for name, (out, _) in courses.items():
        for lesson in _lessons(out):
            folder = out / "lessons" / lesson["id"]
            transcript = (folder / "transcript.txt").read_text()
            narrated = {s.strip() for s in re.split(r"(?<=[.!?])\s+", transcript) if s.strip()}
            questions = teacher_quiz(out, lesson["id"])["questions"]
            rights = [q["options"][q["answer"]].lower() for q in questions if q["kind"] == "choice"]
            assert len(rights) == len(set(rights)), (name, lesson["id"], rights)  # never the same fact twice
            single = [q for q in questions if q["kind"] in ("choice", "truefalse")]
            assert len({q["explanation"] for q in single}) == len(single)  # one question per sentence
            for q in questions:
                where = (name, lesson["id"], q["prompt"])
                assert q["objective"] in ("", *lesson["objectives"]), where
                options = [o.lower() for o in q["options"]]
                assert len(options) == len(set(options)) and 2 <= len(options) <= 6, where
                if q["kind"] in ("ordering", "matching"):
                    # Built across narrated sentences, each of which the video says.
                    assert all(s in narrated for s in re.split(r"(?<=[.!?])\s+", q["explanation"])), where
                    assert sorted(q["order"]) == list(range(len(options))) if q["kind"] == "ordering" else len(set(q["matches"])) == len(q["prompts"]) >= 3
                    continue
                assert q["explanation"] in transcript, where  # the video answers it
                if q["kind"] == "truefalse":
                    statement = q["prompt"].removeprefix("True or false: ")
                    assert q["options"] == ["True", "False"] and statement not in narrated, where  # never a copy as "true"
                    continue
                if q["skill"] == "cause":  # the reason the video gives, among other clauses it says
                    assert q["prompt"].startswith("Why, as the video explains it? ") and q["prompt"].endswith(" because …"), where
                    assert q["options"][q["answer"]].lower() in q["explanation"].lower(), where
                    assert not re.search(r"\b(?:is|was|are)\s+because", q["prompt"]), where  # a whole effect, not "X is because"
                    continue
                assert q["prompt"].startswith("Fill in the blank: ") and "_____" in q["prompt"], where
                right = q["options"][q["answer"]]
                if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", right):
                    values = [float(o.replace(",", "")) for o in q["options"]]
                    if "_____ percent" in q["prompt"] or "_____%" in q["prompt"]:
                        assert all(0 < v < 100 for v in values), where
                    if re.fullmatch(r"1\d{3}|20\d{2}", right):
                        assert all(abs(v - float(right)) <= 10 for v in values), where
                # A wrong option that the sentence itself contains would give the answer away.
                sentence = q["explanation"].lower()
                assert not any(re.search(rf"\b{re.escape(o.lower())}\b", sentence) for i, o in enumerate(q["options"]) if i != q["answer"]), where


@pytest.fixture(scope="module")
def browser_page():
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (make test installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser.new_page()
        browser.close()


@pytest.fixture(scope="module")
def served(courses, tmp_path_factory):
    root = tmp_path_factory.mktemp("real-lms")
    for name, (out, _) in courses.items():
        (root / name).symlink_to(out)
    lesson = _lessons(courses["astronomy"][0])[1]["id"]
    know_answers(courses["astronomy"][0])
    lms_page(root, "lms", "1.2", f"astronomy/lessons/{lesson}/index.html")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_lms_records_a_learner_on_a_real_lesson(served, browser_page):
    page = browser_page
    page.goto(f"{served}/lms.html")
    count = page.frame_locator("#sco").locator("fieldset.question").count()
    assert count >= 2
    right = [True] * (count - 1) + [False]
    _learner(page, f"{served}/lms.html", right)
    score = round(100 * (count - 1) / count)
    get = lambda key: page.evaluate(f"API.LMSGetValue('{key}')")  # noqa: E731
    assert get("cmi.core.score.raw") == str(score)
    assert get("cmi.core.lesson_status") == ("passed" if score >= 80 else "failed")
    assert [v for k, v in page.evaluate("window.reported") if k.endswith(".result")] == ["correct"] * (count - 1) + ["wrong"]


def test_the_sites_pass_axe(served, courses, browser_page):
    page = browser_page
    for name, (out, _) in courses.items():
        for lesson in _lessons(out):
            page.goto(f"{served}/{name}/lessons/{lesson['id']}/index.html")
            assert serious_violations(page) == [], (name, lesson["id"])
        page.goto(f"{served}/{name}/index.html")
        assert serious_violations(page) == [], name
