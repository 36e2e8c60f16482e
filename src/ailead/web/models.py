"""Request and response models of the web API (pydantic; they make the OpenAPI schema).

Requests are checked twice: here for shape (types, counts, the sample cap; numbers finite, no
boolean where a number is meant), then by ailead itself for meaning (switch levels, parameter
names and bounds, dates), so that every refusal names the field, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    WithJsonSchema,
    create_model,
)

from ailead.errors import field_name, short
from ailead.inputs.registry import LEVELS
from ailead.inputs.scenario import presets
from ailead.inputs.sizes import Samples, Seed

PRESETS = tuple(presets())
_NO_VALUE = object()
SwitchName = Literal["compute", "access", "distillation"]
Level = Annotated[
    StrictFloat | str,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {"type": "string", "enum": list(LEVELS)},
            ],
            "description": "off, status-quo, strong or a strength in [0, 1]",
        }
    ),
]
ParameterValue = Annotated[
    StrictFloat | str,
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "a number within the parameter's bounds, or one of its named values",
        }
    ),
]
PresetName = Annotated[
    str, WithJsonSchema({"type": "string", "enum": list(PRESETS), "description": "a preset"})
]
Month = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", examples=["2028-12"])]
REQUEST = ConfigDict(extra="forbid", allow_inf_nan=False)


class ScenarioSpec(BaseModel):
    """An inline scenario: the fields of a scenario file. `extends` may name a preset only."""

    model_config = REQUEST
    name: str = Field("custom", max_length=100)
    description: str | None = Field(None, max_length=2000)
    extends: PresetName | None = None
    start: Month | None = None
    end: Month | None = None
    target: Month | None = None
    policy_start: Month | None = None
    switches: dict[SwitchName, Level] | None = None
    parameters: dict[str, ParameterValue] | None = Field(None, max_length=100)
    verdict: dict[str, StrictFloat] | None = Field(
        None, description="Verdict thresholds (lead_at_least, growth_window_months, lead_at_most)."
    )


class ScenarioRequest(BaseModel):
    """A scenario (a preset name or an inline scenario) and overrides applied on top of it."""

    model_config = REQUEST
    scenario: PresetName | ScenarioSpec = "status-quo"
    switches: dict[SwitchName, Level] = Field(
        {}, description="Switch settings that replace the scenario's."
    )
    parameters: dict[str, ParameterValue] = Field(
        {},
        max_length=100,
        description="Parameter values (names as in GET /api/parameters); a world parameter set "
        "here takes this value in every sample.",
    )


class RunRequest(ScenarioRequest):
    """One run: a scenario, overrides, the number of Monte Carlo samples and the seed."""

    samples: Samples = 1
    seed: Seed = 0


class CompareRequest(BaseModel):
    """Two to four scenarios run with the same draws (same samples and seed)."""

    model_config = REQUEST
    scenarios: list[ScenarioRequest] = Field(min_length=2, max_length=4)
    samples: Samples = 1
    seed: Seed = 0


class SwitchesRequest(ScenarioRequest):
    """Every combination of switch levels, run on the same draws."""

    samples: Samples = 1
    seed: Seed = 0
    levels: list[Level] = Field(
        ["off", "status-quo", "strong"],
        min_length=2,
        max_length=5,
        description="Two to five distinct levels, used for each of the three switches.",
    )


def with_sample_cap(model: type[BaseModel], cap: int) -> type[BaseModel]:
    """`model` with its `samples` field bounded by `cap`, so the OpenAPI schema states the cap."""
    field = model.model_fields["samples"]
    samples = (StrictInt, Field(1, ge=1, le=cap, description=field.description))
    return create_model(model.__name__, __base__=model, __doc__=model.__doc__, samples=samples)


class Quantiles(BaseModel):
    p5: float | None
    p50: float | None
    p95: float | None


class Band(BaseModel):
    """Monthly quantiles over the samples of one series (None where undefined)."""

    unit: str
    description: str
    p5: list[float | None]
    p25: list[float | None]
    p50: list[float | None]
    p75: list[float | None]
    p95: list[float | None]


class RunResult(BaseModel):
    """A run's headline metrics at the target, outcome probabilities and monthly bands."""

    scenario: str
    description: str
    target: str
    samples: int
    seed: int
    switches: dict[str, float]
    parameters: dict[str, float]
    summary: dict[str, Quantiles]
    units: dict[str, str]
    fronts: dict[str, list[str]] | None = Field(
        description="The essay's fronts and the summary metrics that show each."
    )
    outcomes: dict[str, float] | None = Field(
        description="Share of samples in each outcome at the target (when the model has them)."
    )
    verdict: dict[str, StrictFloat] | None = Field(description="The verdict's thresholds [months].")
    headline: str = Field(description="The run's headline sentence, as reports write it.")
    verdict_text: str = Field(description="What the verdict classes mean, in words.")
    months: list[str]
    series: dict[str, Band]
    version: str
    caveat: str


