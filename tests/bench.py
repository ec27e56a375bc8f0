"""`make bench`: the demo article to a 60 s explainer on a clean cache, measured.

Every figure is the median of RUNS runs. Each run is a fresh process with an empty cache,
so nothing is warm but the operating system's file cache. Results go to stdout as a table
and to bench-results.json.
"""

from __future__ import annotations

import hashlib
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
RUNS = int(os.environ.get("EXPLAINER_BENCH_RUNS", "3"))
TARGETS = {"realtime_factor": (">=", 10.0), "peak_rss_mb": ("<=", 1000.0)}

def _tree_rss_mb(pid: int, field: str = "VmRSS:") -> float:
    """Resident memory of a process and all its descendants, from /proc. The sum of RSS
    counts pages the processes share once per process (libraries); ``field="Pss:"`` counts
    each shared page once, split among its sharers. A child between fork (or vfork) and exec
    still runs its parent's program with its parent's pages: the same executable and the same
    resident size. Those pages are the parent's, counted once."""
    total = 0
    stack: list[tuple[int, tuple[str, int] | None]] = [(pid, None)]
    while stack:
        current, parent = stack.pop()
        try:
            status = Path(f"/proc/{current}/{'status' if field == 'VmRSS:' else 'smaps_rollup'}").read_text()
            size = next(int(line.split()[1]) for line in status.splitlines() if line.startswith(field))
            me = (os.readlink(f"/proc/{current}/exe"), size)
            # Read a moment after its parent's, while the parent's other threads allocate: within 2%.
            copy = parent is not None and me[0] == parent[0] and abs(size - parent[1]) <= 0.02 * parent[1]
            total += 0 if copy else size
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend((int(c), me) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def one_run(length: float, source: Path = SAMPLE) -> dict:
    """One clean-cache run of `explainer make` in a fresh process, its memory sampled."""
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as tmp:
        folder = Path(tmp)
        out = folder / "bench.mp4"
        env = dict(os.environ, EXPLAINER_CACHE_DIR=str(folder / "cache"), EXPLAINER_DATA_DIR=str(folder / "data"))
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "explainer", "make", str(source), "-o", str(out), "--length", str(length), "-q"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        )
        peak = peak_pss = 0.0
        ticks = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mb(proc.pid))
            if ticks % 10 == 0:  # PSS walks the page tables: read it every 0.2 s, not to slow the run
                peak_pss = max(peak_pss, _tree_rss_mb(proc.pid, "Pss:"))
            ticks += 1
            time.sleep(0.02)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"bench run failed: {proc.stderr.read().decode().strip()}")
        record = json.loads(out.with_suffix(".record.json").read_text())
    return {"video_s": record["duration_s"], "wall_s": wall, "stages": record["timings_s"], "peak_rss_mb": peak,
            "peak_pss_mb": peak_pss}


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def provenance_bench(folder: Path) -> dict:
    """Sign and verify a ~100 MB MP4 against sha256sum of the same file, in the same run."""
    import shutil

    from explainer.assembly.media import ffmpeg_exe
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
    from explainer.sources import load_source

    source = load_source(str(SAMPLE))
    config = LLMConfig(provider="local", model_path=bundled_model_path())
    planner = LLMPlanner(lambda: chat_session(config), config.label, constrained=True)
    from explainer.errors import PlanError

    walls, rates, failed = [], [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        try:
            planner.plan(source, PlanSettings(length_s=60))
        except PlanError:
            failed += 1  # a small model's reply can be unusable: the pipeline falls back, the bench counts it
        wall = time.perf_counter() - started
        walls.append(wall)
        rates.append(planner.output_tokens / wall)
    return {
        "model": config.label,
        "plan_s": round(statistics.median(walls), 2),
        "tokens_per_s": round(statistics.median(rates), 1),
        "method": planner.method,
        "failed": failed,
        "runs": RUNS,
    }


#: A long real article for the scaling figure (Wikipedia, CC BY-SA; see CORPUS-ATTRIBUTION.md):
#: enough prose for a 600 s explainer of distinct sentences (the plan checks refuse repeats).
LONG_ARTICLE = REPO / "tests" / "data" / "corpus" / "wikipedia-2.html"


def scaling_bench(folder: Path) -> dict:
    """60 s, 180 s and 600 s explainers from one long article, each on a clean cache."""
    article = LONG_ARTICLE
    result: dict = {}
    for length in (60, 180, 600):
        runs = [one_run(length, article) for _ in range(RUNS)]
        result[f"wall_s_{length}"] = round(statistics.median(r["wall_s"] for r in runs), 2)
        result[f"video_s_{length}"] = round(statistics.median(r["video_s"] for r in runs), 1)
    result["ratio_600_vs_60"] = round(result["wall_s_600"] / result["wall_s_60"], 2)
    result["video_ratio_600_vs_60"] = round(result["video_s_600"] / result["video_s_60"], 2)
    return result


def rerender_bench(folder: Path) -> dict:
    """A full render against a re-render after editing one shot's narration."""
    from explainer.cache import Cache
    from explainer.outputs import OutputPaths
    from explainer.pipeline import Pipeline
    from explainer.planning import PlanSettings, get_planner
    from explainer.rendering import get_renderer
    from explainer.sources import load_source
    from voices import PiperNarrator, resolve_voice

    fulls, edits, shots = [], [], 0
    for run in range(RUNS):
        cache = Cache(folder / f"rerender-cache-{run}")
        pipeline = Pipeline(planner=get_planner("extractive"), narrator=PiperNarrator(resolve_voice("joe")),
                            renderer=get_renderer("cards"), cache=cache)
        shotlist = pipeline.plan(load_source(str(SAMPLE)), PlanSettings(length_s=60))
        shots = len(shotlist.shots)
        fulls.append(_timed(lambda: pipeline.render(shotlist, OutputPaths.for_video(folder / f"full-{run}.mp4"))))
        edited = shotlist.shots[1].model_copy(update={"narration": shotlist.shots[1].narration.replace("three-hour", "long"),
                                                      "on_screen_text": "Approved 6 to 1"})
        changed = shotlist.model_copy(update={"shots": [shotlist.shots[0], edited, *shotlist.shots[2:]]})
        edits.append(_timed(lambda: pipeline.render(changed, OutputPaths.for_video(folder / f"edit-{run}.mp4"), allow_unsupported=True)))
    full, edit = statistics.median(fulls), statistics.median(edits)
    return {"shots": shots, "full_s": round(full, 2), "edit_s": round(edit, 2), "ratio": round(edit / full, 3),
            "target": round(1 / shots + 0.05, 3)}


def assembly_bench(folder: Path) -> dict:
    """Our assembly against MoviePy 2 on the same clips, narration and captions."""
    from explainer.assembly.assemble import ShotMedia, assemble
    from explainer.cache import Cache
    from explainer.outputs import OutputPaths
    from explainer.pipeline import Pipeline
    from explainer.planning import PlanSettings, get_planner
    from explainer.rendering import get_renderer
    from explainer.sources import load_source
    from voices import PiperNarrator, resolve_voice

    pipeline = Pipeline(planner=get_planner("extractive"), narrator=PiperNarrator(resolve_voice("joe")),
                        renderer=get_renderer("cards"), cache=Cache(folder / "assembly-cache"))
    production = pipeline.render(pipeline.plan(load_source(str(SAMPLE)), PlanSettings(length_s=60)),
                                 OutputPaths.for_video(folder / "assembly-source.mp4"))
    cache = pipeline.cache
    media = [ShotMedia(cache.get("video", s.video_key, ".mp4"), cache.get("audio", s.audio_key, ".wav"), s.frames)
             for s in production.record.shots]
    cues = production.cues

    def ours() -> None:
        assemble(media, 30, cues, folder / "ours.mp4", title="bench")

    def moviepy() -> None:
        from font_roboto import font_files
        from moviepy import AudioFileClip, CompositeAudioClip, CompositeVideoClip, TextClip, VideoFileClip, concatenate_videoclips

        videos = [VideoFileClip(str(m.clip)) for m in media]
        starts = [sum(x.frames for x in media[:i]) / 30 for i in range(len(media))]
        audios = [AudioFileClip(str(m.audio)).with_start(start) for m, start in zip(media, starts)]
        video = concatenate_videoclips(videos)
        video = video.with_audio(CompositeAudioClip(audios).with_duration(video.duration))
        # Captions burned in with a TextClip per cue, as MoviePy-based generators do.
        captions = [
            TextClip(font=font_files["RobotoBold"], text="\n".join(cue.lines), font_size=36, color="white",
                     stroke_color="black", stroke_width=2).with_start(cue.start_s).with_end(cue.end_s).with_position(("center", 600))
            for cue in cues
        ]
        CompositeVideoClip([video, *captions]).write_videofile(
            str(folder / "moviepy.mp4"), codec="libx264", audio_codec="aac", fps=30, logger=None, preset="veryfast")
        for clip in videos + audios:
            clip.close()

    ours_runs = [_timed(ours) for _ in range(RUNS)]
    moviepy_runs = [_timed(moviepy) for _ in range(RUNS)]
    ours_s, moviepy_s = statistics.median(ours_runs), statistics.median(moviepy_runs)
    return {"ours_s": round(ours_s, 2), "moviepy_s": round(moviepy_s, 2), "speedup": round(moviepy_s / ours_s, 1)}


def kinds_bench(folder: Path, seconds: float = 6.0) -> dict:
    """Render seconds per video second for each shot kind (720p, 30 fps, the graphics renderer)."""
    from explainer.rendering import RenderJob, get_renderer

    from .test_kinds import SHOTS

    renderer = get_renderer("cards")
    job = RenderJob(frames=int(seconds * 30), fps=30, width=1280, height=720, title="Turnout climbs in Millbrook")
    result = {}
    for kind, shot in SHOTS.items():
        times = []
        for run in range(RUNS):
            started = time.perf_counter()
            renderer.render(shot, job, folder / f"{kind}-{run}.mp4")
            times.append(time.perf_counter() - started)
        result[kind] = round(statistics.median(times) / seconds, 3)
    return result


def diffusion_bench(folder: Path) -> dict:
    """With the tiny LTX pipeline: the share of each shot's time spent outside denoising."""
    import torch

    from explainer.rendering import RenderJob
    from explainer.rendering.diffusion import DiffusersRenderer
    from explainer.shotlist import Shot

    from .tiny_pipelines import build_ltx

    renderer = DiffusersRenderer(str(build_ltx(folder / "tiny-ltx")), steps=4, gen_size="64x64")
    pipe = renderer._load()
    spent = {"denoise": 0.0}
    started: list[float] = []
    pipe.transformer.register_forward_pre_hook(lambda *a: started.append(time.perf_counter()))
    pipe.transformer.register_forward_hook(lambda *a: spent.__setitem__("denoise", spent["denoise"] + time.perf_counter() - started.pop()))
    shares, walls = [], []
    for run in range(RUNS):
        spent["denoise"] = 0.0
        job = RenderJob(frames=120, fps=30, width=1280, height=720, title="bench")
        shot = Shot(id="s", narration="x", visual_prompt="a bridge over a river", on_screen_text="$18.6 million", seed=run + 1)
        with torch.inference_mode():
            wall = _timed(lambda: renderer.render(shot, job, folder / f"diffusion-{run}.mp4"))
        shares.append((wall - spent["denoise"]) / wall)
        walls.append(wall)
    return {"overhead_share": round(statistics.median(shares), 3), "shot_s": round(statistics.median(walls), 3),
            "denoise_steps": 4, "frames": 120,
            "note": "tiny random model: denoising is nearly free, so this is an upper bound on our overhead"}


def service_bench(folder: Path, jobs: int = 50, length: float = 10.0, hostile: bool = False) -> dict:
    """50 concurrent requests through review to signed videos on a real `explainer serve`
    (2 workers): a requester submits them all at once, an editor approves each script as it
    arrives. Jobs per minute, p50/p95 submit-to-video time, p95 of the editor's GET while it
    runs, peak memory of the server. ``hostile``: the same, with 20 more requests naming
    article pages that trickle in a byte every half second, and every job's webhook pointing
    at a receiver that accepts and never answers."""
    import socket
    import threading
    from http.server import ThreadingHTTPServer

    import httpx

    from tests.test_sources import _Handler

    extra: list[str] = []
    hook_url = None
    if hostile:
        site = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        held: list = []
        threading.Thread(target=lambda: [held.append(silent.accept()[0]) for _ in range(200)], daemon=True).start()
        hook_url = f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
        extra = ["--allow-private-urls", "--webhook-allow", "127.0.0.1"]

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, EXPLAINER_CACHE_DIR=str(folder / "cache"))
    data = folder / "service"

    def token(name: str, role: str) -> str:
        out = subprocess.run([sys.executable, "-m", "explainer", "tokens", "create", name, "--role", role, "--data", str(data)],
                             capture_output=True, text=True, env=env, check=True)
        return out.stdout.strip().splitlines()[-1]

    desk, editor = token("Bench Desk", "requester"), token("Bench Editor", "editor")
    server = subprocess.Popen([sys.executable, "-m", "explainer", "serve", "--port", str(port), "--data", str(data), "--workers", "2",
                               "--quota-jobs", "0", "--quota-minutes", "0", *extra],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(server.pid))
            time.sleep(0.1)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("service bench: the server did not start")
                time.sleep(0.2)
        threading.Thread(target=sample, daemon=True).start()
        text = SAMPLE.read_text()
        submitted: dict[str, float] = {}
        lock = threading.Lock()

        def submit(n: int) -> None:
            body = {"text": text, "length": length, "title": f"Bench {n}"} | ({"webhook_url": hook_url} if hook_url else {})
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {desk}"}, timeout=60) as c:
                r = c.post("/v1/requests", json=body)
            r.raise_for_status()
            with lock:
                submitted[r.json()["id"]] = time.perf_counter()

        if hostile:
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {desk}"}, timeout=60) as c:
                for _ in range(20):
                    c.post("/v1/requests", json={"url": f"http://127.0.0.1:{site.server_address[1]}/tarpit", "length": length}).raise_for_status()
        started = time.perf_counter()
        threads = [threading.Thread(target=submit, args=(n,)) for n in range(jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        finished: dict[str, float] = {}
        gets: list[float] = []
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {editor}"}, timeout=60) as ed:
            while len(finished) < jobs:
                t0 = time.perf_counter()
                listed = ed.get("/v1/requests").json()["requests"]
                gets.append(time.perf_counter() - t0)
                for job in listed:
                    if job["id"] not in submitted or job["id"] in finished:
                        continue
                    if job["status"] == "awaiting_review":
                        script = ed.get(f"/v1/requests/{job['id']}/script").json()
                        ed.post(f"/v1/requests/{job['id']}/approve", json={"version": script["version"], "sha256": script["sha256"]})
                    elif job["status"] == "done":
                        finished[job["id"]] = time.perf_counter()
                    elif job["status"] in ("failed", "cancelled"):
                        raise SystemExit(f"service bench: job {job['id']} {job['status']}: {job['error']}")
                time.sleep(0.25)
        total = time.perf_counter() - started
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=60)
    waits = sorted(finished[i] - submitted[i] for i in finished)
    return {
        "jobs": jobs, "video_s_each": length, "workers": 2, "total_s": round(total, 1),
        "jobs_per_minute": round(60 * jobs / total, 2),
        "p50_s": round(statistics.median(waits), 1),
        "p95_s": round(waits[max(0, int(0.95 * len(waits)) - 1)], 1),
        "peak_rss_mb": round(peak[0], 1),
        "get_p95_s": round(sorted(gets)[max(0, int(0.95 * len(gets)) - 1)], 3),
        "hostile": hostile,
    }


def print_service(result: dict) -> None:
    """The service section's lines."""
    load = " with 20 trickling article pages and a silent webhook receiver" if result.get("hostile") else ""
    print(f"service{load}: {result['jobs']} concurrent requests of {result['video_s_each']:g} s through review, "
          f"{result['workers']} workers: {result['jobs_per_minute']} jobs/min, time to video p50 {result['p50_s']} s, "
          f"p95 {result['p95_s']} s, editor's GET p95 {result['get_p95_s']} s, server peak RSS {result['peak_rss_mb']} MB")


def corpus() -> list[Path]:
    """The planning corpus: the committed, freely licensed real pages (tests/data/corpus; sources in tests/data/CORPUS-ATTRIBUTION.md), more
    from ../shared/fixtures/articles and EXPLAINER_CORPUS (a folder of .html, .txt or .md
    articles), plus the committed sample and test page."""
    folders = [REPO / "tests" / "data" / "corpus", REPO.parent / "shared" / "fixtures" / "articles"]
    if os.environ.get("EXPLAINER_CORPUS"):
        folders.append(Path(os.environ["EXPLAINER_CORPUS"]))
    found = sorted(p for f in folders if f.is_dir() for p in f.iterdir() if p.suffix in (".html", ".htm", ".txt", ".md"))
    # The same page in two folders counts once.
    seen: set[str] = set()
    unique = []
    for path in [*found, SAMPLE, REPO / "tests" / "data" / "pages" / "harbor-ferry.html"]:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            unique.append(path)
    return unique


def _make_on_defaults(article: Path, folder: Path) -> tuple[bool, str, float, dict | None]:
    """`explainer make ARTICLE` on the built-in defaults: did it make a video, and its shot list."""
    out = folder / (article.stem + ".mp4")
    env = dict(os.environ, EXPLAINER_CACHE_DIR=str(folder / "cache"), EXPLAINER_CONFIG_DIR=str(folder / "config"),
               EXPLAINER_DATA_DIR=str(folder / "data"))
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "explainer", "make", str(article), "-o", str(out), "-q"],
                         capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    shots = out.with_suffix("").with_name(out.stem + ".shots.yaml")
    import yaml

    data = yaml.safe_load(shots.read_text()) if run.returncode == 0 and shots.is_file() else None
    return run.returncode == 0 and out.is_file(), run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "", wall, data


