"""Bad input: one line that says what is wrong and what to do, exit code 2, nothing written."""

from __future__ import annotations

import pytest
import yaml

from .conftest import SHORT_ARTICLE, run_cli


def _assert_refused(run, tmp_path, *needles: str) -> None:
    assert run.code == 2, (run.code, run.stderr)
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in run.stderr
    for needle in needles:
        assert needle in lines[0]
    written = [p.name for p in tmp_path.iterdir() if p.suffix in {".mp4", ".vtt", ".srt", ".json"} or ".partial" in p.name]
    assert written == []


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "is empty"),
        (b"   \n\n\t  \n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "is a binary file (a PNG image)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "is a binary file (a PDF)"),
        (b"\x00\x01\x02binary\x00data" * 20, "binary"),
        ("Caf\u00e9 council votes on the new budget today.".encode("latin-1"), "not valid UTF-8"),
        # A paywall stub: a headline and a teaser, no article.
        (b"Council approves bridge plan\n\nSubscribe to keep reading. The city council voted on Tuesday to rebuild the bridge.\n",
         "words of article text"),
    ],
    ids=["empty", "whitespace", "png", "pdf", "binary", "undecodable", "paywall-stub"],
)
def test_unusable_articles(tmp_path, content, needle):
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    run = run_cli("make", str(article), "-o", str(tmp_path / "out.mp4"), cache=tmp_path / "cache")
    _assert_refused(run, tmp_path, needle, "article.txt")


def test_missing_path(tmp_path):
    run = run_cli("make", str(tmp_path / "nope.md"), "-o", str(tmp_path / "out.mp4"), cache=tmp_path / "cache")
    _assert_refused(run, tmp_path, "no such file")


@pytest.mark.parametrize("target", ["/proc/explainer-out.mp4", "missing-folder/out.mp4"])
def test_unwritable_output(tmp_path, target):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    out = target if target.startswith("/") else str(tmp_path / target)
    run = run_cli("make", str(article), "-o", out, cache=tmp_path / "cache")
    _assert_refused(run, tmp_path, "output folder", "choose another -o")
    assert not (tmp_path / "cache").exists()  # refused before any work


def test_bad_option_value(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    run = run_cli("make", str(article), "--length", "-5", cache=tmp_path / "cache")
    _assert_refused(run, tmp_path, "length")


def _planned(tmp_path) -> tuple:
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    shots = tmp_path / "a.shots.yaml"
    assert run_cli("plan", str(article), "-o", str(shots), "--length", "20", cache=tmp_path / "cache").code == 0
    return shots, yaml.safe_load(shots.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("edit", "needles"),
    [
        (lambda d: d["shots"][1].pop("narration"), ["shot 2 (shot-02)", "'narration'", "missing"]),
        (lambda d: d["shots"][0].update(duration_s=-3), ["shot 1 (shot-01)", "'duration_s'", "greater than or equal to 0"]),
        (lambda d: d.update(voice="no-such-voice"), ["field 'voice'", "unknown voice 'no-such-voice'", "explainer voices"]),
        (lambda d: d["shots"][0].update(source_refs=["s999"]), ["shot-01", "s999"]),
        (lambda d: d["shots"][1].update(naration="typo"), ["shot 2 (shot-02)", "'naration'", "not a known field"]),
    ],
    ids=["missing-field", "negative-duration", "unknown-voice", "unknown-ref", "unknown-field"],
)
def test_bad_shot_list_edits(tmp_path, edit, needles):
    shots, data = _planned(tmp_path)
    edit(data)
    shots.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    run = run_cli("render", str(shots), "-o", str(tmp_path / "out.mp4"), cache=tmp_path / "cache")
    _assert_refused(run, tmp_path, *needles)


def test_shot_list_that_is_not_yaml(tmp_path):
    shots = tmp_path / "broken.yaml"
    shots.write_text("title: [unclosed\nshots: - x", encoding="utf-8")
    run = run_cli("render", str(shots), "-o", str(tmp_path / "out.mp4"), cache=tmp_path / "cache")
    _assert_refused(run, tmp_path, "not valid YAML", "line")


def test_unknown_voice_flag(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    run = run_cli("make", str(article), "-o", str(tmp_path / "o.mp4"), "--voice", "nobody", cache=tmp_path / "cache")
    _assert_refused(run, tmp_path, "unknown voice 'nobody'")


def test_debug_shows_the_traceback(tmp_path):
    run = run_cli("make", str(tmp_path / "nope.md"), "--debug", cache=tmp_path / "cache")
    assert run.code != 0
    assert "Traceback" in run.stderr
