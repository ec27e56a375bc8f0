"""Shots on a Ray cluster: each narration and each render is a Ray task named by its content hash.

The work of graphics and speech runs on *shot workers*: one Ray actor per CPU node, one process
holding the loaded voice and the renderer's modules, which speaks one shot at a time and renders
as many shots at once as its node has CPUs, on threads (the encoders are ffmpeg processes), as
the in-process path does in its one process. Measured on 2 cores: a Ray worker process costs
~1 s of a core to start and ~1.5-3 s more to load the voice or the graphics' modules, so a task
per worker process (Ray's default) paid that three times a video, and speech, the longest
chain of a video's work, queued behind renders for a CPU. A shot worker holds no CPU in Ray's
accounting (Ray's default for actors); it keeps to its node's CPU count itself.

Render tasks of a renderer that makes footage with a model (diffusion) are plain tasks that ask
for ``ray_gpus`` GPUs, so Ray places them on GPU nodes; each worker process loads the model once.

A task writes its file in a private folder on its node and returns the bytes through Ray's
object store or, when the cache folder is mounted by every node (``ray_shared_cache``), writes
straight into the caller's temporary cache path. Either way the caller commits the file into
its cache, so a retried task (Ray retries the work of a process or node that died, and restarts
a dead shot worker) never leaves half a file under a final name, and a shot already cached is
never sent.
"""

from __future__ import annotations

import hashlib
import pickle
import queue
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import InputError, RenderError

#: Tasks retried (and shot workers restarted) after their process or node dies, before the run fails.
RETRIES = 3
#: Objects that take long to build (a voice, a diffusion pipeline) are kept per worker process,
#: by the hash of what they were built from, so each process loads a model once.
_KEPT: dict[str, Any] = {}
_KEPT_LOCK = threading.Lock()


def _kept(key: str, thing: Any) -> Any:
    with _KEPT_LOCK:
        return _KEPT.setdefault(key, thing)


def _render_into(renderer: Any, shot: Any, job: Any, out_path: str | None) -> bytes | None:
    """Render the shot; the MP4's bytes, or None when written to ``out_path`` (a shared cache)."""
    if out_path:
        renderer.render(shot, job, Path(out_path))
        return None
    with tempfile.TemporaryDirectory(prefix="explainer-ray-") as tmp:
        path = Path(tmp) / "shot.mp4"
        renderer.render(shot, job, path)
        return path.read_bytes()


class _ShotWorker:
    """A Ray actor on one node: speaks one shot at a time and renders graphics on threads."""

    def prepare(self, narrator_key: str, narrator: Any) -> None:
        """Load the voice and the graphics' modules before the first shot arrives."""
        from ..rendering import cards  # noqa: F401  (ffmpeg-python, Pillow and the kinds)

        # The narrator's own warm-up (the model and the loudness meter; a bad voice is said
        # where it is used, by speak).
        _kept(narrator_key, narrator).warm()

    def speak(self, narrator_key: str, narrator: Any, phrases: list[str], out_path: str | None) -> dict:
        """The WAV's bytes (or None, written to ``out_path``) and its timings."""
        narrator = _kept(narrator_key, narrator)
        with tempfile.TemporaryDirectory(prefix="explainer-ray-") as tmp:
            path = Path(out_path) if out_path else Path(tmp) / "speech.wav"
            spoken = narrator.synthesize(phrases, path)
            return {
                "wav": None if out_path else path.read_bytes(),
                "duration_s": spoken.duration_s,
                "sample_rate": spoken.sample_rate,
                "segments": [s.__dict__ for s in spoken.segments],
            }

    def render(self, renderer_key: str, renderer: Any, shot: Any, job: Any, out_path: str | None) -> bytes | None:
        """The shot rendered by the graphics renderer."""
        return _render_into(_kept(renderer_key, renderer), shot, job, out_path)


def _render_task(renderer_key: str, renderer: Any, shot: Any, job: Any, out_path: str | None) -> bytes | None:
    """On a GPU worker: the shot rendered by a model (the model kept for the worker's next shots)."""
    return _render_into(_kept(renderer_key, renderer), shot, job, out_path)


def _check_reachable(address: str) -> None:
    """Fail in one line, at once, when a cluster address does not answer (Ray itself keeps
    retrying for minutes)."""
    import socket

    if address in ("local", "auto"):
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except (OSError, ValueError) as e:
        reason = "not host:port" if isinstance(e, ValueError) else (e.strerror or str(e))
        raise InputError(f"cannot reach the Ray cluster at {address}: {reason}; start one with 'ray start --head' "
                         "or pass --ray with no address for a local one") from e


