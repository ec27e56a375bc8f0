"""A web page into a Document, with trafilatura.

trafilatura finds the main text and drops navigation, comments, share buttons and the like;
its XML output keeps the structure (headings, paragraphs, list items, quotes), which becomes
the blocks. Metadata (title, author, site, date, canonical URL) comes from its metadata
extractor; the language from the page's ``lang`` attribute.
"""

from __future__ import annotations

import re

from .document import Block, Document, clean, reads_as_names

_LANG = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)", re.IGNORECASE)
_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ")


def page_language(data: bytes) -> str | None:
    """The primary language subtag of the page's ``<html lang>``, e.g. ``en`` or ``pt``."""
    match = _LANG.search(data[:20000])
    return match.group(1).decode("ascii").split("-")[0].split("_")[0].lower() if match else None


# What a wiki or a docs generator puts after a heading: an edit link, a permalink mark.
_ANCHOR = re.compile(r"\s*(?:\[\s*(?:edit|editar|modifier|bearbeiten|modifica|edytuj|redigera)\s*\]|[\u00b6#\u00a7])\s*$", re.IGNORECASE)


def _title(meta_title: str | None, heading: str | None, site: str | None, author: str | None) -> str | None:
    # The page's metadata (og:title, <title>) names the story more reliably than the first
    # heading trafilatura keeps, but often adds " | Site" or " - Author".
    title = clean(meta_title or "")
    if not title:
        return heading
    for extra in filter(None, (site, author)):
        for sep in _SEPARATORS:
            if title.endswith(sep + extra):
                title = title[: -len(sep + extra)]
            if title.startswith(extra + sep):
                title = title[len(extra + sep):]
    # "Flood hits the Ahr valley | DW | 19.01.2020": a headline carries its publisher and date
    # after bars; the story is the longest part.
    parts = [p.strip() for p in title.split(" | ") if p.strip()]
    if len(parts) > 1:
        longest = max(parts, key=lambda p: len(p.split()))
        if len(longest.split()) >= 3:
            title = longest
    return title or None


#: The visible text is a stub (a paywall, a teaser) when the page's JSON-LD ``articleBody``
#: has at least this many times its words.
STUB_RATIO = 2.0


def json_ld_body(data: bytes) -> str | None:
    """The longest ``articleBody`` in the page's JSON-LD (schema.org NewsArticle and kin)."""
    import json

    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(data)
    except (ValueError, TypeError, SyntaxError):  # an empty or unparsable page
        return None
    bodies: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            body = node.get("articleBody")
            if isinstance(body, str):
                bodies.append(body)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text or ""))
        except ValueError:
            continue  # a malformed block: sites ship them
    return max(bodies, key=len) if bodies else None


def _body_blocks(data: bytes, blocks: list[Block]) -> tuple[list[Block], str]:
    """The visible blocks, or the JSON-LD article body when the visible text is a stub of it;
    with where the text was read from."""
    body = json_ld_body(data)
    visible = sum(len(b.text.split()) for b in blocks if b.role == "prose")
    if body and len(body.split()) >= max(STUB_RATIO * visible, 60):
        paragraphs = [clean(p) for p in re.split(r"\n\s*\n|\n", body) if clean(p)]
        return [Block("prose", p) for p in paragraphs], "JSON-LD articleBody"
    # trafilatura itself falls back to the JSON-LD body for some stubs: say so when it did.
    if body and blocks and clean(body)[:60] and blocks[0].text.startswith(clean(body)[:60]):
        return blocks, "JSON-LD articleBody"
    return blocks, "page text"


def parse_html(data: bytes, url: str | None = None) -> Document:
    """The article on a page: its readable blocks and metadata."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        data, url=url, output_format="xml", with_metadata=True, include_comments=False,
        include_tables=False, include_images=False, include_links=False, include_formatting=False,
    )
    meta = trafilatura.extract_metadata(data, default_url=url)
    blocks: list[Block] = []
    heading: str | None = None
    if xml:
        main = etree.fromstring(xml.encode("utf-8")).find("main")
        for element in main if main is not None else []:
            text = clean(" ".join(element.itertext()))
            if not text:
                continue
            if element.tag == "head":
                if heading is None and not blocks:
                    heading = text
                else:
                    level = element.get("rend", "h0")[1:]
                    blocks.append(Block("heading", _ANCHOR.sub("", text), int(level) if level.isdigit() else 0))
                continue
            if element.tag == "list":
                blocks += [Block("list", clean(" ".join(item.itertext()))) for item in element.iter("item")]
            elif element.tag == "quote":
                blocks.append(Block("quote", text))
            elif element.tag == "p":
                blocks.append(Block("prose", text))
    blocks, body_from = _body_blocks(data, [b for b in blocks if b.text])
    site = clean(meta.sitename) if meta and meta.sitename else None
    author = clean(meta.author) if meta and meta.author else None
    author = author if author and reads_as_names(author) else None
    return Document(
        title=_title(meta.title if meta else None, heading, site, author),
        blocks=blocks,
        body_from=body_from,
        author=author,
        publisher=site or (meta.hostname if meta else None),
        published=meta.date if meta else None,
        url=(meta.url if meta and meta.url else None) or url,
        language=page_language(data),
    )
