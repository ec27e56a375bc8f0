"""Verifying any file's Content Credentials and saying what they mean in plain words."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

from .manifest import AI_SOURCE_TYPES, SOFT_BINDING_LABEL, TRAINING_MINING_LABEL
from .report import (EXIT_CODES, EXIT_REPOSITORY_UNREACHABLE, FOLDER_SCHEMA, REPORT_SCHEMA, FolderReport, Report,
                     identity_line, report_schemas, review_line)
from .trust import context

SHOTS_LABEL = "org.explainer.shots"
RECORD_LABEL = "org.explainer.record"

def _review(record: Any) -> dict[str, Any] | None:
    review = record.get("review") if isinstance(record, dict) else None
    return dict(review) if isinstance(review, dict) and review.get("state") else None


def _identities(manifest: dict, results: dict | None) -> list[dict[str, Any]]:
    """The manifest's CAWG identity assertions, each with its own validation codes."""
    active = (results or {}).get("activeManifest") or {}
    found = []
    for assertion in manifest.get("assertions", []):
        label = str(assertion.get("label", ""))
        if not label.startswith("cawg.identity"):
            continue
        data = assertion.get("data") if isinstance(assertion.get("data"), dict) else {}
        info = data.get("signature_info") or {}
        payload = data.get("signer_payload") or {}
        named = [v for v in data.get("verifiedIdentities") or [] if isinstance(v, dict)]
        mine = lambda entry: str(entry.get("url", "")).endswith("/" + label)  # noqa: E731 (one use)
        failures = [f["code"] for f in active.get("failure", []) if mine(f)]
        passed = {s["code"] for s in active.get("success", []) if mine(s)}
        bad = [c for c in failures if c != "cawg.x509.credential.untrusted"]
        state = "invalid" if bad else "valid" if failures else "trusted" if passed else "valid"
        found.append({
            "label": label, "sig_type": payload.get("sig_type"),
            "name": info.get("common_name") or next((v.get("name") or v.get("username") for v in named), None),
            "organization": info.get("issuer") if info.get("common_name") else None, "issuer": info.get("issuer"),
            "referenced_assertions": [str(r.get("url", "")).rsplit("/", 1)[-1] for r in payload.get("referenced_assertions") or []],
            "state": state, "codes": failures,
        })
    return found


def _training_mining(manifest: dict) -> dict[str, str] | None:
    data = _assertion(manifest, TRAINING_MINING_LABEL)
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        return None
    return {use: str(entry.get("use")) for use, entry in entries.items() if isinstance(entry, dict)}


def _ingredient_types(manifest: dict) -> dict[str, str]:
    """Each ingredient's digital source type, by its label, from the actions that placed it."""
    types: dict[str, str] = {}
    for assertion in manifest.get("assertions", []):
        if not assertion.get("label", "").startswith("c2pa.actions"):
            continue
        for action in assertion.get("data", {}).get("actions", []):
            kind = action.get("digitalSourceType")
            params = action.get("parameters") or {}
            refs = [str(i.get("url", "")).rsplit("/", 1)[-1] for i in params.get("ingredients") or [] if isinstance(i, dict)]
            for ref in [*refs, *(params.get("ingredientIds") or [])]:
                if kind and ref:
                    types[ref] = kind
    return types


def _planner(shots: Any) -> dict[str, Any] | None:
    planner = shots.get("planner") if isinstance(shots, dict) else None
    return dict(planner) if isinstance(planner, dict) and planner.get("name") else None


def _sources(shots: Any) -> list[dict[str, Any]]:
    about = shots.get("source") if isinstance(shots, dict) else None
    if not isinstance(about, dict):
        return []
    keys = ("title", "url", "author", "publisher", "published", "retrieved_at", "media_type", "sha256")
    return [{k: about[k] for k in keys if about.get(k)}]


def _trusted(results: dict | None) -> bool | None:
    """Whether the active manifest's signer chains to a trust anchor, from its validation."""
    active = (results or {}).get("activeManifest") or {}
    if any(f.get("code") == "signingCredential.untrusted" for f in active.get("failure", [])):
        return False
    if any(s.get("code") == "signingCredential.trusted" for s in active.get("success", [])):
        return True
    return None