def planning_bench(llm_articles: int = 5) -> dict:
    """Script quality over a corpus of real articles: videos made on the defaults, filler
    narrated, on-screen text that is a sentence's opening words, grounding precision and
    recall, plan-check failures per planner, time to plan."""
    from explainer.errors import ExplainerError
    from explainer.planning import PlanSettings, get_planner
    from explainer.planning.checks import check_plan, source_capacity
    from explainer.planning.filler import filler_reason
    from explainer.sources import load_source, split_sentences

    from .grounding_set import Score, derived, hand_labelled, score

    articles = corpus()
    settings = PlanSettings(length_s=60)
    made, narrated, filler, openings, shots_total = 0, 0, 0, 0, 0
    failures: dict[str, int] = {"extractive": 0}
    plan_times: list[float] = []
    parse_times: list[float] = []
    from explainer.parsing import parser_for

    started = time.perf_counter()
    parser = parser_for("en")  # loaded once per process: spaCy and its English pipeline
    parser_load_s = time.perf_counter() - started
    per_article = []
    grounding, kinds = Score(), {}
    with tempfile.TemporaryDirectory(prefix="explainer-bench-plan-") as tmp:
        for article in articles:
            ok, error, wall, data = _make_on_defaults(article, Path(tmp))
            made += ok
            row = {"article": article.name, "video": ok, "error": error, "make_s": round(wall, 1)}
            if data:
                for shot in data["shots"]:
                    shots_total += 1
                    sentences = split_sentences(shot["narration"])
                    narrated += len(sentences)
                    bad = [s for s in sentences if filler_reason(s)]
                    filler += len(bad)
                    row.setdefault("filler", []).extend(bad)
                    shown = shot["on_screen_text"]
                    name = all(w[:1].isupper() or w in ("and", "of", "de", "the", "for", "&") for w in shown.split())
                    if shot["narration"].startswith(shown + " ") and not name and not shown[:1].isdigit() and shown[:1] not in "$\u00a3\u20ac":
                        openings += 1
                row["shots"] = len(data["shots"])
                row["kinds"] = [shot.get("kind", "text") for shot in data["shots"]]
            try:
                source = load_source(str(article))
            except ExplainerError:
                per_article.append(row)
                continue
            if parser is not None:
                started = time.perf_counter()
                parser.parse(list(source.sentences.values()))
                parse_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            plan = get_planner("extractive").plan(source, settings)  # the parse included (a new source)
            plan_times.append(time.perf_counter() - started)
            failures["extractive"] += bool(check_plan(plan, settings, capacity=source_capacity(source, settings)))
            part = score(source, derived(source), scores=kinds)
            for field in ("tp", "fp", "fn", "tn"):
                setattr(grounding, field, getattr(grounding, field) + getattr(part, field))
            per_article.append(row)
    hand = Score()
    from explainer.sources import parse_source

    for text, pairs in hand_labelled():
        part = score(parse_source(text.encode(), "pairs.txt"), pairs)
        for field in ("tp", "fp", "fn", "tn"):
            setattr(hand, field, getattr(hand, field) + getattr(part, field))
    llm = _llm_planning(articles[:llm_articles], settings)
    return {
        "articles": len(articles),
        "videos_made_share": round(made / len(articles), 3),
        "narrated_sentences": narrated,
        "filler_share": round(filler / max(1, narrated), 4),
        "on_screen_opening_words_share": round(openings / max(1, shots_total), 3),
        "grounding_derived": {"pairs": grounding.total, "precision": round(grounding.precision, 3), "recall": round(grounding.recall, 3),
                              "by_kind": {k: vars(v) for k, v in kinds.items()}},
        "grounding_hand": {"pairs": hand.total, "precision": round(hand.precision, 3), "recall": round(hand.recall, 3)},
        "plan_check_failures": {"extractive": f"{failures['extractive']}/{len(articles)}", **llm.pop("failures")},
        "plan_s_extractive_median": round(statistics.median(plan_times), 3),
        "plan_s_extractive_max": round(max(plan_times), 3),
        "parse_s_median": round(statistics.median(parse_times), 3) if parse_times else None,
        "parser_load_s": round(parser_load_s, 2),
        **llm,
        "per_article": per_article,
    }


