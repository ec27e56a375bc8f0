"""The LLM planner: a LangChain chat model writes the shot list from a prompt template.

Any OpenAI-compatible endpoint works (OpenAI itself, vLLM, Ollama, LM Studio, llama.cpp's
server), and so does the embedded SmolLM2 model, which runs behind llama.cpp's own
OpenAI-compatible server. Grounding happens after planning, outside the planner, for every
planner alike.
"""

from __future__ import annotations

import json
import math
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterator

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel, Field

from .. import __version__
from ..errors import InputError, PlanError
from ..shotlist import PlannerInfo, Shot, ShotList, Source
from .base import PlanSettings
from .figures import on_screen_text, visual_prompt
from .checks import SECONDS_PER_SHOT_MIN
from .structured import METHODS, structured_reply


# The prompt explains every field; descriptions in the schema only made small models echo
# them. Length limits are part of the schema on purpose: servers that turn the schema into a
# grammar (llama.cpp) then cannot let a small model ramble until max_tokens.
class ShotDraft(BaseModel):
    """A shot: narration taken from the article, a short on-screen text, a visual prompt and the ids of its source sentences."""

    # At least a short sentence, and none of the characters JSON or markup needs: a grammar-
    # driven server then cannot let a small model write the schema back as narration.
    narration: str = Field(min_length=20, max_length=400, pattern=r"^[^{}<>#\[\]`|\\]*$")
    on_screen_text: str = Field(default="", max_length=80)
    visual_prompt: str = Field(default="", max_length=300)
    source_refs: list[str] = Field(default_factory=list, max_length=4)


class PlanDraft(BaseModel):
    """Write the shot list of an explainer video about the article, in order."""

    title: str = Field(default="", max_length=120)
    shots: list[ShotDraft] = Field(min_length=1, max_length=12)


@dataclass(frozen=True)
class LLMConfig:
    """Which model, where, and how to call it."""

    provider: str
    """``openai`` (any OpenAI-compatible endpoint) or ``local`` (the embedded GGUF model)."""
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    model_path: Path | None = None
    temperature: float = 0.2
    max_tokens: int = 2048
    timeout_s: float = 120.0
    retries: int = 2
    source_chars: int = 12000
    """Most characters of source text put in the prompt (small models have small contexts)."""
    audience: str | None = None

    @property
    def label(self) -> str:
        """How the model is named in the shot list and the record."""
        if self.provider == "local":
            return f"local:{self.model_path.name if self.model_path else 'model'}"
        where = f"@{self.base_url}" if self.base_url else ""
        return f"openai:{self.model or 'gpt-4o-mini'}{where}"

    @classmethod
    def from_settings(cls, settings: Any) -> "LLMConfig":
        """Resolve the provider from settings; a one-line error when nothing is configured."""
        provider = settings.llm
        if provider is None:
            if settings.llm_model_path:
                provider = "local"
            elif settings.llm_api_key or settings.llm_base_url:
                provider = "openai"
            else:
                raise InputError(
                    "the llm planner needs a model: set OPENAI_API_KEY (OpenAI), --llm-base-url URL "
                    "(any OpenAI-compatible server), or --llm local (embedded demo model, .[local-llm])"
                )
        if provider == "openai" and not (settings.llm_api_key or settings.llm_base_url):
            raise InputError("--llm openai needs OPENAI_API_KEY, or --llm-base-url for a server without keys")
        model_path = settings.llm_model_path
        if provider == "local" and model_path is None:
            from .local_llm import bundled_model_path

            model_path = bundled_model_path()
        return cls(
            provider=provider,
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            model_path=model_path,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            timeout_s=settings.llm_timeout,
            retries=settings.llm_retries,
            source_chars=settings.llm_source_chars,
            audience=getattr(settings, "audience", None),
        )


@contextmanager
def chat_session(config: LLMConfig) -> Iterator[Any]:
    """A LangChain chat model for ``config``, with the local server running while in use."""
    from langchain_openai import ChatOpenAI

    def make(base_url: str | None, api_key: str, model: str, retries: int) -> Any:
        return ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=api_key,
            temperature=config.temperature,
            max_tokens=config.max_tokens,
            timeout=config.timeout_s,
            max_retries=retries,
        )

    if config.provider == "local":
        from .local_llm import LocalLlamaServer

        with LocalLlamaServer(config.model_path) as server:
            # A local server has no transient network errors worth retrying.
            yield make(server.base_url, "local", "local", 0)
        return
    # Local OpenAI-compatible servers often need no key, but the client insists on one.
    yield make(config.base_url, config.api_key or "no-key", config.model or "gpt-4o-mini", config.retries)


_TEMPLATES = Environment(loader=PackageLoader("explainer.planning", "prompts"), undefined=StrictUndefined, autoescape=False)


def shot_budget(settings: PlanSettings) -> int:
    """How many shots to ask for: about one per six seconds, within --max-shots."""
    return max(2, min(settings.max_shots, round(settings.length_s / 6)))


def min_shots(settings: PlanSettings) -> int:
    """The fewest shots a plan for this length may have (as the plan checks count)."""
    return max(1, min(shot_budget(settings), math.ceil(settings.length_s / SECONDS_PER_SHOT_MIN)))


def plan_schema(settings: PlanSettings) -> dict[str, Any]:
    """The JSON schema of a plan for this length, with every reference inlined.

    Grammar-driven servers (llama.cpp) turn it into a grammar: the number of shots and the
    shape of the narration are then enforced while the model writes, not checked after.
    """
    schema = PlanDraft.model_json_schema()
    shot = schema.pop("$defs")["ShotDraft"]
    schema["properties"]["shots"]["items"] = shot
    schema["properties"]["shots"]["minItems"] = min_shots(settings)
    schema["properties"]["shots"]["maxItems"] = shot_budget(settings)
    return schema


