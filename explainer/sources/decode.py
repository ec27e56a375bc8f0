"""Bytes into text: UTF-8 checks for text files, charset handling for pages, format sniffing."""

from __future__ import annotations

import re

from ..errors import InputError, UnreadableInput

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
# Files people give by mistake, by their first bytes: named so the message can say what it is.
_MAGIC = ((b"%PDF", "a PDF"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"PK\x03\x04", "a ZIP archive (a Word or EPUB file?)"), (b"RIFF", "a RIFF media file"))


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnreadableInput(f"{name}: is a binary file ({what}), not an article; give its text (.txt, .md) or the web page (.html, URL)")
    if b"\x00" in data[:65536]:
        raise UnreadableInput(f"{name}: looks like a binary file, not text; give a .txt, .md or .html article")


def decode_text(data: bytes, name: str) -> str:
    """Decode article bytes as UTF-8, refusing binary files with a clear message."""
    _refuse_binary(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableInput(
            f"{name}: is not valid UTF-8 (bad byte at offset {e.start}); save it as UTF-8 and try again"
        ) from e
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > len(sample) * 0.01:
        raise UnreadableInput(f"{name}: looks like a binary file, not text; give a .txt, .md or .html article")
    if not text.strip():
        raise InputError(f"{name}: is empty; give an article with some text")
    return text


def decode_page(data: bytes, name: str, charset: str | None = None) -> str:
    """A web page's text: the HTTP charset, else the page's <meta charset>, else UTF-8."""
    _refuse_binary(data, name)
    if not data.strip():
        raise InputError(f"{name}: is an empty page; give the article's page")
    declared = _META_CHARSET.search(data[:4096])
    for encoding in filter(None, (charset, declared.group(1).decode("ascii") if declared else None, "utf-8")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def sniff_media_type(data: bytes, name: str) -> str:
    """text/html, text/markdown or text/plain, from the first bytes of an unnamed input."""
    _refuse_binary(data, name)
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<p>" in head:
        return "text/html"
    if head.startswith(b"---") or re.search(rb"(?m)^#{1,6} \S", data[:4096]):
        return "text/markdown"
    return "text/plain"
