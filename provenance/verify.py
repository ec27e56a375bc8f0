"""Verifying any file's Content Credentials and saying what they mean in plain words."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .manifest import AI_SOURCE_TYPES, SOFT_BINDING_LABEL, TRAINING_MINING_LABEL
from .trust import context

SHOTS_LABEL = "org.explainer.shots"
RECORD_LABEL = "org.explainer.record"

#: Exit code of `explainer verify` for each state.
EXIT_CODES = {"Trusted": 0, "Valid": 0, "Invalid": 1, "NoCredentials": 3, "Unreadable": 4, "Recovered": 5, "Ambiguous": 6}
#: Exit code when a copy carries a watermark but the repository to look it up in cannot be reached.
EXIT_REPOSITORY_UNREACHABLE = 7
#: The version of the JSON report (`explainer verify --json`); docs/verify-report.schema.json describes it.
REPORT_SCHEMA = "explainer.verify-report/1"


@dataclass
class Report:
    """What a file's Content Credentials say, and whether they hold."""

    file: str
    state: str
    message: str
    ai_generated: bool | None = None
    digital_source_types: list[str] = field(default_factory=list)
    signer: dict[str, str | None] | None = None
    signed_at: str | None = None
    signed_at_source: str | None = None
    claim_generator: str | None = None
    title: str | None = None
    format: str | None = None
    ingredients: list[dict[str, str | None]] = field(default_factory=list)
    validation_codes: list[str] = field(default_factory=list)
    shots: Any | None = None
    source: dict[str, Any] | None = None
    corrects: dict[str, str | None] | None = None
    review: dict[str, Any] | None = None
    """The editorial review the signed record states: ``state`` (approved, waived, not
    reviewed), who (``editor``, ``waived_by``, ``edited_by``) in which ``role``, when
    (``approved_at``, ``waived_at``) and which script (``script_version``, ``script_sha256``)."""
    planner: dict[str, Any] | None = None
    """Who wrote the script: planner name, model, and the planner it fell back from and why."""
    sources: list[dict[str, Any]] = field(default_factory=list)
    """What the video was made from: title, URL, publisher, dates, sha256."""
    training_mining: dict[str, str] | None = None
    """The CAWG training-and-data-mining assertion: each use (AI training, inference, data
    mining) and whether it is allowed."""
    signer_trusted: bool | None = None
    """Whether the signer's certificate chains to a trust anchor (also for a recovered manifest,
    whose copy's bytes no longer match: its state says Recovered, not Trusted); None when the
    validation did not say."""
    identities: list[dict[str, Any]] = field(default_factory=list)
    """CAWG identity assertions (``cawg.identity``): who vouches for the content besides the
    signer (``name``, ``organization``, ``issuer``), by which credential (``sig_type``), and
    whether their signature holds and their credential is trusted (``state``, ``codes``)."""
    soft_binding: dict[str, Any] | None = None
    """The ``c2pa.soft-binding`` assertion: the watermark algorithm and its values by timespan."""
    watermark: dict[str, Any] | None = None
    """For a file without credentials: the watermark read from its frames (``identifier``,
    ``at_s``), whether the repository knew it (``known``), where the credentials were
    recovered from (``repository``, ``manifest_id``, ``matches``) and whether the recovered
    manifest's own signature holds (``signature_valid``)."""

    def exit_code(self, require_trusted: bool = False) -> int:
        """0 Trusted/Valid (1 for Valid when trust is required), 1 Invalid, 3 none, 4 unreadable."""
        if require_trusted and self.state == "Valid":
            return 1
        if self.state == "NoCredentials" and (self.watermark or {}).get("error"):
            return EXIT_REPOSITORY_UNREACHABLE  # not "no mark": the mark is there, its credentials could not be asked for
        return EXIT_CODES[self.state]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object `explainer verify --json` prints, its schema version first."""
        return {"schema": REPORT_SCHEMA, **asdict(self)}

    def to_json(self) -> str:
        """One JSON object."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def summary(self) -> str:
        """A short plain-language account a reader can act on."""
        lines = [self.message]
        if self.state == "Recovered":
            lines.append("What the recovered credentials say (they describe the signed original, not this copy):")
        if self.state in ("NoCredentials", "Unreadable", "Ambiguous"):
            return "\n".join(lines)
        if self.ai_generated is True:
            kinds = ", ".join(t.rsplit("/", 1)[-1] for t in self.digital_source_types)
            lines.append(f"AI-generated: yes ({kinds})")
        elif self.ai_generated is False:
            lines.append("AI-generated: not declared (" + ", ".join(t.rsplit("/", 1)[-1] for t in self.digital_source_types) + ")")
        else:
            lines.append("AI-generated: the credentials do not say")
        if self.signer:
            who = self.signer.get("common_name") or "unknown"
            org = self.signer.get("organization")
            trusted = self.state == "Trusted" or self.state in ("Recovered", "Valid") and self.signer_trusted
            trust = "trusted" if trusted else "not on a trust list" if "signingCredential.untrusted" in self.validation_codes else "trust not established"
            lines.append(f"Signed by: {who}" + (f" ({org})" if org else "") + f", {trust}")
        for identity in self.identities:
            lines.append("Identity: " + identity_line(identity))
        if self.signed_at:
            lines.append(f"Signed at: {self.signed_at} ({self.signed_at_source})")
        if self.claim_generator:
            lines.append(f"Software: {self.claim_generator}")
        altered = any(code.endswith(".mismatch") for code in self.validation_codes)
        if self.state == "Recovered":
            lines.append("This copy: not the signed file (its bytes differ, as after a re-upload or an edit)")
        else:
            lines.append("Altered after signing: " + ("YES: the content no longer matches its signature" if altered else "no"))
        if self.corrects:
            lines.append(f"Corrects: {self.corrects.get('title')}, signed {self.corrects.get('signed_at') or 'at an unknown time'}")
            if self.corrects.get("note"):
                lines.append(f"Correction: {self.corrects['note']}")
        if self.review:
            lines.append("Editorial review: " + review_line(self.review))
        if self.planner:
            lines.append("Script written by: " + _planner_line(self.planner))
        for source in self.sources:
            said = [source.get("title") or "untitled"] + [source[k] for k in ("url", "publisher") if source.get(k)]
            dates = [f"{label} {source[k]}" for k, label in (("published", "published"), ("retrieved_at", "retrieved")) if source.get(k)]
            lines.append("Source: " + ", ".join(said + dates))
        if self.training_mining:
            lines.append("AI training and data mining: " + _mining_line(self.training_mining))
        made_from = [f"{i['title']} ({i['relationship']})" for i in self.ingredients if i.get("relationship") != "componentOf"]
        supplied = {m.get("file") for m in (self.shots.get("media") or [])} if isinstance(self.shots, dict) else set()
        parts = [i for i in self.ingredients if i.get("relationship") == "componentOf"]
        made = [i for i in parts if not any(str(i.get("title", "")).startswith(f"{name} ") for name in supplied)]
        if made:
            made_from.append(f"{len(made)} generated component(s)")
        for part in parts:
            if part in made:
                continue
            own = part.get("credentials")
            said = (f"its own Content Credentials, signed by {own.get('signer') or 'an unnamed signer'}"
                    + (f" with {own['claim_generator']}" if own.get("claim_generator") else "")) if own else "no Content Credentials of its own"
            made_from.append(f"{part.get('title')}: {said}")
        if made_from:
            lines.append("Made from: " + "; ".join(made_from))
        if self.source and self.source.get("sha256"):
            lines.append(f"Source text: embedded {self.source.get('format') or 'text'}, sha256 {self.source['sha256'][:16]}...")
        if self.validation_codes:
            lines.append("Problems: " + ", ".join(self.validation_codes))
        if isinstance(self.shots, dict) and self.shots.get("shots"):
            lines.append("Shots:")
            sentences = self.shots.get("source_sentences", {})
            for shot in self.shots["shots"]:
                refs = shot.get("source_refs") or []
                lines.append(f"  {shot.get('id')}: {shot.get('narration')}")
                for ref in refs:
                    lines.append(f"      {ref}: {sentences.get(ref, '(not in the record)')}")
                if not refs:
                    lines.append("      (no source sentence: ungrounded)")
        return "\n".join(lines)


