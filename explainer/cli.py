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
SIGN_CERT = typer.Option(None, "--sign-cert", help="Your signer certificate chain (PEM, signer first) [default: local identity].")
SIGN_KEY = typer.Option(None, "--sign-key", help="The private key of --sign-cert (PEM; password in EXPLAINER_SIGN_KEY_PASSWORD).")
TSA_URL = typer.Option(None, "--tsa-url", help="RFC 3161 timestamp authority URL for a trusted signing time.")
CORRECTS = typer.Option(None, "--corrects", help="The signed video this one corrects (recorded as its parent).")
CORRECTION_NOTE = typer.Option(None, "--correction-note", help="What the correction changes (shown by verify).")
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
    """The pipeline for these settings; every part is resolved before the signer is checked."""
    from .factory import build_pipeline

    pipeline = build_pipeline(settings, voice=voice, progress=progress)
    pipeline.signer = _signer(settings, ui) if settings.sign else None
    return pipeline


def _recorded(settings) -> dict:
    """Settings as the record keeps them: no password, no local folders."""
    return settings.model_dump(mode="json", exclude={"sign_key_password", "llm_api_key", "cache_dir", "config_dir"})


def _plan_settings(settings):
    from .planning import PlanSettings

    return PlanSettings(length_s=settings.length, max_shots=settings.shot_limit(), aspect=settings.aspect, voice=settings.voice)


def _load(source: Optional[str], topic: Optional[str], url: Optional[str]):
    """The Source: an article from a path, stdin or a URL, or a topic with no source."""
    from .sources import load_source, topic_source

    if topic and source:
        raise InputError("give an article or --topic, not both")
    if topic:
        return topic_source(topic)
    if not source:
        raise InputError("give an article (a .txt, .md or .html file, a URL, or - for stdin), or --topic \"...\" with --planner llm")
    return load_source(source, url=url)


def _planner_for(planner: Optional[str], topic: Optional[str]) -> Optional[str]:
    if topic and planner in (None, "llm"):
        return "llm"  # a topic has no sentences to extract
    if topic:
        raise InputError(f"--topic needs --planner llm; the {planner} planner needs an article")
    return planner


def _report_plan(shotlist, ui: _Ui) -> None:
    """Say what the plan checks and grounding found: a repaired or replaced plan, injections
    in the source, unsupported lines."""
    info = shotlist.planner
    if info.fallback_from:
        # Loud even with --quiet: the script is not what the user asked for.
        typer.echo(f"warning: the {info.fallback_from} planner was replaced by the {info.name} planner, because {info.fallback_reason}", err=True)
    elif info.repaired:
        ui.say(f"note: the plan was repaired once after its checks found: {'; '.join(info.repaired[:3])}")
    source = shotlist.source
    for sid, reason in (source.injections.items() if source else []):
        ui.say(f"warning: source sentence {sid} {reason}; it is never narrated: {source.sentences[sid][:100]}")
    for shot in shotlist.shots:
        for issue in shot.issues:
            ui.say(f"unsupported: {shot.id}: {issue}")
    if source is not None and source.kind == "topic":
        ui.say("note: topic mode has no source; the shot list and the video are marked ungrounded")


def _default_video(source: Optional[str], title: str) -> Path:
    from .outputs import slug
    from .sources import is_url

    stem = slug(title) if source in (None, "-") or is_url(source) else Path(source).stem
    return Path.cwd() / f"{stem}.mp4"


def _signer(settings, ui: _Ui):
    """The checked signer (None for --no-sign, which _report says loudly)."""
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
    ui.say(f"captions: {paths.vtt.name}, {paths.srt.name}; audio description: {paths.descriptions.name}; shot list: {paths.shots.name}; record: {paths.record.name}")
    typer.echo(str(paths.video))


