"""The render's stages on their own: each with one job, checked without running the others."""

from __future__ import annotations

from pathlib import Path

from explainer.rendering.cards import CardsRenderer
from explainer.shotlist import PlannerInfo, Shot, ShotList
from explainer.stages import ShotResult, time_shots
from explainer.stages.record import grounding_summary
from explainer.stages.sign import renderer_label
from voices import Narration, Segment


def _result(shot_id: str, text: str, seconds: float, fps: int = 25) -> ShotResult:
    narration = Narration(Path(f"{shot_id}.wav"), seconds, 22050, [Segment(text, 0.1, seconds - 0.3)])
    shot = Shot(id=shot_id, narration=text, source_refs=[])
    return ShotResult(shot, narration, round(seconds * fps), Path(f"{shot_id}.mp4"), "a", "v", False, False, CardsRenderer())


def test_the_caption_stage_times_shots_captions_and_descriptions_after_the_intro():
    results = [_result("shot-01", "The bridge opens on Monday.", 4.0), _result("shot-02", "Traffic will move again.", 3.0)]
    shotlist = ShotList(title="Bridge", voice="joe", shots=[r.shot for r in results], planner=PlannerInfo(name="extractive", version="1"))
    timed = time_shots(shotlist, results, fps=25, lead_s=2.0)
    # Each shot lasts exactly its frames and starts after the intro card and the shots before it.
    assert [s.duration_s for s in timed.shotlist.shots] == [4.0, 3.0]
    assert timed.starts == [2.0, 6.0]
    # Captions say the narration, where each phrase is spoken in the video.
    assert [c.text for c in timed.cues] == ["The bridge opens on Monday.", "Traffic will move again."]
    assert abs(timed.cues[0].start_s - 2.1) < 1e-6 and abs(timed.cues[1].start_s - 6.1) < 1e-6
    assert len(timed.described) <= len(results) and all(c.start_s >= 2.0 for c in timed.described)


def test_the_record_and_sign_stages_name_what_ran():
    shotlist = ShotList(title="Topic", voice="joe", shots=[Shot(id="shot-01", narration="A line.", source_refs=[])],
                        planner=PlannerInfo(name="extractive", version="1"))
    # A topic with no source: nothing to ground against, and the record says so.
    assert grounding_summary(shotlist, None, False) == {"grounded": False, "method": None, "allow_unsupported": False,
                                                         "unsupported": {}, "injections": {}}
    cards = CardsRenderer()
    assert renderer_label(cards) == f"cards {cards.version}"


def test_a_render_that_may_not_commit_files_nothing_in_the_repository(tmp_path):
    """The sign stage hands back the manifest store; it is filed inside the commit, so a worker
    that lost its job (its commit guard refuses) leaves no file and no manifest filed."""
    from contextlib import contextmanager

    import pytest

    from explainer.cache import Cache
    from explainer.outputs import OutputPaths
    from explainer.pipeline import Pipeline
    from explainer.planning import PlanSettings, get_planner
    from explainer.rendering import get_renderer
    from explainer.sources import parse_source
    from provenance import LocalKeySigner, init_identity, load_credentials, local_paths
    from provenance.repository import SqlRepository
    from provenance.watermark import ALGORITHM
    from voices import PiperNarrator, resolve_voice

    from .conftest import SHORT_ARTICLE

    chain, key, _ = local_paths(init_identity(tmp_path / "keys"))
    repository = SqlRepository.at(tmp_path / "repository.db")
    pipeline = Pipeline(planner=get_planner("extractive"), narrator=PiperNarrator(resolve_voice("joe")),
                        renderer=get_renderer("cards"), cache=Cache(tmp_path / "cache"),
                        signer=LocalKeySigner(load_credentials(chain, key)), repository=repository, watermark_strength=36)
    shotlist = pipeline.plan(parse_source(SHORT_ARTICLE.encode(), "a.md"), PlanSettings(length_s=8))
    (tmp_path / "out").mkdir()

    @contextmanager
    def lost():
        raise RuntimeError("the job was taken over by another worker")
        yield

    with pytest.raises(RuntimeError, match="taken over"):
        pipeline.render(shotlist, OutputPaths.for_video(tmp_path / "out" / "a.mp4"), commit=lost)
    assert list((tmp_path / "out").iterdir()) == []
    production = pipeline.render(shotlist, OutputPaths.for_video(tmp_path / "out" / "a.mp4"))
    marks = [s.watermark for s in production.record.shots]
    # Only the committed render's manifest is filed (the refused one signed a manifest of its own).
    assert all(marks) and repository.matches(ALGORITHM, marks[0]) == [production.record.repository["manifest_id"]]