#: The version of the JSON a folder's verification prints; docs/verify-folder.schema.json describes it.
FOLDER_SCHEMA = "explainer.verify-folder/1"
#: A folder's exit code is the first of these that any of its files has: a broken signature
#: first, then what could not be looked up or told apart, then what carries nothing.
_SEVERITY = (1, EXIT_REPOSITORY_UNREACHABLE, 6, 4, 3, 5)


@dataclass
class FolderReport:
    """The verification of every file in a folder, each as ``verify`` reports it."""

    folder: str
    reports: list[Report]

    def counts(self) -> dict[str, int]:
        """How many files are in each state."""
        counts: dict[str, int] = {}
        for report in self.reports:
            counts[report.state] = counts.get(report.state, 0) + 1
        return counts

    def exit_code(self, require_trusted: bool = False) -> int:
        """The most serious of the files' exit codes (0 when every file is Trusted or Valid)."""
        codes = {report.exit_code(require_trusted) for report in self.reports}
        return next((code for code in _SEVERITY if code in codes), 0)

    def to_json(self) -> str:
        """One JSON object: the folder, the counts and each file's report."""
        return json.dumps({"schema": FOLDER_SCHEMA, "folder": self.folder, "counts": self.counts(),
                           "files": [r.to_dict() for r in self.reports]}, indent=2, ensure_ascii=False)

    def summary(self) -> str:
        """One line per file, then the counts."""
        lines = [f"{Path(r.file).relative_to(self.folder)}: {r.message}" for r in self.reports]
        counted = ", ".join(f"{n} {state}" for state, n in sorted(self.counts().items(), key=lambda kv: -kv[1]))
        lines.append(f"{len(self.reports)} file{'s' if len(self.reports) != 1 else ''} in {self.folder}: {counted or 'none'}")
        return "\n".join(lines)


