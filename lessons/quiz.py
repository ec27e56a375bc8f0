"""Quizzes: 3-5 questions per lesson, each answerable from what the video says.

Without an LLM the questions are built from the lesson's key narrated sentences, one question
per sentence (two would test the same fact): a fill-in-the-blank with wrong options of the
answer's own kind (other key terms of the course; for a number, other numbers of the lesson
or near values in its range: a percentage within 0-100, a year within ten), or the sentence
made false by changing such a fact (``recall``); a cause-and-effect or a compare question
where a sentence gives a reason or sets two things apart (``reasoning``). A narrated sentence
is never asked back word for word as "true". Across sentences: the steps of a process (or
events by year) to put in order, and the lesson's terms to match with the narrated sentences
that define them (``sequences``). An LLM's questions: ``quiz_llm``.
"""

from __future__ import annotations

import random
from typing import Literal, Mapping, Sequence

from pydantic import BaseModel, Field, model_validator

from explainer.planning.textrank import STOPWORDS, textrank
from explainer.sources.sentences import split_sentences

from .reasoning import cause_question, swapped_comparison
from .recall import _WORD, _candidates, _lesson_numbers, _says, numeric_distractors
from .sequences import _shuffled, defines, matching_question, ordering_question
from .wording import Kinds


class Question(BaseModel):
    """One question: a multiple choice or true/false (``options`` and the ``answer``'s index),
    an ordering (``options`` shown shuffled, ``order`` the right sequence of their indices) or
    a matching (each of ``prompts`` to one of ``options``, ``matches`` the right option per
    prompt). A question is right only when all of it is."""

    id: str
    kind: Literal["choice", "truefalse", "ordering", "matching"]
    prompt: str
    options: list[str] = Field(min_length=2, max_length=6)
    answer: int = Field(default=0, ge=0)
    order: list[int] = Field(default_factory=list, description="ordering: the options' indices in the right order")
    prompts: list[str] = Field(default_factory=list, description="matching: what each option is matched to (a definition)")
    matches: list[int] = Field(default_factory=list, description="matching: the right option's index for each prompt")
    skill: Literal["recall", "sequence", "match", "cause", "compare"] = Field(
        default="recall", description="what it asks of the learner: recall a fact, order steps, match terms, "
                                      "give the reason the video gives, or tell two compared things apart")
    explanation: str = Field(default="", description="the narrated sentence (or sentences) that answers it")
    objective: str = Field(default="", description="the lesson objective it checks, when its sentence teaches one")
    checkpoint_s: float | None = Field(default=None, description="when the video stops to ask it: the end of the shot that teaches its objective")
    explained_at_s: float | None = Field(default=None, description="where the video says its answer: the start of that shot")

    @model_validator(mode="after")
    def _answer_in_range(self) -> "Question":
        if self.answer >= len(self.options):
            raise ValueError(f"answer {self.answer} is not one of the {len(self.options)} options")
        if self.kind == "ordering" and sorted(self.order) != list(range(len(self.options))):
            raise ValueError("an ordering's order must name every option once")
        if self.kind == "matching" and (len(self.prompts) < 2 or len(self.matches) != len(self.prompts)
                                        or len(set(self.matches)) != len(self.matches)
                                        or not all(0 <= m < len(self.options) for m in self.matches)):
            raise ValueError("a matching needs two or more prompts, each matched to its own option")
        return self

    def correct(self) -> list[int]:
        """The right response as the page's inputs give it: the chosen option for a choice,
        each option's position (1 for the first) for an ordering, each prompt's option for a
        matching."""
        if self.kind == "ordering":
            return [self.order.index(i) + 1 for i in range(len(self.options))]
        if self.kind == "matching":
            return list(self.matches)
        return [self.answer]

    def answer_text(self) -> str:
        """The right answer in words, for the answer key."""
        if self.kind == "ordering":
            return " → ".join(self.options[i] for i in self.order)
        if self.kind == "matching":
            return "; ".join(f"{self.options[m]}: {p}" for p, m in zip(self.prompts, self.matches))
        return self.options[self.answer]


class Quiz(BaseModel):
    """A lesson's quiz and its answer key."""

    lesson_id: str
    made_by: str
    questions: list[Question] = Field(default_factory=list, max_length=5)
    note: str = Field(default="", description="why there are no questions, when there are none")

    def answer_key(self) -> dict[str, str]:
        """Question id → the right option's text."""
        return {q.id: q.answer_text() for q in self.questions}