def _failures(results: dict | None) -> list[str]:
    if not results:
        return []
    codes = [f["code"] for f in (results.get("activeManifest") or {}).get("failure", [])]
    for delta in results.get("ingredientDeltas") or []:
        codes += [f["code"] for f in (delta.get("validationDeltas") or {}).get("failure", [])]
    return list(dict.fromkeys(codes))


def _source_types(manifest: dict) -> list[str]:
    types: list[str] = []
    for assertion in manifest.get("assertions", []):
        if assertion.get("label", "").startswith("c2pa.actions"):
            for action in assertion.get("data", {}).get("actions", []):
                kind = action.get("digitalSourceType")
                if kind and kind not in types:
                    types.append(kind)
    return types


def _assertion(manifest: dict, label: str) -> Any | None:
    return next((a.get("data") for a in manifest.get("assertions", []) if a.get("label") == label), None)


def _generator(manifest: dict) -> str | None:
    info = manifest.get("claim_generator_info")
    if isinstance(info, list) and info:
        first = info[0]
        return " ".join(str(first[k]) for k in ("name", "version") if first.get(k))
    return manifest.get("claim_generator")


def _signed_at(manifest: dict) -> tuple[str | None, str | None]:
    info = manifest.get("signature_info") or {}
    if info.get("time"):
        return info["time"], "timestamp authority"
    record = _assertion(manifest, RECORD_LABEL)
    if isinstance(record, dict) and record.get("signed_at"):
        return record["signed_at"], "claimed by the signer; no timestamp authority"
    return None, None


def _ingredient_credentials(store: dict, ingredient: dict) -> dict[str, Any] | None:
    """What an ingredient's own Content Credentials say (a camera's signed photo), kept
    inside this file's manifest store; None when the ingredient had none."""
    label = ingredient.get("active_manifest")
    own = store.get("manifests", {}).get(label or "")
    if not own:
        return None
    info = own.get("signature_info") or {}
    failures = [s.get("code") for s in ingredient.get("validation_status") or [] if s.get("code")]
    return {
        "signer": info.get("common_name"),
        "issuer": info.get("issuer"),
        "signed_at": info.get("time"),
        "claim_generator": _generator(own),
        "digital_source_types": _source_types(own),
        "validation_codes": failures,
    }


def _verdict(state: str, signer: str, codes: list[str], ai: bool | None, signer_trusted: bool | None = None,
             identities: list[dict[str, Any]] = ()) -> str:
    what = "AI-generated content" if ai else "content"
    if state == "Trusted":
        return f"Trusted Content Credentials: {what}, signed by {signer}, a trusted signer."
    if state == "Valid" and signer_trusted and identities and all(c.startswith("cawg.") for c in codes):
        # The claim's signer is trusted; what kept the file from "Trusted" is an identity's credential.
        doubted = ", ".join(i.get("name") or "an unnamed identity" for i in identities if i["state"] != "trusted")
        return (f"Valid Content Credentials: {what}, signed by {signer}, a trusted signer; the identity of {doubted} "
                "is signed but its credential is not on a trust list.")
    if state == "Valid":
        why = "is not on a trust list" if "signingCredential.untrusted" in codes else "could not be checked against a trust list"
        return f"Valid Content Credentials: {what}, signed by {signer}, but the signer {why}."
    if any(code.endswith(".mismatch") for code in codes):
        return f"Invalid: the file was changed after it was signed by {signer} ({', '.join(codes)})."
    return f"Invalid: the Content Credentials do not hold ({', '.join(codes) or 'no detail'})."


