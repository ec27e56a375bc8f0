"""The desk pages: sign in with a token, the list of requests, one request's script."""

from typing import Annotated

import yaml
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from .context import COOKIE, Config, desk_user, visible_job
from .worker import job_json

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def desk(request: Request, cfg: Config):
    """The requests the signed-in user may see, or the sign-in page."""
    who = desk_user(request)
    if who is None:
        return cfg.templates.TemplateResponse(request, "login.html", {"error": None})
    jobs = cfg.store.list(owner=who.public_id if who.role == "requester" else None)
    return cfg.templates.TemplateResponse(request, "desk.html", {"who": who, "jobs": [job_json(j) for j in jobs],
                                                                 "review_policy": cfg.review_policy})


@router.post("/login")
def login(token: Annotated[str, Form()], request: Request, cfg: Config):
    """Sign in: the token is kept in an HTTP-only, same-site cookie."""
    if cfg.store.token(token.strip()) is None:
        return cfg.templates.TemplateResponse(request, "login.html", {"error": "That token is not valid."}, status_code=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout():
    """Sign out."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/desk/{job_id}", response_class=HTMLResponse)
def desk_job(job_id: str, request: Request, cfg: Config):
    """One request: its status and its script, shot by shot."""
    who = desk_user(request)
    if who is None:
        return RedirectResponse("/", status_code=303)
    job = visible_job(cfg.store, job_id, who)
    shotlist = yaml.safe_load(job.shotlist) if job.shotlist else None
    return cfg.templates.TemplateResponse(request, "job.html", {"who": who, "job": job_json(job), "shotlist": shotlist})
