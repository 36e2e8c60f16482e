"""Scenario files: a user's switches, levers, overrides and dates, validated with pydantic.

A scenario names its switch settings (`compute`, `access`, `distillation`: a named level `off`,
`status-quo`, `strong` or a strength in [0, 1]), parameter overrides (policy levers or world
parameters from the registry), and its dates. `extends: NAME` starts from another scenario (a
preset or a file) and changes only what the file gives. Presets ship in ``ailead/scenarios``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from ailead.errors import AileadError, field_name, short
from ailead.inputs.registry import LEVELS, SWITCHES, Parameter, load_registry
from ailead.inputs.yaml_files import parse_yaml, read_yaml_text

ANCHOR = "2025-01"  # default month the initial state describes (registry `*_2025` parameters)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_MONTH, LAST_MONTH = "2000-01", "2100-12"  # the dates a scenario may name


def month_index(month: str) -> int:
    """Months since the anchor (2025-01 -> 0)."""
    year, mon = (int(x) for x in month.split("-"))
    return (year - 2025) * 12 + (mon - 1)


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"value {value} is not allowed; allowed: a number")
    return value


Number = Annotated[float, BeforeValidator(_no_bool)]  # finite where the model forbids inf/nan


class VerdictRule(BaseModel):
    """Thresholds of the verdict [months] (`verdict:` in a scenario; `ailead.outputs.verdict`)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    lead_at_least: Number = Field(12.0, description="scenario-one: lead at the target >= this")
    growth_window_months: StrictInt = Field(
        12, ge=1, le=60, description="scenario-one: lead higher than this many months before"
    )
    lead_at_most: Number = Field(3.0, description="scenario-two: lead at the target <= this")

    @model_validator(mode="after")
    def _ordered(self) -> VerdictRule:
        if not self.lead_at_most < self.lead_at_least:
            raise ValueError(
                f"lead_at_most {self.lead_at_most} must be below lead_at_least {self.lead_at_least}"
            )
        return self


