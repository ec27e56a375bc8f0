"""Building a course: one signed explainer, transcript and quiz per lesson, a site, a SCORM zip.

A lesson is rebuilt only when what it is made from changed (its fields in the syllabus, the
files it links, the build settings), so editing one lesson and running again touches only
that lesson. One lesson's failure is reported and the others still build; ``--only`` retries it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape

from explainer import __version__
from explainer.errors import ExplainerError, InputError
from explainer.outputs import OutputPaths
from explainer.pipeline import Pipeline
from explainer.planning import PlanSettings
from explainer.planning.extractive import narratable
from explainer.planning.framing import is_framing
from explainer.shotlist import dump_shotlist
from explainer.sources import is_url, load_source, parse_source
from provenance import ProvenanceError, verify

from .objectives import ObjectiveStatus, coverage, subject_terms, supporting_sentences
from .quiz import Quiz, quiz_from_narration, shown_objective
from .answers import teacher_folder, write_answer_key
from .site import ASSETS, clock, write_site
from .cmi5 import course_structure_xml
from .scorm import manifest_2004_xml, manifest_xml, write_package
from .syllabus import Course, Lesson, load_syllabus

STATE = ".build.json"
_LANGUAGES = {"en": "English", "es": "Español", "fr": "Français", "de": "Deutsch", "it": "Italiano", "pt": "Português"}


@dataclass
class LessonOutcome:
    """What happened to one lesson in this run."""

    lesson_id: str
    status: str
    """built, unchanged, planned, skipped or failed."""
    message: str = ""


@dataclass
class CourseResult:
    """A course build: where it went and what happened to each lesson."""

    folder: Path
    package: Path | None
    """The SCORM 1.2 zip, beside the folder."""
    package_2004: Path | None = None
    """The SCORM 2004 4th edition zip, beside it."""
    package_cmi5: Path | None = None
    """The cmi5 zip (cmi5.xml and the site), beside it."""
    outcomes: list[LessonOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[LessonOutcome]:
        """Lessons that failed in this run."""
        return [o for o in self.outcomes if o.status == "failed"]


#: The heading the objectives go under at the end of a lesson's source.
OBJECTIVES_HEADING = "## What you will learn"


def lesson_text(lesson: Lesson, base: Path) -> str:
    """The lesson's source material: its notes and its readings, as one Markdown text, then
    its objectives (cited by the video's opening, never narrated as lesson content)."""
    parts = [f"# {lesson.title}", lesson.notes]
    parts += [reading_text(r if is_url(r) else str(base / r)) for r in lesson.readings]
    if lesson.objectives:
        parts.append(OBJECTIVES_HEADING + "\n\n" + "\n".join(f"- {' '.join(o.split())}" for o in lesson.objectives))
    return "\n\n".join(p.strip() for p in parts if p.strip())


def objective_sentences(objectives: list[str], source) -> dict[str, str]:
    """Each objective's own sentence id in the lesson source (the first sentence of its list
    item under the objectives heading, which comes last)."""
    ids = list(source.sentences)
    found: dict[str, str] = {}
    start = len(ids)
    for objective in reversed(objectives):  # the items are the source's last sentences
        wanted = " ".join(objective.split()).lower()
        for index in range(start - 1, -1, -1):
            if wanted.startswith(source.sentences[ids[index]].strip().lower().rstrip(".")):
                found[objective], start = ids[index], index
                break
    return found


def reading_text(location: str) -> str:
    """A reading read as ``explainer make`` reads an article (a text, Markdown or HTML file, or
    an http(s) URL): its title as a heading, then its prose, page furniture and instructions
    to an AI left out."""
    return _fetched_reading(location) if is_url(location) else _reading_markdown(load_source(location, min_words=1))


@functools.lru_cache(maxsize=64)
def _fetched_reading(url: str) -> str:
    # Fetched once per run: the fingerprint and the build both read it.
    return _reading_markdown(load_source(url, min_words=1))


def _reading_markdown(source) -> str:
    prose = [text for sid, text in source.sentences.items() if sid not in source.injections]
    return f"## {source.title}\n\n" + " ".join(prose)


def with_checkpoints(quiz: Quiz, production) -> Quiz:
    """The quiz with each objective's question placed where the video stops to ask it: the end
    of the shot that narrates the question's sentence (times from the production record)."""
    spans = [(shot.narration, rec.start_s, rec.start_s + rec.duration_s) for shot, rec in zip(production.shotlist.shots, production.record.shots)]
    questions = []
    for q in quiz.questions:
        shot = next(((start, end) for narration, start, end in spans if q.explanation and q.explanation in narration), None)
        at = shot[1] if shot and q.objective else None
        questions.append(q.model_copy(update={"checkpoint_s": None if at is None else round(at, 2),
                                              "explained_at_s": None if shot is None else round(shot[0], 2)}))
    return quiz.model_copy(update={"questions": questions})


def _teacher_quiz(lesson_dir: Path) -> Path:
    """A lesson's quiz with its answers: ``COURSE-teacher/lessons/<id>/quiz.json``."""
    return teacher_folder(lesson_dir.parent.parent) / "lessons" / lesson_dir.name / "quiz.json"


def _terms(lesson: Lesson) -> list[str]:
    """The lesson's terms for its quiz: its key terms, then its objectives' subject words."""
    return list(dict.fromkeys([*lesson.key_terms, *subject_terms(lesson.objectives)]))


def fingerprint(lesson: Lesson, base: Path, build: dict[str, Any]) -> str:
    """A hash of everything a lesson's outputs depend on."""
    payload = {
        # Readings count by their content (below), not by how the path is written.
        "lesson": lesson.model_dump(exclude={"status", "readings", "taught", "warnings"}),
        "material": lesson_text(lesson, base),
        "build": build,
        "explainer": __version__,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _env() -> Environment:
    env = Environment(loader=PackageLoader("lessons", "templates"), autoescape=select_autoescape(["html"]))
    env.globals["shown_objective"] = shown_objective
    env.filters["clock"] = clock
    return env


def _verify_summary(video: Path, anchors: str | None) -> dict[str, Any]:
    report = verify(video, anchors)
    return report.to_dict()


class CourseBuilder:
    """Builds courses with one pipeline (planner, narrator, renderer, signer) for every lesson."""

    def __init__(
        self,
        pipeline: Pipeline,
        plan_settings: PlanSettings,
        *,
        build_settings: dict[str, Any],
        anchors_pem: str | None = None,
        quiz_writer: Callable[[Lesson, list[str]], Quiz] | None = None,
        say: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.pipeline = pipeline
        self.plan_settings = plan_settings
        self.build_settings = build_settings
        self.anchors_pem = anchors_pem
        self.quiz_writer = quiz_writer
        self.say = say

    def build(
        self, syllabus: Path, folder: Path, *, only: str | None = None, plan_only: bool = False, language: str | None = None,
        mastery: int | None = None, audience: str | None = None,
    ) -> CourseResult:
        """Build (or bring up to date) the course in ``folder``; returns what happened."""
        course = load_syllabus(syllabus)
        if language:
            course.language = language
        if audience:
            course.audience = audience
        if mastery is not None:
            course.mastery_score = mastery
        lessons = course.lessons()
        if only and only not in {lesson.id for lesson in lessons}:
            known = ", ".join(lesson.id for lesson in lessons[:5])
            raise InputError(f"--only {only}: no lesson has that id (ids look like: {known}); see course.yaml")
        folder.mkdir(parents=True, exist_ok=True)
        base = syllabus.parent
        course_terms = [t for lesson in lessons for t in _terms(lesson)]
        result = CourseResult(folder=folder, package=None)

        def one(number: int, lesson: Lesson) -> LessonOutcome:
            return self._one(course, lesson, number, len(lessons), folder, base, course_terms, only, plan_only)

        # On a cluster every lesson is built at once, so all of the course's shots are in the
        # cluster's queue together; in-process, one lesson after another (the shots of each
        # already fill the cores).
        executor = getattr(self.pipeline, "executor", None)
        at_once = len(lessons) if executor is not None and executor.name != "in-process" else 1
        with ThreadPoolExecutor(max_workers=max(1, at_once), thread_name_prefix="lesson") as pool:
            result.outcomes.extend(pool.map(one, range(1, len(lessons) + 1), lessons))
        self._write_course_yaml(course, folder, base)
        if not plan_only:
            self._write_site(course, folder)
            built = {l.id for l in lessons if l.status == "built"}
            files = {lid: self._lesson_files(folder, lid) for lid in built}
            # The folder itself imports into a SCORM 1.2 LMS; the zips are what an LMS uploads.
            (folder / "imsmanifest.xml").write_text(manifest_xml(course, files), encoding="utf-8")
            result.package = folder.with_name(folder.name + ".zip")
            write_package(folder, result.package, manifest_xml(course, files))
            result.package_2004 = folder.with_name(folder.name + "-scorm2004.zip")
            write_package(folder, result.package_2004, manifest_2004_xml(course, files))
            # cmi5: the folder holds cmi5.xml too (an LMS may import it from a web address).
            (folder / "cmi5.xml").write_text(course_structure_xml(course, files), encoding="utf-8")
            result.package_cmi5 = folder.with_name(folder.name + "-cmi5.zip")
            write_package(folder, result.package_cmi5, course_structure_xml(course, files), name="cmi5.xml")
        return result

    def _one(self, course: Course, lesson: Lesson, number: int, total: int, folder: Path, base: Path,
             course_terms: list[str], only: str | None, plan_only: bool) -> LessonOutcome:
        """Build one lesson, unless it is not the one asked for (``only``) or nothing it
        depends on changed; a failure fails this lesson only."""
        lesson_dir = folder / "lessons" / lesson.id
        state_path = lesson_dir / STATE
        state = json.loads(state_path.read_text()) if state_path.is_file() else {}
        stamp, failure = None, None
        try:
            stamp = fingerprint(lesson, base, self.build_settings)
        except ExplainerError as e:  # a reading that cannot be read fails its lesson only
            failure = e
        lesson.warnings = state.get("warnings", [])
        lesson.taught = [ObjectiveStatus.model_validate(t) for t in state.get("taught", [])]
        if only and lesson.id != only:
            lesson.status = state.get("status", "planned")
            return LessonOutcome(lesson.id, "skipped")
        if (state.get("fingerprint") == stamp and state.get("status") == "built" and (lesson_dir / "lesson.mp4").is_file()
                and _teacher_quiz(lesson_dir).is_file()):
            lesson.status = "built"
            return LessonOutcome(lesson.id, "unchanged")
        self.say(f"[{number}/{total}] {lesson.title}")
        lesson.warnings, lesson.taught = [], []
        try:
            if failure:
                raise failure
            lesson.status = self._build_lesson(course, lesson, base, lesson_dir, course_terms, plan_only)
            state_path.parent.mkdir(parents=True, exist_ok=True)
            state_path.write_text(json.dumps({"fingerprint": stamp if not plan_only else None, "status": lesson.status,
                                              "warnings": lesson.warnings,
                                              "taught": [t.model_dump() for t in lesson.taught]}))
            return LessonOutcome(lesson.id, lesson.status)
        except (ExplainerError, ProvenanceError, ValueError) as e:
            lesson.status = "failed"
            message = f"{lesson.id}: {e}"
            self.say(f"failed: {message} (retry with --only {lesson.id})")
            return LessonOutcome(lesson.id, "failed", str(e))

    def _build_lesson(self, course: Course, lesson: Lesson, base: Path, lesson_dir: Path, course_terms: list[str], plan_only: bool) -> str:
        text = lesson_text(lesson, base)
        source = parse_source(text.encode("utf-8"), f"{lesson.id}.md", media_type="text/markdown", language=course.language, min_words=1)
        aims = objective_sentences(lesson.objectives, source)
        # Bullet points of a teacher's notes are the lesson, not page furniture; the objectives
        # are what the opening cites, not what the lesson narrates.
        source = source.model_copy(update={"kind": "syllabus-lesson", "roles": {sid: "objective" for sid in aims.values()}})
        lesson_dir.mkdir(parents=True, exist_ok=True)
        sentences = narratable(source)
        support = supporting_sentences(lesson.objectives, sentences)
        # Every objective's line is told, whatever the length: the length is a target, not a cap.
        settings = replace(self.plan_settings, must_include=tuple(sid for sid in support.values() if sid),
                           objectives=tuple((aims[o], sid) for o, sid in support.items() if sid and o in aims))
        shotlist = self.pipeline.plan(source, settings)
        if shotlist.planner.fallback_from:  # never silent: the teacher asked for another planner
            self._warn(lesson, f"planner: the {shotlist.planner.fallback_from} planner's script was replaced by the "
                               f"{shotlist.planner.name} planner's ({shotlist.planner.fallback_reason or 'no reason given'})")
        lesson.taught = coverage(support, {sid for shot in shotlist.shots for sid in shot.source_refs}, sentences, course.language)
        for status in lesson.taught:
            if status.status != "taught":
                never = f" (the video never says: {', '.join(status.missing)})" if status.status == "partly taught" else ""
                lesson.warnings.append(f"objective {status.status}: {status.objective}{never}")
                self.say(f"warning: {lesson.id}: {lesson.warnings[-1]}")
        if plan_only:
            (lesson_dir / "lesson.shots.yaml").write_text(dump_shotlist(shotlist), encoding="utf-8")
            return "planned"
        production = self.pipeline.render(shotlist, OutputPaths.for_video(lesson_dir / "lesson.mp4"), settings=self.build_settings)
        narration = [shot.narration for shot in production.shotlist.shots]
        (lesson_dir / "transcript.txt").write_text("\n\n".join(narration) + "\n", encoding="utf-8")
        narration = [line for line in narration if not is_framing(line)]  # the opening and recap are not asked about
        quiz = self.quiz_writer(lesson, narration) if self.quiz_writer else None
        if quiz and quiz.note:  # the model's questions that broke the rules, said, not hidden
            self._warn(lesson, f"quiz: {quiz.note}")
        elif self.quiz_writer and quiz is None:
            self._warn(lesson, "quiz: the model wrote no usable quiz; the built-in questions are used")
        taught = {t.line: t.objective for t in lesson.taught if t.status == "taught"}
        quiz = quiz or quiz_from_narration(lesson.id, narration, _terms(lesson), course_terms, objectives=taught,
                                           language=course.language)
        if not quiz.questions:
            lesson.warnings.append(f"no quiz: {quiz.note}; add key terms or facts to the notes")
            self.say(f"warning: {lesson.id}: {lesson.warnings[-1]}")
        quiz = with_checkpoints(quiz, production)
        # The quiz with its answers is the teacher's: kept beside the course, never in the site.
        answers = _teacher_quiz(lesson_dir)
        answers.parent.mkdir(parents=True, exist_ok=True)
        answers.write_text(quiz.model_dump_json(indent=2), encoding="utf-8")
        report = _verify_summary(production.video, self.anchors_pem)
        (lesson_dir / "provenance.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        return "built"

    def _warn(self, lesson: Lesson, message: str) -> None:
        """A warning the run prints and course.yaml keeps under the lesson."""
        lesson.warnings.append(message)
        self.say(f"warning: {lesson.id}: {message}")

    @staticmethod
    def _lesson_files(folder: Path, lesson_id: str) -> list[str]:
        lesson_dir = folder / "lessons" / lesson_id
        names = ["index.html"] + sorted(p.name for p in lesson_dir.iterdir() if p.is_file() and p.name != "index.html" and not p.name.startswith("."))
        shared = list(ASSETS) + (["glossary.html"] if (folder / "glossary.html").is_file() else [])
        return [f"lessons/{lesson_id}/{name}" for name in names] + shared

    @staticmethod
    def _write_course_yaml(course: Course, folder: Path, base: Path) -> None:
        data = course.model_dump(mode="json")
        # Links are rewritten relative to the course folder, so course.yaml builds from there.
        for unit in data["units"]:
            for lesson in unit["lessons"]:
                lesson["readings"] = [r if is_url(r) else os.path.relpath(base / r, folder) for r in lesson["readings"]]
        tmp = folder / f".course.yaml.{os.getpid()}.tmp"
        tmp.write_text(
            "# The course plan. Edit a lesson and run `explainer lesson course.yaml -o <this folder>`\n"
            "# to rebuild just that lesson.\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
        os.replace(tmp, folder / "course.yaml")

    def _write_site(self, course: Course, folder: Path) -> None:
        lang = course.language
        quizzes: dict[str, Quiz] = {}
        for lesson in course.lessons():
            lesson_dir = folder / "lessons" / lesson.id
            for leftover in ("quiz.json", "answer-key.json"):  # where a course built before kept its answers
                (lesson_dir / leftover).unlink(missing_ok=True)
            if lesson.status == "built":
                quizzes[lesson.id] = Quiz.model_validate_json(_teacher_quiz(lesson_dir).read_text())
        write_site(_env(), course, folder, quizzes, self.plan_settings_size(),
                   {"course": course, "lang": lang, "lang_name": _LANGUAGES.get(lang, lang)})
        write_answer_key(teacher_folder(folder), quizzes)

    def plan_settings_size(self) -> tuple[int, int]:
        """The video's width and height for the page's layout hints."""
        from explainer.shotlist import ASPECT_SIZES

        return ASPECT_SIZES[self.plan_settings.aspect]