def _llm_planning(articles: list[Path], settings) -> dict:
    """The embedded model on the first articles: how often its plan passes the checks, is
    repaired, or is replaced by the extractive plan; and how long planning takes."""
    import importlib.util

    if importlib.util.find_spec("llama_cpp") is None:
        return {"failures": {"llm (embedded)": "not installed"}}
    from explainer.errors import ExplainerError
    from explainer.pipeline import plan_checked
    from explainer.planning import ExtractivePlanner
    from explainer.planning.llm import LLMConfig, LLMPlanner, chat_session
    from explainer.planning.local_llm import bundled_model_path
    from explainer.sources import load_source

    config = LLMConfig(provider="local", model_path=bundled_model_path())
    outcomes = {"passed": 0, "repaired": 0, "fell_back": 0}
    times = []
    for article in articles:
        try:
            source = load_source(str(article))
        except ExplainerError:
            continue
        planner = LLMPlanner(lambda: chat_session(config), config.label, constrained=True)
        started = time.perf_counter()
        plan = plan_checked(planner, source, settings, None, ExtractivePlanner())
        times.append(time.perf_counter() - started)
        info = plan.planner
        outcomes["fell_back" if info.fallback_from else "repaired" if info.repaired else "passed"] += 1
    tried = sum(outcomes.values())
    return {"failures": {"llm (embedded)": f"{outcomes['fell_back']}/{tried} replaced, {outcomes['repaired']}/{tried} repaired"},
            "llm_outcomes": outcomes, "plan_s_llm_median": round(statistics.median(times), 1) if times else None}


