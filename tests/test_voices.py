"""Real Piper synthesis with the bundled voice."""

from __future__ import annotations

import hashlib

import numpy as np
import pyloudnorm
import pytest

from voices import PiperNarrator, VoiceError, list_voices, read_wav, resolve_voice

from .conftest import run_cli


@pytest.fixture(scope="module")
def narrator() -> PiperNarrator:
    return PiperNarrator(resolve_voice("joe"))


def test_synthesis_is_deterministic_timed_and_web_loud(narrator, tmp_path):
    phrases = ["The bridge closes on March 3.", "Drivers will take the Route 9 detour."]
    a = narrator.synthesize(phrases, tmp_path / "a.wav")
    b = narrator.synthesize(phrases, tmp_path / "b.wav")
    assert hashlib.sha256((tmp_path / "a.wav").read_bytes()).digest() == hashlib.sha256((tmp_path / "b.wav").read_bytes()).digest()
    samples, rate = read_wav(a.path)
    assert rate == 22050
    assert abs(len(samples) / rate - a.duration_s) < 1e-9
    assert [s.text for s in a.segments] == phrases
    first, second = a.segments
    assert 0 < first.start_s < first.end_s < second.start_s < second.end_s < a.duration_s
    # Speech fills the segment, silence the gap between them.
    gap = samples[int(first.end_s * rate) + 50 : int(second.start_s * rate) - 50]
    assert np.abs(gap).max() < 1e-3
    assert np.abs(samples[int(first.start_s * rate) : int(first.end_s * rate)]).max() > 0.1
    loudness = pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64))
    assert -17.5 <= loudness <= -14.5
    assert np.abs(samples).max() <= 10 ** (-1.5 / 20) + 1e-3
    assert b.segments == a.segments


def test_nothing_speakable_is_an_error(narrator, tmp_path):
    with pytest.raises(VoiceError, match="nothing speakable"):
        narrator.synthesize(["   "], tmp_path / "x.wav")


def test_voice_by_path_and_unknown_voice(tmp_path):
    joe = resolve_voice("joe")
    by_path = resolve_voice(str(joe.model_path))
    assert by_path.model_sha256 == joe.model_sha256
    with pytest.raises(VoiceError, match="unknown voice 'zed'"):
        resolve_voice("zed")
    lonely = tmp_path / "lonely.onnx"
    lonely.write_bytes(b"x")
    with pytest.raises(VoiceError, match="config .* is missing"):
        resolve_voice(str(lonely))


def test_voices_command_lists_bundled_voice(tmp_path):
    run = run_cli("voices", cache=tmp_path)
    assert run.code == 0
    assert run.stdout.startswith("joe (default)\ten_US\t22050 Hz")
    assert [v.name for v in list_voices()] == ["joe"]
