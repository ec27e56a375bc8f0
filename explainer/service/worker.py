"""The worker pool: claims queued jobs, plans, waits for review, renders, signs, delivers."""

from __future__ import annotations

import logging
import queue
import threading
import time
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator

from provenance import ClaimSigner, ProvenanceError
from voices import VoiceError

from ..errors import ExplainerError
from ..factory import build_pipeline, plan_settings
from ..outputs import OutputPaths
from ..settings import Settings
from ..shotlist import dump_shotlist, parse_shotlist
from ..sources import parse_source
from .articles import fetch_page
from .security import public_message
from .store import Store, script_sha256
from .webhooks import WebhookOutbox

log = logging.getLogger(__name__)

#: Request options a requester may set, mapped to Settings fields.
#: How often a working job looks whether it was cancelled.
CANCEL_CHECK_S = 0.5
OPTION_FIELDS = {"length": "length", "aspect": "aspect", "voice": "voice", "planner": "planner", "renderer": "renderer"}


def job_paths(data: Path, job_id: str) -> OutputPaths:
    """Where a job's files live: ``DATA/jobs/<id>/video.mp4`` and its sidecars."""
    return OutputPaths.for_video(data / "jobs" / job_id / "video.mp4")


def media_folder(data: Path, upload: str) -> Path:
    """Where the photos and clips sent with a request are kept: ``DATA/uploads/<id>``."""
    return data / "uploads" / upload


def brand_kit(brands: Path, organisation: str | None) -> Path | None:
    """The organisation's brand kit, ``BRANDS/<organisation>/brand.toml``, if it has one."""
    kit = brands / organisation / "brand.toml" if organisation else None
    return kit if kit is not None and kit.is_file() else None


def job_json(job) -> dict[str, Any]:
    """The public view of a job."""
    return {
        "id": job.id,
        "status": job.status,
        "stage": job.stage,
        "progress": round(job.progress or 0.0, 3),
        "error": job.error,
        "title": job.title,
        "owner": job.owner_name or job.owner,
        "owner_id": job.owner,
        "review": review_state(job),
        "approved_by": job.approved_by,
        "waived_by": job.waived_by,
        "edited_by": job.edited_by,
        "script": {"version": job.script_version, "sha256": job.script_sha256} if job.shotlist else None,
        "approved_script": {"version": job.approved_version, "sha256": job.approved_sha256} if job.approved_sha256 else None,
        "options": job.options or {},
        "timings": job.timings or {},
        "attempts": job.attempts,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "updated_at": job.updated_at.isoformat() if job.updated_at else None,
    }


def signed_review(job, audit: list) -> dict[str, Any]:
    """The editorial review as the signed record states it: who approved (or waived) and in
    which role, when (from the audit log), and which script: the version and sha256 the
    approval named, which is the script rendered (the worker refuses any other)."""
    action = "approve" if job.approved_by else "waive" if job.waived_by else None
    if action is None:
        return {"state": "not reviewed"}
    entry = next((e for e in reversed(audit) if e.action == action), None)
    when = entry.at.isoformat(timespec="seconds") if entry and entry.at else None
    role = entry.role if entry else None
    if action == "waive":
        return {"state": "waived", "waived_by": job.waived_by, "role": role, "waived_at": when}
    return {
        "state": "approved", "editor": job.approved_by, "role": role, "approved_at": when, "edited_by": job.edited_by,
        "script_sha256": job.approved_sha256, "script_version": job.approved_version,
    }


def review_state(job) -> str:
    """``approved``, ``waived`` (by an editor, policy requiring review), ``not reviewed``
    (policy optional) or ``pending``."""
    if job.approved_by:
        return "approved"
    if job.waived_by:
        return "waived"
    return "pending" if job.review else "not reviewed"


def audit_json(entry) -> dict[str, Any]:
    """The public view of an audit entry."""
    return {"at": entry.at.isoformat(), "actor": entry.actor, "actor_name": entry.actor_name, "role": entry.role,
            "action": entry.action, "job": entry.job_id, "detail": entry.detail or {}}


class Cancelled(Exception):
    """The job was cancelled while it was being worked on."""


class LeaseLost(Exception):
    """Another process took the job over (this one stopped renewing its lease in time)."""


class Heartbeat:
    """Renews a worker's lease on its job every third of the lease, on its own thread, and
    notes when the job is no longer its to finish."""

    def __init__(self, store: Store, job_id: str, worker: str) -> None:
        self.store, self.job_id, self.worker = store, job_id, worker
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id[:8]}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _beat(self) -> None:
        while not self._stop.wait(self.store.lease_s / 3):
            try:
                if not self.store.heartbeat(self.job_id, self.worker):
                    self.lost = True
                    return
            except Exception:  # the database is briefly away: the next beat tries again
                log.warning("could not renew the lease on job %s", self.job_id, exc_info=True)


