"""Verify, and when a file has no credentials, recover them through its watermark."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .repository import Repository, RepositoryError
from .verify import Report, verify, review_line
from .watermark import ALGORITHM, available, detect

#: Validation codes that say only that this copy's bytes are not the signed file's.
_COPY_CODES = ("assertion.bmffHash.mismatch", "assertion.dataHash.mismatch", "assertion.boxesHash.mismatch")


def verify_or_recover(path: Path, repository: Repository | None, anchors_pem: str | None = None) -> Report:
    """``verify``, and for a file without a manifest: read its watermark and fetch the
    credentials it points to from ``repository``."""
    report = verify(path, anchors_pem)
    if report.state != "NoCredentials" or repository is None:
        return report
    if not available():
        return report
    found = detect(path)
    if found is None:
        return report  # no watermark: the same "no credentials" as without a repository
    mark = {"algorithm": ALGORITHM, "identifier": found.value, "at_s": found.at_s, "repository": repository.location}
    try:
        ids = repository.matches(ALGORITHM, found.value)
    except RepositoryError as e:
        return replace(report, watermark=mark | {"known": None, "error": str(e)},
                       message=f"No Content Credentials in the file. It carries a watermark ({found.value}), but {e}.")
    store = repository.manifest(ids[0]) if ids else None
    if store is None:
        return replace(report, watermark=mark | {"known": False},
                       message=(f"No Content Credentials in the file. It carries an Explainer watermark ({found.value}) "
                                f"that {repository.location} does not know."))
    recovered = verify(path, anchors_pem, store=store)
    # Only the copy's own bytes may differ; anything else means the record itself does not hold.
    signature_valid = all(code in _COPY_CODES or code == "signingCredential.untrusted" for code in recovered.validation_codes)
    mark |= {"known": True, "manifest_id": ids[0], "matches": len(ids), "signature_valid": signature_valid}
    return replace(recovered, state="Recovered", watermark=mark, message=_message(recovered, mark, signature_valid))


def _message(recovered: Report, mark: dict, signature_valid: bool) -> str:
    who = (recovered.signer or {}).get("common_name") or "an unnamed signer"
    said = [f"made by {recovered.claim_generator or 'unknown software'}", f"signed by {who}"]
    if recovered.ai_generated:
        said.append("AI-generated")
    if recovered.review:
        said.append(review_line(recovered.review))
    if recovered.title:
        said.insert(0, f"\"{recovered.title}\"")
    others = f" ({mark['matches']} signed videos share this footage; the newest is shown)" if mark["matches"] > 1 else ""
    holds = "" if signature_valid else " BUT the recovered credentials do not hold (" + ", ".join(recovered.validation_codes) + ")."
    return (f"No Content Credentials in the file. A watermark links it to credentials recovered from {mark['repository']}: "
            + ", ".join(said) + f"{others}; this copy is not the signed file (re-encoded or edited).{holds}")
