"""`make bench` scale section: what running on Ray and on several service processes costs and
gives, on this 2-core machine.

- the demo explainer (60 s) in-process against ``--ray`` on a running local cluster (clean
  caches, alternating runs, the fastest of each), and what starting a local instance adds;
- the 4-lesson course on a cluster of one node against two (one CPU each): throughput ratio;
- 20 service requests with one ``serve`` process against two, on one PostgreSQL database;
- per-shot costs from the records, for the shots-per-hour-per-node figures in docs/cluster.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .bench import SAMPLE

REPO = Path(__file__).resolve().parent.parent
RUNS = 2


def _timed(args: list[str], cache: Path, data: Path | None = None) -> float:
    env = dict(os.environ, EXPLAINER_CACHE_DIR=str(cache), EXPLAINER_DATA_DIR=str(data or cache / "data"))
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "explainer", *args, "-q"], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise SystemExit(f"scale bench: {' '.join(args[:2])} failed: {run.stderr.strip()[-400:]}")
    return time.perf_counter() - started


def _explainer(folder: Path) -> dict:
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
    try:
        best = {"in-process": float("inf"), "ray": float("inf")}
        record = {}
        for run in range(RUNS):
            for how, extra in (("in-process", []), ("ray", ["--ray", cluster.address])):
                out = folder / f"{how}-{run}.mp4"
                wall = _timed(["make", str(SAMPLE), "-o", str(out), *extra], folder / f"cache-{how}-{run}")
                best[how] = min(best[how], wall)
                record[how] = json.loads(out.with_suffix(".record.json").read_text())
    finally:
        cluster.shutdown()
    # `--ray` with no address: a local instance started (and stopped) by the run itself.
    local = _timed(["make", str(SAMPLE), "-o", str(folder / "local.mp4"), "--ray"], folder / "cache-local")
    shots = record["in-process"]["shots"]
    timings = record["in-process"]["timings_s"]
    return {
        "video_s": record["in-process"]["duration_s"],
        "in_process_s": round(best["in-process"], 2),
        "ray_running_cluster_s": round(best["ray"], 2),
        "ray_overhead_share": round(best["ray"] / best["in-process"] - 1, 3),
        "ray_local_instance_s": round(local, 2),
        "same_shots": [(s["audio_key"], s["video_key"]) for s in shots]
        == [(s["audio_key"], s["video_key"]) for s in record["ray"]["shots"]],
        "shots": len(shots),
        # Per-shot costs on one core, in-process (stage seconds are summed over shots).
        "narrate_s_per_shot": round(timings.get("narrate", 0.0) / len(shots), 3),
        "render_s_per_shot": round(timings.get("render", 0.0) / len(shots), 3),
    }


def _course(folder: Path) -> dict:
    from ray.cluster_utils import Cluster

    source = folder / "course-src"
    shutil.copytree(REPO / "tests" / "data" / "course", source)
    walls = {}
    for nodes in (1, 2):
        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
        try:
            for _ in range(nodes - 1):
                cluster.add_node(num_cpus=1)
            cluster.wait_for_nodes()
            walls[nodes] = _timed(["lesson", str(source / "syllabus.md"), "-o", str(folder / f"course-{nodes}"), "--length", "30",
                                   "--ray", cluster.address], folder / f"cache-course-{nodes}")
        finally:
            cluster.shutdown()
    return {"lessons": 4, "one_node_s": round(walls[1], 2), "two_nodes_s": round(walls[2], 2),
            "throughput_ratio": round(walls[1] / walls[2], 2)}


def _service(folder: Path, requests: int = 20) -> dict:
    import httpx

    from .conftest import SHORT_ARTICLE
    from .postgres import Postgres
    from .test_service import Server, wait_for

    postgres = Postgres().start()
    rates = {}
    try:
        for processes in (1, 2):
            database = postgres.database()
            root = folder / f"service-{processes}"
            root.mkdir()
            first = Server(root, database=database, name="first")
            first.tokens = {"ed": first.token("ed", "editor")}
            servers = [first] + [Server(root, database=database, shares=first, name=f"p{n}") for n in range(1, processes)]
            for server in servers:
                server.start()
            try:
                started = time.perf_counter()

                def submit(n: int) -> str:
                    server = servers[n % processes]
                    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {first.tokens['ed']}"}, timeout=60) as c:
                        body = {"text": SHORT_ARTICLE.replace("June 1", f"June {n + 1}"), "length": 10, "review": False}
                        return c.post("/v1/requests", json=body).json()["id"]

                with ThreadPoolExecutor(max_workers=requests) as pool:
                    ids = list(pool.map(submit, range(requests)))
                with httpx.Client(base_url=first.url, headers={"Authorization": f"Bearer {first.tokens['ed']}"}, timeout=60) as c:
                    statuses = [wait_for(c, job_id, {"done", "failed"}, timeout=1800)["status"] for job_id in ids]
                wall = time.perf_counter() - started
                if statuses != ["done"] * requests:
                    raise SystemExit(f"scale bench: service jobs ended {statuses}")
                rates[processes] = requests / wall * 60
            finally:
                for server in servers:
                    server.stop()
    finally:
        postgres.stop()
    return {"requests": requests, "per_min_one_process": round(rates[1], 2), "per_min_two_processes": round(rates[2], 2),
            "ratio": round(rates[2] / rates[1], 2)}


def scale_bench(folder: Path) -> dict:
    """All three measurements."""
    return {"explainer": _explainer(folder), "course": _course(folder), "service": _service(folder)}


def print_scale(result: dict) -> None:
    """The scale section's lines."""
    e, c, s = result["explainer"], result["course"], result["service"]
    print(f"scale: {e['video_s']} s explainer in-process {e['in_process_s']} s, --ray on a running local cluster "
          f"{e['ray_running_cluster_s']} s (overhead {e['ray_overhead_share']:.0%}, target <= 15%), --ray starting its own "
          f"{e['ray_local_instance_s']} s; same shots: {e['same_shots']}")
    print(f"  per shot in-process: narrate {e['narrate_s_per_shot']} s, render {e['render_s_per_shot']} s")
    print(f"  4-lesson course: 1 node {c['one_node_s']} s, 2 nodes {c['two_nodes_s']} s, throughput x{c['throughput_ratio']}")
    print(f"  service, {s['requests']} requests on PostgreSQL: 1 process {s['per_min_one_process']}/min, "
          f"2 processes {s['per_min_two_processes']}/min (x{s['ratio']})")
