"""A cmi5 package of a built course: ``cmi5.xml`` (the course structure: a block per unit,
an assignable unit per lesson) beside the course's own files.

A cmi5 LMS launches a lesson page with the learning record store's endpoint, a one-time
fetch URL for its credentials, the learner, the registration and the lesson's activity id;
the page's cmi5.js then reports to the LRS in xAPI statements (see that file). Each AU moves
on when completed and passed, with the course's mastery score.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from .syllabus import Course

NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def course_iri(course: Course) -> str:
    """The course's activity id: an IRI made from its title (stable across builds)."""
    slug = re.sub(r"[^a-z0-9]+", "-", course.title.lower()).strip("-") or "course"
    return f"urn:explainer:course:{slug}"


def _text(tag: str, text: str, lang: str) -> str:
    return f"<{tag}><langstring lang={quoteattr(lang)}>{escape(text)}</langstring></{tag}>"


def course_structure_xml(course: Course, lesson_files: dict[str, list[str]]) -> str:
    """cmi5.xml for the lessons in ``lesson_files`` (lesson id → its files, page first)."""
    iri, lang = course_iri(course), course.language
    blocks = []
    for u, unit in enumerate(course.units, start=1):
        aus = [
            f'    <au id={quoteattr(f"{iri}:{lesson.id}")} moveOn="CompletedAndPassed" masteryScore="{course.mastery_score / 100:.2f}"'
            f' launchMethod="AnyWindow">\n      {_text("title", lesson.title, lang)}\n'
            f'      {_text("description", lesson.title, lang)}\n'
            f"      <url>{escape(lesson_files[lesson.id][0])}</url>\n    </au>"
            for lesson in unit.lessons if lesson.id in lesson_files
        ]
        if aus:
            blocks.append(f'  <block id={quoteattr(f"{iri}:unit-{u}")}>\n    {_text("title", unit.title, lang)}\n'
                          f'    {_text("description", unit.title, lang)}\n' + "\n".join(aus) + "\n  </block>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<courseStructure xmlns="{NAMESPACE}">\n'
            f"  <course id={quoteattr(iri)}>\n    {_text('title', course.title, lang)}\n"
            f"    {_text('description', course.title, lang)}\n  </course>\n" + "\n".join(blocks) + "\n</courseStructure>\n")
