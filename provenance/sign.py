"""Signing a finished file with a C2PA manifest, atomically."""

from __future__ import annotations

import io
import os
from pathlib import Path

from .errors import SigningError
from .manifest import PARENT_LABEL, SOURCE_LABEL, ManifestSpec, manifest_definition
from .signers import ClaimSigner
from .trust import context


def sign_file(src: Path, dst: Path, spec: ManifestSpec, signer: ClaimSigner, anchors_pem: str | None = None) -> None:
    """Write ``src`` with a signed manifest to ``dst``; nothing appears at ``dst`` on failure."""
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
        with src.open("rb") as source, tmp.open("wb") as target:
            builder.sign(signer.c2pa_signer(), spec.format, source, target)
        os.replace(tmp, dst)
    except c2pa.C2paError as e:
        raise SigningError(f"signing {dst.name} failed: {e}; check the signing credentials (explainer keys show)") from e
    finally:
        tmp.unlink(missing_ok=True)
