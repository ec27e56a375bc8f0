"""The ``explainer lesson`` command, added to the CLI through the ``explainer.commands`` entry point.

It lives here, not in ``explainer``, so that ``explainer`` never imports ``lessons``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from explainer.cli.common import (
    ASPECT, CACHE_DIR, DEBUG, FPS, LENGTH, LLM, LLM_BASE_URL, LLM_MODEL, LLM_MODEL_PATH, MAX_SHOTS, MODEL, NO_SIGN,
    PLANNER, QUIET, RAY, RENDERER, STEPS, VOICE, AspectChoice, LLMChoice, guard, build_pipeline_for, warm_voice, plan_settings, progress_bars,
    recorded, settings_of, Ui,
)
from explainer.errors import InputError


def lesson(
    syllabus: Path = typer.Argument(..., help="Syllabus (.md or .yaml), or a course.yaml from an earlier build."),
    output: Path = typer.Option(..., "--output", "-o", help="Course folder (the SCORM zip goes beside it)."),
    length: Optional[float] = LENGTH,
    max_shots: Optional[int] = MAX_SHOTS,
    aspect: Optional[AspectChoice] = ASPECT,
    fps: Optional[int] = FPS,
    voice: Optional[str] = VOICE,
    planner: Optional[str] = PLANNER,
    renderer: Optional[str] = RENDERER,
    cache_dir: Optional[Path] = CACHE_DIR,
    audience: Optional[str] = typer.Option(None, "--audience", help="Who the lessons are for, e.g. \"grade 8\"."),
    language: Optional[str] = typer.Option(None, "--language", help="Language code of the course [default: the syllabus's, or en]."),
    only: Optional[str] = typer.Option(None, "--only", help="Build only this lesson id (see course.yaml)."),
    mastery: Optional[int] = typer.Option(None, "--mastery", min=0, max=100, help="Percent of quiz answers right to pass a lesson, reported to the LMS [default: the syllabus's, or 80]."),
    plan_only: bool = typer.Option(False, "--plan-only", help="Plan every lesson (course.yaml + shot lists); render nothing."),
    no_sign: bool = NO_SIGN,
    llm: Optional[LLMChoice] = LLM,
    llm_base_url: Optional[str] = LLM_BASE_URL,
    llm_model: Optional[str] = LLM_MODEL,
    llm_model_path: Optional[Path] = LLM_MODEL_PATH,
    model: Optional[str] = MODEL,
    steps: Optional[int] = STEPS,
    ray: Optional[str] = RAY,
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Build a course from a syllabus: a signed explainer, transcript and quiz per lesson, a site, SCORM."""
    params = dict(locals())  # the parameters only: first, before any name is bound
    from .syllabus import load_syllabus

    ui = Ui(quiet, debug)
    with guard(debug):
        settings = settings_of(params)
        if output.exists() and not output.is_dir():
            raise InputError(f"{output}: is a file; give a folder for the course")
        load_syllabus(syllabus)  # a bad syllabus is refused before any model or key is touched
        if not plan_only:
            warm_voice(settings)
        from dataclasses import replace

        lesson_settings = replace(plan_settings(settings), kind="lesson")
        with progress_bars(ui) as progress:
            pipeline = build_pipeline_for(settings, settings.voice, progress, ui) if not plan_only else _planning_pipeline(settings)
            builder = _course_builder(pipeline, settings, lesson_settings, language, audience, ui)
            result = builder.build(syllabus, output, only=only, plan_only=plan_only, language=language, mastery=mastery,
                                   audience=audience)
        _report(result, output, ui)



def _course_builder(pipeline, settings, lesson_settings, language: Optional[str], audience: Optional[str], ui: Ui):
    """The course builder over ``pipeline``; says once when the audience cannot be written for."""
    from explainer.signing import local_root_pem

    from .build import CourseBuilder
    from .quiz_llm import llm_quiz_writer

    if audience and settings.planner != "llm":
        # Said once, not per lesson: the built-in planner narrates the notes' own sentences.
        ui.say(f"warning: --audience {audience!r}: the built-in planner keeps the notes' own words and cannot adapt "
               "the reading level; --planner llm writes for the audience")
    return CourseBuilder(
        pipeline,
        lesson_settings,
        build_settings=recorded(settings) | ({"language": language} if language else {}),
        anchors_pem=local_root_pem(settings),
        quiz_writer=llm_quiz_writer(settings) if settings.planner == "llm" else None,
        say=ui.say,
    )

def _report(result, output: Path, ui) -> None:
    """What the build did: lessons by outcome, the packages, each failure; exit 1 if any failed."""
    counts: dict[str, int] = {}
    for outcome in result.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    ui.say(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    if result.package_2004:
        ui.say(f"SCORM 1.2: {result.package.name}, SCORM 2004 4th edition: {result.package_2004.name}, "
               f"cmi5: {result.package_cmi5.name}")
    for failure in result.failed:
        typer.echo(f"failed: {failure.lesson_id}: {failure.message}", err=True)
    typer.echo(str(result.package or output / "course.yaml"))
    if result.failed:
        raise typer.Exit(1)


def _planning_pipeline(settings):
    """A pipeline that only plans (the voice model is not loaded and nothing is signed)."""
    from explainer.factory import build_pipeline

    return build_pipeline(settings)


def register(app: typer.Typer) -> None:
    """Add ``lesson`` to the ``explainer`` command line (and ``lessons``, hidden: the name of
    the package, which people type)."""
    app.command("lesson")(lesson)
    app.command("lessons", hidden=True)(lesson)