def quiz_from_narration(
    lesson_id: str, narration: Sequence[str], key_terms: Sequence[str], course_terms: Sequence[str], *, count: int = 4,
    objectives: Mapping[str, str] | None = None, language: str = "en",
) -> Quiz:
    """3-5 questions from the narrated sentences, most central first (deterministic per lesson).

    Most questions are about one narrated sentence, so the video answers them: a
    fill-in-the-blank (a key term, number or long word blanked) or the sentence made false by
    changing its number, the two kinds in turn. Where the narration allows, an ordering (the
    steps of a process, or events by year) and a matching (terms to the sentences that define
    them) follow. ``objectives`` maps a sentence to the objective it teaches: those sentences
    are asked about first, so every objective is checked.
    """
    sentences = [s for text in narration for s in split_sentences(text) if len(s.split()) >= 5]
    if not sentences:
        return Quiz(lesson_id=lesson_id, made_by="key sentences", note="the narration has no full sentence to ask about")
    rng = random.Random(lesson_id)
    objectives = objectives or {}
    order = list(textrank(sentences).argsort()[::-1]) if len(sentences) > 1 else [0]
    order.sort(key=lambda i: sentences[i] not in objectives)  # stable: central first within each
    terms = list(dict.fromkeys([*key_terms, *course_terms]))
    words = [w for s in sentences for w in _WORD.findall(s) if w.lower() not in STOPWORDS]
    numbers = _lesson_numbers(sentences)
    kinds = Kinds(sentences, language)
    wanted = max(3, min(count, 5))
    # Questions beyond recall, then across sentences: a process or a chronology to put in
    # order, terms to match with what the video says they are. They go after the objectives'
    # own questions.
    across = reasoning_questions(sentences, order, objectives, kinds, rng)
    used = {q.explanation for q in across}
    asked: set[str] = set()
    across += across_sentences(sentences, key_terms, course_terms, objectives, rng, asked)
    single: list[Question] = []
    for index in order:
        if sentences[index] in used:  # asked about already, beyond recall
            continue
        # A right answer asked for once is not asked for again: that would test the same fact.
        named = kinds.named(sentences[index], objectives.get(sentences[index], ""))
        candidates = _candidates(sentences[index], terms, words, key_terms, numbers, rng, asked, named, kinds)
        # An objective's sentence is always asked about (up to five); the rest fill up to the
        # wanted number with the questions across sentences.
        limit = 5 if sentences[index] in objectives else wanted - len(across)
        if not candidates or len(single) >= limit:
            continue
        # One question per sentence: two would test the same fact. Kinds alternate.
        candidates = [c for c in candidates if not (c[0] == "choice" and _says(c[3], c[1][c[2]]))]  # no stem with its answer
        if not candidates:
            continue
        kind, options, answer, prompt = candidates[min(len(single) % 2, len(candidates) - 1)]
        if kind == "choice":
            asked.add(options[answer].lower())
        single.append(Question(id="", kind=kind, prompt=prompt, options=options,
                               answer=answer, explanation=sentences[index],
                               objective=objectives.get(sentences[index], "")))
    questions = [q.model_copy(update={"id": f"q{n}"}) for n, q in enumerate([*single, *across][:5], start=1)]
    # A lesson whose narration gives nothing to ask is still a lesson: it goes out without a
    # quiz, and the note says why (the builder tells the teacher).
    note = "" if questions else "no narrated sentence has a key term, a number or a fact to change"
    return Quiz(lesson_id=lesson_id, made_by="key sentences", questions=questions, note=note)


def across_sentences(sentences: Sequence[str], key_terms: Sequence[str], course_terms: Sequence[str],
                     objectives: Mapping[str, str], rng: random.Random, asked: set[str]) -> list[Question]:
    """An ordering and a matching where the narration allows them (see ``sequences``); the
    matched terms join ``asked``, so they are not asked again as fill-ins."""
    objective_of = lambda texts: next((objectives[t] for t in texts if t in objectives), "")  # noqa: E731
    found: list[Question] = []
    ordering = ordering_question(sentences, rng)
    if ordering:
        prompt, items, texts = ordering
        shown = _shuffled(len(items), rng)
        found.append(Question(id="", kind="ordering", prompt=prompt, options=[items[i] for i in shown],
                              order=[shown.index(i) for i in range(len(items))], explanation=" ".join(texts), skill="sequence",
                              objective=objective_of(texts)))
    matching = matching_question(sentences, key_terms, course_terms, rng)
    if matching:
        options, prompts, matches, texts = matching
        asked.update(options[m].lower() for m in matches)
        found.append(Question(id="", kind="matching", prompt="Match each term to what the video says it is.",
                              options=options, prompts=prompts, matches=matches, explanation=" ".join(texts), skill="match",
                              objective=objective_of(texts)))
    return found


def reasoning_questions(sentences: Sequence[str], order: Sequence[int], objectives: Mapping[str, str], kinds: Kinds,
                        rng: random.Random) -> list[Question]:
    """At most one compare and one cause-and-effect question, from the most central sentences
    that allow them (see ``reasoning``)."""
    found: dict[str, Question] = {}
    for index in order:
        sentence = sentences[index]
        swapped = None if "compare" in found else swapped_comparison(sentence, kinds)
        if swapped:
            found["compare"] = Question(id="", kind="truefalse", prompt=f"True or false: {swapped}", options=["True", "False"],
                                        answer=1, explanation=sentence, objective=objectives.get(sentence, ""), skill="compare")
            continue
        why = None if "cause" in found else cause_question(sentence, sentences, kinds, rng)
        if why:
            prompt, options, answer = why
            found["cause"] = Question(id="", kind="choice", prompt=prompt, options=options, answer=answer,
                                      explanation=sentence, objective=objectives.get(sentence, ""), skill="cause")
    return list(found.values())


def gives_away(question: Question) -> bool:
    """Whether the question's stem states its own answer (a choice whose right option is in
    the prompt: "About 97 percent of _____'s water ... Earth's oceans")."""
    return question.kind == "choice" and _says(question.prompt, question.options[question.answer])


def shown_objective(question: Question) -> str:
    """The objective line shown with a question, or "" when it would give the answer away."""
    if not question.objective:
        return ""
    answers = {"choice": [question.options[question.answer]], "truefalse": [],
               "ordering": [], "matching": [question.options[m] for m in question.matches]}[question.kind]
    return "" if any(_says(question.objective, a) for a in answers) else question.objective




__all__ = ["Question", "Quiz", "across_sentences", "defines", "gives_away", "numeric_distractors", "quiz_from_narration", "reasoning_questions",
           "shown_objective"]
