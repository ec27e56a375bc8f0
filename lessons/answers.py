"""Answers a learner's page can check but not read.

The page holds, per question, a random salt and the sha256 of ``salt:response`` for the right
response; quiz.js hashes what the learner chose and compares. The sentence that explains the
answer is sealed with a key derived from the right response, so it opens only for a learner
who answered right; a wrong answer is told where in the video the answer is. The answers
themselves go to the teacher's folder beside the course (``COURSE-teacher/``), never into the
site or its SCORM packages.

What this does not stop: a determined student can try each option of a question against its
hash in the browser console (as they could by answering, were answers not locked after the
first try); the LMS records only the first answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from pathlib import Path

from .quiz import Question, Quiz


def teacher_folder(course_folder: Path) -> Path:
    """Where a course's answers are kept: ``COURSE-teacher/`` beside the course folder."""
    return course_folder.with_name(course_folder.name + "-teacher")


def response_text(values: list[int]) -> str:
    """A response as quiz.js writes it: the inputs' values joined by commas."""
    return ",".join(str(v) for v in values)


def _keystream(key: bytes, length: int) -> bytes:
    blocks = (hashlib.sha256(key + n.to_bytes(4, "big")).digest() for n in range((length + 31) // 32))
    return b"".join(blocks)[:length]


def seal(question: Question) -> dict[str, str]:
    """The question's data attributes for the page: ``salt``, ``check`` (sha256 of
    ``salt:response``) and ``sealed`` (the explanation, openable with the right response)."""
    salt = secrets.token_hex(16)
    response = response_text(question.correct())
    key = hashlib.sha256(f"{salt}:explain:{response}".encode()).digest()
    text = question.explanation.encode("utf-8")
    sealed = bytes(a ^ b for a, b in zip(text, _keystream(key, len(text))))
    return {"salt": salt, "check": hashlib.sha256(f"{salt}:{response}".encode()).hexdigest(),
            "sealed": base64.b64encode(sealed).decode("ascii")}


def opened(attributes: dict[str, str], response: list[int]) -> str | None:
    """The explanation, if ``response`` is the right one (what quiz.js does, for tests)."""
    text = response_text(response)
    if hashlib.sha256(f"{attributes['salt']}:{text}".encode()).hexdigest() != attributes["check"]:
        return None
    key = hashlib.sha256(f"{attributes['salt']}:explain:{text}".encode()).digest()
    sealed = base64.b64decode(attributes["sealed"])
    return bytes(a ^ b for a, b in zip(sealed, _keystream(key, len(sealed)))).decode("utf-8")


def write_answer_key(folder: Path, quizzes: dict[str, Quiz]) -> Path:
    """The teacher's answer key for the whole course: ``answer-key.json`` (lesson → question →
    prompt, answer, explanation) in the teacher's folder; returns its path."""
    key = {lesson: {q.id: {"prompt": q.prompt, "answer": q.answer_text(), "explanation": q.explanation,
                           "objective": q.objective} for q in quiz.questions}
           for lesson, quiz in quizzes.items()}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "answer-key.json"
    path.write_text(json.dumps(key, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
