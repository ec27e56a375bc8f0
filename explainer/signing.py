"""Choosing the signing identity and stating what a video is made of, for provenance/.

The identity is resolved and checked at the edge, before any rendering, so bad credentials
fail in a second rather than after the render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from provenance import (
    RECORD_LABEL,
    SHOTS_LABEL,
    ClaimSigner,
    Component,
    CredentialError,
    LocalKeySigner,
    ManifestSpec,
    MarkedSpan,
    SoftBinding,
    has_identity,
    init_identity,
    load_credentials,
    local_paths,
)

from . import __version__
from .settings import Settings
from .shotlist import ShotList
from .sources.media import media_format

SOFTWARE = "Explainer"


@dataclass(frozen=True)
class Correction:
    """A new video that corrects an earlier signed one."""

    parent: Path
    note: str


@dataclass(frozen=True)
class ShotParts:
    """The generated files of one shot, to list as manifest ingredients."""

    shot_id: str
    clip: Path
    narration: Path | None
    """None for a silent part (a brand's intro or outro card)."""
    source_type: str
    """IPTC digital source type of the clip: what its renderer makes."""
    made_by: str
    """The renderer, its version and model."""


def keys_dir(settings: Settings) -> Path:
    """Where the local signing identity lives."""
    return settings.config_dir / "keys"


def local_root_pem(settings: Settings) -> str | None:
    """The local root CA certificate, if a local identity exists (a trust anchor here)."""
    root = local_paths(keys_dir(settings))[2]
    return root.read_text(encoding="ascii") if root.is_file() else None


def prepare_signer(settings: Settings, notify: Callable[[str], None]) -> ClaimSigner:
    """The signer for this run: the user's own chain and key, or the local identity.

    The local identity is created on first use, and ``notify`` is told so once.
    """
    if settings.sign_cert or settings.sign_key:
        if not (settings.sign_cert and settings.sign_key):
            raise CredentialError("give both --sign-cert (the PEM chain) and --sign-key (its private key), or neither")
        credentials = load_credentials(settings.sign_cert, settings.sign_key, settings.sign_key_password)
        return LocalKeySigner(credentials, settings.tsa_url)
    folder = keys_dir(settings)
    if not has_identity(folder):
        init_identity(folder)
        notify(f"created a local signing identity in {folder} (first use); 'explainer keys show' describes it")
    chain, key, _ = local_paths(folder)
    return LocalKeySigner(load_credentials(chain, key, settings.sign_key_password), settings.tsa_url)


def _source_title(source) -> str:
    """The source ingredient's title: the article's headline, where it came from."""
    where = source.publisher or source.url
    return f"{source.title} ({where})" if where else source.title


def _components(parts: list[ShotParts], supplied: list, narrator_source_type: str, voice_label: str) -> list[Component]:
    """The video's parts as ingredients: each shot's footage and narration, and each supplied
    photo or clip a shot shows."""
    components: list[Component] = []
    for part in parts:
        components.append(
            Component(part.clip, f"{part.shot_id} footage", "video/mp4", part.source_type, f"{part.shot_id}-video", part.made_by)
        )
        if part.narration is not None:
            components.append(
                Component(part.narration, f"{part.shot_id} narration", "audio/wav", narrator_source_type, f"{part.shot_id}-narration", voice_label)
            )
    for item in supplied:
        # The file itself is the ingredient: a photo with its own Content Credentials keeps them.
        components.append(
            Component(Path(item.path), f"{Path(item.path).name} (supplied {item.type})", media_format(item.path),
                      item.digital_source_type, f"media-{item.id}", item.caption)
        )
    return components


def _shots_assertion(shotlist: ShotList, supplied: list, renderer_label: str, voice_label: str) -> dict:
    """Our shots assertion: the script, its source and the sentences each shot stands on."""
    source = shotlist.source
    referenced = [ref for shot in shotlist.shots for ref in shot.source_refs]
    shots_assertion = {
        "title": shotlist.title,
        "kind": shotlist.kind,
        "language": shotlist.language,
        "grounded": source is not None and bool(source.sentences),
        "planner": shotlist.planner.model_dump(),
        "renderer": renderer_label,
        "voice": voice_label,
        "source": None if source is None else {
            k: v for k, v in {
                "title": source.title, "url": source.url, "author": source.author, "publisher": source.publisher,
                "published": source.published, "retrieved_at": source.retrieved_at, "media_type": source.media_type,
                "sha256": source.sha256,
            }.items() if v is not None
        },
        "source_sentences": {ref: source.sentences[ref] for ref in dict.fromkeys(referenced)} if source else {},
        "shots": [
            {
                "id": shot.id,
                "kind": shot.kind,
                **({"media": shot.media} if shot.kind == "media" else {}),
                "narration": shot.narration,
                "on_screen_text": shot.on_screen_text,
                "source_refs": shot.source_refs,
                "support": shot.support,
                "unsupported": shot.unsupported,
                "duration_s": shot.duration_s,
            }
            for shot in shotlist.shots
        ],
        "media": [
            {
                "id": item.id, "file": Path(item.path).name, "type": item.type, "sha256": item.sha256,
                "caption": item.caption, "credit": item.credit, "caption_from": item.caption_from,
                "digital_source_type": item.digital_source_type, "credentials": item.credentials,
                "shots": [shot.id for shot in shotlist.shots if shot.kind == "media" and shot.media == item.id],
            }
            for item in supplied
        ],
    }
    return shots_assertion


def manifest_spec(
    shotlist: ShotList,
    parts: list[ShotParts],
    *,
    record: dict,
    narrator_source_type: str,
    renderer_label: str,
    voice_label: str,
    correction: Correction | None = None,
    training_mining: str | None = "notAllowed",
    soft_binding: SoftBinding | None = None,
) -> ManifestSpec:
    """What the signed video states: its parts, its source, its shot list and record."""
    shown = {shot.media for shot in shotlist.shots if shot.kind == "media"}
    supplied = [item for item in shotlist.media if item.id in shown]
    components = _components(parts, supplied, narrator_source_type, voice_label)
    source = shotlist.source
    shots_assertion = _shots_assertion(shotlist, supplied, renderer_label, voice_label)
    embedded_record = dict(record)
    embedded_record["signed_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if correction is not None:
        embedded_record["correction"] = {"parent": correction.parent.name, "note": correction.note}
    return ManifestSpec(
        title=shotlist.title,
        format="video/mp4",
        software_name=SOFTWARE,
        software_version=__version__,
        components=components,
        source_text=source.text.encode("utf-8") if source is not None else None,
        source_format=source.media_type if source is not None else "text/plain",
        source_title=_source_title(source) if source is not None else "source",
        parent=correction.parent if correction else None,
        parent_title=correction.parent.name if correction else "",
        correction=correction.note if correction else "",
        assertions={SHOTS_LABEL: shots_assertion, RECORD_LABEL: embedded_record},
        training_mining=training_mining,
        soft_binding=soft_binding,
    )


def soft_binding(spans: list[tuple[float, float, bytes | None]]) -> SoftBinding | None:
    """The soft binding of a video whose shots (start, length, identifier) carry watermarks;
    None when none does."""
    from provenance.watermark import ALGORITHM, PAYLOAD_BITS

    marked = [MarkedSpan(start, start + length, mark) for start, length, mark in spans if mark is not None]
    if not marked:
        return None
    name = f"invisible-watermark DWT-DCT-SVD on the U plane, {PAYLOAD_BITS} bits: one 7-byte identifier per shot, Reed-Solomon coded"
    return SoftBinding(ALGORITHM, marked, name)
