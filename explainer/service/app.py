"""The newsroom service: REST API under /v1 and the desk pages, on FastAPI."""

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, Callable, Literal

import yaml
from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputError, UnreadableInput
from ..shotlist import ShotList, dump_shotlist, parse_shotlist
from ..sources import decode_text
from .articles import read_text
from .framing import idle_limited
from .limits import QuotaExceeded, Quotas, MAX_LENGTH_S, MIN_LENGTH_S, control_problem, length_problem, script_problem, voice_problem
from .security import SecurityHeaders, public_message
from .store import Store
from .webhooks import webhook_problem
from .worker import audit_json, job_json, job_paths, media_folder

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
#: Photos and clips sent with a request, all together.
MAX_MEDIA_BYTES = 200 * 1024 * 1024
MAX_VERIFY_BYTES = 512 * 1024 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_SCRIPT_BYTES = 8 * 1024 * 1024
REVIEW_POLICIES = ("required", "optional")
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
COOKIE = "explainer_token"


class NewRequest(BaseModel):
    """An explainer request: only ``text`` (or ``url``) is required. Everything is checked here,
    before the request is accepted: numbers strictly typed and finite, names from the
    catalogs, never a path."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str | None = Field(default=None, min_length=1)
    title: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=500, pattern=r"^https?://",
                            description="the article's page: fetched when there is no text, recorded either way")
    length: float | None = Field(default=None, allow_inf_nan=False, description=f"seconds, {MIN_LENGTH_S:g} to {MAX_LENGTH_S:g}")
    aspect: Literal["16:9", "9:16", "1:1"] | None = None
    voice: str | None = Field(default=None, description="a voice of the catalog, by name")
    planner: str | None = None
    renderer: str | None = None
    review: bool = Field(default=True, description="false waives editorial review: editors and admins only, when policy requires it")
    webhook_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://")
    allow_unsupported: bool = False

    @model_validator(mode="after")
    def _text_or_url(self) -> "NewRequest":
        if self.text is None and self.url is None:
            raise ValueError("send the article as 'text', or its page as 'url'")
        return self

    @field_validator("voice")
    @classmethod
    def _catalog_voice(cls, value: str | None) -> str | None:
        if value is not None and (problem := voice_problem("voice", value)):
            raise ValueError(problem.removeprefix("voice: "))
        return value

    @field_validator("length")
    @classmethod
    def _length(cls, value: float | None) -> float | None:
        if value is not None and (problem := length_problem("length", value)):
            raise ValueError(problem.removeprefix("length: "))
        return value

    @field_validator("text", "title", "url", "webhook_url", "planner", "renderer")
    @classmethod
    def _plain_text(cls, value: str | None, info) -> str | None:
        # A NUL or escape code would be accepted here and fail after approval, or reach a terminal.
        if value is not None and (problem := control_problem(info.field_name, value, multiline=info.field_name == "text")):
            raise ValueError(problem.removeprefix(f"{info.field_name}: "))
        return value

    @field_validator("planner", "renderer")
    @classmethod
    def _registered(cls, value: str | None, info) -> str | None:
        from ..planning import PLANNERS
        from ..rendering import RENDERERS

        names = (PLANNERS if info.field_name == "planner" else RENDERERS).names()
        if value is not None and value not in names:
            raise ValueError(f"unknown {info.field_name}; use one of: {', '.join(names)}")
        return value


class BindingQuery(BaseModel):
    """A Soft Binding Resolution API lookup sent as JSON."""

    model_config = ConfigDict(extra="forbid")
    alg: str = Field(min_length=1, max_length=200)
    value: str = Field(min_length=1, max_length=400)
    maxResults: int = Field(default=10, ge=1, le=100)  # noqa: N815 (the API's name)


class ScriptEdit(BaseModel):
    """A replacement shot list from an editor; with ``version``, only if the script is still
    that version (two editors at once: the second is told, not overwritten)."""

    model_config = ConfigDict(extra="forbid")

    shotlist: dict[str, Any]
    version: int | None = Field(default=None, ge=1, le=1_000_000, description="the version this edit was made from")


class Approval(BaseModel):
    """What an editor approves: the script version and its sha256, as GET .../script shows them."""

    model_config = ConfigDict(extra="forbid", strict=True)

    version: int = Field(ge=1, le=1_000_000)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class BodyLimit:
    """ASGI middleware: counts a POST body as it streams in and answers 413 the moment it
    passes its path's limit, so an oversized upload is never held in memory or on disk."""

    def __init__(self, app, limit_for) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope, receive, send):
        limit = self.limit_for(scope) if scope["type"] == "http" else None
        if limit is None:
            return await self.app(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await idle_limited(receive)
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(status_code=413, detail=f"upload is larger than {limit // 1024 // 1024} MB")
            return message

        try:
            await self.app(scope, counted, send)
        except ClientDisconnect:
            pass  # the client left mid-body: nothing to answer, nothing to log as an error


def body_limit(scope) -> int | None:
    """The most bytes a request may send: an article (JSON or a file), photos and clips only
    in multipart requests, a file to verify; None where there is no body to speak of."""
    path = scope.get("path", "")
    if path == "/v1/verify":
        return MAX_VERIFY_BYTES
    if path == "/sbr/manifests":
        return MAX_MANIFEST_BYTES
    if scope.get("method") in ("PUT", "POST") and path.startswith("/v1/requests/"):
        return MAX_SCRIPT_BYTES  # an edited script, an approval
    if path == "/v1/requests" and scope.get("method") == "POST":
        kind = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip().lower()
        return MAX_UPLOAD_BYTES + MAX_MEDIA_BYTES if kind == b"multipart/form-data" else MAX_UPLOAD_BYTES
    return None


def describe_error(errors: list[dict[str, Any]]) -> str:
    """The first validation error as one line that says where and what."""
    first = errors[0]
    if first.get("type") == "json_invalid":
        message = str(first.get("msg", "")).removeprefix("Invalid JSON: ")
        if "hex escape" in message or "surrogate" in message:
            message = "a \\u escape that is not a character (a lone surrogate?); send the text as UTF-8"
        return f"malformed JSON: {message}"
    where = ".".join(str(p) for p in first.get("loc", []) if p != "body") or "body"
    if first.get("type") == "extra_forbidden":
        return f"{where}: unknown field; allowed are {', '.join(NewRequest.model_fields)}"
    if first.get("type") == "finite_number":
        return f"{where}: should be a finite number"
    return f"{where}: {str(first.get('msg', '')).removeprefix('Value error, ')}"


def caller(request: Request):
    """The token record of the caller: Bearer header, or the desk's cookie; 401 otherwise."""
    store: Store = request.app.state.store
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get(COOKIE, "")
    record = store.token(token) if token else None
    if record is None:
        raise HTTPException(status_code=401, detail="missing or invalid token; send Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    return record


Caller = Annotated[Any, Depends(caller)]


def create_app(
    store: Store, data: Path, *, allow_private_urls: bool = False, review_policy: str = "required",
    webhook_hosts: tuple[str, ...] = (), offered: dict[str, list[str]] | None = None, quotas: Quotas | None = None,
    default_length_s: float = 60.0, fetcher: Callable[[str], None] | None = None,
) -> FastAPI:
    """The ASGI app over a store and a data folder. Article URLs on loopback or private
    networks are refused unless ``allow_private_urls``, and webhooks unless their host is in
    ``webhook_hosts`` (the service must not be a way in). ``review_policy`` "required": every
    script is reviewed unless an editor or admin waives it; "optional": the requester chooses.
    ``offered``: the planners and renderers this server can run, by kind (all, when not given).
    ``quotas``: what one requester and one organisation may ask for (none when not given);
    a request without a length counts ``default_length_s``. ``fetcher`` is handed the id of
    each job whose article page is to be fetched (``Workers.fetch``)."""
    if review_policy not in REVIEW_POLICIES:
        raise ValueError(f"review policy must be one of {', '.join(REVIEW_POLICIES)}")
    app = FastAPI(title="Explainer newsroom service", version="1", description="Submit articles, review scripts, get signed explainers.")
    app.state.store = store
    # Bodies are counted while they arrive: a request over its limit is refused at the limit.
    app.add_middleware(BodyLimit, limit_for=body_limit)
    app.add_middleware(SecurityHeaders)
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError):
        return JSONResponse(status_code=422, content={"detail": describe_error(error.errors())})

    @app.exception_handler(StarletteHTTPException)
    async def _refused(request: Request, error: StarletteHTTPException):
        detail = public_message(error.detail) if isinstance(error.detail, str) else error.detail
        return JSONResponse(status_code=error.status_code, content={"detail": detail}, headers=error.headers)

    def visible_job(job_id: str, who) -> Any:
        job = store.get(job_id) if _JOB_ID.match(job_id) else None
        if job is None or (who.role == "requester" and job.owner != who.public_id):
            raise HTTPException(status_code=404, detail=f"no request {job_id[:40]!r}")
        return job

    def require_editor(who) -> None:
        if who.role not in ("editor", "admin"):
            raise HTTPException(status_code=403, detail="only editors can review, edit or approve scripts")

    async def submit(who, body: NewRequest, media: dict[str, Any] | None = None, key: str | None = None) -> Any:
        fingerprint = hashlib.sha256(body.model_dump_json(exclude_none=True).encode("utf-8")).hexdigest()
        for kind in ("planner", "renderer"):
            name = getattr(body, kind)
            if name and offered is not None and name not in offered[kind]:
                # Accepted now it would fail after review, with an editor's time spent on it.
                raise HTTPException(status_code=422, detail=f"{kind}: this server does not run the {name} {kind} (it is not set up "
                                                            f"here); use one of: {', '.join(offered[kind])}, or leave it out")
        if key is not None:
            earlier = store.by_idempotency_key(who, key)
            if earlier is not None:
                return replayed(earlier, fingerprint)
        waived_by = None
        if not body.review and review_policy == "required":
            if who.role not in ("editor", "admin"):
                raise HTTPException(status_code=403, detail="review: this newsroom requires editorial review; only an editor or admin can waive it")
            waived_by = who.name
        if body.webhook_url:
            problem = await run_in_threadpool(webhook_problem, body.webhook_url, webhook_hosts)
            if problem:
                raise HTTPException(status_code=422, detail=f"webhook_url: {problem}")
        options = body.model_dump(exclude={"text", "title", "review", "webhook_url"}, exclude_none=True)
        if who.organisation:
            options["organisation"] = who.organisation
        if media:
            options["media"] = media
        if body.text is not None:
            try:
                article = await run_in_threadpool(read_text, body.text, body.title)
            except InputError as e:
                raise HTTPException(status_code=413 if "longer than" in str(e) else 422, detail=str(e).replace("article: ", "article ")) from e
            text, title, status = article.text, article.title, "queued"
        else:
            # The page is fetched in the background, never on the request path: a slow site
            # holds no thread the API answers with. Its problems are the job's error.
            text, title, status = "", (body.title or body.url)[:300], "fetching"
            options["title_from_page"] = body.title is None
        try:
            job, created = store.create_job(who, title, text, options, body.review, body.webhook_url, waived_by, idempotency_key=key,
                                            request_sha256=fingerprint if key else None, video_s=body.length or default_length_s,
                                            quotas=quotas, status=status)
        except QuotaExceeded as e:
            raise HTTPException(status_code=429, detail=str(e), headers={"Retry-After": str(e.retry_after_s)}) from e
        if not created:  # the same key, sent again while this one was being read
            return replayed(job, fingerprint)
        store.audit(who, "submit", job.id, title=title)
        if waived_by:
            store.audit(who, "waive", job.id)
        if status == "fetching" and fetcher is not None:
            fetcher(job.id)
        return {"id": job.id, "status": job.status}

    def replayed(job, fingerprint: str) -> JSONResponse:
        """The answer to a retry: the job the key already made, or 422 if the key was used for
        another request."""
        if job.request_sha256 != fingerprint:
            raise HTTPException(status_code=422, detail="Idempotency-Key: already used for a different request; "
                                                        "send a new key for a new request")
        return JSONResponse(status_code=202, content={"id": job.id, "status": job.status},
                            headers={"Idempotent-Replayed": "true"})

    def idempotency_key(request: Request) -> str | None:
        key = request.headers.get("idempotency-key")
        if key is not None and not _IDEMPOTENCY_KEY.match(key):
            raise HTTPException(status_code=422, detail="Idempotency-Key: use 1 to 200 visible ASCII characters (a UUID is good)")
        return key

    async def receive_media(parts: list) -> dict[str, Any]:
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

    @app.post("/v1/requests", status_code=202)
    async def create_request(request: Request, who: Caller):
        key = idempotency_key(request)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        size = int(request.headers.get("content-length") or 0)
        # Photos and clips come only in multipart requests, which may be larger.
        limit = MAX_UPLOAD_BYTES + MAX_MEDIA_BYTES if kind == "multipart/form-data" else MAX_UPLOAD_BYTES
        if size > limit:
            raise HTTPException(status_code=413, detail=f"upload is larger than {limit // 1024 // 1024} MB")
        if kind == "application/json":
            raw = await request.body()
            if len(raw) > MAX_UPLOAD_BYTES:
                raise HTTPException(status_code=413, detail=f"upload is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
            try:
                body = NewRequest.model_validate_json(raw)
            except ValidationError as e:
                raise HTTPException(status_code=422, detail=describe_error(e.errors())) from e
            return await submit(who, body, key=key)
        if kind == "multipart/form-data":
            form = await request.form()
            upload = form.get("file")
            if upload is None or not hasattr(upload, "read"):
                raise HTTPException(status_code=422, detail="multipart requests need a 'file' part with the article")
            if (upload.content_type or "text/plain").split(";")[0] not in ("text/plain", "text/markdown", "application/octet-stream"):
                raise HTTPException(status_code=415, detail=f"article files must be text/plain or text/markdown, not {upload.content_type}")
            data = await upload.read(MAX_UPLOAD_BYTES + 1)
            if len(data) > MAX_UPLOAD_BYTES:
                raise HTTPException(status_code=413, detail=f"upload is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
            try:
                text = decode_text(data, upload.filename or "upload")
            except InputError as e:
                status = 415 if isinstance(e, UnreadableInput) else 422
                raise HTTPException(status_code=status, detail=str(e)) from e
            fields: dict[str, Any] = {k: v for k, v in form.items() if k not in ("file", "media")}
            # Form fields are text: the two that are not are read here, strictly.
            if "review" in fields:
                if str(fields["review"]).lower() not in ("true", "false"):
                    raise HTTPException(status_code=422, detail="review: write true or false")
                fields["review"] = str(fields["review"]).lower() == "true"
            for name in ("length",):
                if name in fields:
                    try:
                        fields[name] = float(str(fields[name]))
                    except ValueError:
                        raise HTTPException(status_code=422, detail=f"{name}: should be a number of seconds") from None
            try:
                body = NewRequest.model_validate({"text": text, **fields})
            except ValidationError as e:
                raise HTTPException(status_code=422, detail=describe_error(e.errors())) from e
            uploads = [part for part in form.getlist("media") if hasattr(part, "read")]
            media = await receive_media(uploads) if uploads else None
            return await submit(who, body, media, key=key)
        raise HTTPException(status_code=415, detail="send application/json or multipart/form-data with a 'file' part")

    @app.get("/v1/requests")
    def list_requests(who: Caller, status: str | None = None):
        owner = who.public_id if who.role == "requester" else None
        return {"requests": [job_json(j) for j in store.list(owner=owner, status=status)]}

    @app.get("/v1/audit")
    def audit_log(who: Caller, job: str | None = None):
        """Who did what and when: admins only."""
        if who.role != "admin":
            raise HTTPException(status_code=403, detail="only admins can read the audit log")
        return {"entries": [audit_json(e) for e in store.audit_log(job_id=job)]}

    @app.get("/v1/requests/{job_id}")
    def get_request(job_id: str, who: Caller):
        return job_json(visible_job(job_id, who))

    @app.get("/v1/requests/{job_id}/script")
    def get_script(job_id: str, who: Caller):
        job = visible_job(job_id, who)
        if not job.shotlist:
            raise HTTPException(status_code=409, detail=f"request is {job.status}; the script exists after planning")
        return {"id": job.id, "status": job.status, "edited_by": job.edited_by, "version": job.script_version, "sha256": job.script_sha256,
                "shotlist": yaml.safe_load(job.shotlist)}

    @app.get("/v1/requests/{job_id}/sheet.png")
    def contact_sheet(job_id: str, who: Caller):
        """The script's contact sheet, drawn on demand and kept until the script changes."""
        import hashlib

        from ..rendering.preview import write_contact_sheet

        job = visible_job(job_id, who)
        if not job.shotlist:
            raise HTTPException(status_code=409, detail=f"request is {job.status}; the contact sheet exists after planning")
        digest = hashlib.sha256(job.shotlist.encode("utf-8")).hexdigest()[:16]
        sheet = data / "jobs" / job.id / f"sheet-{digest}.png"
        if not sheet.is_file():
            sheet.parent.mkdir(parents=True, exist_ok=True)
            partial = sheet.with_name("." + sheet.name)  # not matched by sheet-*.png below
            write_contact_sheet(parse_shotlist(job.shotlist, origin=f"request {job.id}"), partial)
            for old in sheet.parent.glob("sheet-*.png"):
                old.unlink(missing_ok=True)  # drawn for an earlier version of the script
            partial.replace(sheet)
        return FileResponse(sheet, media_type="image/png")

    @app.put("/v1/requests/{job_id}/script")
    def put_script(job_id: str, edit: ScriptEdit, who: Caller):
        job = visible_job(job_id, who)
        require_editor(who)
        if job.status != "awaiting_review":
            raise HTTPException(status_code=409, detail=f"request is {job.status}; scripts can be edited while awaiting review")
        shotlist = checked_script(edit.shotlist, job)
        if store.edit_script(job.id, who, dump_shotlist(shotlist), based_on=edit.version) is None:
            now_ = store.get(job.id)
            if now_.status != "awaiting_review":
                raise HTTPException(status_code=409, detail=f"request is {now_.status}; scripts can be edited while awaiting review")
            raise HTTPException(status_code=409, detail=f"the script is at version {now_.script_version}, not {edit.version}: "
                                                        "someone edited it meanwhile; reload it and edit again")
        return job_json(store.get(job.id))

    def checked_script(raw: dict[str, Any], job) -> ShotList:
        """An edited script checked as a submission is: its shape, its bounds and text, its
        voice from the catalogue, and only the request's own photos and clips."""
        try:
            shotlist = ShotList.model_validate(raw)
        except ValidationError as e:
            first = e.errors()[0]
            raise HTTPException(status_code=422, detail=f"shotlist.{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from e
        problem = script_problem(shotlist)
        if problem:
            raise HTTPException(status_code=422, detail=problem)
        # Editors edit shots, not the article: the source every line is checked against stays
        # the one the request brought.
        planned = parse_shotlist(job.shotlist, origin=f"request {job.id}")
        shotlist = shotlist.model_copy(update={"source": planned.source})
        # A script may show only the files sent with its request, never another file on the server.
        sent = media_folder(data, (job.options.get("media") or {}).get("upload", "-")).resolve()
        for n, item in enumerate(shotlist.media):
            if not Path(item.path).resolve().is_relative_to(sent):
                raise HTTPException(status_code=422, detail=f"shotlist.media.{n}.path: {Path(item.path).name} was not sent with this "
                                                            "request; a script can show only the request's own photos and clips")
        return shotlist

    @app.post("/v1/requests/{job_id}/approve")
    def approve(job_id: str, who: Caller, approval: Approval | None = None):
        job = visible_job(job_id, who)
        require_editor(who)
        if approval is None:
            raise HTTPException(status_code=422, detail='approve: name the script you approved, {"version": N, "sha256": "..."}, '
                                                        "as GET /v1/requests/{id}/script shows them")
        if not store.approve(job.id, who, approval.version, approval.sha256):
            now_ = store.get(job.id)
            if now_.status != "awaiting_review":
                raise HTTPException(status_code=409, detail=f"request is {now_.status}; only scripts awaiting review can be approved")
            raise HTTPException(status_code=409, detail=(
                f"script version {approval.version} (sha256 {approval.sha256[:12]}...) is not the one awaiting review "
                f"(version {now_.script_version}, sha256 {(now_.script_sha256 or '')[:12]}...); reload the script and approve what you read"))
        return job_json(store.get(job.id))

    @app.post("/v1/requests/{job_id}/cancel")
    def cancel(job_id: str, who: Caller):
        job = visible_job(job_id, who)
        if not store.transition(job.id, ("fetching", "queued", "planning", "awaiting_review", "rendering"), status="cancelled", stage="cancelled"):
            raise HTTPException(status_code=409, detail=f"request is {store.get(job.id).status}; it cannot be cancelled")
        store.audit(who, "cancel", job.id, was=job.status)
        return job_json(store.get(job.id))

    def done_file(job_id: str, who, attribute: str) -> Path:
        job = visible_job(job_id, who)
        if job.status != "done":
            raise HTTPException(status_code=409, detail=f"request is {job.status}; files exist when it is done")
        path = getattr(job_paths(data, job.id), attribute)
        # Only the job's own folder is ever served.
        if not path.resolve().is_relative_to((data / "jobs" / job.id).resolve()) or not path.is_file():
            raise HTTPException(status_code=404, detail="file not found")
        return path

    @app.get("/v1/requests/{job_id}/video")
    def video(job_id: str, who: Caller):
        path = done_file(job_id, who, "video")
        store.audit(who, "download", job_id)
        return FileResponse(path, media_type="video/mp4", filename=f"{job_id}.mp4")

    @app.get("/v1/requests/{job_id}/captions.vtt")
    def captions_vtt(job_id: str, who: Caller):
        return FileResponse(done_file(job_id, who, "vtt"), media_type="text/vtt")

    @app.get("/v1/requests/{job_id}/descriptions.vtt")
    def descriptions_vtt(job_id: str, who: Caller):
        return FileResponse(done_file(job_id, who, "descriptions"), media_type="text/vtt")

    @app.get("/v1/requests/{job_id}/captions.srt")
    def captions_srt(job_id: str, who: Caller):
        return FileResponse(done_file(job_id, who, "srt"), media_type="application/x-subrip")

    @app.get("/v1/requests/{job_id}/provenance")
    def provenance_report(job_id: str, who: Caller):
        from provenance import verify

        from ..signing import local_root_pem
        from ..settings import load_settings

        report = verify(done_file(job_id, who, "video"), local_root_pem(load_settings({})))
        return report.to_dict()

    # --- the manifest repository: C2PA's Soft Binding Resolution API (reads are public) ---

    @app.get("/sbr/services/supportedAlgorithms")
    def supported_algorithms():
        from provenance.watermark import ALGORITHM

        return {"watermarks": [{"alg": ALGORITHM}], "fingerprints": []}

    @app.get("/sbr/matches/byBinding")
    def matches_by_binding(alg: str, value: str, maxResults: int = 10):  # noqa: N803 (the API's name)
        ids = store.repository.matches(alg, value, max(1, min(maxResults, 100)))
        return {"matches": [{"manifestId": manifest_id} for manifest_id in ids]}

    @app.post("/sbr/matches/byBinding")
    def matches_by_binding_post(query: BindingQuery):
        return matches_by_binding(query.alg, query.value, query.maxResults)

    @app.get("/sbr/manifests/{manifest_id}")
    def manifest_store(manifest_id: str):
        store_bytes = store.repository.manifest(manifest_id)
        if store_bytes is None:
            raise HTTPException(status_code=404, detail=f"no manifest {manifest_id[:80]!r} in this repository")
        return Response(store_bytes, media_type="application/c2pa")

    @app.post("/sbr/manifests", status_code=201)
    async def file_manifest(request: Request, who: Caller):
        from provenance.repository import RepositoryError

        require_editor(who)
        body = await request.body()
        try:
            facts = store.repository.add(body)
        except RepositoryError as e:
            raise HTTPException(status_code=422, detail=f"{e}; send the manifest store bytes (application/c2pa)") from None
        store.audit(who, "file_manifest", manifest_id=facts.manifest_id, bindings=len(facts.bindings))
        return {"manifestId": facts.manifest_id, "bindings": [{"alg": a, "value": v} for a, v in facts.bindings]}

    @app.post("/v1/verify")
    async def verify_upload(who: Caller, file: UploadFile = File(...)):
        from provenance.recover import verify_or_recover

        from ..signing import local_root_pem
        from ..settings import load_settings

        suffix = Path(file.filename or "upload").suffix[:10]
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            size = 0
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > MAX_VERIFY_BYTES:
                    raise HTTPException(status_code=413, detail="file is larger than 512 MB")
                tmp.write(chunk)
            tmp.flush()
            # A copy without credentials is looked up in this service's repository by its watermark.
            report = await run_in_threadpool(verify_or_recover, Path(tmp.name), store.repository, local_root_pem(load_settings({})))
            # Named as it was sent, never by the temporary file it was kept in.
            shown = Path(file.filename or "upload").name[:200]
            return {k: public_message(v.replace(tmp.name, shown)) if isinstance(v, str) else v for k, v in report.to_dict().items()} | {"file": shown}

    # --- desk pages ---------------------------------------------------------------------------

    def desk_user(request: Request):
        token = request.cookies.get(COOKIE, "")
        return store.token(token) if token else None

    @app.get("/", response_class=HTMLResponse)
    def desk(request: Request):
        who = desk_user(request)
        if who is None:
            return templates.TemplateResponse(request, "login.html", {"error": None})
        jobs = store.list(owner=who.public_id if who.role == "requester" else None)
        return templates.TemplateResponse(request, "desk.html", {"who": who, "jobs": [job_json(j) for j in jobs], "review_policy": review_policy})

    @app.post("/login")
    def login(token: Annotated[str, Form()], request: Request):
        if store.token(token.strip()) is None:
            return templates.TemplateResponse(request, "login.html", {"error": "That token is not valid."}, status_code=401)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict")
        return response

    @app.post("/logout")
    def logout():
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @app.get("/desk/{job_id}", response_class=HTMLResponse)
    def desk_job(job_id: str, request: Request):
        who = desk_user(request)
        if who is None:
            return RedirectResponse("/", status_code=303)
        job = visible_job(job_id, who)
        shotlist = yaml.safe_load(job.shotlist) if job.shotlist else None
        return templates.TemplateResponse(request, "job.html", {"who": who, "job": job_json(job), "shotlist": shotlist})

    return app
