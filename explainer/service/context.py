"""What every route of the service needs: the app's configuration, the caller, the jobs the
caller may see, and who may review."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Callable

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from .limits import Quotas
from .store import Store

COOKIE = "explainer_token"
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class ServiceConfig:
    """One service's settings (see ``create_app``), kept on ``app.state.config``."""

    store: Store
    data: Path
    review_policy: str
    webhook_hosts: tuple[str, ...]
    offered: dict[str, list[str]] | None
    quotas: Quotas | None
    default_length_s: float
    fetcher: Callable[[str], None] | None
    templates: Jinja2Templates


def config(request: Request) -> ServiceConfig:
    """The configuration of the app serving ``request``."""
    return request.app.state.config


Config = Annotated[ServiceConfig, Depends(config)]


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


def desk_user(request: Request):
    """The desk's signed-in user (by cookie), or None."""
    token = request.cookies.get(COOKIE, "")
    return request.app.state.store.token(token) if token else None


def visible_job(store: Store, job_id: str, who) -> Any:
    """The job, if ``who`` may see it (a requester sees only their own); 404 otherwise."""
    job = store.get(job_id) if _JOB_ID.match(job_id) else None
    if job is None or (who.role == "requester" and job.owner != who.public_id):
        raise HTTPException(status_code=404, detail=f"no request {job_id[:40]!r}")
    return job


def require_editor(who) -> None:
    """403 unless ``who`` is an editor or an admin."""
    if who.role not in ("editor", "admin"):
        raise HTTPException(status_code=403, detail="only editors can review, edit or approve scripts")
