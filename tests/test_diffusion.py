"""The diffusers renderer with tiny real pipelines built in fixtures: no network, seconds."""

from __future__ import annotations

import json

import av
import pytest
import yaml

from explainer.assembly.media import probe
from explainer.rendering.diffusion import FAMILIES, plan_clips

from .conftest import SHORT_ARTICLE, run_cli
from .frames import shown_count

pytest.importorskip("diffusers", reason="needs the diffusion extra (make test installs it)")

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
#: A story with no number, date or quote: after its title, a shot a video model can show.
SCENE = """# Volunteers plant trees along the river

Volunteers planted young oak trees along the river path on Saturday morning, in rain that never quite stopped.

The new trees will shade the path in summer and shelter the birds that nest near the water.

Organisers said neighbours brought shovels, gloves and flasks of tea for the crew, and children painted name tags for each tree.

The parks department will water the saplings through their first summer, and asks walkers to keep dogs away from the young roots.
"""
ALGORITHMIC = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"


@pytest.fixture(scope="module")
def ltx(tmp_path_factory):
    from .tiny_pipelines import build_ltx

    return build_ltx(tmp_path_factory.mktemp("tiny-ltx"))


@pytest.fixture(scope="module")
def wan(tmp_path_factory):
    from .tiny_pipelines import build_wan

    return build_wan(tmp_path_factory.mktemp("tiny-wan"))


def test_clip_plans_follow_family_rules():
    ltx, wan, cog = FAMILIES["LTXPipeline"], FAMILIES["WanPipeline"], FAMILIES["CogVideoXPipeline"]
    plan = plan_clips(4.0, ltx, 24)
    assert plan.clips == [97] and plan.play_fps == 24  # 8k+1 covering 96 frames, trimmed
    plan = plan_clips(5.5, ltx, 24)
    assert plan.clips == [121] and plan.play_fps == pytest.approx(121 / 5.5)  # 9% slower: within 25%
    plan = plan_clips(12.0, wan, 16)
    assert plan.clips == [65, 65, 65] and plan.play_fps == 16  # 192 frames needed, 81 at most per clip
    assert plan_clips(2.0, cog, 8).clips == [49]
    for duration in (0.8, 3.3, 7.9, 20.0):
        for family, fps in ((ltx, 24), (wan, 16)):
            p = plan_clips(duration, family, fps)
            assert all((n - family.frame_offset) % family.frame_step == 0 and n <= family.max_frames for n in p.clips)
            assert p.total / p.play_fps >= duration - 1e-9  # footage always covers the narration
            assert p.play_fps >= fps * 0.75


def _make(tmp_path, model, *extra):
    article = tmp_path / "a.md"
    article.write_text(SCENE)
    out = tmp_path / "gen.mp4"
    run = run_cli(
        "make", str(article), "-o", str(out), "--length", "14", "--max-shots", "2", "--renderer", "diffusers",
        "--model", str(model), "--steps", "2", "--fps", "24", *extra, cache=tmp_path / "cache", timeout=600,
    )
    return run, out


@pytest.mark.parametrize("family", ["ltx", "wan"])
def test_make_with_a_tiny_pipeline_end_to_end(request, tmp_path, family):
    model = request.getfixturevalue(family)
    size = "64x64" if family == "ltx" else "64x48"
    run, out = _make(tmp_path, model, "--gen-size", size)
    assert run.code == 0, run.stderr
    record = json.loads(out.with_suffix(".record.json").read_text())
    shots = record["shots"]
    info = probe(out)
    assert info.codecs() == ["h264", "aac", "mov_text", "mov_text"]  # captions, audio description
    video = info.first("video")
    assert (video.width, video.height) == (1280, 720)
    assert shown_count(out, 24) == sum(s["frames"] for s in shots)
    assert abs(info.duration_s - sum(s["narration_s"] for s in shots)) <= len(shots) / 24
    with av.open(str(out)) as container:
        decoded = sum(1 for _ in container.decode(video=0))
    assert decoded == video.frames
    assert record["renderer"]["name"] == "diffusers"
    assert record["renderer"]["pipeline"] == ("LTXPipeline" if family == "ltx" else "WanPipeline")
    assert record["renderer"]["steps"] == 2 and record["renderer"]["model"].startswith(model.name + "@local:")
    assert all(s["seed"] > 0 for s in shots)
    # The model makes footage only: the headline card is drawn by the graphics, the rest generated.
    kinds = [s["kind"] for s in yaml.safe_load(out.with_suffix(".shots.yaml").read_text())["shots"]]
    assert kinds == ["title", "generated"]
    assert [s["renderer"] for s in shots] == ["cards", "diffusers"]

    verified = json.loads(run_cli("verify", str(out), "--json", cache=tmp_path / "cache").stdout)
    assert verified["state"] == "Trusted"
    footage = [i for i in verified["ingredients"] if i["title"].endswith("footage")]
    assert len(footage) == len(shots) and all(i["relationship"] == "componentOf" for i in footage)
    # The whole is generated (some of it by a trained model); each part states its own type.
    assert verified["digital_source_types"][0] == TRAINED
    assert ALGORITHMIC in verified["digital_source_types"]

    again, _ = _make(tmp_path, model, "--gen-size", size)
    assert again.code == 0
    assert all(s["video_cached"] for s in json.loads(out.with_suffix(".record.json").read_text())["shots"])


def test_long_shot_is_made_of_several_clips(tmp_path, wan):
    from explainer.rendering import RenderJob
    from explainer.rendering.diffusion import DiffusersRenderer
    from explainer.shotlist import Shot

    renderer = DiffusersRenderer(str(wan), steps=1, gen_size="32x32", gen_fps=30)
    job = RenderJob(frames=120, fps=30, width=320, height=180, title="T")
    steps = []
    out = tmp_path / "long.mp4"
    renderer.render(Shot(id="s", narration="x", visual_prompt="a bridge", seed=3), job, out, lambda d, t: steps.append((d, t)))
    assert plan_clips(4.0, renderer.family, 30).clips == [61, 61]
    assert steps == [(1, 2), (2, 2)]  # one step per clip, counted across clips
    assert probe(out).first("video").frames == 120


def test_folder_that_is_not_a_pipeline(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE)
    (tmp_path / "not-a-model").mkdir()
    run = run_cli("make", str(article), "-o", str(tmp_path / "o.mp4"), "--renderer", "diffusers",
                  "--model", str(tmp_path / "not-a-model"), cache=tmp_path / "cache")
    assert run.code == 2
    assert run.stderr.strip() == f"error: {tmp_path / 'not-a-model'}: not a diffusers pipeline folder (it has no model_index.json)"


def test_unknown_model_id_offline(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(SCENE)
    run = run_cli("make", str(article), "-o", str(tmp_path / "o.mp4"), "--renderer", "diffusers", "--length", "14", "--max-shots", "2",
                  "--model", "example-org/no-such-video-model", cache=tmp_path / "cache",
                  env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")})
    assert run.code == 1
    lines = run.stderr.strip().splitlines()
    assert lines[-1].startswith("error: cannot load model example-org/no-such-video-model")
    assert "no network" in lines[-1] and "Traceback" not in run.stderr
    assert not (tmp_path / "o.mp4").exists()


def test_bad_generation_size(tmp_path, ltx):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE)
    run = run_cli("make", str(article), "--renderer", "diffusers", "--model", str(ltx), "--gen-size", "100x64",
                  cache=tmp_path / "cache")
    assert run.code == 2 and "LTX-Video needs width and height divisible by 32" in run.stderr
