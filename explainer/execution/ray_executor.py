"""Shots as Ray tasks: narration and render run wherever the cluster has room.

Each piece of a shot's work is one task named by its content hash. A task writes its file in
a private folder on the worker and returns the bytes through Ray's object store, or, when the
cache folder is mounted by every node (``ray_shared_cache``), writes straight into the
caller's temporary cache path and returns only what it measured. Either way the caller
commits the file into its cache, so a retried task (Ray retries a task whose worker died)
can never leave half a file under a final name, and a shot already cached is never sent.

Render tasks of a renderer that makes footage with a model (diffusion) ask for
``ray_gpus`` GPUs, so Ray places them on GPU nodes; graphics and speech ask for one CPU.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import InputError, RenderError

#: Tasks retried after their worker process or node dies, before the run fails.
RETRIES = 3
#: Objects that take long to build (a diffusion pipeline) are kept per worker process, by the
#: hash of what they were built from, so each worker loads a model once.
_KEPT: dict[str, Any] = {}
_KEPT_LOCK = threading.Lock()


def _kept(key: str, thing: Any) -> Any:
    with _KEPT_LOCK:
        return _KEPT.setdefault(key, thing)


def _narrate_task(narrator_key: str, narrator: Any, phrases: list[str], out_path: str | None) -> dict:
    """On a worker: speak the phrases; the WAV's bytes (or None, written to ``out_path``) and timings."""
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


def _warm_task(narrator_key: str, narrator: Any) -> None:
    """On a worker: load the voice and the graphics' modules before the first shot arrives."""
    from voices.piper_narrator import load_voice

    from ..rendering import cards  # noqa: F401  (imports ffmpeg-python, Pillow and the kinds)

    load_voice(_kept(narrator_key, narrator).voice)


def _render_task(renderer_key: str, renderer: Any, shot: Any, job: Any, out_path: str | None) -> bytes | None:
    """On a worker: render the shot; the MP4's bytes (or None, written to ``out_path``)."""
    renderer = _kept(renderer_key, renderer)
    if out_path:
        renderer.render(shot, job, Path(out_path))
        return None
    with tempfile.TemporaryDirectory(prefix="explainer-ray-") as tmp:
        path = Path(tmp) / "shot.mp4"
        renderer.render(shot, job, path)
        return path.read_bytes()


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
        self.address = address
        self.num_gpus = num_gpus
        self.shared_cache = shared_cache
        # A process joins one cluster once (a service builds a pipeline per job); Ray stops
        # the instance it started when the process exits.
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
        resources = ray.cluster_resources()
        self.cpus = int(resources.get("CPU", 1))
        self.gpus = float(resources.get("GPU", 0))
        # Every shot of the video at once: the cluster, not the caller, decides what runs.
        self.voices = self.workers = max(1, self.cpus)
        self._narrate = ray.remote(_narrate_task)
        self._warm = ray.remote(_warm_task)
        self._render = ray.remote(_render_task)
        self._refs: dict[str, Any] = {}
        self._refs_lock = threading.Lock()

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

    def prepare(self, narrator: Any) -> None:
        """One warm-up task per CPU of the cluster, not waited for: worker processes load the
        voice and the renderer's modules while the caller reads and plans the article."""
        narrator_key, narrator_ref = self._shipped(narrator)
        self._warming = [self._warm.options(name="warm", num_cpus=1, max_retries=0).remote(narrator_key, narrator_ref)
                         for _ in range(self.cpus)]

    def narrate(self, narrator: Any, phrases: Sequence[str], out_path: Path, key: str) -> Any:
        """Speak on the cluster; the WAV lands in ``out_path``."""
        from voices import Narration, Segment

        narrator_key, narrator_ref = self._shipped(narrator)
        ref = self._narrate.options(name=f"narrate {key[:12]}", num_cpus=1, max_retries=RETRIES, retry_exceptions=False).remote(
            narrator_key, narrator_ref, list(phrases), str(out_path) if self.shared_cache else None)
        result = self._wait(ref, f"narration {key[:12]}")
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
        ref = self._render.options(name=f"render {key[:12]}", num_cpus=0 if gpus else 1, num_gpus=gpus,
                                   max_retries=RETRIES, retry_exceptions=False).remote(
            renderer_key, renderer_ref, shot, job, str(out_path) if self.shared_cache else None)
        data = self._wait(ref, f"shot {shot.id} ({key[:12]})")
        if data is not None:
            out_path.write_bytes(data)
        if progress:
            progress(job.frames, job.frames)
