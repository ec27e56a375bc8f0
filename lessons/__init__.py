"""Lessons from a syllabus: a course of signed explainers, quizzes, a static site and SCORM."""

from .build import CourseBuilder, CourseResult, LessonOutcome
from .quiz import Question, Quiz, quiz_from_narration
from .syllabus import Course, Lesson, Unit, load_syllabus

__all__ = [
    "Course", "CourseBuilder", "CourseResult", "Lesson", "LessonOutcome", "Question", "Quiz", "Unit",
    "load_syllabus", "quiz_from_narration",
]
