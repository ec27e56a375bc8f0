"""Lessons from a syllabus: a course of signed explainers, quizzes, a static site and SCORM."""

from importlib import import_module

#: Where each public name lives. Imported on first use (PEP 562): the command line loads this
#: package to register ``lesson`` and should not pay for the whole pipeline to show --help.
_HOMES = {
    "CourseBuilder": "build", "CourseResult": "build", "LessonOutcome": "build",
    "Question": "quiz", "Quiz": "quiz", "quiz_from_narration": "quiz",
    "Course": "syllabus", "Lesson": "syllabus", "Unit": "syllabus", "load_syllabus": "syllabus",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'lessons' has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
