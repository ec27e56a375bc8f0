"""Making videos: ``make``, ``plan``, ``render`` and ``preview``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from .common import (
    ALLOW_UNSUPPORTED, ASPECT, BRAND, ICONS, MEDIA, CACHE_DIR, CORRECTION_NOTE, CORRECTS, DEBUG, DEVICE, DTYPE, FPS, GEN_FPS,
    GEN_SIZE, GUIDANCE, LENGTH, LLM, LLM_BASE_URL, LLM_MODEL, LLM_MODEL_PATH, MAX_SHOTS, MODEL, NEGATIVE,
    NO_SIGN, OFFLOAD, SIDECAR, PLANNER, QUIET, RAY, RENDERER, SEED, SIGN_CERT, SIGN_KEY, STEPS, TOPIC, TSA_URL, VAE_TILING,
    VOICE, app, AspectChoice, build_pipeline_for, correction_from, default_video, guard, LLMChoice,
    load_input, plan_settings, warm_voice, planner_for, progress_bars, recorded, report_plan, report_production,
    settings_from, settings_of, Ui,
)


@app.command()
def make(
    source: Optional[str] = typer.Argument(None, help="Article: a .txt, .md or .html file, an http(s) URL, or - for stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output MP4 [default: SOURCE's stem here]."),
    length: Optional[float] = LENGTH,
    max_shots: Optional[int] = MAX_SHOTS,
    aspect: Optional[AspectChoice] = ASPECT,
    fps: Optional[int] = FPS,
    voice: Optional[str] = VOICE,
    planner: Optional[str] = PLANNER,
    renderer: Optional[str] = RENDERER,
    cache_dir: Optional[Path] = CACHE_DIR,
    url: Optional[str] = typer.Option(None, "--url", help="Where a file's article was published (recorded; a URL source records its own)."),
    media: Optional[Path] = MEDIA,
    icons: Optional[bool] = ICONS,
    brand: Optional[Path] = BRAND,
    no_sign: bool = NO_SIGN,
    sidecar: Optional[bool] = SIDECAR,
    sign_cert: Optional[Path] = SIGN_CERT,
    sign_key: Optional[Path] = SIGN_KEY,
    tsa_url: Optional[str] = TSA_URL,
    corrects: Optional[Path] = CORRECTS,
    correction_note: Optional[str] = CORRECTION_NOTE,
    allow_unsupported: bool = ALLOW_UNSUPPORTED,
    topic: Optional[str] = TOPIC,
    llm: Optional[LLMChoice] = LLM,
    llm_base_url: Optional[str] = LLM_BASE_URL,
    llm_model: Optional[str] = LLM_MODEL,
    llm_model_path: Optional[Path] = LLM_MODEL_PATH,
    model: Optional[str] = MODEL,
    steps: Optional[int] = STEPS,
    guidance: Optional[float] = GUIDANCE,
    negative_prompt: Optional[str] = NEGATIVE,
    gen_size: Optional[str] = GEN_SIZE,
    gen_fps: Optional[int] = GEN_FPS,
    dtype: Optional[str] = DTYPE,
    device: Optional[str] = DEVICE,
    offload: Optional[bool] = OFFLOAD,
    vae_tiling: Optional[bool] = VAE_TILING,
    seed: Optional[int] = SEED,
    ray: Optional[str] = RAY,
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Plan, render and sign an explainer from an article: MP4, captions, shot list, record."""
    params = dict(locals())  # the parameters only: first, before any name is bound
    ui = Ui(quiet, debug)
    with guard(debug):
        settings = settings_of(params, planner=planner_for(planner, topic))
        warm_voice(settings)
        src = load_input(source, topic, url)
        paths = _video_paths(output or default_video(source, src.title), settings)
        correction = correction_from(corrects, correction_note)
        with progress_bars(ui) as progress:
            pipeline = build_pipeline_for(settings, settings.voice, progress, ui)
            t0 = time.perf_counter()
            shotlist = pipeline.plan(src, plan_settings(settings))
            report_plan(shotlist, ui)
            production = pipeline.render(
                shotlist, paths, settings=recorded(settings), plan_seconds=time.perf_counter() - t0,
                correction=correction, allow_unsupported=settings.allow_unsupported,
            )
        report_production(production, ui)


