"""Routes that take requests in: submit (JSON, or multipart with the article file and the
newsroom's photos and clips), idempotent retries, list, read and cancel."""

import hashlib
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from ..errors import InputError, UnreadableInput
from ..sources import decode_text
from .articles import read_text
from .context import Caller, Config, ServiceConfig, visible_job
from .limits import QuotaExceeded
from .requests_models import NewRequest, describe_error
from .webhooks import webhook_problem
from .worker import job_json, media_folder

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
#: Photos and clips sent with a request, all together.
MAX_MEDIA_BYTES = 200 * 1024 * 1024
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")

router = APIRouter()


def _check_backends(cfg: ServiceConfig, body: NewRequest) -> None:
    for kind in ("planner", "renderer"):
        name = getattr(body, kind)
        if name and cfg.offered is not None and name not in cfg.offered[kind]:
            # Accepted now it would fail after review, with an editor's time spent on it.
            raise HTTPException(status_code=422, detail=f"{kind}: this server does not run the {name} {kind} (it is not set up "
                                                        f"here); use one of: {', '.join(cfg.offered[kind])}, or leave it out")


def _waiver(cfg: ServiceConfig, who, body: NewRequest) -> str | None:
    """Who waives review for this request (an editor or admin asking for none), or None."""
    if body.review or cfg.review_policy != "required":
        return None
    if who.role not in ("editor", "admin"):
        raise HTTPException(status_code=403, detail="review: this newsroom requires editorial review; only an editor or admin can waive it")
    return who.name


async def _article(body: NewRequest, options: dict[str, Any]) -> tuple[str, str, str]:
    """(text, title, status): a text read now, or a page to be fetched in the background."""
    if body.text is not None:
        try:
            article = await run_in_threadpool(read_text, body.text, body.title)
        except InputError as e:
            raise HTTPException(status_code=413 if "longer than" in str(e) else 422, detail=str(e).replace("article: ", "article ")) from e
        return article.text, article.title, "queued"
    # The page is fetched in the background, never on the request path: a slow site holds no
    # thread the API answers with. Its problems are the job's error.
    options["title_from_page"] = body.title is None
    return "", (body.title or body.url)[:300], "fetching"


async def submit(cfg: ServiceConfig, who, body: NewRequest, media: dict[str, Any] | None = None, key: str | None = None) -> Any:
    """Accept a checked request: 202 with its id, or the job a retry with the same key made."""
    store = cfg.store
    fingerprint = hashlib.sha256(body.model_dump_json(exclude_none=True).encode("utf-8")).hexdigest()
    _check_backends(cfg, body)
    if key is not None and (earlier := store.by_idempotency_key(who, key)) is not None:
        return replayed(earlier, fingerprint)
    waived_by = _waiver(cfg, who, body)
    if body.webhook_url and (problem := await run_in_threadpool(webhook_problem, body.webhook_url, cfg.webhook_hosts)):
        raise HTTPException(status_code=422, detail=f"webhook_url: {problem}")
    options = body.model_dump(exclude={"text", "title", "review", "webhook_url"}, exclude_none=True)
    if who.organisation:
        options["organisation"] = who.organisation
    if media:
        options["media"] = media
    text, title, status = await _article(body, options)
    try:
        job, created = store.create_job(who, title, text, options, body.review, body.webhook_url, waived_by, idempotency_key=key,
                                        request_sha256=fingerprint if key else None, video_s=body.length or cfg.default_length_s,
                                        quotas=cfg.quotas, status=status)
    except QuotaExceeded as e:
        raise HTTPException(status_code=429, detail=str(e), headers={"Retry-After": str(e.retry_after_s)}) from e
    if not created:  # the same key, sent again while this one was being read
        return replayed(job, fingerprint)
    store.audit(who, "submit", job.id, title=title)
    if waived_by:
        store.audit(who, "waive", job.id)
    if status == "fetching" and cfg.fetcher is not None:
        cfg.fetcher(job.id)
    return {"id": job.id, "status": job.status}


def replayed(job, fingerprint: str) -> JSONResponse:
    """The answer to a retry: the job the key already made, or 422 if the key was used for
    another request."""
    if job.request_sha256 != fingerprint:
        raise HTTPException(status_code=422, detail="Idempotency-Key: already used for a different request; "
                                                    "send a new key for a new request")
    return JSONResponse(status_code=202, content={"id": job.id, "status": job.status}, headers={"Idempotent-Replayed": "true"})


def idempotency_key(request: Request) -> str | None:
    """The request's Idempotency-Key header, checked; None without one."""
    key = request.headers.get("idempotency-key")
    if key is not None and not _IDEMPOTENCY_KEY.match(key):
        raise HTTPException(status_code=422, detail="Idempotency-Key: use 1 to 200 visible ASCII characters (a UUID is good)")
    return key


