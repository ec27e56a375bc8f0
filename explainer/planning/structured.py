"""Getting a schema-valid object out of any chat model, with fallbacks and one repair.

Servers differ in what they accept: OpenAI takes ``json_schema`` response formats,
llama.cpp's server rejects them but takes tools or JSON mode, and some models only write
text. The methods are tried in that order; the first the server accepts is used. A reply
that does not validate gets one repair round with the validation error; a second bad reply
is an error.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import PlanError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

METHODS = ("json_schema", "function_calling", "json_mode", "text")
#: llama.cpp's servers take ``response_format: {"type": "json_object", "schema": ...}`` and
#: decode under a grammar made from the schema: the reply cannot leave its shape.
GRAMMAR = "grammar"
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class _Unsupported(Exception):
    """The model or server does not take this structured-output method."""


def extract_json(text: str) -> str:
    """The JSON object in a reply, without code fences or chatter around it."""
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end <= start:
        raise ValueError("the reply contains no JSON object")
    return text[start : end + 1]


def _content(message: Any) -> str:
    if message is None:
        return ""
    content = getattr(message, "content", message)
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    text = str(content or "")
    calls = getattr(message, "tool_calls", None) or []
    if not text and calls:
        text = json.dumps(calls[0].get("args", {}))
    return text


def _is_rejection(error: Exception) -> bool:
    # A server that does not know a feature says so with 400/422/500/501 and names the feature.
    status = getattr(error, "status_code", None)
    text = str(error).lower()
    features = ("response_format", "json_schema", "tool", "function", "grammar", "not supported", "unsupported")
    return status in (400, 404, 422, 500, 501) and any(word in text for word in features)


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the object"
        return f"{where}: {first['msg']}"
    return str(error).splitlines()[0][:200]


def _unanswered(error: Exception) -> PlanError:
    """A model that did not answer (timed out, refused, failed) as a plan error: the plan
    checks then fall back to the extractive planner, and a user sees one line, not a trace."""
    return PlanError(f"the model did not answer ({_describe(error) or type(error).__name__}); "
                     "check the endpoint and --llm-timeout, or use --planner extractive")


def _tokens(message: Any) -> int:
    usage = getattr(message, "usage_metadata", None) or {}
    return int(usage.get("output_tokens", 0) or 0)


def _call(
    chat: Any, messages: Sequence[Any], schema: type[M], method: str, grammar_schema: dict | None = None
) -> tuple[M | None, str, Exception | None, int]:
    if method in ("text", GRAMMAR):
        model = chat
        if method == GRAMMAR:
            model = chat.bind(response_format={"type": "json_object", "schema": grammar_schema or schema.model_json_schema()})
        try:
            reply = model.invoke(list(messages))
        except Exception as e:  # the client's errors (timeouts, refused connections, 5xx)
            raise _unanswered(e) from e
        raw = _content(reply)
        try:
            return schema.model_validate_json(extract_json(raw)), raw, None, _tokens(reply)
        except (ValidationError, ValueError) as e:
            return None, raw, e, _tokens(reply)
    try:
        runnable = chat.with_structured_output(schema, method=method, include_raw=True)
    except (NotImplementedError, ValueError, TypeError) as e:
        raise _Unsupported(str(e)) from e
    try:
        out = runnable.invoke(list(messages))
    except NotImplementedError as e:
        raise _Unsupported(str(e)) from e
    except ValidationError as e:
        # Some parsers validate strictly and raise instead of reporting a parsing error.
        return None, "", e, 0
    except Exception as e:  # the OpenAI client's errors: translated here, at the boundary
        if _is_rejection(e):
            raise _Unsupported(str(e)) from e
        raise _unanswered(e) from e
    raw = _content(out.get("raw"))
    tokens = _tokens(out.get("raw"))
    if out.get("parsed") is not None:
        parsed = out["parsed"]
        return (parsed if isinstance(parsed, schema) else schema.model_validate(parsed)), raw, None, tokens
    return None, raw, out.get("parsing_error") or ValueError("the reply could not be parsed"), tokens


def structured_reply(
    chat: Any, messages: Sequence[Any], schema: type[M], *, methods: Sequence[str] = METHODS, grammar_schema: dict | None = None
) -> tuple[M, str, int]:
    """A validated ``schema`` object from ``chat``, the method that produced it, and the
    number of tokens the model wrote for it (0 where the server does not say).
    ``grammar_schema`` is the schema a grammar-driven server decodes under (``grammar``)."""
    from langchain_core.messages import AIMessage, HumanMessage

    for method in methods:
        try:
            parsed, raw, error, tokens = _call(chat, messages, schema, method, grammar_schema)
        except _Unsupported as e:
            log.debug("structured output %s not available: %s", method, e)
            continue
        if parsed is not None:
            return parsed, method, tokens
        log.info("reply did not validate (%s); asking the model to repair it", _describe(error))
        repair = [
            *messages,
            AIMessage(content=raw or "(empty reply)"),
            HumanMessage(
                content=f"That reply is not a valid shot list: {_describe(error)}. "
                "Reply again with only the corrected JSON object that matches the schema."
            ),
        ]
        parsed, raw, error, more = _call(chat, repair, schema, method, grammar_schema)
        if parsed is not None:
            return parsed, method, tokens + more
        raise PlanError(
            f"the model's reply was not a valid shot list twice ({_describe(error)}); "
            "try again, use a stronger model, or use --planner extractive"
        )
    raise PlanError("the model accepts no structured-output method; use another model or --planner extractive")