class Workers:
    """A pool of threads that work the queue until stopped."""

    def __init__(
        self, store: Store, data: Path, settings: Settings, signer: ClaimSigner | None, size: int = 2, poll_s: float = 0.2,
        brands: Path | None = None, webhook_secret: bytes = b"", webhook_hosts: tuple[str, ...] = (),
        allow_private_urls: bool = False, fetchers: int = 64,
    ) -> None:
        self.store = store
        self.data = data
        self.brands = brands or data / "brands"
        self.settings = settings
        self.signer = signer
        self.size = size
        self.poll_s = poll_s
        self.webhooks = WebhookOutbox(store, lambda job_id: job_json(store.get(job_id)), webhook_secret, webhook_hosts)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.allow_private_urls = allow_private_urls
        # Article pages are fetched on threads of their own: a slow site holds neither the
        # API nor a render worker, and with many threads (they only wait on sockets) forty
        # pages trickling in do not hold up the forty-first (a requester's quota counts
        # fetching jobs). Daemons: a page still trickling in never holds up a stop.
        self._to_fetch: queue.Queue[str] = queue.Queue()
        for n in range(fetchers):
            threading.Thread(target=self._fetch_loop, name=f"fetch.{n}", daemon=True).start()

    def start(self) -> None:
        """Start the threads, each named uniquely across hosts and processes (the job store
        records who holds a job by this name)."""
        from ..cache import writer_tag

        for n in range(self.size):
            thread = threading.Thread(target=self._loop, name=f"worker.{writer_tag()}.{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        for job in self.store.list(status="fetching", limit=10_000):
            self.fetch(job.id)
        self.webhooks.start()  # pages a stopped process was fetching: the first to finish wins

    def fetch(self, job_id: str) -> None:
        """Fetch a job's article page in the background, then queue the job (or fail it)."""
        self._to_fetch.put(job_id)

    def _fetch_loop(self) -> None:
        while True:
            self._fetch(self._to_fetch.get())

    def _fetch(self, job_id: str) -> None:
        job = self.store.get(job_id)
        if job is None or job.status != "fetching":
            return
        try:
            given = None if job.options.get("title_from_page") else job.title
            article = fetch_page(job.options["url"], given, self.allow_private_urls)
        except ExplainerError as e:
            self.store.transition(job_id, ("fetching",), status="failed", error=public_message(f"url: {e}"), stage="failed", notify=True)
            return
        except Exception as e:  # a bug: say so on the job
            log.exception("fetching the page of job %s failed", job_id)
            self.store.transition(job_id, ("fetching",), status="failed", error=public_message(f"internal error: {e}"), stage="failed", notify=True)
            return
        self.store.transition(job_id, ("fetching",), status="queued", text=article.text, title=article.title,
                              options=dict(job.options) | article.options)

    def stop(self) -> None:
        """Stop after the jobs in hand."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        self.webhooks.close()

    def _loop(self) -> None:
        name = threading.current_thread().name
        while not self._stop.is_set():
            job = self.store.claim(name)
            if job is None:
                self._stop.wait(self.poll_s)
                continue
            with Heartbeat(self.store, job.id, name) as beat:
                self._work(job, name, beat)

    def _settings_for(self, job) -> Settings:
        values = self.settings.model_dump()
        for option, field in OPTION_FIELDS.items():
            if job.options.get(option) is not None:
                values[field] = job.options[option]
        # The requester's organisation dresses the video in its brand; the service's own
        # settings brand the rest.
        kit = brand_kit(self.brands, job.options.get("organisation"))
        if kit is not None:
            values["brand"] = kit
        if job.options.get("media"):
            values["media"] = media_folder(self.data, job.options["media"]["upload"])
        # Shots of one job render one after another: the pool runs jobs in parallel instead.
        values["workers"] = 1
        return Settings.model_validate(values)

    def _work(self, job, worker: str, beat: Heartbeat) -> None:
        started = time.perf_counter()
        try:
            settings = self._settings_for(job)
            if self.store.get(job.id).status == "cancelled":
                return
            progress = self._progress(job.id, beat)
            if job.status == "planning" and not self._plan(job, worker, settings, progress):
                return  # awaiting review
            self._render(self.store.get(job.id), worker, settings, progress)
            self.store.update(job.id, timings=dict(self.store.get(job.id).timings or {}) | {"job_s": round(time.perf_counter() - started, 3)})
        except Cancelled:
            log.info("job %s cancelled while %s", job.id, job.status)
        except LeaseLost:
            log.warning("job %s was taken over by another process; leaving it to that one", job.id)
        except (ExplainerError, ProvenanceError, VoiceError, ValueError) as e:
            self.store.transition(job.id, ("planning", "rendering"), worker, status="failed", error=public_message(str(e)), stage="failed",
                                  notify=True)
        except Exception as e:  # a bug: keep the worker alive and say so on the job
            log.exception("job %s failed", job.id)
            self.store.transition(job.id, ("planning", "rendering"), worker, status="failed", error=public_message(f"internal error: {e}"),
                                  stage="failed", notify=True)

    def _progress(self, job_id: str, beat: Heartbeat):
        """The pipeline's progress callback: records the stage, and stops the work at its next
        step when the job was cancelled or another process took it over."""
        checked = [time.monotonic()]

        def progress(stage: str, done: int, total: int) -> None:
            # A cancelled job stops at its next step: the pipeline drops what it was writing,
            # and nothing appears under a final name.
            if beat.lost:
                raise LeaseLost()
            if time.monotonic() - checked[0] > CANCEL_CHECK_S:
                checked[0] = time.monotonic()
                if self.store.get(job_id).status == "cancelled":
                    raise Cancelled()
            if total:
                self.store.update(job_id, stage=stage, progress=done / total)

        return progress

    def _plan(self, job, worker: str, settings: Settings, progress) -> bool:
        """Write the job's script (version 1); True when it goes on to render at once, False
        when it now awaits review."""
        options = job.options or {}
        source = parse_source(job.text.encode("utf-8"), "article", media_type=options.get("media_type"),
                              url=options.get("url"), retrieved_at=options.get("retrieved_at"))
        # The request's title (or the article's own), never the job id.
        source = source.model_copy(update={"title": job.title or source.title})
        shotlist = build_pipeline(settings, progress=progress).plan(source, plan_settings(settings))
        text = dump_shotlist(shotlist)
        script = {"shotlist": text, "script_version": 1, "script_sha256": script_sha256(text)}
        if job.review:
            self.store.transition(job.id, ("planning",), worker, status="awaiting_review", stage="review", progress=0.0, **script)
            return False
        if not self.store.transition(job.id, ("planning",), worker, status="rendering", **script):
            raise LeaseLost()
        return True

    def _render(self, job, worker: str, settings: Settings, progress) -> None:
        """Render, sign and file the job's script: for a reviewed job exactly the approved one,
        spoken by its voice; the files take their final names only while this worker holds it."""
        if job.review and (job.approved_sha256 is None or script_sha256(job.shotlist or "") != job.approved_sha256):
            # Edits after approval are refused at the door; this guards the record all the same.
            raise ExplainerError(f"the script (version {job.script_version}) is not the one approved "
                                 f"(version {job.approved_version}); approve it again")
        shotlist = parse_shotlist(job.shotlist, origin=f"job {job.id} script")
        if job.review:
            settings = settings.model_copy(update={"voice": shotlist.voice})
        else:
            shotlist = shotlist.model_copy(update={"voice": settings.voice, "aspect": settings.aspect})
        pipeline = build_pipeline(settings, signer=self.signer, progress=progress)
        # Every signed video is filed in the service's own repository, where /sbr finds it.
        pipeline.repository = self.store.repository
        paths = job_paths(self.data, job.id)
        paths.video.parent.mkdir(parents=True, exist_ok=True)

        @contextmanager
        def as_holder() -> Iterator[None]:
            # The files take their final names only if this worker still holds the job, in the
            # transaction that marks it done: a process that lost its lease, however late,
            # cannot put its files over those of the one that took the job over.
            with self.store.changing(job.id, ("rendering",), worker, notify=True, status="done", stage="done", progress=1.0) as held:
                if held:
                    yield
                    return
            raise Cancelled() if self.store.get(job.id).status == "cancelled" else LeaseLost()

        production = pipeline.render(
            shotlist, paths, settings=settings.model_dump(mode="json", exclude={"llm_api_key", "sign_key_password", "cache_dir", "config_dir"}),
            review=self._review(job), allow_unsupported=bool(job.options.get("allow_unsupported")), commit=as_holder,
        )
        self.store.update(job.id, timings=dict(production.record.timings_s))

    def _review(self, job) -> dict[str, Any]:
        return signed_review(job, self.store.audit_log(job.id))