class Scenario(BaseModel):
    """A validated scenario. Switch strengths are resolved to floats in [0, 1]."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    description: str = ""
    extends: str | None = None
    anchor: str = ANCHOR
    start: str = ANCHOR
    end: str = "2030-12"
    target: str = "2028-12"
    policy_start: str = "2026-01"
    switches: dict[str, float] = {s: LEVELS["status-quo"] for s in SWITCHES}
    parameters: dict[str, float] = {}
    verdict: VerdictRule = VerdictRule()
    calibration: Literal["prior", "posterior"] = "prior"

    @field_validator("anchor", "start", "end", "target", "policy_start", mode="before")
    @classmethod
    def _month(cls, value: Any) -> str:
        text = value if isinstance(value, str) else ""
        m = _MONTH.match(text)
        if not m or not 1 <= int(m.group(2)) <= 12 or not FIRST_MONTH <= text <= LAST_MONTH:
            raise ValueError(
                f"value {short(value)} is not allowed; allowed: a month YYYY-MM from "
                f"{FIRST_MONTH} to {LAST_MONTH}, e.g. 2028-12"
            )
        return text

    @field_validator("switches", mode="before")
    @classmethod
    def _switches(cls, value: Any) -> dict[str, float]:
        if not isinstance(value, dict):
            raise ValueError(f"value {short(value)} is not a mapping of switch: level")
        resolved = {s: LEVELS["status-quo"] for s in SWITCHES}
        for key, level in value.items():
            if key not in SWITCHES:
                raise ValueError(f"unknown switch {short(key)}; allowed: {', '.join(SWITCHES)}")
            resolved[key] = switch_strength(level, f"switches.{key}")
        return resolved

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameters(cls, value: Any) -> dict[str, float]:
        if not isinstance(value, dict):
            raise ValueError(f"value {short(value)} is not a mapping of parameter: value")
        registry = load_registry()
        return {
            name: parse_value(registry.get(name, f"parameters.{name}"), raw, f"parameters.{name}")
            for name, raw in value.items()
        }

    @model_validator(mode="after")
    def _dates(self) -> Scenario:
        if self.month(self.start) < 0:
            raise ValueError(
                f"start {self.start} is before the anchor {self.anchor}; allowed: {self.anchor} "
                "or later (the initial state describes the anchor month)"
            )
        if month_index(self.end) <= month_index(self.start):
            raise ValueError(f"end {self.end} is not after start {self.start}")
        if not month_index(self.start) <= month_index(self.target) <= month_index(self.end):
            raise ValueError(
                f"target {self.target} is outside the run; allowed: {self.start} to {self.end}"
            )
        return self

    def month(self, when: str) -> int:
        """Months from the anchor, the month the initial state describes, to `when`."""
        return month_index(when) - month_index(self.anchor)

    def with_overrides(self, settings: dict[str, str]) -> Scenario:
        """A copy with `NAME=VALUE` settings: a switch name sets a switch, any other a parameter."""
        switches = dict(self.switches)
        params: dict[str, Any] = dict(self.parameters)
        for name, raw in settings.items():
            if name in SWITCHES:
                switches[name] = switch_strength(raw, f"--set {name}")
            else:
                param = load_registry().get(name, f"--set {name}")
                params[name] = parse_value(param, raw, f"--set {name}")
        return self.model_copy(update={"switches": switches, "parameters": params})


def switch_strength(level: Any, where: str) -> float:
    """A named level (off, status-quo, strong) or a number in [0, 1] as a strength."""
    if isinstance(level, str) and level in LEVELS:
        return LEVELS[level]
    allowed = "off, status-quo, strong or a number in [0, 1]"
    try:
        value = float(level)
    except (TypeError, ValueError, OverflowError):
        value = math.nan
    if isinstance(level, bool) or not 0.0 <= value <= 1.0:
        raise AileadError(f"{where}: value {short(level)} is not allowed; allowed: {allowed}")
    return value


def presets() -> dict[str, str]:
    """Preset names and their one-line descriptions."""
    out = {}
    for entry in sorted(resources.files("ailead").joinpath("inputs/scenarios").iterdir(), key=str):
        if entry.name.endswith(".yaml"):
            raw = parse_yaml(entry.read_text(encoding="utf-8"), f"preset {entry.name}")
            out[entry.name.removesuffix(".yaml")] = raw.get("description", "").strip()
    return out


def _read(ref: str) -> tuple[dict[str, Any], str]:
    """Raw mapping and a label for a preset name or a file path."""
    preset = resources.files("ailead").joinpath(f"inputs/scenarios/{ref}.yaml")
    if "/" not in ref and not ref.endswith((".yaml", ".yml")) and preset.is_file():
        text, label = preset.read_text(encoding="utf-8"), f"preset {ref}"
    else:
        path = Path(ref)
        if not path.is_file():
            raise AileadError(
                f"scenario {short(ref)}: no such preset or file; presets: {', '.join(presets())}"
            )
        label = f"scenario file {path}"
        text = read_yaml_text(path, label)
    raw = parse_yaml(text, label)
    if not isinstance(raw, dict):
        raise AileadError(f"{label}: expected a mapping of fields, got {type(raw).__name__}")
    return raw, label


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **child}
    for key in ("switches", "parameters", "verdict"):
        if isinstance(base.get(key), dict) and isinstance(child.get(key), dict):
            merged[key] = {**base[key], **child[key]}
    return merged


def _resolve(ref: str, seen: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    """`ref` read and merged onto what it extends; `seen` holds the resolved references (absolute
    paths, or preset names) already on the chain, so `../sub/self.yaml` is seen as a cycle."""
    key = str(Path(ref).resolve()) if Path(ref).is_file() else ref
    if key in seen:
        chain = " -> ".join(short(s)[1:-1] for s in (*seen, key))
        raise AileadError(f"scenario {short(ref)}: `extends` forms a cycle: {chain}")
    raw, label = _read(ref)
    parent = raw.get("extends")
    if parent is None:
        return raw, label
    if not isinstance(parent, str):
        raise AileadError(
            f"{label}: field 'extends': value {short(parent)} is not a scenario name or path"
        )
    if (
        not Path(parent).is_absolute()
        and not resources.files("ailead").joinpath(f"inputs/scenarios/{parent}.yaml").is_file()
    ):
        sibling = Path(ref).parent / parent
        parent = str(sibling) if sibling.is_file() else parent
    return _extend(raw, parent, (*seen, key)), label


def _extend(raw: dict[str, Any], parent: str, seen: tuple[str, ...]) -> dict[str, Any]:
    """`raw` on top of its parent scenario (the parent's name and description are not inherited)."""
    base, _ = _resolve(parent, seen)
    base = {k: v for k, v in base.items() if k not in ("name", "description", "extends")}
    return _merge(base, raw)


def load_scenario(ref: str | Scenario | dict[str, Any]) -> Scenario:
    """A preset name, a path to a YAML file, a mapping, or a Scenario, validated."""
    if isinstance(ref, Scenario):
        return ref
    if isinstance(ref, dict):
        raw, label = dict(ref), "scenario"
        if isinstance(raw.get("extends"), str):
            raw = _extend(raw, raw["extends"], ())
    else:
        raw, label = _resolve(str(ref), ())
        raw.setdefault("name", Path(str(ref)).stem)
    try:
        return Scenario.model_validate(raw)
    except AileadError as exc:
        raise AileadError(f"{label}: {exc}") from None
    except ValidationError as exc:
        raise AileadError(f"{label}: {plain_errors(exc)}") from None


def plain_errors(exc: ValidationError, fields: Iterable[str] | None = None) -> str:
    """Pydantic errors as plain text naming the field, the value and what is allowed (the first
    three, and how many more): the one message style of every input file and request. `fields`
    are the allowed top-level fields an unknown one is told about (default: a scenario's)."""
    parts = []
    for err in exc.errors():
        field = ".".join(field_name(x) for x in err["loc"]) or "scenario"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            allowed = ", ".join(Scenario.model_fields if fields is None else fields)
            msg = f"unknown field; allowed fields: {allowed}"
        elif err["type"] == "missing":
            msg = "missing; it is required"
        elif msg.startswith(f"{field}."):  # a validator already named the sub-field
            field, msg = msg.split(": ", 1)
        elif err["loc"] and "value" not in msg:
            msg = f"value {short(err.get('input'))}: {msg}"
        parts.append(f"field '{field}': {msg}" if err["loc"] else msg)
    more = f"; and {len(parts) - 3} more" if len(parts) > 3 else ""
    return "; ".join(parts[:3]) + more


ON_OFF = {"off": 0.0, "on": 1.0}  # words for a parameter whose unit is "switch (0 or 1)"


def parse_value(param: Parameter, raw: Any, where: str) -> float:
    """A user's value for a parameter (`Parameter.parse`); an on/off parameter (unit "switch
    (0 or 1)") takes 0, 1, off or on and refuses a share between."""
    if not param.unit.startswith("switch (0 or 1)"):
        return param.parse(raw, where)
    if isinstance(raw, str) and raw.strip().lower() in ON_OFF:
        return ON_OFF[raw.strip().lower()]
    value = param.parse(raw, where)
    if value not in (0.0, 1.0):
        raise AileadError(
            f"{where}: value {value:g} is not allowed for {param.name}, an on/off setting; "
            "allowed: 0 (off) or 1 (on)"
        )
    return value