async def receive_media(data: Path, parts: list) -> dict[str, Any]:
    """Keep the request's photos and clips (and a media.yaml/.csv of captions) in their own
    folder, read them as `--media` would, and refuse the request if they cannot be used."""
    import shutil
    import uuid

    from ..sources.media import load_media

    upload = uuid.uuid4().hex
    folder = media_folder(data, upload)
    folder.mkdir(parents=True)
    try:
        total = 0
        for part in parts:
            name = Path(part.filename or "").name
            if not name or name.startswith("."):
                raise HTTPException(status_code=422, detail="media: every file needs a name (photo.jpg, clip.mp4, media.yaml)")
            content = await part.read(MAX_MEDIA_BYTES + 1)
            total += len(content)
            if total > MAX_MEDIA_BYTES:
                raise HTTPException(status_code=413, detail=f"media are larger than {MAX_MEDIA_BYTES // 1024 // 1024} MB together")
            (folder / name).write_bytes(content)
        try:
            items = await run_in_threadpool(load_media, folder)
        except InputError as e:
            raise HTTPException(status_code=422, detail="media: " + str(e).replace(f"--media {folder}: ", "")) from e
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return {"upload": upload, "files": [Path(item.path).name for item in items]}


def _too_large(limit: int) -> HTTPException:
    return HTTPException(status_code=413, detail=f"upload is larger than {limit // 1024 // 1024} MB")


async def _json_body(request: Request) -> NewRequest:
    raw = await request.body()
    if len(raw) > MAX_UPLOAD_BYTES:
        raise _too_large(MAX_UPLOAD_BYTES)
    try:
        return NewRequest.model_validate_json(raw)
    except ValidationError as e:
        raise HTTPException(status_code=422, detail=describe_error(e.errors())) from e


def _form_fields(form) -> dict[str, Any]:
    """The form's fields but the files; the two that are not text read here, strictly."""
    fields: dict[str, Any] = {k: v for k, v in form.items() if k not in ("file", "media")}
    if "review" in fields:
        if str(fields["review"]).lower() not in ("true", "false"):
            raise HTTPException(status_code=422, detail="review: write true or false")
        fields["review"] = str(fields["review"]).lower() == "true"
    if "length" in fields:
        try:
            fields["length"] = float(str(fields["length"]))
        except ValueError:
            raise HTTPException(status_code=422, detail="length: should be a number of seconds") from None
    return fields


async def _multipart_body(form) -> NewRequest:
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read"):
        raise HTTPException(status_code=422, detail="multipart requests need a 'file' part with the article")
    if (upload.content_type or "text/plain").split(";")[0] not in ("text/plain", "text/markdown", "application/octet-stream"):
        raise HTTPException(status_code=415, detail=f"article files must be text/plain or text/markdown, not {upload.content_type}")
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large(MAX_UPLOAD_BYTES)
    try:
        text = decode_text(data, upload.filename or "upload")
    except InputError as e:
        raise HTTPException(status_code=415 if isinstance(e, UnreadableInput) else 422, detail=str(e)) from e
    try:
        return NewRequest.model_validate({"text": text, **_form_fields(form)})
    except ValidationError as e:
        raise HTTPException(status_code=422, detail=describe_error(e.errors())) from e


@router.post("/v1/requests", status_code=202)
async def create_request(request: Request, who: Caller, cfg: Config):
    """Submit an article: JSON, or multipart with a 'file' part and any 'media' parts."""
    key = idempotency_key(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # Photos and clips come only in multipart requests, which may be larger.
    limit = MAX_UPLOAD_BYTES + MAX_MEDIA_BYTES if kind == "multipart/form-data" else MAX_UPLOAD_BYTES
    if int(request.headers.get("content-length") or 0) > limit:
        raise _too_large(limit)
    if kind == "application/json":
        return await submit(cfg, who, await _json_body(request), key=key)
    if kind == "multipart/form-data":
        form = await request.form()
        body = await _multipart_body(form)
        uploads = [part for part in form.getlist("media") if hasattr(part, "read")]
        media = await receive_media(cfg.data, uploads) if uploads else None
        return await submit(cfg, who, body, media, key=key)
    raise HTTPException(status_code=415, detail="send application/json or multipart/form-data with a 'file' part")


@router.get("/v1/requests")
def list_requests(who: Caller, cfg: Config, status: str | None = None):
    """The caller's requests (every request, for editors and admins)."""
    owner = who.public_id if who.role == "requester" else None
    return {"requests": [job_json(j) for j in cfg.store.list(owner=owner, status=status)]}


@router.get("/v1/requests/{job_id}")
def get_request(job_id: str, who: Caller, cfg: Config):
    """One request's status, stage, progress, script version and timings."""
    return job_json(visible_job(cfg.store, job_id, who))


@router.post("/v1/requests/{job_id}/cancel")
def cancel(job_id: str, who: Caller, cfg: Config):
    """Stop a request's work; nothing is left under a final name."""
    store = cfg.store
    job = visible_job(store, job_id, who)
    if not store.transition(job.id, ("fetching", "queued", "planning", "awaiting_review", "rendering"), status="cancelled", stage="cancelled"):
        raise HTTPException(status_code=409, detail=f"request is {store.get(job.id).status}; it cannot be cancelled")
    store.audit(who, "cancel", job.id, was=job.status)
    return job_json(store.get(job.id))
