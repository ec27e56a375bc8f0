"""The manifest definition: what a signed video says about itself (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
COMPOSITE_TRAINED = IPTC + "compositeWithTrainedAlgorithmicMedia"
ALGORITHMIC = IPTC + "algorithmicMedia"
CAPTURE = IPTC + "digitalCapture"
COMPOSITE = IPTC + "composite"
#: Digital source types that mean a trained model (generative AI) made the content.
AI_SOURCE_TYPES = frozenset({TRAINED, COMPOSITE_TRAINED, IPTC + "trainedAlgorithmicData", IPTC + "compositeSynthetic"})
#: Source types of made, not recorded, media.
GENERATED_SOURCE_TYPES = frozenset({TRAINED, ALGORITHMIC, IPTC + "trainedAlgorithmicData"})

#: The CAWG training-and-data-mining assertion and the uses it rules on.
TRAINING_MINING_LABEL = "cawg.training-mining"
TRAINING_MINING_USES = ("cawg.ai_generative_training", "cawg.ai_inference", "cawg.ai_training", "cawg.data_mining")

SOFT_BINDING_LABEL = "c2pa.soft-binding"
SOURCE_LABEL = "source"
PARENT_LABEL = "parent"


@dataclass(frozen=True)
class Component:
    """A generated part of the video (a shot's footage or narration) to list as an ingredient."""

    path: Path
    title: str
    format: str
    digital_source_type: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class ManifestSpec:
    """Everything the manifest of one signed file states."""

    title: str
    format: str
    software_name: str
    software_version: str
    components: list[Component] = field(default_factory=list)
    source_text: bytes | None = None
    """The source as read (an article's text, or the web page it came from), embedded."""
    source_format: str = "text/plain"
    source_title: str = "source.txt"
    parent: Path | None = None
    parent_title: str = ""
    correction: str = ""
    assertions: dict[str, Any] = field(default_factory=dict)
    """Custom assertions by label (our shot list and production record)."""
    training_mining: str | None = None
    """``notAllowed`` or ``allowed``: whether the file may be used to train or feed AI models
    and for data mining (the CAWG assertion); None states nothing."""
    soft_binding: "SoftBinding | None" = None
    """The watermark in the frames, stated as a ``c2pa.soft-binding`` assertion."""


@dataclass(frozen=True)
class MarkedSpan:
    """One stretch of the video whose frames carry one watermark identifier."""

    start_s: float
    end_s: float
    identifier: bytes


@dataclass(frozen=True)
class SoftBinding:
    """The soft binding of a file: its algorithm and which identifier is where."""

    alg: str
    spans: list[MarkedSpan]
    name: str = ""

    def values(self) -> list[str]:
        """Each distinct identifier as the resolution API is queried with it (base64)."""
        import base64

        return list(dict.fromkeys(base64.b64encode(span.identifier).decode("ascii") for span in self.spans))

    def assertion(self) -> dict[str, Any]:
        """The ``c2pa.soft-binding`` assertion data: one block per span, times in ms."""
        import base64

        blocks = [{"scope": {"timespan": {"start": round(span.start_s * 1000), "end": round(span.end_s * 1000)}},
                   "value": base64.b64encode(span.identifier).decode("ascii")} for span in self.spans]
        return {"alg": self.alg, "blocks": blocks, "pad": [0], **({"name": self.name} if self.name else {})}


def overall_source_type(component_types: Iterable[str]) -> str:
    """The whole video's source type from its parts.

    All parts generated, at least one by a trained model: trainedAlgorithmicMedia. Any
    recorded or human-made part mixed with AI parts: compositeWithTrainedAlgorithmicMedia.
    """
    types = set(component_types)
    if not types:
        raise ValueError("a manifest needs at least one component to state where the media came from")
    has_ai = bool(types & AI_SOURCE_TYPES)
    if types <= GENERATED_SOURCE_TYPES:
        return TRAINED if has_ai else ALGORITHMIC
    return COMPOSITE_TRAINED if has_ai else COMPOSITE


def manifest_definition(spec: ManifestSpec) -> dict[str, Any]:
    """The c2pa Builder definition for ``spec``: actions, ingredients, custom assertions."""
    agent = {"name": spec.software_name, "version": spec.software_version}
    ingredients: list[dict[str, Any]] = []
    if spec.source_text is not None:
        ingredients.append(
            {
                "title": spec.source_title,
                "format": spec.source_format,
                "relationship": "inputTo",
                "label": SOURCE_LABEL,
                # The source itself rides in the manifest, so its hash is bound and it can be read back.
                "data": {"format": spec.source_format, "identifier": SOURCE_LABEL},
            }
        )
    assertions: list[dict[str, Any]] = [{"label": "c2pa.actions.v2", "data": {"actions": _actions(spec, agent)}}]
    # "Json" keeps our record as JSON in the manifest; the default CBOR path turns small-int lists
    # (a render size [1280, 720]) into byte strings.
    assertions += [{"label": label, "data": data, "kind": "Json"} for label, data in spec.assertions.items()]
    if spec.soft_binding is not None:
        assertions.append({"label": SOFT_BINDING_LABEL, "data": spec.soft_binding.assertion()})
    if spec.training_mining:
        assertions.append({"label": TRAINING_MINING_LABEL,
                           "data": {"entries": {use: {"use": spec.training_mining} for use in TRAINING_MINING_USES}}})
    return {
        "claim_generator_info": [agent],
        "title": spec.title,
        "format": spec.format,
        "assertions": assertions,
        "ingredients": ingredients,
    }


def _actions(spec: ManifestSpec, agent: dict[str, str]) -> list[dict[str, Any]]:
    """What was done: created (or, for a correction, opened and edited), then each component placed."""
    overall = overall_source_type(c.digital_source_type for c in spec.components)
    if spec.parent is not None:
        actions: list[dict[str, Any]] = [
            {"action": "c2pa.opened", "parameters": {"ingredientIds": [PARENT_LABEL]}, "softwareAgent": agent},
            {"action": "c2pa.edited", "description": spec.correction or "Correction of the earlier version",
             "digitalSourceType": overall, "softwareAgent": agent},
        ]
    else:
        actions = [{"action": "c2pa.created", "description": "Explainer video generated from a source text",
                    "digitalSourceType": overall, "softwareAgent": agent}]
    for component in spec.components:
        action: dict[str, Any] = {
            "action": "c2pa.placed",
            "digitalSourceType": component.digital_source_type,
            "parameters": {"ingredientIds": [component.label]},
            "softwareAgent": agent,
        }
        if component.description:
            action["description"] = component.description
        actions.append(action)
    return actions
