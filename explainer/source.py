"""Reading a source article: checks, decoding, light Markdown clean-up, sentence ids."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from .errors import InputError
from .grounding.injection import find_injections
from .sentences import paragraphs, split_sentences
from .shotlist import Source

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_source_bytes(path: str) -> tuple[bytes, str]:
    """Bytes of a source file, or of stdin for ``-``, plus a display name."""
    if path == "-":
        return sys.stdin.buffer.read(), "stdin"
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{path}: is a folder; give a .txt or .md article file")
    try:
        return p.read_bytes(), p.name
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror}); check its permissions") from e


def decode_text(data: bytes, name: str) -> str:
    """Decode article bytes as UTF-8, refusing binary files with a clear message."""
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file, not text; give a .txt or .md article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{name}: is not valid UTF-8 (bad byte at offset {e.start}); save it as UTF-8 and try again"
        ) from e
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > len(sample) * 0.01:
        raise InputError(f"{name}: looks like a binary file, not text; give a .txt or .md article")
    if not text.strip():
        raise InputError(f"{name}: is empty; give an article with some text")
    return text


def _clean_markdown_line(line: str) -> str:
    line = _LINK.sub(r"\1", line)
    line = _BULLET.sub("", line)
    previous = None
    while previous != line:
        previous = line
        line = _EMPHASIS.sub(r"\2", line)
    return line.strip()


def _title_and_body(text: str, fallback: str) -> tuple[str, str]:
    lines = text.splitlines()
    title = None
    body_lines: list[str] = []
    for line in lines:
        heading = _HEADING.match(line)
        if heading:
            if title is None:
                title = _clean_markdown_line(heading.group(1))
            # Sub-headings are structure, not narration: keep them as paragraph breaks.
            body_lines.append("")
            continue
        body_lines.append(_clean_markdown_line(line))
    body = "\n".join(body_lines)
    if title is None:
        first = next((ln.strip() for ln in body_lines if ln.strip()), "")
        # A short first line without closing punctuation reads as a headline.
        if first and len(first) <= 120 and not first.endswith((".", "!", "?", '"', "\u201d")):
            title = first
            body = body.replace(first, "", 1)
        else:
            title = fallback
    return title, body


def parse_source(data: bytes, name: str, *, url: str | None = None, language: str = "en") -> Source:
    """Turn article bytes into a Source with sentence ids s1, s2, ... in reading order."""
    text = decode_text(data, name)
    fallback = Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Explainer"
    title, body = _title_and_body(text, fallback)
    sentences: dict[str, str] = {}
    for block in paragraphs(body):
        for sentence in split_sentences(block):
            sentences[f"s{len(sentences) + 1}"] = sentence
    if not sentences:
        raise InputError(f"{name}: has a title but no sentences to narrate; add the article text")
    return Source(
        kind="article",
        title=title,
        url=url,
        language=language,
        sha256=hashlib.sha256(data).hexdigest(),
        sentences=sentences,
        injections=find_injections(sentences),
        text=text,
    )


def load_source(path: str, *, url: str | None = None, language: str = "en") -> Source:
    """Read, check and parse a source article from a path or ``-`` for stdin."""
    data, name = read_source_bytes(path)
    return parse_source(data, name, url=url, language=language)


def topic_source(topic: str, language: str = "en") -> Source:
    """A Source for topic mode: a title and no sentences, so nothing can be grounded."""
    topic = " ".join(topic.split())
    if not topic:
        raise InputError("--topic is empty; say what the video should explain")
    return Source(
        kind="topic",
        title=topic,
        language=language,
        sha256=hashlib.sha256(topic.encode("utf-8")).hexdigest(),
        text=topic,
    )
