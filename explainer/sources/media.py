"""The newsroom's own photos and clips: a folder (or files) read into captioned MediaItems.

Captions and credits come, first found wins, from a sidecar beside the files (``media.yaml``
or ``media.csv``: file, caption, credit, and optionally source_type), then the file's XMP
(dc:description, dc:creator, photoshop:Credit), then its IPTC IIM (2:120 caption, 2:80 byline,
2:110 credit), then an MP4's own tags. A file that carries its own Content Credentials keeps
them: its digital source type is read from its manifest, and the manifest rides into the
video's as that ingredient's.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import yaml

from ..errors import InputError
from ..shotlist import MediaItem

PHOTO_SUFFIXES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
CLIP_SUFFIXES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime"}
SIDECARS = ("media.yaml", "media.yml", "media.csv")
CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
_IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def media_format(path: Path | str) -> str:
    """The MIME type of a supplied file, from its name."""
    suffix = Path(path).suffix.lower()
    return PHOTO_SUFFIXES.get(suffix) or CLIP_SUFFIXES.get(suffix) or "application/octet-stream"


def load_media(location: Path) -> list[MediaItem]:
    """The photos and clips in a folder (or one file), captioned, in name order.

    Raises InputError for a missing path, an empty folder, or an unreadable sidecar.
    """
    if not location.exists():
        raise InputError(f"--media {location}: no such file or folder; give a folder of JPEG, PNG or MP4 files")
    files = [location] if location.is_file() else sorted(p for p in location.iterdir() if p.is_file())
    usable = [p for p in files if p.suffix.lower() in PHOTO_SUFFIXES or p.suffix.lower() in CLIP_SUFFIXES]
    if not usable:
        raise InputError(f"--media {location}: no JPEG, PNG or MP4 files in it; add the photos and clips to use")
    sidecar = _read_sidecar(location if location.is_dir() else location.parent)
    items: list[MediaItem] = []
    seen: set[str] = set()
    for path in usable:
        item = describe(path, sidecar.get(path.name, {}))
        if item.id in seen:
            raise InputError(f"--media {location}: two files are named {item.id!r}; rename one (shots name media by file name)")
        seen.add(item.id)
        items.append(item)
    return items


def describe(path: Path, sidecar: dict[str, str] | None = None) -> MediaItem:
    """One file as a MediaItem: type, caption and credit, hash, and its own credentials."""
    sidecar = sidecar or {}
    kind = "photo" if path.suffix.lower() in PHOTO_SUFFIXES else "clip"
    caption, credit, caption_from = _check_and_read(path, kind)
    if sidecar.get("caption") or sidecar.get("credit"):
        caption = sidecar.get("caption", caption) or caption
        credit = sidecar.get("credit", credit) or credit
        caption_from = "sidecar"
    source_type, credentials = _own_credentials(path)
    if sidecar.get("source_type"):
        declared = sidecar["source_type"].strip()
        source_type = declared if declared.startswith("http") else _IPTC + declared
    return MediaItem(
        id=path.stem,
        path=str(path.resolve()),
        type=kind,
        caption=" ".join(caption.split()),
        credit=" ".join(credit.split()),
        caption_from=caption_from,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        digital_source_type=source_type,
        credentials=credentials,
    )


def _read_sidecar(folder: Path) -> dict[str, dict[str, str]]:
    """file name → {caption, credit, source_type} from media.yaml or media.csv, if present."""
    for name in SIDECARS:
        path = folder / name
        if not path.is_file():
            continue
        try:
            if name.endswith(".csv"):
                with path.open(encoding="utf-8-sig", newline="") as fh:
                    rows = list(csv.DictReader(fh))
            else:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                rows = [{"file": k, **(v if isinstance(v, dict) else {"caption": v})} for k, v in data.items()] if isinstance(data, dict) else data
        except (yaml.YAMLError, UnicodeDecodeError, csv.Error) as e:
            raise InputError(f"{path}: unreadable ({e.__class__.__name__}); write one entry per file with caption and credit") from e
        table: dict[str, dict[str, str]] = {}
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or not row.get("file"):
                raise InputError(f"{path}: every entry needs a 'file' (the photo or clip's file name)")
            table[str(row["file"]).strip()] = {k: str(v).strip() for k, v in row.items() if v is not None and k != "file"}
        return table
    return {}


def _check_and_read(path: Path, kind: str) -> tuple[str, str, str]:
    """Open the file (refusing what is not a readable photo or clip) and read its caption/credit."""
    if kind == "photo":
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(path) as image:
                image.verify()
            with Image.open(path) as image:
                return _photo_metadata(image)
        except (UnidentifiedImageError, OSError, SyntaxError) as e:
            raise InputError(f"{path}: not a readable JPEG or PNG ({e}); replace or remove it") from e
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise InputError(f"{path}: has no video stream; give a video clip")
            tags = {k.lower(): v for k, v in container.metadata.items()}
    except av.error.FFmpegError as e:
        raise InputError(f"{path}: not a readable video ({e}); replace or remove it") from e
    caption = tags.get("description") or tags.get("comment") or tags.get("title") or ""
    credit = tags.get("artist") or tags.get("copyright") or ""
    return caption, credit, "MP4 tags" if caption or credit else ""


def _photo_metadata(image) -> tuple[str, str, str]:
    """Caption and credit from XMP (preferred: it is Unicode) or IPTC IIM."""
    caption = credit = ""
    try:
        xmp = image.getxmp() or {}
    except Exception:  # a malformed XMP packet is the photo's problem, not ours: fall back to IPTC
        xmp = {}
    descriptions = ((xmp.get("xmpmeta") or {}).get("RDF") or {}).get("Description") or []
    if isinstance(descriptions, dict):
        descriptions = [descriptions]
    creator = credit_name = ""
    for block in descriptions:
        caption = caption or _xmp_text(block.get("description"))
        creator = creator or _xmp_text(block.get("creator"))
        credit_name = credit_name or _xmp_text(block.get("Credit"))
    credit = _credit(creator, credit_name)
    if caption or credit:
        return caption, credit, "XMP"
    from PIL import IptcImagePlugin

    iptc = IptcImagePlugin.getiptcinfo(image) or {}

    def field(record: int) -> str:
        value = iptc.get((2, record))
        if isinstance(value, list):
            value = b", ".join(value)
        return value.decode("utf-8", errors="replace").strip() if isinstance(value, bytes) else ""

    caption, credit = field(120), _credit(field(80), field(110))
    return caption, credit, "IPTC" if caption or credit else ""


def _xmp_text(value) -> str:
    """The text of an XMP value: a plain string, a language alternative or a sequence."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return ", ".join(t for t in (_xmp_text(v) for v in value) if t)
    if isinstance(value, dict):
        if "text" in value:
            return str(value["text"]).strip()
        for key in ("Alt", "Seq", "Bag", "li"):
            if key in value:
                return _xmp_text(value[key])
    return ""


def _credit(creator: str, credit: str) -> str:
    """'Jane Roe / City Desk': the maker and the credit line, without repeating one."""
    parts = [p for p in (creator, credit) if p]
    if len(parts) == 2 and parts[0].lower() == parts[1].lower():
        parts = parts[:1]
    return " / ".join(parts)


def _own_credentials(path: Path) -> tuple[str, str]:
    """The file's digital source type and a line about its Content Credentials, if it has any."""
    from provenance import verify

    report = verify(path)
    if report.state in ("NoCredentials", "Unreadable"):
        return CAPTURE, ""
    who = (report.signer or {}).get("common_name") or "an unnamed signer"
    line = f"{report.state} Content Credentials, signed by {who}" + (f" with {report.claim_generator}" if report.claim_generator else "")
    return (report.digital_source_types[0] if report.digital_source_types else CAPTURE), line