def faithful_assertions(reader: Any, store: dict) -> dict[str, Any]:
    """The active manifest's assertions by label, as the crJSON report gives them.

    The plain JSON report of the C2PA library guesses that any array of numbers is a byte
    string and prints it as base64 (a render size ``[1280, 720]`` comes out as "ANA=",
    c2pa-rs issue 2570), though the stored data is right; crJSON marks real byte strings and
    keeps number arrays as arrays, so our own assertions are read from it.
    """
    try:
        report = json.loads(reader.crjson())
    except Exception:  # an older library without crJSON: the plain report is all there is
        return {}
    active = store.get("active_manifest")
    manifest = next((m for m in report.get("manifests", []) if m.get("label") == active), None)
    return dict(manifest.get("assertions") or {}) if manifest else {}


def read_assertions(path: Path) -> dict[str, Any]:
    """The active manifest's assertions of a signed file, by label, exactly as signed."""
    import c2pa

    with c2pa.Reader(str(path)) as reader:
        store = json.loads(reader.json())
        plain = {a.get("label"): a.get("data") for a in (reader.get_active_manifest() or {}).get("assertions", [])}
        return plain | {k: v for k, v in faithful_assertions(reader, store).items() if k in plain}


def verify(path: Path, anchors_pem: str | None = None, store: bytes | None = None) -> Report:
    """Read and validate a file's C2PA manifest offline, with optional extra trust anchors;
    ``store`` validates a manifest store kept apart from the file (one a repository gave back)
    against it instead."""
    import c2pa

    try:
        if store is not None and not c2pa_reads(path):
            # A container C2PA does not read (WebM, Matroska, MPEG-TS): the store is validated
            # on its own; the copy's bytes could not have matched its hash anyway.
            reader = c2pa.Reader("application/c2pa", io.BytesIO(store), context=context(anchors_pem))
            return _report(path, reader, detached=True)
        if store is not None:
            with path.open("rb") as stream:
                reader = c2pa.Reader(_media_type(path), stream, manifest_data=store, context=context(anchors_pem))
                return _report(path, reader, detached=True)
        reader = c2pa.Reader(str(path), context=context(anchors_pem))
    except c2pa.C2paError.ManifestNotFound:
        return Report(
            str(path), "NoCredentials",
            "No Content Credentials: this file carries no C2PA manifest, so it says nothing about how it was made.",
            validation_codes=["ManifestNotFound"],
        )
    except c2pa.C2paError.RemoteManifest as e:
        return Report(str(path), "Unreadable", f"Unreadable: the manifest is stored remotely and is not fetched offline ({e}).")
    except c2pa.C2paError.NotSupported as e:
        return Report(str(path), "Unreadable", f"Unreadable: C2PA does not support this file type ({e}).")
    except c2pa.C2paError as e:
        # Some library versions report remote manifests as a plain "Remote: ..." error.
        if str(e).startswith("Remote"):
            return Report(str(path), "Unreadable", f"Unreadable: the manifest is stored remotely and is not fetched offline ({e}).")
        return Report(str(path), "Unreadable", f"Unreadable: the file could not be read ({e}).")
    return _report(path, reader)


#: Media types c2pa-python reads a manifest from (its supported formats that we meet).
_C2PA_TYPES = frozenset({"video/mp4", "video/quicktime", "audio/mp4", "image/jpeg", "image/png", "image/webp", "image/tiff",
                         "image/avif", "image/heic", "image/heif", "audio/wav", "audio/x-wav", "audio/mpeg", "image/gif", "image/svg+xml"})


def c2pa_reads(path: Path) -> bool:
    """Whether C2PA reads a manifest from a file of this type."""
    return _media_type(path) in _C2PA_TYPES


def _media_type(path: Path) -> str:
    import mimetypes

    return mimetypes.guess_type(path.name)[0] or "video/mp4"