@app.command()
def plan(
    source: Optional[str] = typer.Argument(None, help="Article: a .txt, .md or .html file, an http(s) URL, or - for stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Shot list YAML [default: SOURCE's stem].shots.yaml."),
    length: Optional[float] = LENGTH,
    max_shots: Optional[int] = MAX_SHOTS,
    aspect: Optional[AspectChoice] = ASPECT,
    voice: Optional[str] = VOICE,
    planner: Optional[str] = PLANNER,
    url: Optional[str] = typer.Option(None, "--url", help="Where a file's article was published (recorded; a URL source records its own)."),
    media: Optional[Path] = MEDIA,
    icons: Optional[bool] = ICONS,
    renderer: Optional[str] = typer.Option(None, "--renderer", help="The renderer it will be made with: with a video model (diffusers), plain shots are planned as generated footage [default: cards]."),
    topic: Optional[str] = TOPIC,
    llm: Optional[LLMChoice] = LLM,
    llm_base_url: Optional[str] = LLM_BASE_URL,
    llm_model: Optional[str] = LLM_MODEL,
    llm_model_path: Optional[Path] = LLM_MODEL_PATH,
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Write only the shot list, to edit before 'explainer render'; lists unsupported lines."""
    params = dict(locals())  # the parameters only: first, before any name is bound
    from voices import resolve_voice

    from ..factory import build_planners
    from ..grounding import default_embedder
    from ..outputs import atomic_outputs, check_writable
    from ..pipeline import plan_checked
    from ..shotlist import dump_shotlist

    ui = Ui(quiet, debug)
    with guard(debug):
        settings = settings_of(params, planner=planner_for(planner, topic))
        resolve_voice(settings.voice)
        src = load_input(source, topic, url)
        target = output or default_video(source, src.title).with_suffix(".shots.yaml")
        check_writable(target)
        planner, fallback = build_planners(settings)
        shotlist = plan_checked(planner, src, plan_settings(settings), default_embedder(), fallback)
        with atomic_outputs([target]) as temp:
            temp[target].write_text(dump_shotlist(shotlist), encoding="utf-8")
        words = sum(len(s.narration.split()) for s in shotlist.shots)
        report_plan(shotlist, ui)
        ui.say(f"planned {len(shotlist.shots)} shots, {words} words (about {words / 3.0:.0f} s of narration) with the {shotlist.planner.name} planner")
        typer.echo(str(target))



def _video_paths(video: Path, settings):
    """The outputs of a video at ``video`` (captions, shot list, record, sidecar beside it),
    refused at once when the folder cannot be written."""
    from ..outputs import OutputPaths, check_writable

    paths = OutputPaths.for_video(video, sidecar=settings.sidecar)
    check_writable(paths.video)
    return paths


def _edited_shot_list(shots: Path, voice: Optional[str], aspect: Optional[AspectChoice]):
    """The shot list read from ``shots``, with the voice and aspect given on the command line
    (the shot list's own otherwise); its voice must be one we have."""
    from voices import VoiceError, resolve_voice

    from ..shotlist import read_shotlist

    shotlist = read_shotlist(shots)
    updates = {k: v for k, v in {"voice": voice, "aspect": aspect.value if aspect else None}.items() if v}
    shotlist = shotlist.model_copy(update=updates)
    try:
        resolve_voice(shotlist.voice)
    except VoiceError as e:
        where = "--voice" if voice else f"{shots.name}: field 'voice'"
        raise InputError(f"{where}: {e}") from e
    return shotlist

@app.command()
def render(
    shots: Path = typer.Argument(..., help="A shot list YAML written by 'explainer plan' (and perhaps edited)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output MP4 [default: the YAML's stem]."),
    aspect: Optional[AspectChoice] = ASPECT,
    fps: Optional[int] = FPS,
    voice: Optional[str] = VOICE,
    renderer: Optional[str] = RENDERER,
    cache_dir: Optional[Path] = CACHE_DIR,
    no_sign: bool = NO_SIGN,
    sidecar: Optional[bool] = SIDECAR,
    sign_cert: Optional[Path] = SIGN_CERT,
    sign_key: Optional[Path] = SIGN_KEY,
    tsa_url: Optional[str] = TSA_URL,
    corrects: Optional[Path] = CORRECTS,
    correction_note: Optional[str] = CORRECTION_NOTE,
    allow_unsupported: bool = ALLOW_UNSUPPORTED,
    brand: Optional[Path] = BRAND,
    model: Optional[str] = MODEL,
    steps: Optional[int] = STEPS,
    guidance: Optional[float] = GUIDANCE,
    negative_prompt: Optional[str] = NEGATIVE,
    gen_size: Optional[str] = GEN_SIZE,
    gen_fps: Optional[int] = GEN_FPS,
    dtype: Optional[str] = DTYPE,
    device: Optional[str] = DEVICE,
    offload: Optional[bool] = OFFLOAD,
    vae_tiling: Optional[bool] = VAE_TILING,
    seed: Optional[int] = SEED,
    ray: Optional[str] = RAY,
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Render a shot list into the finished, signed video."""
    params = dict(locals())  # the parameters only: first, before any name is bound
    ui = Ui(quiet, debug)
    with guard(debug):
        # The voice and the aspect are the shot list's: applied to it below, not to the settings.
        settings = settings_of(params, exclude=("voice", "aspect"))
        shotlist = _edited_shot_list(shots, voice, aspect)
        stem = shots.name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".shots")
        paths = _video_paths(output or Path.cwd() / f"{stem}.mp4", settings)
        correction = correction_from(corrects, correction_note)
        warm_voice(settings, shotlist.voice)
        with progress_bars(ui) as progress:
            production = build_pipeline_for(settings, shotlist.voice, progress, ui).render(
                shotlist, paths, settings=recorded(settings), correction=correction,
                allow_unsupported=settings.allow_unsupported,
            )
        report_production(production, ui)


@app.command()
def preview(
    shots: Path = typer.Argument(..., help="A shot list written by 'explainer plan' (and edited)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Where to write the contact sheet (.png). Default: next to the shot list."),
    aspect: Optional[AspectChoice] = ASPECT,
    brand: Optional[Path] = BRAND,
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Draw one frame per shot as a contact sheet, to look at before rendering."""
    from ..outputs import check_writable
    from ..rendering.brand import load_brand
    from ..rendering.preview import write_contact_sheet
    from ..shotlist import read_shotlist

    ui = Ui(quiet, debug)
    with guard(debug):
        settings = settings_from(brand=brand)
        kit = load_brand(settings.brand) if settings.brand else None
        shotlist = read_shotlist(shots)
        if aspect:
            shotlist = shotlist.model_copy(update={"aspect": aspect.value})
        stem = shots.name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".shots")
        target = output or shots.with_name(f"{stem}.sheet.png")
        if target.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            raise InputError(f"{target}: a contact sheet is a .png or .jpg; give -o sheet.png")
        check_writable(target)
        write_contact_sheet(shotlist, target, kit)
        typer.echo(str(target))
        ui.say(f"{len(shotlist.shots)} shots: " + ", ".join(f"{s.id} {s.kind}" for s in shotlist.shots))


