"""Pure parts, tested without media: sentences, captions, frames, planning, settings, YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer.assembly.captions import MAX_CHARS, TimedPhrase, build_cues, split_words, to_srt, to_vtt, wrap_lines
from explainer.errors import InputError, OutputError, ShotListError
from explainer.outputs import OutputPaths, atomic_outputs
from explainer.planning import PlanSettings, get_planner
from explainer.planning.figures import key_figure, on_screen_text
from explainer.planning.textrank import textrank
from explainer.rendering.palette import PALETTES, contrast_ratio, palette_for
from explainer.sources.sentences import split_sentences
from explainer.settings import load_settings
from explainer.shotlist import dump_shotlist, parse_shotlist
from explainer.sources import parse_source
from explainer.assembly.timing import frames_for, shot_starts

from .conftest import SAMPLE, SHORT_ARTICLE


def test_sentences_respect_abbreviations_and_numbers():
    text = 'Dr. Ruiz spoke at 6 p.m. on Tuesday. The plan costs $4.2 million. "It is over," she said. Next, the U.S. Army came.'
    assert split_sentences(text) == [
        "Dr. Ruiz spoke at 6 p.m. on Tuesday.",
        "The plan costs $4.2 million.",
        '"It is over," she said.',
        "Next, the U.S. Army came.",
    ]


def test_source_ids_title_and_hash():
    source = parse_source(SHORT_ARTICLE.encode(), "library.md")
    assert source.title == "Library extends weekend hours"
    assert list(source.sentences)[:3] == ["s1", "s2", "s3"]
    assert source.sentences["s1"].startswith("The Oakdale Public Library will stay open until 8 p.m.")
    import hashlib

    assert source.sha256 == hashlib.sha256(SHORT_ARTICLE.encode()).hexdigest()


def test_wrap_lines_balances_and_refuses_overflow():
    words = "Council members voted six to one to approve the contract".split()
    lines = wrap_lines(words)
    assert lines is not None and len(lines) == 2
    assert all(len(line) <= MAX_CHARS for line in lines)
    assert wrap_lines(("word " * 30).split()) is None


def test_split_words_balances_cues():
    words = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu " * 3).split()
    groups = split_words(words)
    assert sum(len(g) for g in groups) == len(words)
    lengths = [len(" ".join(g)) for g in groups]
    assert max(lengths) - min(lengths) < 30  # no stub cue at the end


def test_cues_keep_minimum_length_without_overlap():
    phrases = [TimedPhrase("Yes.", 0.0, 0.3), TimedPhrase("The bridge reopens in May next year.", 0.6, 2.6)]
    cues = build_cues(phrases)
    assert " ".join(c.text for c in cues) == "Yes. The bridge reopens in May next year."
    for a, b in zip(cues, cues[1:]):
        assert a.end_s <= b.start_s
    assert all(c.end_s - c.start_s >= 1.0 for c in cues)


def test_vtt_and_srt_formats():
    cues = build_cues([TimedPhrase("One two three four.", 1.0, 62.5)])
    assert to_vtt(cues).startswith("WEBVTT\n\n00:00:01.000 --> 00:01:02.500\nOne two three four.")
    assert to_srt(cues).startswith("1\n00:00:01,000 --> 00:01:02,500\nOne two three four.")


def test_frames_cover_the_narration():
    assert frames_for(2.0, 30) == 60
    assert frames_for(2.001, 30) == 61
    assert frames_for(0.01, 30) == 1
    assert shot_starts([30, 45, 15], 30) == [0.0, 1.0, 2.5]
    with pytest.raises(ValueError):
        frames_for(0, 30)


def test_key_figures():
    assert key_figure("The state will pay $11.2 million of the cost.") == "$11.2 million"
    assert key_figure("Sales dropped by 30 percent in 2019.") == "30 percent"
    assert key_figure("Drivers will take the Route 9 bridge.") is None
    assert on_screen_text("It will add 8 to 12 minutes to a commute.") == "8 to 12 minutes"



@pytest.mark.parametrize(
    "sentence, expected",
    [
        # Real sentences (BBC, The Guardian, Buzzfeed, Ars Technica) whose on-screen text used to be
        # their opening words or a bare number phrase.
        ("Eloise Parry, 21, was taken to Royal Shrewsbury hospital on 12 April.", "Eloise Parry"),
        ("Seven decades later, Parata, 75, has now overseen more than 500 strandings.", "500 strandings"),
        ("November started with 140 pilot whales beaching and dying on Stewart Island.", "140 pilot whales"),
        ("Mr Obama lands in Kenya later on Friday for his first visit since becoming president.", "Mr Obama"),
        ("The city of Phoenix's water plan was approved.", "Phoenix's water plan"),
    ],
)
def test_on_screen_text_is_a_labelled_figure_a_name_or_a_term(sentence, expected):
    assert on_screen_text(sentence) == expected


def test_textrank_prefers_central_sentences():
    sentences = [
        "The bridge will close for repairs next year.",
        "Bridge repairs will cost the city millions.",
        "The bridge repairs were approved by the council.",
        "Weather was sunny.",
    ]
    scores = textrank(sentences)
    assert scores.argmin() == 3
    assert abs(scores.sum() - 1) < 1e-6


@pytest.mark.parametrize("length", [20, 60, 120])
def test_extractive_plan_fills_length_in_article_order(length):
    source = parse_source(SAMPLE.read_bytes(), SAMPLE.name)
    shotlist = get_planner("extractive").plan(source, PlanSettings(length_s=length))
    refs = [int(r[1:]) for shot in shotlist.shots for r in shot.source_refs]
    assert refs == sorted(refs)
    assert all(1 <= len(shot.source_refs) <= 2 for shot in shotlist.shots)
    words = sum(len(s.narration.split()) for s in shotlist.shots)
    estimated = words / 3.0 + 0.3 * len(refs) + 0.6 * len(shotlist.shots)
    assert length * 0.6 <= estimated <= length * 1.1
    assert "s1" in refs or refs[0] == 1  # the lead is kept


def test_max_shots_is_respected():
    source = parse_source(SAMPLE.read_bytes(), SAMPLE.name)
    shotlist = get_planner("extractive").plan(source, PlanSettings(length_s=120, max_shots=3))
    assert len(shotlist.shots) <= 3


def test_shot_list_round_trips_through_yaml():
    source = parse_source(SAMPLE.read_bytes(), SAMPLE.name)
    shotlist = get_planner("extractive").plan(source, PlanSettings(length_s=60))
    assert parse_shotlist(dump_shotlist(shotlist)) == shotlist


def test_shot_list_error_names_shot_and_field():
    source = parse_source(SHORT_ARTICLE.encode(), "a.md")
    text = dump_shotlist(get_planner("extractive").plan(source, PlanSettings(length_s=20)))
    broken = text.replace("seed:", "seed: -4 #", 1)
    with pytest.raises(ShotListError, match=r"shot 1 \(shot-01\), field 'seed'"):
        parse_shotlist(broken, "x.yaml")


def test_palettes_have_readable_contrast():
    for p in PALETTES:
        for ground in (p.top, p.bottom):
            assert contrast_ratio(p.text, ground) >= 4.5, p.name
            assert contrast_ratio(p.muted, ground) >= 4.5, p.name
    assert palette_for("A title") == palette_for("A title")


def test_settings_layers_flags_over_env_over_file(tmp_path):
    config = tmp_path / "explainer.toml"
    config.write_text('[explainer]\nfps = 24\nlength = 90\naspect = "1:1"\n', encoding="utf-8")
    env = {"EXPLAINER_LENGTH": "45", "EXPLAINER_CACHE_DIR": str(tmp_path)}
    settings = load_settings({"aspect": "9:16"}, env=env, config_path=config)
    assert (settings.fps, settings.length, settings.aspect, settings.cache_dir) == (24, 45.0, "9:16", tmp_path)
    with pytest.raises(InputError, match="setting 'fps' from environment"):
        load_settings({}, env={"EXPLAINER_FPS": "fast"}, config_path=config)
    config.write_text("colour = 'red'\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown setting 'colour'"):
        load_settings({}, env={}, config_path=config)


def test_output_paths_and_atomic_writes(tmp_path):
    paths = OutputPaths.for_video(tmp_path / "story.mp4")
    assert [p.name for p in paths.all()] == ["story.vtt", "story.srt", "story.descriptions.vtt", "story.shots.yaml", "story.record.json", "story.mp4"]
    with pytest.raises(RuntimeError):
        with atomic_outputs(paths.all()) as temp:
            temp[paths.vtt].write_text("WEBVTT")
            raise RuntimeError("ffmpeg died")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OutputError, match="was not produced"):
        with atomic_outputs([paths.video, paths.vtt]) as temp:
            temp[paths.vtt].write_text("WEBVTT")
    assert list(tmp_path.iterdir()) == []


def test_overall_source_type_rules():
    from provenance.manifest import ALGORITHMIC, CAPTURE, COMPOSITE, COMPOSITE_TRAINED, TRAINED, overall_source_type

    assert overall_source_type([ALGORITHMIC, TRAINED]) == TRAINED  # cards + AI voice: all generated
    assert overall_source_type([TRAINED]) == TRAINED
    assert overall_source_type([TRAINED, CAPTURE]) == COMPOSITE_TRAINED  # real footage mixed in
    assert overall_source_type([ALGORITHMIC]) == ALGORITHMIC
    assert overall_source_type([ALGORITHMIC, CAPTURE]) == COMPOSITE
    with pytest.raises(ValueError):
        overall_source_type([])


def test_manifest_definition_links_actions_to_ingredients(tmp_path):
    from provenance.manifest import ALGORITHMIC, TRAINED, Component, ManifestSpec, manifest_definition

    spec = ManifestSpec(
        title="T", format="video/mp4", software_name="Explainer", software_version="9",
        components=[Component(tmp_path / "a.mp4", "a", "video/mp4", ALGORITHMIC, "shot-01-video")],
        source_text=b"text", assertions={"org.explainer.shots": {"shots": []}},
    )
    definition = manifest_definition(spec)
    actions = definition["assertions"][0]["data"]["actions"]
    assert actions[0]["action"] == "c2pa.created" and actions[0]["digitalSourceType"] == ALGORITHMIC
    assert actions[1] == {
        "action": "c2pa.placed", "digitalSourceType": ALGORITHMIC,
        "parameters": {"ingredientIds": ["shot-01-video"]}, "softwareAgent": {"name": "Explainer", "version": "9"},
    }
    assert definition["ingredients"][0]["relationship"] == "inputTo"
    correction = manifest_definition(ManifestSpec(**{**spec.__dict__, "parent": tmp_path / "old.mp4", "correction": "Fixed"}))
    kinds = [a["action"] for a in correction["assertions"][0]["data"]["actions"]]
    assert kinds[:2] == ["c2pa.opened", "c2pa.edited"]
    assert correction["assertions"][0]["data"]["actions"][1]["description"] == "Fixed"
    assert TRAINED not in str(definition)  # nothing claims a trained model where none was used


def test_common_words_that_look_like_abbreviations_end_sentences():
    assert split_sentences("It is driven by the sun. The sun heats water. They sat. Then they left.") == [
        "It is driven by the sun.", "The sun heats water.", "They sat.", "Then they left.",
    ]
    assert split_sentences("The vote is on Wed. Feb. 3 at noon.") == ["The vote is on Wed. Feb. 3 at noon."]


def test_cache_cleans_only_what_dead_writers_left(tmp_path):
    import subprocess
    import sys

    from explainer.cache import Cache, writer_tag

    cache = Cache(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    ours = cache.temp_path("video", "ab" * 32, ".mp4")
    ours.write_bytes(b"in progress")
    # The same name a process that has exited would have used, and one of another host.
    orphan = ours.with_name(ours.name.replace(writer_tag(), writer_tag().split("-")[0] + "-" + dead))
    orphan.write_bytes(b"half")
    elsewhere = ours.with_name(ours.name.replace(writer_tag(), "0f0f0f-" + dead))
    elsewhere.write_bytes(b"another host's work")
    finished = cache.temp_path("audio", "ef" * 32, ".wav")
    finished.write_bytes(b"x")
    done = cache.commit(finished, "audio", "ef" * 32, ".wav")
    assert cache.clean_partials() == 1
    assert not orphan.exists() and ours.exists() and elsewhere.exists() and done.exists()
