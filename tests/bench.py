"""`make bench`: the demo article to a 60 s explainer on a clean cache, measured.

Every figure is the median of RUNS runs. Each run is a fresh process with an empty cache,
so nothing is warm but the operating system's file cache. Results go to stdout as a table
and to bench-results.json.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "explainer" / "samples" / "riverside-bridge.md"
RUNS = 3
TARGETS = {"realtime_factor": (">=", 4.0), "peak_rss_mb": ("<=", 1500.0)}

def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def one_run(length: float, source: Path = SAMPLE) -> dict:
    """One clean-cache run of `explainer make` in a fresh process, its memory sampled."""
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as tmp:
        folder = Path(tmp)
        out = folder / "bench.mp4"
        env = dict(os.environ, EXPLAINER_CACHE_DIR=str(folder / "cache"))
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "explainer", "make", str(source), "-o", str(out), "--length", str(length), "-q"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        )
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"bench run failed: {proc.stderr.read().decode().strip()}")
        record = json.loads(out.with_suffix(".record.json").read_text())
    return {"video_s": record["duration_s"], "wall_s": wall, "stages": record["timings_s"], "peak_rss_mb": peak}


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def provenance_bench(folder: Path) -> dict:
    """Sign and verify a ~100 MB MP4 against sha256sum of the same file, in the same run."""
    import shutil

    from explainer.media import ffmpeg_exe
    from provenance import TRAINED, Component, LocalKeySigner, ManifestSpec, init_identity, load_credentials, local_paths, sign_file, verify

    big = folder / "big.mp4"
    # Noise does not compress: 60 s of it at this bitrate is about 100 MB.
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=60",
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "14M", "-maxrate", "14M", "-bufsize", "28M",
         "-pix_fmt", "yuv420p", str(big)],
        check=True,
    )
    keys = init_identity(folder / "keys")
    chain, key, root = local_paths(keys)
    signer = LocalKeySigner(load_credentials(chain, key))
    part = folder / "part.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=1:duration=1",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", str(part)], check=True)
    spec = ManifestSpec(title="bench", format="video/mp4", software_name="Explainer", software_version="bench",
                        components=[Component(part, "part", "video/mp4", TRAINED, "part")])
    signed = folder / "signed.mp4"
    anchors = root.read_text()
    sha = shutil.which("sha256sum")
    if sha:
        hash_cmd = lambda: subprocess.run([sha, str(big)], capture_output=True, check=True)  # noqa: E731
    else:
        import hashlib

        hash_cmd = lambda: hashlib.file_digest(big.open("rb"), "sha256")  # noqa: E731
    samples = {"sign_s": [], "verify_s": [], "sha256_s": []}
    for _ in range(RUNS):
        samples["sha256_s"].append(_timed(hash_cmd))
        samples["sign_s"].append(_timed(lambda: sign_file(big, signed, spec, signer)))
        samples["verify_s"].append(_timed(lambda: verify(signed, anchors)))
    result = {k: round(statistics.median(v), 3) for k, v in samples.items()}
    result["size_mb"] = round(big.stat().st_size / 1e6, 1)
    result["sign_ratio"] = round(statistics.median(a / b for a, b in zip(samples["sign_s"], samples["sha256_s"])), 2)
    result["verify_ratio"] = round(statistics.median(a / b for a, b in zip(samples["verify_s"], samples["sha256_s"])), 2)
    return result


def llm_bench() -> dict:
    """Planning the demo article with the embedded SmolLM2 model, and its output speed."""
    from explainer.planning import PlanSettings
    from explainer.planning.llm import LLMConfig, LLMPlanner, chat_session
    from explainer.planning.local_llm import bundled_model_path
    from explainer.source import load_source

    source = load_source(str(SAMPLE))
    config = LLMConfig(provider="local", model_path=bundled_model_path())
    planner = LLMPlanner(lambda: chat_session(config), config.label)
    walls, rates = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        planner.plan(source, PlanSettings(length_s=60))
        wall = time.perf_counter() - started
        walls.append(wall)
        rates.append(planner.output_tokens / wall)
    return {
        "model": config.label,
        "plan_s": round(statistics.median(walls), 2),
        "tokens_per_s": round(statistics.median(rates), 1),
        "method": planner.method,
    }


def main() -> None:
    """Run the benchmark and print the table."""
    runs = [one_run(60) for _ in range(RUNS)]
    median = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    video_s, wall_s = median("video_s"), median("wall_s")
    stage_names = ("plan", "narrate", "render", "assemble")
    e2e = {
        "video_s": round(video_s, 2),
        "wall_s": round(wall_s, 2),
        "realtime_factor": round(statistics.median(r["video_s"] / r["wall_s"] for r in runs), 2),
        "peak_rss_mb": round(median("peak_rss_mb"), 1),
        "stages_s": {s: round(statistics.median(r["stages"].get(s, 0.0) for r in runs), 2) for s in stage_names},
        "runs": RUNS,
    }
    with tempfile.TemporaryDirectory(prefix="explainer-bench-c2pa-") as tmp:
        prov = provenance_bench(Path(tmp))
    llm = llm_bench()
    results = {"e2e": e2e, "provenance": prov, "llm_plan": llm}
    Path(REPO / "bench-results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'figure':<18}{'median':>10}  target")
    for key in ("video_s", "wall_s", "realtime_factor", "peak_rss_mb"):
        op, target = TARGETS.get(key, ("", None))
        verdict = ""
        if target is not None:
            ok = e2e[key] >= target if op == ">=" else e2e[key] <= target
            verdict = f"{op} {target:g}  {'pass' if ok else 'MISS'}"
        print(f"{key:<18}{e2e[key]:>10}  {verdict}")
    for stage, seconds in e2e["stages_s"].items():
        print(f"  {stage + ' (s)':<16}{seconds:>10}")
    print(f"(median of {RUNS} clean-cache runs; stage seconds overlap because shots render in parallel)")
    print()
    print(f"provenance, {prov['size_mb']} MB MP4: sign {prov['sign_s']} s, verify {prov['verify_s']} s, sha256sum {prov['sha256_s']} s")
    print(f"llm planning ({llm['model']}, via {llm['method']}): {llm['plan_s']} s, {llm['tokens_per_s']} tokens/s"
          " (wall time includes loading the model; tokens/s counts written tokens over that wall time)")
    for key in ("sign_ratio", "verify_ratio"):
        print(f"{key:<18}{prov[key]:>10}  <= 2  {'pass' if prov[key] <= 2 else 'MISS'}")


if __name__ == "__main__":
    main()