def print_planning(result: dict) -> None:
    """The planning section of the table."""
    verdict = lambda ok: "pass" if ok else "MISS"  # noqa: E731
    print(f"planning over {result['articles']} articles")
    print(f"{'videos made':<30}{result['videos_made_share']:>8}  = 1  {verdict(result['videos_made_share'] == 1)}")
    print(f"{'filler narrated (share)':<30}{result['filler_share']:>8}  = 0  {verdict(result['filler_share'] == 0)}"
          f"  ({result['narrated_sentences']} sentences)")
    print(f"{'on-screen = opening words':<30}{result['on_screen_opening_words_share']:>8}")
    g, h = result["grounding_derived"], result["grounding_hand"]
    print(f"{'grounding P/R (derived)':<30}{g['precision']:>8} / {g['recall']}  ({g['pairs']} pairs)")
    print(f"{'grounding P/R (hand)':<30}{h['precision']:>8} / {h['recall']}  ({h['pairs']} pairs)")
    for planner, count in result["plan_check_failures"].items():
        print(f"{'plan-check failures ' + planner:<30}{count:>8}")
    print(f"{'plan s (extractive, median)':<30}{result['plan_s_extractive_median']:>8}")
    print(f"{'plan s (extractive, max)':<30}{result['plan_s_extractive_max']:>8}")
    print(f"{'parse s (median article)':<30}{result['parse_s_median']:>8}")
    print(f"{'parser load s (once)':<30}{result['parser_load_s']:>8}")
    if result.get("plan_s_llm_median") is not None:
        print(f"{'plan s (embedded llm, median)':<30}{result['plan_s_llm_median']:>8}")
    kinds: dict[str, int] = {}
    for row in result["per_article"]:
        for kind in row.get("kinds", []):
            kinds[kind] = kinds.get(kind, 0) + 1
    print(f"{'shot kinds':<30}" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])))
    for row in result["per_article"]:
        if not row["video"] or row.get("filler"):
            print(f"  {row['article']}: {'video' if row['video'] else 'NO VIDEO: ' + row['error']} {row.get('filler', '')}")