class CompareResult(BaseModel):
    results: list[RunResult]


class ScenarioInfo(BaseModel):
    name: str
    description: str
    target: str
    switches: dict[str, float]
    parameters: dict[str, float]


class ParameterInfo(BaseModel):
    """A registry parameter with its provenance; `group` is its switch, `timing` or `world`."""

    name: str
    label: str = Field(description="The name in words, as the reports write it.")
    description: str
    unit: str
    kind: str
    switch: str | None
    group: str
    default: float
    bounds: tuple[float, float]
    distribution: str
    levels: dict[str, float] | None
    named: dict[str, float] | None
    source: str
    citation: str


class SwitchCell(BaseModel):
    compute: float
    access: float
    distillation: float
    lead_p5: float | None
    lead_p50: float | None
    lead_p95: float | None
    p_scenario_one: float | None
    p_contested: float | None
    p_scenario_two: float | None


class SwitchesResult(BaseModel):
    scenario: str
    samples: int
    seed: int
    cells: list[SwitchCell]
    caveat: str


class LimitsInfo(BaseModel):
    """What one request may ask for."""

    max_samples: int


class ErrorMessage(BaseModel):
    """One plain message naming the field, the value and what is allowed."""

    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    408: {"model": ErrorMessage, "description": "Request body not received in time"},
    413: {"model": ErrorMessage, "description": "Request body too large"},
    422: {"model": ErrorMessage, "description": "Invalid input"},
    503: {"model": ErrorMessage, "description": "The run took longer than the time limit"},
}


def plain_errors(errors: Sequence[dict[str, Any]], body: Any) -> str:
    """Pydantic errors as one line: `field 'a.b': value X is not allowed: what is allowed`.

    Locations are walked through the request body, so that the tags pydantic adds for the
    branches of a union (`str`, `ScenarioSpec`, ...) are not reported as field names.
    """
    messages: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for err in errors:
        if err["type"] == "json_invalid":
            reason = err.get("ctx", {}).get("error", "malformed JSON")
            return f"request body: malformed JSON: {reason}"
        field = _field(err, body)
        msg = err["msg"].removeprefix("Value error, ")
        messages.setdefault(field, [])
        if msg not in messages[field]:
            messages[field].append(msg[:1].lower() + msg[1:])
        values.setdefault(field, _NO_VALUE if err["type"] == "missing" else err.get("input"))
    parts = []
    for field, msgs in list(messages.items())[:3]:
        what = " or ".join(msgs)
        given = values[field]
        value = "" if given is _NO_VALUE else f"value {short(given)} is not allowed: "
        name = field if field == "request body" else f"field '{field}'"
        parts.append(f"{name}: {value}{what}")
    return "; ".join(parts)


def _field(err: dict[str, Any], body: Any) -> str:
    loc = list(err["loc"])
    if loc and loc[0] == "body":
        loc = loc[1:]
    node, path = body, []
    for i, key in enumerate(loc):
        in_dict = isinstance(node, dict) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if in_dict or in_list:
            node = node[key]
        elif not (i == len(loc) - 1 and err["type"] == "missing"):
            continue  # a union branch tag, not a field
        path.append(f"[{key}]" if isinstance(key, int) else field_name(key))
    return ".".join(path).replace(".[", "[") or "request body"
