"""Verify, and when a file has no credentials, recover them through its watermark."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .repository import Repository, RepositoryError, StoreFacts, store_facts
from .verify import Report, c2pa_reads, verify, review_line
from .detection import Mark, detect_all
from .watermark import ALGORITHM, available

#: Validation codes that say only that this copy's bytes are not the signed file's.
_COPY_CODES = ("assertion.bmffHash.mismatch", "assertion.dataHash.mismatch", "assertion.boxesHash.mismatch")


#: How far (seconds) a shot's mark may be read outside its stated timespan: reads are voted
#: over up to nine samples a third of a second apart, which straddle a cut.
TOLERANCE_S = 1.5


def verify_or_recover(path: Path, repository: Repository | None, anchors_pem: str | None = None,
                      sidecar: Path | None = None) -> Report:
    """``verify``, and for a file without a manifest: its ``sidecar`` manifest store (a .c2pa
    file kept beside it) if it has one, else read its watermarks and fetch the credentials they
    point to from ``repository``, when exactly one signed video fits them."""
    report = verify(path, anchors_pem)
    if report.state == "NoCredentials" and sidecar is not None:
        found = verify(path, anchors_pem, store=sidecar.read_bytes())
        return replace(found, message=f"{found.message} (from the sidecar manifest {sidecar.name})")
    # A container C2PA cannot read (WebM, Matroska, MPEG-TS) has no manifest we could see, but
    # its frames may still carry the mark.
    unread = report.state == "Unreadable" and not c2pa_reads(path) and _has_video(path)
    if report.state != "NoCredentials" and not unread or repository is None:
        return report
    if not available():
        return report
    marks, matched, error = _believed(detect_all(path), repository)
    if not marks:
        return report  # no watermark: the same "no credentials" as without a repository
    mark = {"algorithm": ALGORITHM, "identifier": marks[0].value, "at_s": marks[0].first_s, "repository": repository.location,
            "identifiers": [{"value": m.value, "first_s": m.first_s, "last_s": m.last_s} for m in marks]}
    try:
        if error is not None:
            raise error
        ids = list(dict.fromkeys(i for m in marks for i in matched[m.value]))
        stores = {i: repository.manifest(i) for i in ids}
    except RepositoryError as e:
        return replace(report, watermark=mark | {"known": None, "error": str(e)},
                       message=f"No Content Credentials in the file. It carries a watermark ({marks[0].value}), but {e}.")
    stores = {i: store for i, store in stores.items() if store is not None}
    if not stores:
        return replace(report, watermark=mark | {"known": False},
                       message=(f"No Content Credentials in the file. It carries an Explainer watermark ({marks[0].value}) "
                                f"that {repository.location} does not know."))
    facts = {i: store_facts(store) for i, store in stores.items()}
    # A store must state the watermark it was found by: a repository that answers with another
    # video's credentials (by mistake or on purpose) is not believed.
    refused = [i for i in stores if not {m.value for m in marks if i in matched[m.value]} & {v for _, v in facts[i].bindings}]
    if refused:
        mark["refused"] = refused
        stores = {i: store for i, store in stores.items() if i not in refused}
        facts = {i: facts[i] for i in stores}
    if not stores:
        return replace(report, watermark=mark | {"known": False},
                       message=(f"No Content Credentials in the file. It carries an Explainer watermark ({marks[0].value}), "
                                f"but {repository.location} answered with credentials that do not carry it; they were refused."))
    # Footage no signed video of this repository carries (a clip cut into another film) is left out.
    known = [m for m in marks if matched[m.value]]
    fitting = [i for i in stores if fits(known, facts[i].spans)]
    # Renders of identical footage (the same script made again) are one video to the eye:
    # the newest of them stands for all; anything else that fits as well leaves it open.
    if len({tuple(facts[i].spans) for i in fitting}) != 1:
        return _ambiguous(report, mark, facts, fitting)
    chosen = fitting[0]
    recovered = verify(path, anchors_pem, store=stores[chosen])
    # Only the copy's own bytes may differ; anything else means the record itself does not hold.
    signature_valid = all(code in _COPY_CODES or code == "signingCredential.untrusted" for code in recovered.validation_codes)
    mark |= {"known": True, "manifest_id": chosen, "matches": len(stores), "same_footage": len(fitting),
             "signature_valid": signature_valid}
    return replace(recovered, state="Recovered", watermark=mark, message=_message(recovered, mark, signature_valid))


def _believed(marks: list[Mark], repository: Repository) -> tuple[list[Mark], dict[str, list[str]], RepositoryError | None]:
    """The marks to go on, the signed videos the repository files under each, and the error
    if it could not be asked. A mark read only by shifting or flipping uncertain bits (a JPEG
    screenshot) counts only if the repository knows it."""
    try:
        matched = {m.value: repository.matches(ALGORITHM, m.value) for m in marks}
    except RepositoryError as e:
        return [m for m in marks if not m.corrected], {}, e
    return [m for m in marks if not m.corrected or matched[m.value]], matched, None


def _has_video(path: Path) -> bool:
    """Whether ffmpeg decodes pictures from the file."""
    import av

    try:
        with av.open(str(path)) as container:
            return bool(container.streams.video)
    except (av.FFmpegError, OSError):
        return False


def fits(marks: list[Mark], spans: list[tuple[str, float, float]], tolerance: float = TOLERANCE_S) -> bool:
    """Whether a signed video's marked spans account for every mark read from the copy, each
    where the video has it, with one shift in time for all (a copy may start anywhere in it)."""
    where: dict[str, list[tuple[float, float]]] = {}
    for value, start, end in spans:
        where.setdefault(value, []).append((start, end))
    if any(m.value not in where for m in marks):
        return False  # the copy holds a shot this video does not
    shifts = {start - m.first_s for m in marks for start, _ in where[m.value]} | {end - m.last_s for m in marks for _, end in where[m.value]}
    return any(all(any(start - tolerance <= m.first_s + shift and m.last_s + shift <= end + tolerance for start, end in where[m.value])
                   for m in marks) for shift in shifts)


def _ambiguous(report: Report, mark: dict, facts: dict[str, StoreFacts], fitting: list[str]) -> Report:
    """More than one signed video fits the copy's marks (it holds only footage they share), or
    none does: name them all, recover none."""
    named = fitting or list(facts)
    listed = "; ".join(f"\"{facts[i].title or 'untitled'}\" ({i})" for i in named)
    why = ("it holds only footage they share" if fitting else
           "none of them has this copy's shots in this order")
    return replace(report, state="Ambiguous", watermark=mark | {"known": True, "candidates": named},
                   message=(f"No Content Credentials in the file. Its Explainer watermarks match {len(facts)} signed videos, "
                            f"and the copy cannot tell which it comes from ({why}): {listed}."))


def _message(recovered: Report, mark: dict, signature_valid: bool) -> str:
    who = (recovered.signer or {}).get("common_name") or "an unnamed signer"
    said = [f"made by {recovered.claim_generator or 'unknown software'}", f"signed by {who}"]
    if recovered.ai_generated:
        said.append("AI-generated")
    if recovered.review:
        said.append(review_line(recovered.review))
    if recovered.title:
        said.insert(0, f"\"{recovered.title}\"")
    others = ""
    if mark["same_footage"] > 1:
        others = f" ({mark['same_footage']} signed videos have exactly this footage; the newest is shown)"
    elif mark["matches"] > 1:
        others = f" (of {mark['matches']} signed videos that share footage with it, the only one whose shots it holds, in order)"
    holds = "" if signature_valid else " BUT the recovered credentials do not hold (" + ", ".join(recovered.validation_codes) + ")."
    return (f"No Content Credentials in the file. A watermark links it to credentials recovered from {mark['repository']}: "
            + ", ".join(said) + f"{others}; this copy is not the signed file (re-encoded or edited).{holds}")