def report_schemas() -> dict[str, dict[str, Any]]:
    """The JSON schemas of ``verify --json`` for a file and for a folder, by file name under docs/."""
    from pydantic import TypeAdapter

    report = TypeAdapter(Report).json_schema()
    report["properties"] = {"schema": {"const": REPORT_SCHEMA, "title": "Schema", "type": "string"}, **report["properties"]}
    report["required"] = ["schema", *report.get("required", [])]
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    folder = {
        **head, "$id": FOLDER_SCHEMA, "description": FolderReport.__doc__, "type": "object",
        "required": ["schema", "folder", "counts", "files"],
        "properties": {"schema": {"const": FOLDER_SCHEMA, "type": "string"}, "folder": {"type": "string"},
                       "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                       "files": {"type": "array", "items": {"$ref": REPORT_SCHEMA}}},
    }
    return {"verify-report.schema.json": {**head, "$id": REPORT_SCHEMA, **report}, "verify-folder.schema.json": folder}


def _review(record: Any) -> dict[str, Any] | None:
    review = record.get("review") if isinstance(record, dict) else None
    return dict(review) if isinstance(review, dict) and review.get("state") else None


def review_line(review: dict[str, Any]) -> str:
    state = review.get("state")
    role = f" ({review['role']})" if review.get("role") else ""
    if state == "approved":
        when = f" on {review['approved_at']}" if review.get("approved_at") else ""
        version = (f", script version {review['script_version']}" if review.get("script_version") else "") + (
            f" (sha256 {review['script_sha256'][:12]}...)" if review.get("script_sha256") else "")
        edited = f", edited by {review['edited_by']}" if review.get("edited_by") else ""
        return f"approved by {review.get('editor') or 'an unnamed editor'}{role}{when}{version}{edited}"
    if state == "waived":
        when = f" on {review['waived_at']}" if review.get("waived_at") else ""
        return f"waived by {review.get('waived_by') or 'an unnamed editor'}{role}{when} (rendered without review)"
    return str(state)


#: What an identity assertion's credential kind is called, for a reader.
_CREDENTIALS = {"cawg.x509.cose": "X.509 certificate", "cawg.identity_claims_aggregation": "identity claims aggregator"}
#: Validation codes of an identity assertion, in plain words.
_IDENTITY_CODES = {"cawg.x509.credential.untrusted": "its certificate is not on a trust list",
                   "cawg.identity.signature_mismatch": "its signature does not match the content",
                   "cawg.identity.hard_binding_missing": "it does not bind to the content",
                   "cawg.x509.signature.mismatch": "its signature does not hold",
                   "cawg.identity.assertion.mismatch": "the assertions it names were changed"}


def identity_line(identity: dict[str, Any]) -> str:
    """One CAWG identity assertion in plain words: who, by which credential, does it hold."""
    who = identity.get("name") or "an unnamed identity"
    org = f" ({identity['organization']})" if identity.get("organization") else ""
    kind = _CREDENTIALS.get(identity.get("sig_type") or "", identity.get("sig_type") or "unknown credential")
    problems = [_IDENTITY_CODES.get(code, code) for code in identity.get("codes") or []]
    state = {"trusted": "valid, trusted", "valid": "valid"}.get(identity.get("state") or "", "does NOT hold")
    return f"{who}{org}, {kind}, {state}" + (f": {'; '.join(problems)}" if problems else "")


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


def _planner_line(planner: dict[str, Any]) -> str:
    name = " ".join(str(planner[k]) for k in ("name", "version") if planner.get(k))
    line = name + (f", model {planner['model']}" if planner.get("model") else "")
    if planner.get("fallback_from"):
        line += f"; it replaced the plan of {planner['fallback_from']}, which failed its checks ({planner.get('fallback_reason') or 'no reason given'})"
    if planner.get("repaired"):
        line += f"; repaired once for: {', '.join(planner['repaired'])}"
    return line


_USE_NAMES = {"cawg.ai_generative_training": "generative AI training", "cawg.ai_training": "AI training",
              "cawg.ai_inference": "AI inference", "cawg.data_mining": "data mining"}


def _mining_line(uses: dict[str, str]) -> str:
    said = {"notAllowed": "not allowed", "allowed": "allowed", "constrained": "allowed with constraints"}
    by_answer: dict[str, list[str]] = {}
    for use, answer in uses.items():
        by_answer.setdefault(said.get(answer, answer), []).append(_USE_NAMES.get(use, use))
    return "; ".join(f"{answer} ({', '.join(names)})" for answer, names in by_answer.items())


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
        source = None
        corrects = None
        for ingredient in manifest.get("ingredients", []):
            data = ingredient.get("data") or {}
            if ingredient.get("relationship") == "inputTo" and data.get("identifier"):
                buffer = io.BytesIO()
                reader.resource_to_stream(data["identifier"], buffer)
                source = {"title": ingredient.get("title"), "format": ingredient.get("format"),
                          "sha256": hashlib.sha256(buffer.getvalue()).hexdigest(), "bytes": len(buffer.getvalue())}
            record = _assertion(manifest, RECORD_LABEL)
            is_correction = isinstance(record, dict) and record.get("correction")
            if ingredient.get("relationship") == "parentOf" and is_correction:
                parent = store.get("manifests", {}).get(ingredient.get("active_manifest") or "", {})
                parent_time, _ = _signed_at(parent) if parent else (None, None)
                corrects = {
                    "title": parent.get("title") or ingredient.get("title"),
                    "signed_at": parent_time,
                    "note": record["correction"].get("note"),
                }
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


if __name__ == "__main__":  # python -m provenance.verify docs/: write the report schemas there
    import sys

    for _name, _schema in report_schemas().items():
        (Path(sys.argv[1]) / _name).write_text(json.dumps(_schema, indent=2) + "\n", encoding="utf-8")
