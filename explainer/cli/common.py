"""What every command shares: the app, the options, error handling, progress, settings and the
pipeline built from them."""

from __future__ import annotations

import re

import logging
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer

from ..errors import ExplainerError, InputError

app = typer.Typer(
    name="explainer",
    help="Narrated, captioned explainer videos from articles, marked as AI-generated.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class LLMChoice(str, Enum):
    """Chat model providers."""

    openai = "openai"
    local = "local"


class AspectChoice(str, Enum):
    """Output shapes."""

    wide = "16:9"
    tall = "9:16"
    square = "1:1"


# --- shared options ------------------------------------------------------------------------

LENGTH = typer.Option(None, "--length", help="Target length in seconds [default: 60].")
MAX_SHOTS = typer.Option(None, "--max-shots", help="Most shots to use [default: one per 5 s of --length, at least 20].")
ASPECT = typer.Option(None, "--aspect", help="16:9 (1280x720), 9:16 (720x1280) or 1:1 (1080x1080).")
FPS = typer.Option(None, "--fps", help="Frames per second [default: 30].")
VOICE = typer.Option(None, "--voice", help="Voice name (see 'explainer voices') or path to a Piper .onnx.")
PLANNER = typer.Option(None, "--planner", help="Planner [default: extractive].")
RENDERER = typer.Option(None, "--renderer", help="Renderer [default: cards].")
CACHE_DIR = typer.Option(None, "--cache-dir", help="Cache folder [default: the user cache folder].")
NO_SIGN = typer.Option(False, "--no-sign", help="Make an UNSIGNED draft, without Content Credentials.")
SIDECAR = typer.Option(None, "--sidecar/--embed", help="Write the Content Credentials beside the video as OUT.c2pa "
                       "(the MP4 stays byte for byte as assembled) instead of inside it [default: --embed].")
SIGN_CERT = typer.Option(None, "--sign-cert", help="Your signer certificate chain (PEM, signer first) [default: local identity].")
SIGN_KEY = typer.Option(None, "--sign-key", help="The private key of --sign-cert (PEM; password in EXPLAINER_SIGN_KEY_PASSWORD).")
TSA_URL = typer.Option(None, "--tsa-url", help="RFC 3161 timestamp authority URL for a trusted signing time.")
CORRECTS = typer.Option(None, "--corrects", help="The signed video this one corrects (recorded as its parent).")
CORRECTION_NOTE = typer.Option(None, "--correction-note", help="What the correction changes (shown by verify).")
ICONS = typer.Option(None, "--icons/--no-icons", help="A Tabler icon beside each headline the embedding model matches closely (needs the embeddings extra).")
ALLOW_UNSUPPORTED = typer.Option(False, "--allow-unsupported", help="Render news lines the source does not support (recorded).")
TOPIC = typer.Option(None, "--topic", help="Explain a topic with no source (needs the llm planner; marked ungrounded).")
LLM = typer.Option(None, "--llm", help="openai (any OpenAI-compatible server) or local (embedded demo model).")
LLM_BASE_URL = typer.Option(None, "--llm-base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1.")
LLM_MODEL = typer.Option(None, "--llm-model", help="Model name at the endpoint.")
LLM_MODEL_PATH = typer.Option(None, "--llm-model-path", help="A GGUF model file for --llm local.")
MODEL = typer.Option(None, "--model", help="diffusers text-to-video pipeline: hub id or local folder.")
STEPS = typer.Option(None, "--steps", help="Denoising steps [default: the model family's].")
GUIDANCE = typer.Option(None, "--guidance", help="Guidance scale [default: the model family's].")
NEGATIVE = typer.Option(None, "--negative-prompt", help="What the video model should avoid.")
GEN_SIZE = typer.Option(None, "--gen-size", help="Generation size WIDTHxHEIGHT [default: the family's native size].")
GEN_FPS = typer.Option(None, "--gen-fps", help="Generation frame rate [default: the family's].")
DTYPE = typer.Option(None, "--dtype", help="bf16, fp16 or fp32 [default: bf16 on CUDA, fp32 on CPU].")
DEVICE = typer.Option(None, "--device", help="cuda, cpu or mps [default: cuda when present].")
OFFLOAD = typer.Option(None, "--offload", help="Offload model parts to the CPU between uses (less GPU memory).")
VAE_TILING = typer.Option(None, "--vae-tiling", help="Decode in tiles (less GPU memory).")
SEED = typer.Option(None, "--seed", help="One seed for every shot [default: each shot's own seed].")
MEDIA = typer.Option(None, "--media", help="The newsroom's photos and clips (a folder; captions from media.yaml/.csv or IPTC/XMP).")
BRAND = typer.Option(None, "--brand", help="A brand kit (brand.toml): logo, colours, fonts, intro/outro [default: the neutral house style].")
RAY = typer.Option(None, "--ray", metavar="[ADDRESS]", help="Run each shot's narration and render as Ray tasks: "
                   "on the cluster at ADDRESS (host:port, ray://host:port, auto), or on a local Ray instance with no ADDRESS.")
QUIET = typer.Option(False, "--quiet", "-q", help="No progress bars.")
DEBUG = typer.Option(False, "--debug", help="Show tracebacks and debug logs.")


@dataclass
class Ui:
    quiet: bool
    debug: bool

    def say(self, message: str) -> None:
        if not self.quiet:
            typer.echo(message, err=True)


@contextmanager
def guard(debug: bool) -> Iterator[None]:
    """Turn errors into one line and an exit code; tracebacks only with --debug."""
    from provenance import ProvenanceError
    from voices import VoiceError

    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        yield
    except (ExplainerError, VoiceError, ProvenanceError) as e:
        if debug:
            raise
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(getattr(e, "exit_code", 2)) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: no output was written; finished shots are cached for the next run", err=True)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as e:  # an unexpected failure is a bug: say so, briefly
        if debug:
            raise
        typer.echo(f"error: unexpected {type(e).__name__}: {e} (run again with --debug for details)", err=True)
        raise typer.Exit(1) from None


@contextmanager
def progress_bars(ui: Ui) -> Iterator:
    """A progress callback: rich bars on a terminal, nothing otherwise."""
    if ui.quiet or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {"plan": "Planning", "narrate": "Narrating", "render": "Rendering", "assemble": "Assembling", "sign": "Signing"}
    with Progress(
        TextColumn("{task.description:<11}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False
    ) as bars:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(labels.get(stage, stage.title()), total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield update


def settings_from(**flags):
    """Settings from these flags, over the environment and explainer.toml (None: not given)."""
    from ..settings import load_settings

    return load_settings({k: (v.value if isinstance(v, Enum) else v) for k, v in flags.items()})


#: A command's parameters that are not settings: what it reads and writes, how it talks.
NOT_SETTINGS = frozenset({"source", "shots", "syllabus", "output", "url", "topic", "corrects", "correction_note", "only",
                          "plan_only", "language", "mastery", "quiet", "debug"})


def settings_of(params: dict, *, exclude: tuple[str, ...] = (), **given):
    """The settings a command's parameters (its ``locals()``) ask for: every parameter that
    is a setting, under its settings name (``--ray`` is ``ray_address``, ``--no-sign`` turns
    ``sign`` off, an unset ``--allow-unsupported`` leaves the setting as configured), and
    ``given`` over them. Parameters in ``exclude`` are the command's own business."""
    flags = {k: v for k, v in params.items() if k not in NOT_SETTINGS and k not in exclude}
    if "no_sign" in flags:
        flags["sign"] = False if flags.pop("no_sign") else None
    if "ray" in flags:
        flags["ray_address"] = flags.pop("ray")
    if "allow_unsupported" in flags:
        flags["allow_unsupported"] = flags["allow_unsupported"] or None
    return settings_from(**{**flags, **given})


def build_pipeline_for(settings, voice: str, progress, ui: Ui):
    """The pipeline for these settings; every part is resolved before the signer is checked."""
    from ..factory import build_pipeline

    if settings.sidecar and not settings.sign:
        raise InputError("--sidecar: an unsigned draft (--no-sign) has no Content Credentials to keep beside it; drop one of the two")
    pipeline = build_pipeline(settings, voice=voice, progress=progress)
    pipeline.signer = signer_for(settings, ui) if settings.sign else None
    if pipeline.signer is not None and settings.watermark_strength and not pipeline.watermark_strength:
        typer.echo("warning: no watermark: OpenCV, PyWavelets or reedsolo is not installed (pip install "
                   "opencv-python-headless pywavelets reedsolo); a stripped copy of this video cannot find its credentials", err=True)
    return pipeline


def bare_ray_flag(argv: list[str]) -> list[str]:
    """``--ray`` with no address becomes ``--ray local`` (click has no option with an optional
    value). What follows ``--ray`` is its address unless it is the next option, the article
    (an existing file, ``-`` or a web address) or nothing."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        out.append(arg)
        if arg != "--ray":
            continue
        after = argv[i + 1] if i + 1 < len(argv) else None
        if after is None or after.startswith("-") or re.match(r"^https?://", after) or Path(after).exists():
            out.append("local")
    return out


def recorded(settings) -> dict:
    """Settings as the record keeps them: no password, no local folders."""
    return settings.model_dump(mode="json", exclude={"sign_key_password", "llm_api_key", "repository_token", "cache_dir", "config_dir",
                                                     "data_dir", "ray_address"})


def plan_settings(settings):
    """What to plan, from the settings (the factory, and the whole pipeline with it, imported
    only when a command gets this far: the voice starts loading first)."""
    from ..factory import plan_settings as from_settings

    return from_settings(settings)


def warm_voice(settings, voice: str | None = None) -> None:
    """Start what the first narration waits for while the article is read and planned: the
    voice loading in this process or, with ``--ray``, joining the cluster and loading its
    voices there (on the main thread, where Ray installs its signal handler). The language
    identifier's model loads beside it, for an article that declares no language."""
    from voices import PiperNarrator, VoiceError, resolve_voice

    from ..parsing.spacy_parser import import_without_torch
    from ..sources import language

    language.prepare()
    # Before the voice's thread starts: the parser's import, without the torch it never uses.
    import_without_torch()
    try:
        narrator = PiperNarrator(resolve_voice(voice or settings.voice))
    except VoiceError:
        return  # an unknown voice is reported where it is used, in one line
    if settings.ray_address:
        from ..execution import executor_for

        executor_for(settings).prepare(narrator)
    else:
        narrator.warm()


def load_input(source: Optional[str], topic: Optional[str], url: Optional[str]):
    """The Source: an article from a path, stdin or a URL, or a topic with no source."""
    from ..sources import load_source, topic_source

    if topic and source:
        raise InputError("give an article or --topic, not both")
    if topic:
        return topic_source(topic)
    if not source:
        raise InputError("give an article (a .txt, .md or .html file, a URL, or - for stdin), or --topic \"...\" with --planner llm")
    return load_source(source, url=url)


def planner_for(planner: Optional[str], topic: Optional[str]) -> Optional[str]:
    if topic and planner in (None, "llm"):
        return "llm"  # a topic has no sentences to extract
    if topic:
        raise InputError(f"--topic needs --planner llm; the {planner} planner needs an article")
    return planner


def report_plan(shotlist, ui: Ui) -> None:
    """Say what the plan checks and grounding found: a repaired or replaced plan, injections
    in the source, unsupported lines."""
    info = shotlist.planner
    if info.fallback_from:
        # Loud even with --quiet: the script is not what the user asked for.
        typer.echo(f"warning: the {info.fallback_from} planner was replaced by the {info.name} planner, because {info.fallback_reason}", err=True)
    if info.repaired and info.repaired[0].startswith("accepted as it is"):
        typer.echo(f"warning: the plan's length is what the source gives: {info.repaired[0].removeprefix('accepted as it is: ')}", err=True)
    elif info.repaired and not info.fallback_from:
        ui.say(f"note: the plan was repaired once after its checks found: {'; '.join(info.repaired[:3])}")
    source = shotlist.source
    for sid, reason in (source.injections.items() if source else []):
        ui.say(f"warning: source sentence {sid} {reason}; it is never narrated: {source.sentences[sid][:100]}")
    for shot in shotlist.shots:
        for issue in shot.issues:
            ui.say(f"unsupported: {shot.id}: {issue}")
    if shotlist.media:
        from ..planning.media import unplaced

        left = unplaced(shotlist)
        ui.say(f"media: {len(shotlist.media) - len(left)} of {len(shotlist.media)} placed by caption"
               + (f"; not placed: {', '.join(i.id for i in left)} (their captions match no shot; set kind: media and"
                  " media: ID on a shot in the shot list to place one)" if left else ""))
    if source is not None and source.kind == "topic":
        ui.say("note: topic mode has no source; the shot list and the video are marked ungrounded")


def default_video(source: Optional[str], title: str) -> Path:
    from ..outputs import slug
    from ..sources import is_url

    stem = slug(title) if source in (None, "-") or is_url(source) else Path(source).stem
    return Path.cwd() / f"{stem}.mp4"


def signer_for(settings, ui: Ui):
    """The checked signer (None for --no-sign, which report_production says loudly)."""
    from ..signing import prepare_signer

    return prepare_signer(settings, lambda message: typer.echo(message, err=True))


def correction_from(corrects: Optional[Path], note: Optional[str]):
    if corrects is None:
        return None
    from provenance import verify

    from ..signing import Correction

    if not corrects.is_file():
        raise InputError(f"--corrects {corrects}: no such file; give the signed video being corrected")
    report = verify(corrects)
    if report.state in ("NoCredentials", "Unreadable"):
        raise InputError(f"--corrects {corrects}: has no readable Content Credentials; give the signed video being corrected")
    return Correction(corrects, note or f"Correction of \"{report.title or corrects.name}\"")


def report_production(production, ui: Ui) -> None:
    rec = production.record
    ui.say(
        f"made {len(rec.shots)} shots, {rec.duration_s:.1f} s of video in {rec.timings_s.get('total', 0):.1f} s"
        f" ({sum(s.video_cached for s in rec.shots)} clips from cache)"
    )
    if rec.signed:
        ui.say(f"signed with Content Credentials (AI-generated) by {rec.signer['subject']}")
    else:
        # Loud on purpose, even with --quiet: an unsigned file must not pass for a finished one.
        typer.echo("WARNING: UNSIGNED DRAFT: no Content Credentials are attached (--no-sign); do not publish it", err=True)
    paths = production.paths
    if paths.credentials:
        ui.say(f"Content Credentials: {paths.credentials.name}, beside the video (publish them together; "
               f"'explainer verify {paths.video.name}' finds them)")
    ui.say(f"captions: {paths.vtt.name}, {paths.srt.name}; audio description: {paths.descriptions.name}; shot list: {paths.shots.name}; record: {paths.record.name}")
    typer.echo(str(paths.video))


