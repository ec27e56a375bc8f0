"""The newsroom service: REST API under /v1, the manifest repository under /sbr and the desk
pages, on FastAPI. ``create_app`` puts together the routers (``intake``, ``review``,
``files``, ``repository_api``, ``desk``), the middleware and the error handlers."""

from pathlib import Path
from typing import Callable

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from . import desk, files, intake, repository_api, review
from .context import ServiceConfig
from .framing import idle_limited
from .limits import Quotas
from .requests_models import describe_error
from .security import SecurityHeaders, public_message
from .store import Store

MAX_SCRIPT_BYTES = 8 * 1024 * 1024
REVIEW_POLICIES = ("required", "optional")


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
        return files.MAX_VERIFY_BYTES
    if path == "/sbr/manifests":
        return repository_api.MAX_MANIFEST_BYTES
    if scope.get("method") in ("PUT", "POST") and path.startswith("/v1/requests/"):
        return MAX_SCRIPT_BYTES  # an edited script, an approval
    if path == "/v1/requests" and scope.get("method") == "POST":
        kind = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip().lower()
        return intake.MAX_UPLOAD_BYTES + intake.MAX_MEDIA_BYTES if kind == b"multipart/form-data" else intake.MAX_UPLOAD_BYTES
    return None


async def _invalid(request: Request, error: RequestValidationError):
    return JSONResponse(status_code=422, content={"detail": describe_error(error.errors())})


async def _refused(request: Request, error: StarletteHTTPException):
    detail = public_message(error.detail) if isinstance(error.detail, str) else error.detail
    return JSONResponse(status_code=error.status_code, content={"detail": detail}, headers=error.headers)


def create_app(
    store: Store, data: Path, *, allow_private_urls: bool = False, review_policy: str = "required",
    webhook_hosts: tuple[str, ...] = (), offered: dict[str, list[str]] | None = None, quotas: Quotas | None = None,
    default_length_s: float = 60.0, fetcher: Callable[[str], None] | None = None,
) -> FastAPI:
    """The ASGI app over a store and a data folder. Article URLs on loopback or private
    networks are refused (by the workers that fetch them) unless ``allow_private_urls``, and
    webhooks unless their host is in ``webhook_hosts`` (the service must not be a way in).
    ``review_policy`` "required": every script is reviewed unless an editor or admin waives
    it; "optional": the requester chooses. ``offered``: the planners and renderers this server
    can run, by kind (all, when not given). ``quotas``: what one requester and one
    organisation may ask for (none when not given); a request without a length counts
    ``default_length_s``. ``fetcher`` is handed the id of each job whose article page is to be
    fetched (``Workers.fetch``)."""
    if review_policy not in REVIEW_POLICIES:
        raise ValueError(f"review policy must be one of {', '.join(REVIEW_POLICIES)}")
    app = FastAPI(title="Explainer newsroom service", version="1", description="Submit articles, review scripts, get signed explainers.")
    app.state.store = store
    app.state.config = ServiceConfig(
        store=store, data=data, review_policy=review_policy, webhook_hosts=webhook_hosts, offered=offered, quotas=quotas,
        default_length_s=default_length_s, fetcher=fetcher,
        templates=Jinja2Templates(directory=str(Path(__file__).parent / "templates")),
    )
    # Bodies are counted while they arrive: a request over its limit is refused at the limit.
    app.add_middleware(BodyLimit, limit_for=body_limit)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _refused)
    for module in (intake, review, files, repository_api, desk):
        app.include_router(module.router)
    return app