class RayExecutor:
    """Runs each shot's narration and render as Ray tasks on a cluster (or a local instance)."""

    name = "ray"

    def __init__(self, address: str, *, num_gpus: float = 1.0, shared_cache: bool = False) -> None:
        try:
            import ray
        except ImportError as e:
            raise InputError("--ray needs Ray: pip install 'explainer[ray]'") from e
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        self.address = address
        self.num_gpus = num_gpus
        self.shared_cache = shared_cache
        # A process joins one cluster once (executor_for keeps this executor); Ray stops the
        # instance it started when the process exits.
        if not ray.is_initialized():
            _check_reachable(address)
            try:
                if address == "local":
                    ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
                else:
                    ray.init(address=address, log_to_driver=False, configure_logging=False)
            except (ConnectionError, RuntimeError, ValueError) as e:
                raise InputError(f"cannot reach the Ray cluster at {address}: {str(e).splitlines()[0]}; "
                                 "start one with 'ray start --head' or pass --ray with no address for a local one") from e
        self.gpus = float(ray.cluster_resources().get("GPU", 0))
        nodes = {n["NodeID"]: int(n["Resources"].get("CPU", 0)) for n in ray.nodes() if n["Alive"]}
        nodes = {node: cpus for node, cpus in nodes.items() if cpus > 0}
        if not nodes:
            raise InputError(f"the Ray cluster at {address} has no node with CPUs; speech and graphics need one "
                             "(start one with 'ray start --address ... --num-cpus N')")
        # One shot worker per CPU node; soft affinity: one whose node died restarts on another.
        # Threads: one per CPU to render, one to speak, one to prepare while those start.
        worker = ray.remote(_ShotWorker)
        self._workers = [worker.options(max_concurrency=cpus + 2, max_restarts=RETRIES, max_task_retries=RETRIES,
                                        scheduling_strategy=NodeAffinitySchedulingStrategy(node, soft=True)).remote()
                         for node, cpus in nodes.items()]
        # Free voices (one per shot worker) and free render slots (one per CPU of its node).
        self._voices: queue.Queue = queue.Queue()
        self._slots: queue.Queue = queue.Queue()
        for handle, cpus in zip(self._workers, nodes.values()):
            self._voices.put(handle)
            for _ in range(cpus):
                self._slots.put(handle)
        self.voices = max(1, len(self._workers))
        self.workers = max(1, sum(nodes.values()))
        self._render = ray.remote(_render_task)
        self._refs: dict[str, Any] = {}
        self._refs_lock = threading.Lock()
        self._prepared: set[str] = set()

    def _shipped(self, thing: Any) -> tuple[str, Any]:
        """``thing`` put in the object store once, with the key workers keep it under."""
        import ray

        data = pickle.dumps(thing)
        key = hashlib.sha256(data).hexdigest()
        with self._refs_lock:
            if key not in self._refs:
                self._refs[key] = ray.put(thing)
            return key, self._refs[key]

    def _wait(self, ref: Any, what: str) -> Any:
        import ray
        from ray.exceptions import RayTaskError

        try:
            return ray.get(ref)
        except RayTaskError as e:
            # The task's own error (a bad shot, a missing font): raised as it would be in-process.
            raise e.as_instanceof_cause() from None
        except ray.exceptions.RayError as e:
            raise RenderError(f"{what} failed on the Ray cluster after {RETRIES} retries: {str(e).splitlines()[0]}") from e

    def _on(self, free: queue.Queue, call: Callable[[Any], Any], what: str) -> Any:
        """``call(worker)`` on a free shot worker (a voice or a render slot), waited for."""
        worker = free.get()
        try:
            return self._wait(call(worker), what)
        finally:
            free.put(worker)

    def prepare(self, narrator: Any) -> None:
        """Have every shot worker load the voice and the renderer's modules while the caller
        reads and plans the article; not waited for."""
        key, ref = self._shipped(narrator)
        with self._refs_lock:
            if key in self._prepared:
                return
            self._prepared.add(key)
        for worker in self._workers:
            worker.prepare.options(name="prepare").remote(key, ref)

    def narrate(self, narrator: Any, phrases: Sequence[str], out_path: Path, key: str) -> Any:
        """Speak on a free voice of the cluster; the WAV lands in ``out_path``."""
        from voices import Narration, Segment

        narrator_key, narrator_ref = self._shipped(narrator)
        target = str(out_path) if self.shared_cache else None
        result = self._on(self._voices, lambda worker: worker.speak.options(name=f"narrate {key[:12]}").remote(
            narrator_key, narrator_ref, list(phrases), target), f"narration {key[:12]}")
        if result["wav"] is not None:
            out_path.write_bytes(result["wav"])
        return Narration(out_path, result["duration_s"], result["sample_rate"], [Segment(**s) for s in result["segments"]])

    def render(self, renderer: Any, shot: Any, job: Any, out_path: Path, key: str,
               progress: Callable[[int, int], None] | None = None) -> None:
        """Render on the cluster (on a GPU node when the renderer runs a model); the MP4 lands in ``out_path``."""
        footage = getattr(renderer, "kinds", None) is not None  # a model that makes footage only
        gpus = self.num_gpus if footage else 0
        if gpus and not self.gpus:
            raise InputError(f"the Ray cluster at {self.address} has no GPUs and {renderer.name} shots ask for "
                             f"{gpus:g}; add GPU nodes, or set ray_gpus = 0 to run them on CPUs")
        renderer_key, renderer_ref = self._shipped(renderer)
        target = str(out_path) if self.shared_cache else None
        what = f"shot {shot.id} ({key[:12]})"
        if footage:
            ref = self._render.options(name=f"render {key[:12]}", num_cpus=0 if gpus else 1, num_gpus=gpus,
                                       max_retries=RETRIES, retry_exceptions=False).remote(
                renderer_key, renderer_ref, shot, job, target)
            data = self._wait(ref, what)
        else:
            data = self._on(self._slots, lambda worker: worker.render.options(name=f"render {key[:12]}").remote(
                renderer_key, renderer_ref, shot, job, target), what)
        if data is not None:
            out_path.write_bytes(data)
        if progress:
            progress(job.frames, job.frames)