def _source_and_correction(reader: Any, manifest: dict, store: dict) -> tuple[dict | None, dict | None]:
    """The embedded source text (its title, format, sha256 and size), and for a correction the
    video it corrects (title, when it was signed, the note)."""
    source = corrects = None
    record = _assertion(manifest, RECORD_LABEL)
    is_correction = isinstance(record, dict) and record.get("correction")
    for ingredient in manifest.get("ingredients", []):
        data = ingredient.get("data") or {}
        if ingredient.get("relationship") == "inputTo" and data.get("identifier"):
            buffer = io.BytesIO()
            reader.resource_to_stream(data["identifier"], buffer)
            source = {"title": ingredient.get("title"), "format": ingredient.get("format"),
                      "sha256": hashlib.sha256(buffer.getvalue()).hexdigest(), "bytes": len(buffer.getvalue())}
        if ingredient.get("relationship") == "parentOf" and is_correction:
            parent = store.get("manifests", {}).get(ingredient.get("active_manifest") or "", {})
            parent_time, _ = _signed_at(parent) if parent else (None, None)
            corrects = {"title": parent.get("title") or ingredient.get("title"), "signed_at": parent_time,
                        "note": record["correction"].get("note")}
    return source, corrects


def _report(path: Path, reader: Any, detached: bool = False) -> Report:
    """The report on what ``reader`` read and validated (``detached``: a store given apart
    from the file)."""
    with reader:
        if not detached and not reader.is_embedded():
            url = reader.get_remote_url()
            return Report(str(path), "Unreadable", f"Unreadable: the manifest is stored remotely at {url} and is not fetched offline.")
        state = reader.get_validation_state() or "Invalid"
        results = reader.get_validation_results()
        codes = _failures(results)
        manifest = reader.get_active_manifest() or {}
        store = json.loads(reader.json())
        faithful = faithful_assertions(reader, store)
        for assertion in manifest.get("assertions", []):
            # Our own and the CAWG assertions, read as signed (see faithful_assertions).
            # (Not an identity assertion: the plain report is the one that decodes who signed it.)
            if assertion.get("label") in faithful and not assertion["label"].startswith(("c2pa.", "cawg.identity")):
                assertion["data"] = faithful[assertion["label"]]
        types = _source_types(manifest)
        ai = True if set(types) & AI_SOURCE_TYPES else (False if types else None)
        info = manifest.get("signature_info") or {}
        signer = {"common_name": info.get("common_name"), "organization": info.get("issuer"), "issuer": info.get("issuer")}
        signed_at, signed_at_source = _signed_at(manifest)
        placed = _ingredient_types(manifest)
        ingredients = [
            {"title": i.get("title"), "relationship": i.get("relationship"), "format": i.get("format"),
             "digital_source_type": placed.get(i.get("label") or "") or placed.get(i.get("instance_id") or ""),
             "credentials": _ingredient_credentials(store, i)}
            for i in manifest.get("ingredients", [])
        ]
        source, corrects = _source_and_correction(reader, manifest, store)
        name = signer["common_name"] or "an unnamed signer"
        shots = _assertion(manifest, SHOTS_LABEL)
        identities = _identities(manifest, results)
        return Report(
            file=str(path),
            state=state,
            message=_verdict(state, name, codes, ai, _trusted(results), identities),
            ai_generated=ai,
            digital_source_types=types,
            signer=signer,
            signer_trusted=_trusted(results),
            signed_at=signed_at,
            signed_at_source=signed_at_source,
            claim_generator=_generator(manifest),
            title=manifest.get("title"),
            format=manifest.get("format"),
            ingredients=ingredients,
            validation_codes=codes,
            shots=shots,
            source=source,
            corrects=corrects,
            review=_review(_assertion(manifest, RECORD_LABEL)),
            planner=_planner(shots),
            sources=_sources(shots),
            training_mining=_training_mining(manifest),
            identities=identities,
            soft_binding=_assertion(manifest, SOFT_BINDING_LABEL),
        )


__all__ = ["EXIT_CODES", "EXIT_REPOSITORY_UNREACHABLE", "FOLDER_SCHEMA", "RECORD_LABEL", "REPORT_SCHEMA", "SHOTS_LABEL",
           "FolderReport", "Report", "c2pa_reads", "faithful_assertions", "identity_line", "read_assertions", "report_schemas",
           "review_line", "verify"]


if __name__ == "__main__":  # python -m provenance.verify docs/: write the report schemas there
    import sys

    for _name, _schema in report_schemas().items():
        (Path(sys.argv[1]) / _name).write_text(json.dumps(_schema, indent=2) + "\n", encoding="utf-8")