def prompt_for(
    source: Source, settings: PlanSettings, source_chars: int, audience: str | None = None, *, constrained: bool = False
) -> str:
    """The rendered prompt: the template for the kind, the schema (unless a grammar enforces
    it: small models echo a schema they are shown), the source as data."""
    if source.kind == "topic":
        name = "topic.j2"
    elif settings.kind == "lesson":
        name = "lesson.j2"
    else:
        name = "news.j2"
    sentences: list[tuple[str, str]] = []
    used = 0
    for sid, text in source.sentences.items():
        if sid in source.injections or sid in source.roles:
            continue  # instructions to an AI never reach the model; lists and quotes are not prose
        if used + len(text) > source_chars and sentences:
            break
        sentences.append((sid, text))
        used += len(text)
    words = int(settings.length_s * settings.words_per_second * 0.85)
    max_shots = shot_budget(settings)
    return _TEMPLATES.get_template(name).render(
        title=source.title,
        sentences=sentences,
        seconds=int(settings.length_s),
        words=words,
        min_shots=min_shots(settings),
        max_shots=max_shots,
        audience=audience,
        schema=None if constrained else json.dumps(plan_schema(settings), separators=(",", ":")),
    )


def instructions_of(prompt: str) -> str:
    """The prompt without the source: what a model must not read back as narration."""
    return prompt.split("<source", 1)[0]


class LLMPlanner:
    """Plans with a chat model; the model is opened for the call and closed after it.

    With ``constrained`` (the embedded model), the reply is decoded under a grammar made from
    the plan's JSON schema instead of being asked for in the prompt.
    """

    name = "llm"
    version = __version__

    def __init__(
        self,
        chat: Callable[[], ContextManager[Any]],
        model_label: str,
        *,
        source_chars: int = 12000,
        audience: str | None = None,
        constrained: bool = False,
    ) -> None:
        self._chat = chat
        self.model_label = model_label
        self.source_chars = source_chars
        self.audience = audience
        self.constrained = constrained
        self.method: str | None = None
        self.output_tokens = 0
        self.instructions = ""
        self._messages: list[Any] = []

    @classmethod
    def from_settings(cls, settings: Any) -> "LLMPlanner":
        """The planner for the configured model (OpenAI-compatible or embedded)."""
        config = LLMConfig.from_settings(settings)
        return cls(
            lambda: chat_session(config), config.label, source_chars=config.source_chars, audience=config.audience,
            constrained=config.provider == "local",
        )

    def plan(self, source: Source, settings: PlanSettings) -> ShotList:
        """Ask the model for a shot list and turn its draft into a ShotList."""
        from langchain_core.messages import HumanMessage, SystemMessage

        prompt = prompt_for(source, settings, self.source_chars, self.audience, constrained=self.constrained)
        self.instructions = instructions_of(prompt)
        self._messages = [SystemMessage(content=prompt), HumanMessage(content="Write the shot list now, as JSON only.")]
        self.output_tokens = 0
        return self._ask(source, settings)

    def repair(self, source: Source, settings: PlanSettings, shotlist: ShotList, failures: list[Any]) -> ShotList:
        """Send the plan-check failures back to the model with its plan; one more try."""
        from langchain_core.messages import AIMessage, HumanMessage

        draft = {"title": shotlist.title, "shots": [
            {"narration": s.narration, "on_screen_text": s.on_screen_text, "visual_prompt": s.visual_prompt, "source_refs": s.source_refs}
            for s in shotlist.shots
        ]}
        problems = "\n".join(f"- {failure}" for failure in failures)
        self._messages += [
            AIMessage(content=json.dumps(draft, ensure_ascii=False)),
            HumanMessage(content=f"That shot list cannot be used:\n{problems}\n"
                                 "Write the whole shot list again with these problems fixed, as JSON only."),
        ]
        return self._ask(source, settings)

    def _ask(self, source: Source, settings: PlanSettings) -> ShotList:
        schema = plan_schema(settings)
        with self._chat() as chat:
            methods = ("grammar",) if self.constrained else METHODS
            draft, self.method, tokens = structured_reply(chat, self._messages, PlanDraft, methods=methods, grammar_schema=schema)
        self.output_tokens += tokens
        allowed = {sid for sid in source.sentences if sid not in source.injections}
        shots = []
        for number, item in enumerate(draft.shots[: shot_budget(settings)], start=1):
            narration = " ".join(item.narration.split())
            if not narration:
                continue
            shots.append(
                Shot(
                    id=f"shot-{number:02d}",
                    narration=narration,
                    on_screen_text=" ".join(item.on_screen_text.split()[:8]) or on_screen_text(narration),
                    visual_prompt=item.visual_prompt.strip() or visual_prompt(narration, source.title),
                    source_refs=[r for r in dict.fromkeys(item.source_refs) if r in allowed],
                    seed=zlib.crc32(narration.encode("utf-8")) & 0x7FFFFFFF,
                )
            )
        if not shots:
            raise PlanError("the model wrote no narration; try again or use --planner extractive")
        return ShotList(
            title=source.title if source.kind != "topic" else (draft.title.strip() or source.title),
            kind=settings.kind,
            language=source.language,
            aspect=settings.aspect,
            voice=settings.voice,
            planner=PlannerInfo(name=self.name, model=self.model_label, version=self.version),
            shots=shots,
            source=source,
            target_s=settings.length_s,
        )
