"""Routes that hand out what was made: the signed video, its captions and description, its
verify report; and ``/v1/verify`` for any uploaded file."""

import tempfile
from pathlib import Path

from fastapi import APIRouter, File, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from .context import Caller, Config, ServiceConfig, visible_job
from .security import public_message
from .worker import job_paths

MAX_VERIFY_BYTES = 512 * 1024 * 1024

router = APIRouter()


def done_file(cfg: ServiceConfig, job_id: str, who, attribute: str) -> Path:
    """One of a finished job's files, from its own folder only; 409 before it is done."""
    job = visible_job(cfg.store, job_id, who)
    if job.status != "done":
        raise HTTPException(status_code=409, detail=f"request is {job.status}; files exist when it is done")
    path = getattr(job_paths(cfg.data, job.id), attribute)
    # Only the job's own folder is ever served.
    if not path.resolve().is_relative_to((cfg.data / "jobs" / job.id).resolve()) or not path.is_file():
        raise HTTPException(status_code=404, detail="file not found")
    return path


@router.get("/v1/requests/{job_id}/video")
def video(job_id: str, who: Caller, cfg: Config):
    """The signed MP4 (the download is in the audit log)."""
    path = done_file(cfg, job_id, who, "video")
    cfg.store.audit(who, "download", job_id)
    return FileResponse(path, media_type="video/mp4", filename=f"{job_id}.mp4")


@router.get("/v1/requests/{job_id}/captions.vtt")
def captions_vtt(job_id: str, who: Caller, cfg: Config):
    """The captions as WebVTT."""
    return FileResponse(done_file(cfg, job_id, who, "vtt"), media_type="text/vtt")


@router.get("/v1/requests/{job_id}/descriptions.vtt")
def descriptions_vtt(job_id: str, who: Caller, cfg: Config):
    """The audio description as WebVTT."""
    return FileResponse(done_file(cfg, job_id, who, "descriptions"), media_type="text/vtt")


@router.get("/v1/requests/{job_id}/captions.srt")
def captions_srt(job_id: str, who: Caller, cfg: Config):
    """The captions as SubRip."""
    return FileResponse(done_file(cfg, job_id, who, "srt"), media_type="application/x-subrip")


@router.get("/v1/requests/{job_id}/provenance")
def provenance_report(job_id: str, who: Caller, cfg: Config):
    """The finished video's verify report."""
    from provenance import verify

    from ..settings import load_settings
    from ..signing import local_root_pem

    report = verify(done_file(cfg, job_id, who, "video"), local_root_pem(load_settings({})))
    return report.to_dict()


@router.post("/v1/verify")
async def verify_upload(who: Caller, cfg: Config, file: UploadFile = File(...)):
    """Any uploaded file → the JSON of ``explainer verify`` (a copy without credentials looked
    up in this service's repository by its watermark)."""
    from provenance.recover import verify_or_recover

    from ..settings import load_settings
    from ..signing import local_root_pem

    suffix = Path(file.filename or "upload").suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        size = 0
        while chunk := await file.read(1 << 20):
            size += len(chunk)
            if size > MAX_VERIFY_BYTES:
                raise HTTPException(status_code=413, detail="file is larger than 512 MB")
            tmp.write(chunk)
        tmp.flush()
        report = await run_in_threadpool(verify_or_recover, Path(tmp.name), cfg.store.repository, local_root_pem(load_settings({})))
        # Named as it was sent, never by the temporary file it was kept in.
        shown = Path(file.filename or "upload").name[:200]
        return {k: public_message(v.replace(tmp.name, shown)) if isinstance(v, str) else v for k, v in report.to_dict().items()} | {"file": shown}