# --- commands ------------------------------------------------------------------------------


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
    no_sign: bool = NO_SIGN,
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
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Plan, render and sign an explainer from an article: MP4, captions, shot list, record."""
    from .outputs import OutputPaths, check_writable
    from .sources import load_source

    ui = _Ui(quiet, debug)
    with _guard(debug):
        settings = _settings(length=length, max_shots=max_shots, aspect=aspect, fps=fps, voice=voice,
                             planner=_planner_for(planner, topic), renderer=renderer, cache_dir=cache_dir,
                             sign=False if no_sign else None, sign_cert=sign_cert, sign_key=sign_key, tsa_url=tsa_url,
                             allow_unsupported=allow_unsupported or None, llm=llm, llm_base_url=llm_base_url,
                             llm_model=llm_model, llm_model_path=llm_model_path,
                             model=model, steps=steps, guidance=guidance, negative_prompt=negative_prompt,
                             gen_size=gen_size, gen_fps=gen_fps, dtype=dtype, device=device, offload=offload,
                             vae_tiling=vae_tiling, seed=seed)
        src = _load(source, topic, url)
        paths = OutputPaths.for_video(output or _default_video(source, src.title))
        check_writable(paths.video)
        correction = _correction(corrects, correction_note)
        with _progress(ui) as progress:
            pipeline = _pipeline(settings, settings.voice, progress, ui)
            t0 = time.perf_counter()
            shotlist = pipeline.plan(src, _plan_settings(settings))
            _report_plan(shotlist, ui)
            production = pipeline.render(
                shotlist, paths, settings=_recorded(settings), plan_seconds=time.perf_counter() - t0,
                correction=correction, allow_unsupported=settings.allow_unsupported,
            )
        _report(production, ui)


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
    topic: Optional[str] = TOPIC,
    llm: Optional[LLMChoice] = LLM,
    llm_base_url: Optional[str] = LLM_BASE_URL,
    llm_model: Optional[str] = LLM_MODEL,
    llm_model_path: Optional[Path] = LLM_MODEL_PATH,
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Write only the shot list, to edit before 'explainer render'; lists unsupported lines."""
    from voices import resolve_voice

    from .factory import build_planners
    from .grounding import default_embedder
    from .outputs import atomic_outputs, check_writable
    from .pipeline import plan_checked
    from .shotlist import dump_shotlist

    ui = _Ui(quiet, debug)
    with _guard(debug):
        settings = _settings(length=length, max_shots=max_shots, aspect=aspect, voice=voice,
                             planner=_planner_for(planner, topic), llm=llm, llm_base_url=llm_base_url,
                             llm_model=llm_model, llm_model_path=llm_model_path)
        resolve_voice(settings.voice)
        src = _load(source, topic, url)
        target = output or _default_video(source, src.title).with_suffix(".shots.yaml")
        check_writable(target)
        planner, fallback = build_planners(settings)
        shotlist = plan_checked(planner, src, _plan_settings(settings), default_embedder(), fallback)
        with atomic_outputs([target]) as temp:
            temp[target].write_text(dump_shotlist(shotlist), encoding="utf-8")
        words = sum(len(s.narration.split()) for s in shotlist.shots)
        _report_plan(shotlist, ui)
        ui.say(f"planned {len(shotlist.shots)} shots, {words} words (about {words / 3.0:.0f} s of narration) with the {shotlist.planner.name} planner")
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
    allow_unsupported: bool = ALLOW_UNSUPPORTED,
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
                             sign_cert=sign_cert, sign_key=sign_key, tsa_url=tsa_url,
                             allow_unsupported=allow_unsupported or None,
                             model=model, steps=steps, guidance=guidance, negative_prompt=negative_prompt,
                             gen_size=gen_size, gen_fps=gen_fps, dtype=dtype, device=device, offload=offload,
                             vae_tiling=vae_tiling, seed=seed)
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
                shotlist, paths, settings=_recorded(settings), correction=correction,
                allow_unsupported=settings.allow_unsupported,
            )
        _report(production, ui)


