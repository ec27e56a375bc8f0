"""Shots as Ray tasks on a real local cluster: a head and a second node, each a separate
raylet with one CPU, started by the test. The same article made through the cluster and
in-process must give the same shots (content hashes), a verifying video, and survive a worker
killed in the middle of a shot."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SHORT_ARTICLE, cli_env, processes, run_cli

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def cluster():
    """A two-node Ray cluster on this machine (head + one worker node, one CPU each)."""
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    yield cluster
    cluster.shutdown()


@pytest.fixture(scope="module")
def article(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ray-article") / "library.md"
    path.write_text(SHORT_ARTICLE, encoding="utf-8")
    return path


def shots_of(video: Path) -> list[tuple[str, str, str, int]]:
    record = json.loads(video.with_suffix(".record.json").read_text(encoding="utf-8"))
    return [(s["id"], s["audio_key"], s["video_key"], s["frames"]) for s in record["shots"]]


@pytest.fixture(scope="module")
def in_process(article, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("in-process")
    video = folder / "library.mp4"
    run = run_cli("make", str(article), "-o", str(video), "--length", "20", cache=folder / "cache")
    assert run.code == 0, run.stderr
    return video


def test_the_cluster_makes_the_same_shots_and_a_verifying_video(cluster, article, in_process, tmp_path):
    video = tmp_path / "library.mp4"
    # An empty cache: every narration and render runs as a task on the cluster's two nodes.
    run = run_cli("make", str(article), "-o", str(video), "--length", "20", "--ray", cluster.address, "-q",
                  cache=tmp_path / "cache")
    assert run.code == 0, run.stderr
    assert shots_of(video) == shots_of(in_process)
    record = json.loads(video.with_suffix(".record.json").read_text(encoding="utf-8"))
    assert not any(s["audio_cached"] or s["video_cached"] for s in record["shots"])
    assert "ray_address" not in record["settings"]  # a cluster's address is not published in the signed record
    check = run_cli("verify", str(video), cache=tmp_path / "cache")
    assert check.code == 0, check.stdout
    # Again on the same cache: nothing is sent to the cluster, every shot comes from the cache.
    again = run_cli("make", str(article), "-o", str(tmp_path / "again.mp4"), "--length", "20", "--ray", cluster.address,
                    "-q", cache=tmp_path / "cache")
    assert again.code == 0, again.stderr
    record = json.loads((tmp_path / "again.record.json").read_text(encoding="utf-8"))
    assert all(s["audio_cached"] and s["video_cached"] for s in record["shots"])


def _rendering_workers() -> list[int]:
    """Ray worker processes encoding a shot now: our shot workers with an ffmpeg child."""
    running = processes()
    workers = {pid for pid, _, cmdline in running if cmdline.startswith("ray::") and "Agent" not in cmdline}
    return sorted({parent for _, parent, cmdline in running if "ffmpeg" in cmdline and parent in workers})


def test_a_worker_killed_mid_shot_is_retried_and_changes_nothing(cluster, article, in_process, tmp_path):
    video = tmp_path / "library.mp4"
    env = cli_env(tmp_path / "cache")
    make = subprocess.Popen([sys.executable, "-m", "explainer", "make", str(article), "-o", str(video), "--length", "20",
                             "--ray", cluster.address, "-q"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and make.poll() is None and time.monotonic() < deadline:
        workers = _rendering_workers()
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            killed = workers[0]
        time.sleep(0.05)
    out, err = make.communicate(timeout=300)
    assert killed is not None, "no shot was seen rendering"
    assert make.returncode == 0, err.decode()
    assert shots_of(video) == shots_of(in_process)
    assert run_cli("verify", str(video), cache=tmp_path / "cache").code == 0
    # Nothing half-written: only whole entries, no temporary files left in the cache.
    assert not list((tmp_path / "cache").rglob("*.tmp*"))


def test_an_unreachable_cluster_is_one_line(article, tmp_path):
    run = run_cli("make", str(article), "-o", str(tmp_path / "x.mp4"), "--length", "20", "--ray", "127.0.0.1:9",
                  cache=tmp_path / "cache", timeout=120)
    assert run.code == 2, run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("error: cannot reach the Ray cluster at 127.0.0.1:9")
    assert "Traceback" not in run.stderr and not (tmp_path / "x.mp4").exists()


def test_a_course_fans_out_on_the_cluster_and_builds_the_same_lessons(cluster, tmp_path):
    import shutil

    source = Path(__file__).parent / "data" / "course"
    shutil.copytree(source, tmp_path / "src")
    built = {}
    for how, extra in (("here", []), ("ray", ["--ray", cluster.address])):
        out = tmp_path / how
        run = run_cli("lesson", str(tmp_path / "src" / "syllabus.md"), "-o", str(out), "--length", "10", *extra,
                      cache=tmp_path / f"cache-{how}", timeout=900)
        assert run.code == 0, run.stderr
        assert "4 built" in run.stderr
        built[how] = {folder.name: shots_of(folder / "lesson.mp4") for folder in sorted((out / "lessons").iterdir())}
    assert len(built["ray"]) == 4 and built["ray"] == built["here"]


def _shot_workers() -> list[int]:
    return [pid for pid, _, cmdline in processes() if cmdline.startswith("ray::_ShotWorker")]


def test_the_service_makes_its_videos_on_the_cluster_and_stops_cleanly(cluster, tmp_path):
    import httpx

    from tests.test_service import Server, wait_for

    server = Server(tmp_path, ray=cluster.address)
    token = server.token("ed", "editor")
    server.start()
    try:
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            job = c.post("/v1/requests", json={"text": SHORT_ARTICLE, "length": 10, "review": False}).json()
            assert wait_for(c, job["id"], {"done", "failed"}, timeout=600)["status"] == "done"
            video = tmp_path / "job.mp4"
            video.write_bytes(c.get(f"/v1/requests/{job['id']}/video").content)
        # The service's shot workers run on the cluster's two nodes while it serves.
        assert len(_shot_workers()) == 2
    finally:
        server.stop()
    assert run_cli("verify", str(video), cache=tmp_path / "cache").code == 0
    # SIGTERM: the process exits by itself (uvicorn shuts down, then re-raises the signal, which
    # Ray's handler, installed because Ray was joined on the main thread, turns into exit status
    # 15); a crash would be killed by a signal (negative); no dump, the shot workers gone.
    assert server.proc.returncode in (0, signal.SIGTERM), server.log.read_text()[-800:]
    log = server.log.read_text()
    assert "SIGTERM received" not in log and "Traceback" not in log, log[-800:]
    deadline = time.monotonic() + 30
    while _shot_workers() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _shot_workers()
