"""Reading a syllabus (Markdown or YAML) into a Course of units and lessons.

Markdown: the course title as ``#``, units as ``##``, lessons as ``###`` or as list items
under a unit. Under a lesson, paragraphs are its notes; ``Objectives:``, ``Key terms:`` and
``Readings:`` start lists (readings are links to text, Markdown or HTML files, relative to
the syllabus, or http(s) URLs; they are read like the articles of ``explainer make``). YAML has the same structure (and ``course.yaml`` written by a build is such a file,
so it can be edited and built again).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from explainer.errors import InputError
from explainer.outputs import slug

from .objectives import ObjectiveStatus


class Lesson(BaseModel):
    """One lesson: what it teaches and what it is built from."""

    model_config = ConfigDict(extra="ignore")

    id: str = ""
    title: str
    notes: str = ""
    objectives: list[str] = Field(default_factory=list)
    key_terms: list[str] = Field(default_factory=list)
    readings: list[str] = Field(default_factory=list, description="files relative to the syllabus, or http(s) URLs")
    status: str = "planned"
    taught: list[ObjectiveStatus] = Field(default_factory=list, description="how the last build covered each objective")
    warnings: list[str] = Field(default_factory=list, description="what the last build could not do, for the teacher")


class Unit(BaseModel):
    """A unit of lessons."""

    model_config = ConfigDict(extra="ignore")

    title: str
    lessons: list[Lesson] = Field(default_factory=list)


class Course(BaseModel):
    """A course: title, audience and units in order."""

    model_config = ConfigDict(extra="ignore")

    title: str
    audience: str | None = None
    language: str = "en"
    mastery_score: int = Field(default=80, ge=0, le=100, description="percent of quiz answers right to pass a lesson")
    units: list[Unit] = Field(default_factory=list)

    def lessons(self) -> list[Lesson]:
        """Every lesson, in course order."""
        return [lesson for unit in self.units for lesson in unit.lessons]


_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_SECTION = re.compile(r"^\s*(?:\*\*)?(objectives?|learning objectives|key terms?|readings?|notes)(?:\*\*)?\s*:\s*(.*)$", re.IGNORECASE)


def _section_name(label: str) -> str:
    label = label.lower()
    if label.startswith("objective") or label.startswith("learning"):
        return "objectives"
    if label.startswith("key"):
        return "key_terms"
    if label.startswith("reading"):
        return "readings"
    return "notes"


def _add_to_lesson(lesson: dict, section: str, text: str) -> None:
    if section == "readings":
        links = _LINK.findall(text)
        lesson["readings"].extend(path for _, path in links) if links else lesson["readings"].append(text.strip())
    elif section in ("objectives", "key_terms"):
        lesson[section].extend(part.strip() for part in (text.split(",") if section == "key_terms" else [text]) if part.strip())
    else:
        joiner = "" if not lesson["notes"] or lesson["notes"].endswith("\n") else " "
        lesson["notes"] += joiner + text.strip()


def parse_markdown(text: str) -> Course:
    """A Course from a Markdown syllabus."""
    title: str | None = None
    units: list[dict] = []
    lesson: dict | None = None
    from_item = False
    section = "notes"

    def new_lesson(name: str) -> dict:
        if not units:
            units.append({"title": "Lessons", "lessons": []})
        entry = {"title": _LINK.sub(r"\1", name).strip(), "notes": "", "objectives": [], "key_terms": [], "readings": []}
        units[-1]["lessons"].append(entry)
        return entry

    for raw in text.splitlines():
        heading = _HEADING.match(raw)
        if heading:
            level, name = len(heading.group(1)), heading.group(2)
            if level == 1 and title is None:
                title = name
            elif level <= 2:
                units.append({"title": name, "lessons": []})
                lesson = None
            else:
                lesson, from_item, section = new_lesson(name), False, "notes"
            continue
        item = _ITEM.match(raw)
        content = item.group(1) if item else raw.strip()
        marker = _SECTION.match(content)
        if marker and lesson is not None:
            section = _section_name(marker.group(1))
            if marker.group(2).strip():
                _add_to_lesson(lesson, section, marker.group(2))
            continue
        indented = raw[:1] in (" ", "\t")
        if item and units and (lesson is None or (from_item and not indented)):
            # A list item directly under a unit is a lesson of its own.
            lesson, from_item, section = new_lesson(content), True, "notes"
            continue
        if lesson is None:
            continue
        if not content:
            if section == "notes" and lesson["notes"]:
                lesson["notes"] += "\n\n"
            continue
        _add_to_lesson(lesson, section if item or section == "notes" else "notes", content)
    for unit in units:
        for entry in unit["lessons"]:
            entry["notes"] = re.sub(r"\n{3,}", "\n\n", entry["notes"]).strip()
    return Course(title=title or "Course", units=[u for u in units if u["lessons"]])


def load_syllabus(path: Path) -> Course:
    """Read, check and give ids to a syllabus file (.md or .yaml)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file; give a Markdown or YAML syllabus")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path.name}: is not UTF-8 text; save the syllabus as UTF-8") from e
    if not text.strip():
        raise InputError(f"{path.name}: the syllabus is empty; add a # course title, ## units and ### lessons")
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text)
            course = Course.model_validate(data)
        except (yaml.YAMLError, ValidationError) as e:
            raise InputError(f"{path.name}: not a syllabus in YAML ({str(e).splitlines()[0]}); see docs/lessons.md for the layout") from e
    else:
        course = parse_markdown(text)
    lessons = course.lessons()
    if not lessons:
        raise InputError(f"{path.name}: no lessons found; list them as ### headings or as items under a ## unit")
    for unit in course.units:
        # Every unit may open with an "Introduction" (ids are numbered), but within a unit two
        # lessons of one title are a mistake a teacher wants to hear about.
        titles = [lesson.title.strip().lower() for lesson in unit.lessons]
        twice = next((lesson.title for lesson, key in zip(unit.lessons, titles) if titles.count(key) > 1), None)
        if twice:
            raise InputError(f"{path.name}: two lessons of {unit.title!r} are titled {twice!r}; give each lesson its own title")
    for number, lesson in enumerate(lessons, start=1):
        if not lesson.id:
            lesson.id = f"{number:02d}-{slug(lesson.title, 'lesson')[:40]}"
    for lesson in lessons:
        for reading in lesson.readings:
            if reading.lower().startswith(("http://", "https://")):
                continue  # read when the lesson is built
            if not (path.parent / reading).is_file():
                raise InputError(f"{path.name}: lesson {lesson.title!r} links {reading}, which does not exist; fix the path")
    return course
