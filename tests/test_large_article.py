"""A 5 MB article is planned within --length, not choked on."""

from __future__ import annotations

import yaml

from .conftest import run_cli

PARAGRAPH = (
    "The county road department repaved {n} miles of rural roads in district {d} this season. "
    "Crews worked on {n} bridges and replaced {d} culverts, the department said in report number {n}. "
    "Residents in district {d} had asked for the work at {n} public meetings.\n\n"
)


def test_five_megabyte_article_plans_within_length(tmp_path):
    article = tmp_path / "huge.txt"
    parts = ["County roads report\n\n"]
    size = 0
    n = 0
    while size < 5 * 1024 * 1024:
        block = PARAGRAPH.format(n=n, d=n % 17)
        parts.append(block)
        size += len(block)
        n += 1
    article.write_text("".join(parts), encoding="utf-8")
    shots = tmp_path / "huge.shots.yaml"
    run = run_cli("plan", str(article), "-o", str(shots), "--length", "30", cache=tmp_path / "cache", timeout=120)
    assert run.code == 0, run.stderr
    data = yaml.safe_load(shots.read_text(encoding="utf-8"))
    words = sum(len(s["narration"].split()) for s in data["shots"])
    assert 30 <= words <= 30 * 3.0 * 1.1  # fills the target at ~3 words/s, does not overrun
    assert len(data["source"]["sentences"]) > 50_000
