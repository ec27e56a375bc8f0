"""Routes of editorial review: the script and its contact sheet, an editor's edit (checked
like a submission), the approval of exactly one script version, and the audit log."""

from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse
from pydantic import ValidationError

from ..shotlist import ShotList, dump_shotlist, parse_shotlist
from .context import Caller, Config, require_editor, visible_job
from .limits import script_problem
from .requests_models import Approval, ScriptEdit
from .worker import audit_json, job_json, media_folder

router = APIRouter()


@router.get("/v1/audit")
def audit_log(who: Caller, cfg: Config, job: str | None = None):
    """Who did what and when: admins only."""
    if who.role != "admin":
        raise HTTPException(status_code=403, detail="only admins can read the audit log")
    return {"entries": [audit_json(e) for e in cfg.store.audit_log(job_id=job)]}


@router.get("/v1/requests/{job_id}/script")
def get_script(job_id: str, who: Caller, cfg: Config):
    """The shot list with its version and sha256 (what an approval names)."""
    job = visible_job(cfg.store, job_id, who)
    if not job.shotlist:
        raise HTTPException(status_code=409, detail=f"request is {job.status}; the script exists after planning")
    return {"id": job.id, "status": job.status, "edited_by": job.edited_by, "version": job.script_version, "sha256": job.script_sha256,
            "shotlist": yaml.safe_load(job.shotlist)}


@router.get("/v1/requests/{job_id}/sheet.png")
def contact_sheet(job_id: str, who: Caller, cfg: Config):
    """The script's contact sheet, drawn on demand and kept until the script changes."""
    import hashlib

    from ..rendering.preview import write_contact_sheet

    job = visible_job(cfg.store, job_id, who)
    if not job.shotlist:
        raise HTTPException(status_code=409, detail=f"request is {job.status}; the contact sheet exists after planning")
    digest = hashlib.sha256(job.shotlist.encode("utf-8")).hexdigest()[:16]
    sheet = cfg.data / "jobs" / job.id / f"sheet-{digest}.png"
    if not sheet.is_file():
        sheet.parent.mkdir(parents=True, exist_ok=True)
        partial = sheet.with_name("." + sheet.name)  # not matched by sheet-*.png below
        write_contact_sheet(parse_shotlist(job.shotlist, origin=f"request {job.id}"), partial)
        for old in sheet.parent.glob("sheet-*.png"):
            old.unlink(missing_ok=True)  # drawn for an earlier version of the script
        partial.replace(sheet)
    return FileResponse(sheet, media_type="image/png")


@router.put("/v1/requests/{job_id}/script")
def put_script(job_id: str, edit: ScriptEdit, who: Caller, cfg: Config):
    """An editor's edit of a script awaiting review; 409 if it was edited meanwhile."""
    store = cfg.store
    job = visible_job(store, job_id, who)
    require_editor(who)
    if job.status != "awaiting_review":
        raise HTTPException(status_code=409, detail=f"request is {job.status}; scripts can be edited while awaiting review")
    shotlist = checked_script(cfg.data, edit.shotlist, job)
    if store.edit_script(job.id, who, dump_shotlist(shotlist), based_on=edit.version) is None:
        now_ = store.get(job.id)
        if now_.status != "awaiting_review":
            raise HTTPException(status_code=409, detail=f"request is {now_.status}; scripts can be edited while awaiting review")
        raise HTTPException(status_code=409, detail=f"the script is at version {now_.script_version}, not {edit.version}: "
                                                    "someone edited it meanwhile; reload it and edit again")
    return job_json(store.get(job.id))


def checked_script(data: Path, raw: dict[str, Any], job) -> ShotList:
    """An edited script checked as a submission is: its shape, its bounds and text, its voice
    from the catalogue, and only the request's own photos and clips."""
    try:
        shotlist = ShotList.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        raise HTTPException(status_code=422, detail=f"shotlist.{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from e
    problem = script_problem(shotlist)
    if problem:
        raise HTTPException(status_code=422, detail=problem)
    # Editors edit shots, not the article: the source every line is checked against stays the
    # one the request brought.
    planned = parse_shotlist(job.shotlist, origin=f"request {job.id}")
    shotlist = shotlist.model_copy(update={"source": planned.source})
    # A script may show only the files sent with its request, never another file on the server.
    sent = media_folder(data, (job.options.get("media") or {}).get("upload", "-")).resolve()
    for n, item in enumerate(shotlist.media):
        if not Path(item.path).resolve().is_relative_to(sent):
            raise HTTPException(status_code=422, detail=f"shotlist.media.{n}.path: {Path(item.path).name} was not sent with this "
                                                        "request; a script can show only the request's own photos and clips")
    return shotlist


@router.post("/v1/requests/{job_id}/approve")
def approve(job_id: str, who: Caller, cfg: Config, approval: Approval | None = None):
    """Approve exactly the script version and sha256 named; 409 for any other."""
    store = cfg.store
    job = visible_job(store, job_id, who)
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
