"""The ``explainer`` command line. Builds settings once and hands instances to the pipeline."""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer

from . import __version__
from .errors import ExplainerError, InputError

app = typer.Typer(
    name="explainer",
    help="Narrated, captioned explainer videos from articles, marked as AI-generated.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class AspectChoice(str, Enum):
    """Output shapes."""

    wide = "16:9"
    tall = "9:16"
    square = "1:1"


# --- shared options ------------------------------------------------------------------------

LENGTH = typer.Option(None, "--length", help="Target length in seconds [default: 60].")
MAX_SHOTS = typer.Option(None, "--max-shots", help="Most shots to use [default: 20].")
ASPECT = typer.Option(None, "--aspect", help="16:9 (1280x720), 9:16 (720x1280) or 1:1 (1080x1080).")
FPS = typer.Option(None, "--fps", help="Frames per second [default: 30].")
VOICE = typer.Option(None, "--voice", help="Voice name (see 'explainer voices') or path to a Piper .onnx.")
PLANNER = typer.Option(None, "--planner", help="Planner [default: extractive].")
RENDERER = typer.Option(None, "--renderer", help="Renderer [default: cards].")
CACHE_DIR = typer.Option(None, "--cache-dir", help="Cache folder [default: the user cache folder].")
NO_SIGN = typer.Option(False, "--no-sign", help="Make an UNSIGNED draft, without Content Credentials.")
SIGN_CERT = typer.Option(None, "--sign-cert", help="Your signer certificate chain (PEM, signer first) [default: local identity].")
SIGN_KEY = typer.Option(None, "--sign-key", help="The private key of --sign-cert (PEM; password in EXPLAINER_SIGN_KEY_PASSWORD).")
TSA_URL = typer.Option(None, "--tsa-url", help="RFC 3161 timestamp authority URL for a trusted signing time.")
CORRECTS = typer.Option(None, "--corrects", help="The signed video this one corrects (recorded as its parent).")
CORRECTION_NOTE = typer.Option(None, "--correction-note", help="What the correction changes (shown by verify).")
QUIET = typer.Option(False, "--quiet", "-q", help="No progress bars.")
DEBUG = typer.Option(False, "--debug", help="Show tracebacks and debug logs.")


@dataclass
class _Ui:
    quiet: bool
    debug: bool

    def say(self, message: str) -> None:
        if not self.quiet:
            typer.echo(message, err=True)


@contextmanager
def _guard(debug: bool) -> Iterator[None]:
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
def _progress(ui: _Ui) -> Iterator:
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


def _settings(**flags):
    from .settings import load_settings

    return load_settings({k: (v.value if isinstance(v, Enum) else v) for k, v in flags.items()})


def _pipeline(settings, voice: str, progress, ui: _Ui):
    """The pipeline for these settings; every part is resolved (and the signer checked) first."""
    from voices import PiperNarrator, resolve_voice

    from .cache import Cache
    from .pipeline import Pipeline
    from .planning import get_planner
    from .rendering import get_renderer

    planner = get_planner(settings.planner)
    narrator = PiperNarrator(resolve_voice(voice))
    renderer = get_renderer(settings.renderer)
    return Pipeline(
        planner=planner,
        narrator=narrator,
        renderer=renderer,
        cache=Cache(settings.cache_dir),
        fps=settings.fps,
        workers=settings.workers,
        signer=_signer(settings, ui),
        progress=progress,
    )


def _recorded(settings) -> dict:
    """Settings as the record keeps them: no password, no local folders."""
    return settings.model_dump(mode="json", exclude={"sign_key_password", "cache_dir", "config_dir"})


def _plan_settings(settings):
    from .planning import PlanSettings

    return PlanSettings(length_s=settings.length, max_shots=settings.max_shots, aspect=settings.aspect, voice=settings.voice)


def _default_video(source: str, title: str) -> Path:
    from .outputs import slug

    stem = slug(title) if source == "-" else Path(source).stem
    return Path.cwd() / f"{stem}.mp4"


def _signer(settings, ui: _Ui):
    """The checked signer, or None for --no-sign (said loudly)."""
    if not settings.sign:
        return None
    from .signing import prepare_signer

    return prepare_signer(settings, lambda message: typer.echo(message, err=True))


def _correction(corrects: Optional[Path], note: Optional[str]):
    if corrects is None:
        return None
    from provenance import verify

    from .signing import Correction

    if not corrects.is_file():
        raise InputError(f"--corrects {corrects}: no such file; give the signed video being corrected")
    report = verify(corrects)
    if report.state in ("NoCredentials", "Unreadable"):
        raise InputError(f"--corrects {corrects}: has no readable Content Credentials; give the signed video being corrected")
    return Correction(corrects, note or f"Correction of \"{report.title or corrects.name}\"")


def _report(production, ui: _Ui) -> None:
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
    ui.say(f"captions: {paths.vtt.name}, {paths.srt.name}; shot list: {paths.shots.name}; record: {paths.record.name}")
    typer.echo(str(paths.video))


# --- commands ------------------------------------------------------------------------------


@app.command()
def make(
    source: str = typer.Argument(..., help="Article file (.txt or .md), or - to read stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output MP4 [default: SOURCE's stem here]."),
    length: Optional[float] = LENGTH,
    max_shots: Optional[int] = MAX_SHOTS,
    aspect: Optional[AspectChoice] = ASPECT,
    fps: Optional[int] = FPS,
    voice: Optional[str] = VOICE,
    planner: Optional[str] = PLANNER,
    renderer: Optional[str] = RENDERER,
    cache_dir: Optional[Path] = CACHE_DIR,
    url: Optional[str] = typer.Option(None, "--url", help="Where the article was published (recorded)."),
    no_sign: bool = NO_SIGN,
    sign_cert: Optional[Path] = SIGN_CERT,
    sign_key: Optional[Path] = SIGN_KEY,
    tsa_url: Optional[str] = TSA_URL,
    corrects: Optional[Path] = CORRECTS,
    correction_note: Optional[str] = CORRECTION_NOTE,
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Plan, render and sign an explainer from an article: MP4, captions, shot list, record."""
    from .outputs import OutputPaths, check_writable
    from .source import load_source

    ui = _Ui(quiet, debug)
    with _guard(debug):
        settings = _settings(length=length, max_shots=max_shots, aspect=aspect, fps=fps, voice=voice,
                             planner=planner, renderer=renderer, cache_dir=cache_dir, sign=False if no_sign else None,
                             sign_cert=sign_cert, sign_key=sign_key, tsa_url=tsa_url)
        src = load_source(source, url=url)
        paths = OutputPaths.for_video(output or _default_video(source, src.title))
        check_writable(paths.video)
        correction = _correction(corrects, correction_note)
        with _progress(ui) as progress:
            pipeline = _pipeline(settings, settings.voice, progress, ui)
            t0 = time.perf_counter()
            shotlist = pipeline.plan(src, _plan_settings(settings))
            production = pipeline.render(
                shotlist, paths, settings=_recorded(settings), plan_seconds=time.perf_counter() - t0, correction=correction
            )
        _report(production, ui)


@app.command()
def plan(
    source: str = typer.Argument(..., help="Article file (.txt or .md), or - to read stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Shot list YAML [default: SOURCE's stem].shots.yaml."),
    length: Optional[float] = LENGTH,
    max_shots: Optional[int] = MAX_SHOTS,
    aspect: Optional[AspectChoice] = ASPECT,
    voice: Optional[str] = VOICE,
    planner: Optional[str] = PLANNER,
    url: Optional[str] = typer.Option(None, "--url", help="Where the article was published (recorded)."),
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Write only the shot list, to edit before 'explainer render'."""
    from voices import resolve_voice

    from .outputs import atomic_outputs, check_writable
    from .planning import get_planner
    from .shotlist import dump_shotlist
    from .source import load_source

    ui = _Ui(quiet, debug)
    with _guard(debug):
        settings = _settings(length=length, max_shots=max_shots, aspect=aspect, voice=voice, planner=planner)
        resolve_voice(settings.voice)
        src = load_source(source, url=url)
        target = output or _default_video(source, src.title).with_suffix(".shots.yaml")
        check_writable(target)
        shotlist = get_planner(settings.planner).plan(src, _plan_settings(settings))
        with atomic_outputs([target]) as temp:
            temp[target].write_text(dump_shotlist(shotlist), encoding="utf-8")
        words = sum(len(s.narration.split()) for s in shotlist.shots)
        ui.say(f"planned {len(shotlist.shots)} shots, {words} words (about {words / 3.0:.0f} s of narration)")
        typer.echo(str(target))


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
    sign_cert: Optional[Path] = SIGN_CERT,
    sign_key: Optional[Path] = SIGN_KEY,
    tsa_url: Optional[str] = TSA_URL,
    corrects: Optional[Path] = CORRECTS,
    correction_note: Optional[str] = CORRECTION_NOTE,
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Render a shot list into the finished, signed video."""
    from voices import VoiceError, resolve_voice

    from .outputs import OutputPaths, check_writable
    from .shotlist import read_shotlist

    ui = _Ui(quiet, debug)
    with _guard(debug):
        settings = _settings(fps=fps, renderer=renderer, cache_dir=cache_dir, sign=False if no_sign else None,
                             sign_cert=sign_cert, sign_key=sign_key, tsa_url=tsa_url)
        shotlist = read_shotlist(shots)
        updates = {k: v for k, v in {"voice": voice, "aspect": aspect.value if aspect else None}.items() if v}
        shotlist = shotlist.model_copy(update=updates)
        try:
            resolve_voice(shotlist.voice)
        except VoiceError as e:
            where = "--voice" if voice else f"{shots.name}: field 'voice'"
            raise InputError(f"{where}: {e}") from e
        stem = shots.name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".shots")
        paths = OutputPaths.for_video(output or Path.cwd() / f"{stem}.mp4")
        check_writable(paths.video)
        correction = _correction(corrects, correction_note)
        with _progress(ui) as progress:
            production = _pipeline(settings, shotlist.voice, progress, ui).render(
                shotlist, paths, settings=_recorded(settings), correction=correction
            )
        _report(production, ui)


@app.command()
def voices(debug: bool = DEBUG) -> None:
    """List the voices that need no download."""
    from voices import DEFAULT_VOICE, list_voices

    with _guard(debug):
        for info in list_voices():
            mark = " (default)" if info.name == DEFAULT_VOICE else ""
            typer.echo(f"{info.name}{mark}\t{info.language}\t{info.sample_rate} Hz\t{info.description}")
        typer.echo("Any Piper voice also works by path: --voice /path/to/voice.onnx (with its .onnx.json beside it).")


keys_app = typer.Typer(help="The signing identity for Content Credentials.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("init")
def keys_init(
    name: str = typer.Option("Explainer local signer", "--name", help="Common name of the signer certificate."),
    organization: str = typer.Option("Explainer local identity (not publicly trusted)", "--org", help="Organization in the certificates."),
    force: bool = typer.Option(False, "--force", help="Replace an existing identity."),
    debug: bool = DEBUG,
) -> None:
    """Create a local root CA and a signing certificate under it (key stored 0600)."""
    from provenance import init_identity

    from .signing import keys_dir

    with _guard(debug):
        settings = _settings()
        folder = init_identity(keys_dir(settings), common_name=name, organization=organization, force=force)
        typer.echo(f"created a signing identity in {folder}")
        _show_identity(settings)


def _show_identity(settings) -> None:
    from provenance import describe, has_identity, local_paths

    from .signing import keys_dir

    if settings.sign_cert and settings.sign_key:
        info = describe(settings.sign_cert, settings.sign_key)
    else:
        folder = keys_dir(settings)
        if not has_identity(folder):
            raise InputError(f"no signing identity in {folder}; run 'explainer keys init'")
        info = describe(*local_paths(folder))
    typer.echo(f"subject:     {info.subject}")
    typer.echo(f"issuer:      {info.issuer}")
    typer.echo(f"fingerprint: SHA256 {info.fingerprint_sha256}")
    typer.echo(f"valid:       {info.not_before} to {info.not_after}")
    typer.echo(f"certificate: {info.chain_path}")
    typer.echo(f"private key: {info.key_path}")
    if info.root_path:
        typer.echo(f"root CA:     {info.root_path} (a trust anchor on this machine only)")


@keys_app.command("show")
def keys_show(debug: bool = DEBUG) -> None:
    """Print the signer's subject, fingerprint, validity and where the files are."""
    with _guard(debug):
        _show_identity(_settings())


@app.command("verify")
def verify_command(
    file: Path = typer.Argument(..., help="Any file C2PA supports: mp4, mov, jpg, png, wav, mp3, pdf..."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
    trust_anchors: Optional[Path] = typer.Option(None, "--trust-anchors", help="PEM bundle of extra trusted roots."),
    require_trusted: bool = typer.Option(False, "--require-trusted", help="Exit 1 unless the signer is trusted."),
    debug: bool = DEBUG,
) -> None:
    """Check a file's Content Credentials: AI-generated? who signed? altered since?"""
    from provenance import verify

    from .signing import local_root_pem

    with _guard(debug):
        if not file.is_file():
            raise InputError(f"{file}: no such file; check the path")
        anchors = [local_root_pem(_settings()) or ""]
        if trust_anchors is not None:
            if not trust_anchors.is_file():
                raise InputError(f"--trust-anchors {trust_anchors}: no such file; give a PEM bundle of root certificates")
            anchors.append(trust_anchors.read_text(encoding="ascii", errors="replace"))
        report = verify(file, "\n".join(a for a in anchors if a) or None)
        typer.echo(report.to_json() if json_output else report.summary())
        raise typer.Exit(report.exit_code(require_trusted))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"explainer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Narrated, captioned explainer videos from articles, marked as AI-generated."""


def main() -> None:
    """Console entry point."""
    app()
