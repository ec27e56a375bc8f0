"""Plain text and Markdown into a Document.

Markdown is parsed by markdown-it-py (CommonMark), so lists, block quotes, tables, images and
links are what they are rather than prose. Plain text is split into paragraphs at blank lines.
Both find the title the ways people write one: YAML front matter ``title:``, a ``#`` or
Setext heading, or a short first line followed by a blank line (or standing alone on the
first line of the first paragraph, as hand-made files often do).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .document import Block, Document, clean

# A site generator's template tags (Jekyll, Eleventy): "[text]({{ "/page/" | url }})" is a link
# to the generator, and the spaces inside break the Markdown link around the words.
_TEMPLATE_LINK = re.compile(r"\]\(\s*\{\{.*?\}\}\s*\)")
_TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25cf]|\d{1,3}[.)])\s+")
_NUMBERED = re.compile(r"^(?:\d{1,2}|[IVX]{1,4})[.):]\s+\w|^(?:Part|Chapter|Section|Step)\s+\w+[.:]?\s", re.IGNORECASE)
#: A title is short; longer first lines are prose.
MAX_TITLE_WORDS = 20


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    return data, text[match.end():]


def _meta(data: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, list):
            value = ", ".join(_unslug(str(v)) for v in value)
        if value not in (None, ""):
            return str(value)
    return None


def looks_like_title(line: str) -> bool:
    """A short line without the punctuation that ends prose sentences."""
    line = clean(line)
    words = line.split()
    return 0 < len(words) <= MAX_TITLE_WORDS and not line.endswith((".", ",", ";", ":")) and not _LIST_ITEM.match(line)


def _split_glued_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """A title written on the first line of the first paragraph, with the text right after it."""
    if len(lines) < 2 or not looks_like_title(lines[0]):
        return None, lines
    first, rest = clean(lines[0]), clean(lines[1])
    words = first.split()
    title_case = sum(w[:1].isupper() for w in words) / len(words)
    # Hard-wrapped prose goes on in lower case; a headline is followed by a new sentence.
    if rest[:1].isupper() or rest[:1] in "\"'\u201c\u2018":
        if title_case >= 0.5 or len(words) <= 8 or first.endswith(("?", "!")):
            return first, lines[1:]
    return None, lines


def _unslug(name: str) -> str:
    """A site generator's author id as a name: "julia-lindpaintner" is Julia Lindpaintner."""
    if re.fullmatch(r"[a-z]+(?:-[a-z]+)+", name):
        return " ".join(part.capitalize() for part in name.split("-"))
    return name


def _with_metadata(document: Document, data: dict[str, Any]) -> Document:
    document.title = _meta(data, "title", "headline") or document.title
    document.author = _meta(data, "author", "authors", "byline")
    document.publisher = _meta(data, "publisher", "source", "site")
    document.published = _meta(data, "date", "published")
    document.url = _meta(data, "url", "canonical_url", "link")
    document.language = _meta(data, "lang", "language")
    return document


