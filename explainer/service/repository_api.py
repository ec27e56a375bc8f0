"""The manifest repository over HTTP: C2PA's Soft Binding Resolution API. Reads are public;
filing a manifest store takes an editor."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from .context import Caller, Config, require_editor
from .requests_models import BindingQuery

MAX_MANIFEST_BYTES = 16 * 1024 * 1024

router = APIRouter(prefix="/sbr")


@router.get("/services/supportedAlgorithms")
def supported_algorithms():
    """The soft-binding algorithms this repository resolves."""
    from provenance.watermark import ALGORITHM

    return {"watermarks": [{"alg": ALGORITHM}], "fingerprints": []}


@router.get("/matches/byBinding")
def matches_by_binding(cfg: Config, alg: str, value: str, maxResults: int = 10):  # noqa: N803 (the API's name)
    """The manifests whose soft binding has this value."""
    ids = cfg.store.repository.matches(alg, value, max(1, min(maxResults, 100)))
    return {"matches": [{"manifestId": manifest_id} for manifest_id in ids]}


@router.post("/matches/byBinding")
def matches_by_binding_post(query: BindingQuery, cfg: Config):
    """The same lookup, sent as JSON."""
    return matches_by_binding(cfg, query.alg, query.value, query.maxResults)


@router.get("/manifests/{manifest_id}")
def manifest_store(manifest_id: str, cfg: Config):
    """A manifest store's bytes (application/c2pa)."""
    store_bytes = cfg.store.repository.manifest(manifest_id)
    if store_bytes is None:
        raise HTTPException(status_code=404, detail=f"no manifest {manifest_id[:80]!r} in this repository")
    return Response(store_bytes, media_type="application/c2pa")


@router.post("/manifests", status_code=201)
async def file_manifest(request: Request, who: Caller, cfg: Config):
    """File a manifest store (editors), by its id and the soft bindings it states."""
    from provenance.repository import RepositoryError

    require_editor(who)
    body = await request.body()
    try:
        facts = cfg.store.repository.add(body)
    except RepositoryError as e:
        raise HTTPException(status_code=422, detail=f"{e}; send the manifest store bytes (application/c2pa)") from None
    cfg.store.audit(who, "file_manifest", manifest_id=facts.manifest_id, bindings=len(facts.bindings))
    return {"manifestId": facts.manifest_id, "bindings": [{"alg": a, "value": v} for a, v in facts.bindings]}
