"""The course site: a home page with the course's lessons numbered through, their lengths and
the learner's progress; a page per lesson (video, quiz, transcript, previous and next); a
glossary of the terms the lessons define. Static files that work from their folder (captions
travel inside the page: a browser will not load a track file from ``file:``) and from any web
server."""

from __future__ import annotations

import base64
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explainer.sources import is_url
from explainer.sources.sentences import split_sentences

from .answers import seal
from .quiz import Quiz, defines
from .syllabus import Course, Lesson, Unit

ASSETS = ("style.css", "quiz.js", "scorm.js", "cmi5.js", "progress.js")


@dataclass(frozen=True)
class Entry:
    """A lesson's place in the course: its number through the course, unit, length."""

    number: int
    unit: Unit
    lesson: Lesson
    duration_s: float | None

    @property
    def href(self) -> str:
        return f"lessons/{self.lesson.id}/index.html"


def entries(course: Course, folder: Path) -> list[Entry]:
    """Every lesson in course order, numbered 1..N through the units."""
    found, number = [], 0
    for unit in course.units:
        for lesson in unit.lessons:
            number += 1
            record = folder / "lessons" / lesson.id / "lesson.record.json"
            duration = json.loads(record.read_text()).get("duration_s") if lesson.status == "built" and record.is_file() else None
            found.append(Entry(number, unit, lesson, duration))
    return found


def data_url(path: Path, media_type: str) -> str:
    """A file as a data: URL (captions inside the page, so they load from a folder too)."""
    return f"data:{media_type};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def glossary(course: Course, folder: Path) -> list[dict[str, str]]:
    """Each key term a lesson's narration defines, with that sentence and the lesson, A to Z."""
    terms: dict[str, dict[str, str]] = {}
    for lesson in course.lessons():
        transcript = folder / "lessons" / lesson.id / "transcript.txt"
        if lesson.status != "built" or not transcript.is_file():
            continue
        sentences = [s for p in transcript.read_text().split("\n\n") for s in split_sentences(p)]
        for term in lesson.key_terms:
            sentence = next((s for s in sentences if defines(s, term)), None)
            if sentence and term.lower() not in terms:
                terms[term.lower()] = {"term": term, "meaning": sentence, "lesson": lesson.title, "href": f"lessons/{lesson.id}/index.html"}
    return sorted(terms.values(), key=lambda t: t["term"].lower())


def write_site(env, course: Course, folder: Path, quizzes: dict[str, Quiz], size: tuple[int, int], common: dict[str, Any]) -> None:
    """Write the home page, the glossary and every built lesson's page into ``folder``."""
    listed = entries(course, folder)
    terms = glossary(course, folder)
    key = "explainer:" + re.sub(r"\W+", "-", course.title.lower()).strip("-")
    common = common | {"storage_key": key, "has_glossary": bool(terms)}
    (folder / "index.html").write_text(env.get_template("index.html").render(root="", entries=listed, **common), encoding="utf-8")
    if terms:
        (folder / "glossary.html").write_text(env.get_template("glossary.html").render(root="", terms=terms, **common), encoding="utf-8")
    else:
        (folder / "glossary.html").unlink(missing_ok=True)
    for name in ASSETS:
        shutil.copyfile(Path(__file__).parent / "templates" / name, folder / name)
    built = [e for e in listed if e.lesson.status == "built"]
    for n, entry in enumerate(built):
        lesson_dir = folder / "lessons" / entry.lesson.id
        quiz = quizzes[entry.lesson.id]
        transcript = [p for p in (lesson_dir / "transcript.txt").read_text().split("\n\n") if p.strip()]
        sources = [f"the lesson notes for \u201c{entry.lesson.title}\u201d"] + [r if is_url(r) else Path(r).name for r in entry.lesson.readings]
        page = env.get_template("lesson.html").render(
            root="../../", entry=entry, unit=entry.unit, lesson=entry.lesson, quiz=quiz, total=len(listed),
            previous=built[n - 1] if n else None, next=built[n + 1] if n + 1 < len(built) else None,
            provenance=json.loads((lesson_dir / "provenance.json").read_text()), transcript=transcript, sources=sources,
            width=size[0], height=size[1], sealed={q.id: seal(q) for q in quiz.questions},
            captions=data_url(lesson_dir / "lesson.vtt", "text/vtt"),
            descriptions=data_url(lesson_dir / "lesson.descriptions.vtt", "text/vtt"), **common,
        )
        (lesson_dir / "index.html").write_text(page, encoding="utf-8")


def clock(seconds: float | None) -> str:
    """m:ss, for a lesson's length (whole seconds down, as a video player shows it)."""
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
