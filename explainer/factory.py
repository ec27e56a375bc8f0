"""Building a Pipeline from Settings: the one place that turns names into instances."""

from __future__ import annotations

from provenance import ClaimSigner

from .cache import Cache
from .pipeline import Pipeline
from .planning import PlanSettings, Planner
from .progress import ProgressFn, no_progress
from .settings import Settings


def build_planners(settings: Settings) -> tuple[Planner, Planner | None]:
    """The planner the settings name, and the one that replaces its plan if that fails its
    checks twice (the extractive planner; none when it is the planner already)."""
    from .planning import get_planner

    planner = get_planner(settings.planner, settings)
    return planner, None if settings.planner == "extractive" else get_planner("extractive", settings)


def build_pipeline(
    settings: Settings, *, voice: str | None = None, signer: ClaimSigner | None = None, progress: ProgressFn = no_progress
) -> Pipeline:
    """A pipeline with the planner, narrator, renderer and embedder the settings name."""
    from voices import PiperNarrator, resolve_voice

    from .execution import executor_for

    from .grounding import default_embedder
    from .rendering import get_renderer
    from .rendering.brand import load_brand
    from provenance.watermark import available as watermark_available

    planner, fallback = build_planners(settings)
    narrator = PiperNarrator(resolve_voice(voice or settings.voice))
    renderer = get_renderer(settings.renderer, settings)
    executor = executor_for(settings)
    executor.prepare(narrator)
    return Pipeline(
        planner=planner,
        narrator=narrator,
        renderer=renderer,
        cache=Cache(settings.cache_dir),
        fps=settings.fps,
        workers=settings.workers,
        signer=signer,
        embedder=default_embedder(),
        fallback_planner=fallback,
        progress=progress,
        brand=load_brand(settings.brand) if settings.brand else None,
        training_mining=settings.training_mining,
        watermark_strength=settings.watermark_strength if settings.watermark_strength and watermark_available() else 0,
        repository=repository_for(settings),
        executor=executor,
    )


def runnable_parts(settings: Settings) -> dict[str, list[str]]:
    """The planners and renderers these settings can build (an LLM planner needs a model, a
    diffusion renderer a pipeline), by kind: what a service offers its requesters."""
    from .errors import ExplainerError
    from .planning import PLANNERS, get_planner
    from .rendering import RENDERERS, get_renderer

    offered: dict[str, list[str]] = {"planner": [], "renderer": []}
    for kind, registry, build in (("planner", PLANNERS, get_planner), ("renderer", RENDERERS, get_renderer)):
        for name in registry.names():
            try:
                build(name, settings.model_copy(update={kind: name}))
            except (ExplainerError, ImportError):
                continue  # not set up here (no model, or its extra is not installed)
            offered[kind].append(name)
    return offered


def repository_for(settings: Settings, create: bool = True):
    """The manifest repository the settings name; None for 'off' (or, unless ``create``, for
    a local one that does not exist yet)."""
    from provenance.repository import SqlRepository, open_repository

    if settings.repository == "off":
        return None
    if settings.repository:
        return open_repository(settings.repository, settings.repository_token)
    path = settings.data_dir / "repository.sqlite"
    return SqlRepository.at(path) if create or path.is_file() else None


def plan_settings(settings: Settings) -> PlanSettings:
    """What to plan, from the settings: length, shots, shape, voice, the newsroom's media."""
    from .sources.media import load_media

    media = tuple(load_media(settings.media)) if settings.media else ()
    # Any renderer but the built-in graphics makes footage: plain shots become generated ones.
    return PlanSettings(length_s=settings.length, max_shots=settings.shot_limit(), aspect=settings.aspect, voice=settings.voice,
                        media=media, footage=settings.renderer != "cards", icons=settings.icons)
