"""`explainer plan`, a human edit, `explainer render`: only the edited shot is redone."""

from __future__ import annotations

import json

import yaml

from .conftest import SHORT_ARTICLE, run_cli


def test_plan_edit_render_rerenders_only_the_edited_shot(tmp_path):
    cache = tmp_path / "cache"
    article = tmp_path / "library.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    shots = tmp_path / "shots.yaml"
    run = run_cli("plan", str(article), "-o", str(shots), "--length", "30", cache=cache)
    assert run.code == 0, run.stderr
    assert run.stdout.strip() == str(shots)

    first = tmp_path / "first.mp4"
    assert run_cli("render", str(shots), "-o", str(first), cache=cache).code == 0

    data = yaml.safe_load(shots.read_text(encoding="utf-8"))
    assert len(data["shots"]) >= 3
    data["shots"][1]["narration"] = "The Oakdale Public Library will stay open until 8 p.m. on Saturdays."
    data["shots"][1]["on_screen_text"] = "Open until 8 p.m."
    data["shots"][1]["source_refs"] = []
    # What the shot showed came from its old sentence: the editor makes it a plain card.
    for field in ("title_card", "figure", "chart", "timeline", "quote", "points"):
        data["shots"][1].pop(field, None)
    data["shots"][1]["kind"] = "text"
    shots.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    second = tmp_path / "second.mp4"
    run = run_cli("render", str(shots), "-o", str(second), cache=cache)
    assert run.code == 0, run.stderr
    before = json.loads((tmp_path / "first.record.json").read_text())["shots"]
    after = json.loads((tmp_path / "second.record.json").read_text())["shots"]
    assert [s["audio_cached"] for s in after] == [i != 1 for i in range(len(after))]
    assert [s["video_cached"] for s in after] == [i != 1 for i in range(len(after))]
    assert after[1]["video_key"] != before[1]["video_key"]
    assert [s["video_key"] for i, s in enumerate(after) if i != 1] == [s["video_key"] for i, s in enumerate(before) if i != 1]
    vtt = (tmp_path / "second.vtt").read_text(encoding="utf-8")
    assert "will stay open until 8 p.m. on Saturdays." in vtt.replace("\n", " ")
    rendered = yaml.safe_load((tmp_path / "second.shots.yaml").read_text(encoding="utf-8"))
    assert rendered["shots"][1]["source_refs"] == ["s1"]  # re-checked against the source at render


def test_unsupported_edit_is_refused_unless_allowed(tmp_path):
    cache = tmp_path / "cache"
    article = tmp_path / "library.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    shots = tmp_path / "shots.yaml"
    assert run_cli("plan", str(article), "-o", str(shots), "--length", "15", cache=cache).code == 0
    data = yaml.safe_load(shots.read_text(encoding="utf-8"))
    data["shots"][0]["narration"] = "The library will charge a $5 entry fee from June 1."
    shots.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    refused = run_cli("render", str(shots), "-o", str(tmp_path / "no.mp4"), cache=cache)
    assert refused.code == 2
    # One line of error (after the note that a signing identity was made, when this is the
    # first run under this configuration).
    lines = [line for line in refused.stderr.strip().splitlines() if not line.startswith("created a local signing identity")]
    assert len(lines) == 1 and lines[0].startswith("error: shot-01:") and "--allow-unsupported" in lines[0]
    assert not (tmp_path / "no.mp4").exists()
    allowed = run_cli("render", str(shots), "-o", str(tmp_path / "yes.mp4"), "--allow-unsupported", cache=cache)
    assert allowed.code == 0, allowed.stderr
    record = json.loads((tmp_path / "yes.record.json").read_text())
    assert record["grounding"]["allow_unsupported"] is True
    assert "shot-01" in record["grounding"]["unsupported"]
    verified = json.loads(run_cli("verify", str(tmp_path / "yes.mp4"), "--json", cache=cache).stdout)
    assert verified["shots"]["shots"][0]["unsupported"] is True


def test_render_keeps_shot_ids_and_writes_durations_back(tmp_path):
    cache = tmp_path / "cache"
    article = tmp_path / "library.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    shots = tmp_path / "x.shots.yaml"
    assert run_cli("plan", str(article), "-o", str(shots), "--length", "10", cache=cache).code == 0
    run = run_cli("render", str(shots), cache=cache, cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert (tmp_path / "x.mp4").is_file()
    rendered = yaml.safe_load((tmp_path / "x.shots.yaml").read_text(encoding="utf-8"))
    assert all(s["duration_s"] and s["duration_s"] > 0 for s in rendered["shots"])
