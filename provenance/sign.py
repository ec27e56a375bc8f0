"""Signing a finished file with a C2PA manifest, atomically."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import SigningError
from .manifest import PARENT_LABEL, SOURCE_LABEL, ManifestSpec, manifest_definition
from .signers import ClaimSigner
from .trust import context


@dataclass(frozen=True)
class Signed:
    """What signing made: the manifest's id and the manifest store's bytes (for a repository)."""

    manifest_id: str
    store: bytes


def sign_file(src: Path, dst: Path, spec: ManifestSpec, signer: ClaimSigner, anchors_pem: str | None = None,
              sidecar: Path | None = None) -> Signed:
    """Write ``src`` with a signed manifest to ``dst``; nothing appears at ``dst`` on failure.
    With ``sidecar``, the manifest store is written there instead (a ``.c2pa`` file kept beside
    the video) and ``dst`` gets ``src``'s bytes unchanged, which the store's hash covers."""
    import c2pa

    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.signing{dst.suffix}")
    try:
        builder = c2pa.Builder(manifest_definition(spec), context=context(anchors_pem))
        if spec.source_text is not None:
            builder.add_resource(SOURCE_LABEL, io.BytesIO(spec.source_text))
        for component in spec.components:
            with component.path.open("rb") as fh:
                builder.add_ingredient(
                    {"title": component.title, "relationship": "componentOf", "label": component.label},
                    component.format,
                    fh,
                )
        if spec.parent is not None:
            with spec.parent.open("rb") as fh:
                builder.add_ingredient(
                    {"title": spec.parent_title or spec.parent.name, "relationship": "parentOf", "label": PARENT_LABEL},
                    spec.format,
                    fh,
                )
        if sidecar is not None:
            builder.set_no_embed()
        with src.open("rb") as source, tmp.open("w+b") as target:
            store = builder.sign(signer.c2pa_signer(), spec.format, source, target)
        if sidecar is not None:
            sidecar.write_bytes(bytes(store))
        os.replace(tmp, dst)
        return Signed(manifest_id(store), bytes(store))
    except c2pa.C2paError as e:
        raise SigningError(f"signing {dst.name} failed: {e}; check the signing credentials (explainer keys show)") from e
    finally:
        tmp.unlink(missing_ok=True)


def manifest_id(store: bytes) -> str:
    """The active manifest's id (its URN label) in a manifest store."""
    import json

    import c2pa

    with c2pa.Reader("application/c2pa", io.BytesIO(store)) as reader:
        return json.loads(reader.json())["active_manifest"]