def _merge_results(section: dict) -> None:
    """Write one section's results into bench-results.json, keeping the other sections."""
    path = REPO / "bench-results.json"
    results = json.loads(path.read_text()) if path.is_file() else {}
    path.write_text(json.dumps(results | section, indent=2) + "\n")


def _in_temp(bench, prefix: str):
    """``bench`` run in a temporary folder of its own."""
    def run() -> dict:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            return bench(Path(tmp))
    return run


def _single_sections() -> dict:
    """Sections that run alone (``python -m tests.bench NAME``) and merge into bench-results.json."""
    from .bench_durability import durability_bench, print_durability
    from .bench_scale import print_scale, scale_bench

    return {
        "durability": (_in_temp(durability_bench, "explainer-bench-durability-"), print_durability),
        "scale": (_in_temp(scale_bench, "explainer-bench-scale-"), print_scale),
        "planning": (planning_bench, print_planning),
    }


def main() -> None:
    """Run the benchmark (or the sections named on the command line) and print the table."""
    sections = set(sys.argv[1:])
    if sections == {"kinds"}:
        with tempfile.TemporaryDirectory(prefix="explainer-bench-kinds-") as tmp:
            kinds = kinds_bench(Path(tmp))
        print("render s per video s: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
        return
    if sections == {"service"}:
        for hostile in (False, True):
            with tempfile.TemporaryDirectory(prefix="explainer-bench-service-") as tmp:
                result = service_bench(Path(tmp), hostile=hostile)
            _merge_results({"service_hostile" if hostile else "service": result})
            print_service(result)
        return
    single = _single_sections()
    if len(sections) == 1 and next(iter(sections)) in single:
        name = next(iter(sections))
        run, show = single[name]
        result = run()
        _merge_results({name: result})
        show(result)
        return
    runs = [one_run(60) for _ in range(RUNS)]
    median = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    video_s, wall_s = median("video_s"), median("wall_s")
    stage_names = ("plan", "narrate", "render", "assemble", "sign")
    e2e = {
        "video_s": round(video_s, 2),
        "wall_s": round(wall_s, 2),
        "realtime_factor": round(statistics.median(r["video_s"] / r["wall_s"] for r in runs), 2),
        "peak_rss_mb": round(median("peak_rss_mb"), 1),
        "peak_pss_mb": round(median("peak_pss_mb"), 1),
        "stages_s": {s: round(statistics.median(r["stages"].get(s, 0.0) for r in runs), 2) for s in stage_names},
        "runs": RUNS,
    }
    results: dict = {"e2e": e2e}

    def keep(name: str, value: dict) -> dict:
        # Written after every section: a long run cut short still leaves what it measured.
        results[name] = value
        Path(REPO / "bench-results.json").write_text(json.dumps(results, indent=2) + "\n")
        return value

    keep("e2e", e2e)
    with tempfile.TemporaryDirectory(prefix="explainer-bench-c2pa-") as tmp:
        prov = keep("provenance", provenance_bench(Path(tmp)))
    llm = keep("llm_plan", llm_bench())
    with tempfile.TemporaryDirectory(prefix="explainer-bench-more-") as tmp:
        folder = Path(tmp)
        scaling = keep("scaling", scaling_bench(folder))
        rerender = keep("rerender_one_shot", rerender_bench(folder))
        assembly = keep("assembly_vs_moviepy", assembly_bench(folder))
        diffusion = keep("diffusion_overhead", diffusion_bench(folder))
        kinds = keep("render_s_per_video_s_by_kind", kinds_bench(folder))
    with tempfile.TemporaryDirectory(prefix="explainer-bench-service-") as tmp:
        service = keep("service", service_bench(Path(tmp)))
    with tempfile.TemporaryDirectory(prefix="explainer-bench-service-") as tmp:
        hostile = keep("service_hostile", service_bench(Path(tmp), hostile=True))
    from .bench_durability import durability_bench, print_durability

    with tempfile.TemporaryDirectory(prefix="explainer-bench-durability-") as tmp:
        durability = keep("durability", durability_bench(Path(tmp)))
    planning = keep("planning", planning_bench())
    from .bench_scale import print_scale, scale_bench

    with tempfile.TemporaryDirectory(prefix="explainer-bench-scale-") as tmp:
        scale = keep("scale", scale_bench(Path(tmp)))
    print(f"{'figure':<18}{'median':>10}  target")
    for key in ("video_s", "wall_s", "realtime_factor", "peak_rss_mb", "peak_pss_mb"):
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
    print("render s per video s, by kind: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    print(f"provenance, {prov['size_mb']} MB MP4: sign {prov['sign_s']} s, verify {prov['verify_s']} s, sha256sum {prov['sha256_s']} s")
    print(f"llm planning ({llm['model']}, via {llm['method']}): {llm['plan_s']} s, {llm['tokens_per_s']} tokens/s"
          f", {llm['failed']} of {llm['runs']} replies unusable"
          " (wall time includes loading the model; tokens/s counts written tokens over that wall time)")
    for key in ("sign_ratio", "verify_ratio"):
        print(f"{key:<18}{prov[key]:>10}  <= 2  {'pass' if prov[key] <= 2 else 'MISS'}")
    print()
    print(f"scaling: 60 s {scaling['wall_s_60']} s, 180 s {scaling['wall_s_180']} s, 600 s {scaling['wall_s_600']} s wall "
          f"(video {scaling['video_s_60']}/{scaling['video_s_180']}/{scaling['video_s_600']} s)")
    verdict = lambda ok: "pass" if ok else "MISS"  # noqa: E731
    print(f"{'ratio_600_vs_60':<18}{scaling['ratio_600_vs_60']:>10}  <= 10.5  {verdict(scaling['ratio_600_vs_60'] <= 10.5)}")
    print(f"rerender one of {rerender['shots']} shots: full {rerender['full_s']} s, edit {rerender['edit_s']} s")
    print(f"{'rerender ratio':<18}{rerender['ratio']:>10}  <= {rerender['target']}  {verdict(rerender['ratio'] <= rerender['target'])}")
    print(f"assembly: ours {assembly['ours_s']} s, MoviePy {assembly['moviepy_s']} s")
    print(f"{'assembly speedup':<18}{assembly['speedup']:>10}  >= 5  {verdict(assembly['speedup'] >= 5)}")
    print(f"{'diffusion overhead':<18}{diffusion['overhead_share']:>10}  (share of shot time outside denoising; {diffusion['note']})")
    print()
    print_service(service)
    print_service(hostile)
    print()
    print_durability(durability)
    print()
    print_planning(planning)
    print()
    print_scale(scale)


if __name__ == "__main__":  # pragma: no cover
    main()
