"""The verify report: what a file's Content Credentials say, as JSON (with its schema) and in
plain words; and a folder's reports together."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

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
        made_from = self._made_from()
        if made_from:
            lines.append("Made from: " + "; ".join(made_from))
        if self.source and self.source.get("sha256"):
            lines.append(f"Source text: embedded {self.source.get('format') or 'text'}, sha256 {self.source['sha256'][:16]}...")
        if self.validation_codes:
            lines.append("Problems: " + ", ".join(self.validation_codes))
        lines += self._shot_lines()
        return "\n".join(lines)

    def _made_from(self) -> list[str]:
        """What the video was made from: its ingredients, the generated parts counted, and each
        supplied photo or clip with the credentials it brought (or that it brought none)."""
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
        return made_from

    def _shot_lines(self) -> list[str]:
        """Each shot's narration with the source sentences behind it."""
        lines: list[str] = []
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
        return lines


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
