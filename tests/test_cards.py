"""The card renderer: exact frame counts, sizes, motion, and the AI label."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.assembly.media import probe
from explainer.rendering import RenderJob, get_renderer
from explainer.shotlist import Shot
from tests.frames import shown, shown_count

SHOT = Shot(id="shot-01", narration="The bridge costs $18.6 million.", on_screen_text="$18.6 million reconstruction", seed=11)


@pytest.mark.parametrize(("size", "frames", "fps"), [((1280, 720), 47, 30), ((720, 1280), 25, 25), ((1080, 1080), 13, 24)])
def test_exact_frames_and_size(tmp_path, size, frames, fps):
    renderer = get_renderer("cards")
    job = RenderJob(frames=frames, fps=fps, width=size[0], height=size[1], title="Bridge closes")
    out = tmp_path / "clip.mp4"
    renderer.render(SHOT, job, out)
    video = probe(out).first("video")
    assert (video.codec, video.width, video.height, shown_count(out, fps)) == ("h264", size[0], size[1], frames)
    assert abs(video.duration_s - frames / fps) < 1e-6


def test_card_moves_and_headline_fades_in(tmp_path):
    job = RenderJob(frames=60, fps=30, width=640, height=360, title="Bridge closes")
    out = tmp_path / "clip.mp4"
    get_renderer("cards").render(SHOT, job, out)
    frames = shown(out, job.fps)
    # The headline area is dark at the start and bright once faded in.
    region = (slice(120, 220), slice(60, 500))
    assert frames[0][region].mean() + 20 < frames[40][region].mean()
    # Motion never stops: consecutive frames late in the shot still differ.
    assert np.abs(frames[50].astype(int) - frames[58].astype(int)).mean() > 0.05


def test_a_held_picture_is_coded_once_and_every_build_frame_is_its_own(tmp_path):
    job = RenderJob(frames=150, fps=30, width=640, height=360, title="Bridge closes")
    out = tmp_path / "clip.mp4"
    get_renderer("cards").render(SHOT, job, out)
    frames = shown(out, job.fps)
    assert len(frames) == 150
    # The headline builds in 0.6 s from 0.2 s and fades out in the last 0.35 s; between them
    # the picture holds, and a held picture is one coded frame, not 100.
    assert probe(out).first("video").frames < 60
    # Each of the build's 18 frames is a new picture: the build moves on the video's own
    # 1/30 s grid (timed on a 1/25 s grid it repeated every fifth frame).
    build = frames[6:24]
    steps = [np.abs(a.astype(int) - b.astype(int)).mean() for a, b in zip(build, build[1:])]
    assert min(steps) > 0.2, steps  # a repeated frame differs by encoder noise only (~0.1)
    # The hold is still, and shows the build's last picture until the fade out.
    assert np.abs(frames[30].astype(int) - frames[130].astype(int)).max() <= 2


def test_ai_label_is_on_every_frame(tmp_path):
    job = RenderJob(frames=30, fps=30, width=1280, height=720, title="Bridge closes")
    out = tmp_path / "clip.mp4"
    get_renderer("cards").render(SHOT, job, out)
    for frame in shown(out, job.fps)[::10]:
        label = frame[45:80, 1110:1230]  # the pill in the top-right corner
        assert (label.max(axis=2) > 220).mean() > 0.05  # white lettering present
        assert (label.max(axis=2) < 40).mean() > 0.3  # on its dark pill


def test_cache_key_ignores_narration_but_not_text():
    renderer = get_renderer("cards")
    job = RenderJob(frames=30, fps=30, width=1280, height=720, title="T")
    base = renderer.cache_key(SHOT, job)
    assert renderer.cache_key(SHOT.model_copy(update={"narration": "Other words."}), job) == base
    assert renderer.cache_key(SHOT.model_copy(update={"on_screen_text": "Other"}), job) != base
