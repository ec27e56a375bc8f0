"""What the API accepts, checked at the door: a new request, a script edit, an approval, a
Soft Binding lookup; and a validation error told in one line."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .limits import MAX_LENGTH_S, MIN_LENGTH_S, control_problem, length_problem, voice_problem


class NewRequest(BaseModel):
    """An explainer request: only ``text`` (or ``url``) is required. Everything is checked here,
    before the request is accepted: numbers strictly typed and finite, names from the
    catalogs, never a path."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str | None = Field(default=None, min_length=1)
    title: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=500, pattern=r"^https?://",
                            description="the article's page: fetched when there is no text, recorded either way")
    length: float | None = Field(default=None, allow_inf_nan=False, description=f"seconds, {MIN_LENGTH_S:g} to {MAX_LENGTH_S:g}")
    aspect: Literal["16:9", "9:16", "1:1"] | None = None
    voice: str | None = Field(default=None, description="a voice of the catalog, by name")
    planner: str | None = None
    renderer: str | None = None
    review: bool = Field(default=True, description="false waives editorial review: editors and admins only, when policy requires it")
    webhook_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://")
    allow_unsupported: bool = False

    @model_validator(mode="after")
    def _text_or_url(self) -> "NewRequest":
        if self.text is None and self.url is None:
            raise ValueError("send the article as 'text', or its page as 'url'")
        return self

    @field_validator("voice")
    @classmethod
    def _catalog_voice(cls, value: str | None) -> str | None:
        if value is not None and (problem := voice_problem("voice", value)):
            raise ValueError(problem.removeprefix("voice: "))
        return value

    @field_validator("length")
    @classmethod
    def _length(cls, value: float | None) -> float | None:
        if value is not None and (problem := length_problem("length", value)):
            raise ValueError(problem.removeprefix("length: "))
        return value

    @field_validator("text", "title", "url", "webhook_url", "planner", "renderer")
    @classmethod
    def _plain_text(cls, value: str | None, info) -> str | None:
        # A NUL or escape code would be accepted here and fail after approval, or reach a terminal.
        if value is not None and (problem := control_problem(info.field_name, value, multiline=info.field_name == "text")):
            raise ValueError(problem.removeprefix(f"{info.field_name}: "))
        return value

    @field_validator("planner", "renderer")
    @classmethod
    def _registered(cls, value: str | None, info) -> str | None:
        from ..planning import PLANNERS
        from ..rendering import RENDERERS

        names = (PLANNERS if info.field_name == "planner" else RENDERERS).names()
        if value is not None and value not in names:
            raise ValueError(f"unknown {info.field_name}; use one of: {', '.join(names)}")
        return value


class BindingQuery(BaseModel):
    """A Soft Binding Resolution API lookup sent as JSON."""

    model_config = ConfigDict(extra="forbid")
    alg: str = Field(min_length=1, max_length=200)
    value: str = Field(min_length=1, max_length=400)
    maxResults: int = Field(default=10, ge=1, le=100)  # noqa: N815 (the API's name)


class ScriptEdit(BaseModel):
    """A replacement shot list from an editor; with ``version``, only if the script is still
    that version (two editors at once: the second is told, not overwritten)."""

    model_config = ConfigDict(extra="forbid")

    shotlist: dict[str, Any]
    version: int | None = Field(default=None, ge=1, le=1_000_000, description="the version this edit was made from")


class Approval(BaseModel):
    """What an editor approves: the script version and its sha256, as GET .../script shows them."""

    model_config = ConfigDict(extra="forbid", strict=True)

    version: int = Field(ge=1, le=1_000_000)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


def describe_error(errors: list[dict[str, Any]]) -> str:
    """The first validation error as one line that says where and what."""
    first = errors[0]
    if first.get("type") == "json_invalid":
        message = str(first.get("msg", "")).removeprefix("Invalid JSON: ")
        if "hex escape" in message or "surrogate" in message:
            message = "a \\u escape that is not a character (a lone surrogate?); send the text as UTF-8"
        return f"malformed JSON: {message}"
    where = ".".join(str(p) for p in first.get("loc", []) if p != "body") or "body"
    if first.get("type") == "extra_forbidden":
        return f"{where}: unknown field; allowed are {', '.join(NewRequest.model_fields)}"
    if first.get("type") == "finite_number":
        return f"{where}: should be a finite number"
    return f"{where}: {str(first.get('msg', '')).removeprefix('Value error, ')}"
