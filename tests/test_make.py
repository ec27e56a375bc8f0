"""`explainer make` end to end: real Piper, real ffmpeg, real files."""

from __future__ import annotations

import re

import yaml

from explainer.assembly.media import probe

from .conftest import SHORT_ARTICLE, run_cli
from .frames import shown_count


def _vtt_cues(text: str) -> list[tuple[float, float, list[str]]]:
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.splitlines()
        start, end = lines[0].split(" --> ")
        cues.append((seconds(start), seconds(end), lines[1:]))
    return cues


def test_make_writes_video_and_all_sidecars(made):
    assert made.run.stdout.strip() == str(made.video)
    for suffix in (".vtt", ".srt", ".descriptions.vtt", ".shots.yaml", ".record.json"):
        assert made.sidecar(suffix).is_file(), suffix
    leftovers = [p.name for p in made.folder.iterdir() if ".partial" in p.name]
    assert leftovers == []


def test_streams_are_h264_aac48k_and_tagged_mov_text(made):
    info = probe(made.video)
    # Captions, then the audio description, both tagged with the language.
    assert info.codecs() == ["h264", "aac", "mov_text", "mov_text"]
    assert [s.language for s in info.streams if s.kind == "subtitle"] == ["eng", "eng"]
    audio = info.first("audio")
    assert audio.sample_rate == 48000
    subtitle = info.first("subtitle")
    assert subtitle.language == "eng"
    video = info.first("video")
    assert (video.width, video.height) == (1280, 720)


def test_duration_is_sum_of_narration_within_a_frame_per_shot(made):
    fps = made.record["renderer"]["fps"]
    shots = made.record["shots"]
    info = probe(made.video)
    narration_total = sum(s["narration_s"] for s in shots)
    assert abs(info.duration_s - narration_total) <= len(shots) / fps
    for shot in shots:
        # A shot is never shorter than its speech, and never a frame longer than needed.
        assert 0 <= shot["frames"] / fps - shot["narration_s"] < 1 / fps
    assert shown_count(made.video, fps) == sum(s["frames"] for s in shots)


def test_captions_say_exactly_the_narration_and_fit_the_rules(made):
    shots = yaml.safe_load(made.sidecar(".shots.yaml").read_text(encoding="utf-8"))["shots"]
    narration = " ".join(s["narration"] for s in shots)
    cues = _vtt_cues(made.sidecar(".vtt").read_text(encoding="utf-8"))
    spoken = " ".join(" ".join(lines) for _, _, lines in cues)
    assert spoken.split() == narration.split()
    duration = probe(made.video).duration_s
    previous_end = 0.0
    for start, end, lines in cues:
        assert 1 <= len(lines) <= 2
        assert all(len(line) <= 42 for line in lines)
        assert end - start >= 1.0 - 1e-3
        assert start >= previous_end - 1e-3
        assert end <= duration + 1e-3
        previous_end = end
    srt_text = made.sidecar(".srt").read_text(encoding="utf-8")
    assert srt_text.count(" --> ") == len(cues)


def test_record_lists_inputs_settings_versions_and_timings(made):
    record = made.record
    assert record["schema"] == "explainer.production/1"
    assert re.fullmatch(r"[0-9a-f]{64}", record["source"]["sha256"])
    assert record["planner"]["name"] == "extractive"
    assert record["renderer"]["name"] == "cards"
    assert record["voice"]["name"] == "joe"
    assert record["settings"]["length"] == 25
    assert {"plan", "narrate", "render", "assemble", "total"} <= set(record["timings_s"])
    assert record["software"]["ffmpeg"].startswith("ffmpeg version")


def test_shot_list_source_refs_are_the_narrated_sentences(made):
    data = yaml.safe_load(made.sidecar(".shots.yaml").read_text(encoding="utf-8"))
    sentences = data["source"]["sentences"]
    for shot in data["shots"]:
        assert shot["narration"] == " ".join(sentences[ref] for ref in shot["source_refs"])
        assert shot["duration_s"] > 0


def test_second_make_renders_nothing_again(made, cache_root, tmp_path):
    again = tmp_path / "again.mp4"
    article = made.folder / "library.md"
    run = run_cli("make", str(article), "-o", str(again), "--length", "25", cache=cache_root)
    assert run.code == 0, run.stderr
    import json

    record = json.loads(again.with_suffix(".record.json").read_text())
    assert all(s["audio_cached"] and s["video_cached"] for s in record["shots"])
    assert [s["video_key"] for s in record["shots"]] == [s["video_key"] for s in made.record["shots"]]


def test_stdin_source_and_default_output_name(tmp_path, cache_root):
    run = run_cli("make", "-", "--length", "10", "-q", cache=cache_root, cwd=tmp_path, stdin=SHORT_ARTICLE.encode())
    assert run.code == 0, run.stderr
    assert (tmp_path / "library-extends-weekend-hours.mp4").is_file()


def test_vertical_and_square_sizes(tmp_path, cache_root):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    for aspect, size in (("9:16", (720, 1280)), ("1:1", (1080, 1080))):
        out = tmp_path / f"{aspect.replace(':', 'x')}.mp4"
        run = run_cli("make", str(article), "-o", str(out), "--length", "8", "--aspect", aspect, "--fps", "24", cache=cache_root)
        assert run.code == 0, run.stderr
        video = probe(out).first("video")
        assert (video.width, video.height) == size