def parse_text(text: str) -> Document:
    """Plain text: blank-line paragraphs; a first short line is the title; bullets are lists."""
    data, text = _front_matter(text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    title: str | None = None
    blocks: list[Block] = []
    for index, paragraph in enumerate(paragraphs):
        lines = [ln for ln in paragraph.split("\n") if ln.strip()]
        if index == 0 and not data.get("title"):
            if len(lines) == 1 and len(paragraphs) > 1 and looks_like_title(lines[0]):
                title = clean(lines[0])
                continue
            title, lines = _split_glued_title(lines)
        if len(lines) == 1 and _is_subheading(lines[0]) and _opens_prose(paragraphs[index + 1:]):
            blocks.append(Block("heading", clean(lines[0])))
        elif all(_LIST_ITEM.match(ln) for ln in lines):
            blocks += [Block("list", _LIST_ITEM.sub("", ln)) for ln in lines]
        else:
            blocks.append(Block("prose", " ".join(lines)))
    return _with_metadata(Document(title=title, blocks=blocks), data)


def _is_subheading(line: str) -> bool:
    """A line standing alone between paragraphs that reads as a heading: short, no closing
    full stop, in title case or numbered ("3. What we learned")."""
    line = clean(line)
    words = line.split()
    if not 0 < len(words) <= 12 or line.endswith((".", ",", ";", ":", "!", "\u201d", '"')):
        return False
    if _LIST_ITEM.match(line) and not _NUMBERED.match(line):
        return False  # a bullet
    capitals = sum(w[:1].isupper() or w[:1].isdigit() for w in words) / len(words)
    return capitals >= 0.5 or bool(_NUMBERED.match(line))


def _opens_prose(rest: list[str]) -> bool:
    """Whether the paragraphs after a heading start with running text (not another one-line
    item: numbered items written a blank line apart are a list, not headings)."""
    lines = [ln for ln in rest[0].split("\n") if ln.strip()] if rest else []
    return len(lines) > 1 or (len(lines) == 1 and len(lines[0].split()) > 12 and not _LIST_ITEM.match(lines[0]))


def _inline_text(token: Any) -> tuple[str, bool]:
    """The plain text of an inline token (link text kept, images dropped), and whether it held an image."""
    parts: list[str] = []
    has_image = False
    for child in _without_run_in(token.children or []):
        if child.type == "image":
            has_image = True
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline" and child.content.lower().startswith("<br"):
            parts.append("\n")
    return "".join(parts), has_image


def _without_run_in(children: list[Any]) -> list[Any]:
    """The paragraph without a run-in heading: "**Surfacing potential harms.** Carefully
    thinking..." opens with a label in bold, not with a sentence to narrate."""
    children = children[1:] if children and children[0].type == "text" and not children[0].content.strip() else children
    if not children or children[0].type != "strong_open":
        return children
    end = next((i for i, c in enumerate(children) if c.type == "strong_close"), None)
    if end is None:
        return children
    label = "".join(c.content for c in children[1:end] if c.type == "text").strip()
    rest = "".join(c.content for c in children[end + 1:] if c.type == "text").strip()
    # Six words at most: a bold sentence that opens a paragraph is longer, and is narrated.
    if label.endswith((".", ":")) and len(label.split()) <= 6 and rest[:1].isupper():
        return children[end + 1:]
    return children


def parse_markdown(text: str) -> Document:
    """Markdown by its structure: headings, paragraphs, list items, block quotes; tables,
    code, HTML and images (with their captions) are not text to narrate."""
    from markdown_it import MarkdownIt

    data, text = _front_matter(text)
    text = _TEMPLATE_TAG.sub("", _TEMPLATE_LINK.sub("](#)", text))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    title: str | None = None
    blocks: list[Block] = []
    context: list[str] = []  # the open containers: bullet_list, ordered_list, blockquote, table
    heading, level = False, 0
    after_image = False
    for token in tokens:
        if token.type.endswith("_open") and token.type.split("_open")[0] in ("bullet_list", "ordered_list", "blockquote", "table"):
            context.append(token.type.split("_open")[0])
            continue
        if token.type.endswith("_close") and token.type.split("_close")[0] in ("bullet_list", "ordered_list", "blockquote", "table"):
            context.pop()
            continue
        if token.type == "heading_open":
            heading, level = True, int(token.tag[1:])
            continue
        if token.type == "heading_close":
            heading = False
            continue
        if token.type != "inline" or "table" in context:
            continue
        content, has_image = _inline_text(token)
        if heading:
            # The first heading before any text is the title; later ones are structure.
            if title is None and not blocks and not data.get("title"):
                title = clean(content)
            elif clean(content):
                blocks.append(Block("heading", clean(content), level))
            continue
        if has_image or (after_image and _all_emphasis(token)):
            after_image = has_image
            continue  # an image and its caption: credits and captions are not narration
        after_image = False
        lines = [ln for ln in content.split("\n") if ln.strip()]
        if not lines:
            continue
        if title is None and not blocks and not data.get("title"):
            if len(lines) == 1 and looks_like_title(lines[0]) and not context:
                title = clean(lines[0])
                continue
            glued, lines = _split_glued_title(lines)
            title = glued
        role = "list" if any(c.endswith("_list") for c in context) else "quote" if "blockquote" in context else "prose"
        blocks.append(Block(role, " ".join(lines)))
    return _with_metadata(Document(title=title, blocks=blocks), data)


def _all_emphasis(token: Any) -> bool:
    children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
    return bool(children) and children[0].type in ("em_open", "strong_open") and children[-1].type in ("em_close", "strong_close")