@app.command()
def preview(
    shots: Path = typer.Argument(..., help="A shot list written by 'explainer plan' (and edited)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Where to write the contact sheet (.png). Default: next to the shot list."),
    quiet: bool = QUIET,
    debug: bool = DEBUG,
) -> None:
    """Draw one frame per shot as a contact sheet, to look at before rendering."""
    from .outputs import check_writable
    from .rendering.preview import write_contact_sheet
    from .shotlist import read_shotlist

    ui = _Ui(quiet, debug)
    with _guard(debug):
        shotlist = read_shotlist(shots)
        stem = shots.name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".shots")
        target = output or shots.with_name(f"{stem}.sheet.png")
        if target.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            raise InputError(f"{target}: a contact sheet is a .png or .jpg; give -o sheet.png")
        check_writable(target)
        write_contact_sheet(shotlist, target)
        typer.echo(str(target))
        ui.say(f"{len(shotlist.shots)} shots: " + ", ".join(f"{s.id} {s.kind}" for s in shotlist.shots))


@app.command()
def voices(debug: bool = DEBUG) -> None:
    """List the voices that need no download."""
    from voices import DEFAULT_VOICE, list_voices

    with _guard(debug):
        for info in list_voices():
            mark = " (default)" if info.name == DEFAULT_VOICE else ""
            typer.echo(f"{info.name}{mark}\t{info.language}\t{info.sample_rate} Hz\t{info.description}")
        typer.echo("Any Piper voice also works by path: --voice /path/to/voice.onnx (with its .onnx.json beside it).")


def _default_data() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("explainer")) / "service"


DATA = typer.Option(None, "--data", help="Folder for the job database and files [default: the user data folder].")
DB_URL = typer.Option(None, "--db-url", help="SQLAlchemy URL of the job store (e.g. postgresql://...) [default: SQLite in --data].")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    data: Optional[Path] = DATA,
    db_url: Optional[str] = DB_URL,
    workers: int = typer.Option(2, "--workers", min=1, max=32, help="Jobs worked on at once."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help="Let requests name article pages on loopback or private networks (an intranet CMS)."),
    debug: bool = DEBUG,
) -> None:
    """Run the newsroom service: REST API under /v1, OpenAPI docs at /docs, the desk at /."""
    ui = _Ui(False, debug)
    with _guard(debug):
        import uvicorn

        from .service.app import create_app
        from .service.store import Store
        from .service.worker import Workers

        settings = _settings()
        folder = data or _default_data()
        store = Store.in_folder(folder, db_url)
        from .cache import Cache

        Cache(settings.cache_dir).clean_partials()  # what a killed server was writing
        recovered = store.recover()
        if recovered:
            ui.say(f"resuming {recovered} request(s) that were in progress when the service stopped")
        pool = Workers(store, folder, settings, _signer(settings, ui) if settings.sign else None, size=workers)
        pool.start()
        ui.say(f"serving on http://{host}:{port} (docs at /docs); data in {folder}")
        try:
            uvicorn.run(create_app(store, folder, allow_private_urls=allow_private_urls), host=host, port=port, log_level="warning")
        finally:
            pool.stop()


tokens_app = typer.Typer(help="API tokens for the newsroom service.", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("create")
def tokens_create(
    name: str = typer.Argument(..., help="Who the token is for."),
    role: str = typer.Option("requester", "--role", help="requester, editor or admin."),
    data: Optional[Path] = DATA,
    db_url: Optional[str] = DB_URL,
    debug: bool = DEBUG,
) -> None:
    """Create a token; it is printed once, on the last line, and stored only as a hash."""
    with _guard(debug):
        from .service.store import ROLES, Store

        if role not in ROLES:
            raise InputError(f"--role {role!r}: use one of {', '.join(ROLES)}")
        token = Store.in_folder(data or _default_data(), db_url).create_token(name, role)
        typer.echo(f"token for {name} ({role}); keep it now, it is not shown again:")
        typer.echo(token)


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


def _plugin_commands() -> None:
    """Commands other packages add (``explainer.commands`` entry points), e.g. ``lesson``."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="explainer.commands"):
        entry.load()(app)


def main() -> None:
    """Console entry point."""
    _plugin_commands()
    app()
