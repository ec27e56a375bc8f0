"""Progress bars on a terminal, none off it; Ctrl-C leaves nothing behind."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time

from .conftest import SAMPLE, SHORT_ARTICLE, cli_env, run_cli


def test_progress_bars_on_a_terminal_only(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    # Off a terminal: no bars at all.
    run = run_cli("make", str(article), "-o", str(tmp_path / "plain.mp4"), "--length", "10", cache=cache)
    assert run.code == 0
    assert "Rendering" not in run.stderr and "━" not in run.stderr

    # On a terminal (a real pseudo-terminal): a bar per stage.
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "explainer", "make", str(article), "-o", str(tmp_path / "tty.mp4"), "--length", "10"],
        stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=cli_env(cache) | {"COLUMNS": "100"},
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    screen = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0
    for stage in ("Narrating", "Rendering", "Assembling"):
        assert stage in screen


def test_ctrl_c_mid_render_writes_nothing(tmp_path):
    # The 60 s sample (seven shots), not the short article: its four shots now render so fast
    # that the run could finish between the first clip and the interrupt.
    article = tmp_path / "a.md"
    article.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    cache = tmp_path / "cache"
    out = tmp_path / "out.mp4"
    proc = subprocess.Popen(
        [sys.executable, "-m", "explainer", "make", str(article), "-o", str(out), "--length", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(cache),
        # As a terminal starts it: a shell that runs the suite in the background ignores SIGINT,
        # which the child would inherit, and Python would then never raise KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Wait for the first finished clip, then interrupt as a user would.
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if (cache / "video").exists() and list((cache / "video").rglob("*.mp4")):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=120)
    # It stops after the shots under way, not after the whole video.
    assert time.monotonic() - started < 10
    assert proc.returncode == 130, stderr.decode()[-800:]
    assert "interrupted: no output was written" in stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "cache"]
    # What finished is kept: the next run starts from the cached shots.
    assert list((cache / "video").rglob("*.mp4"))
    assert not list(cache.rglob("*.tmp*"))
