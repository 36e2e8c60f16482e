"""Sweep files: a grid of scenarios over switch levels, levers and world parameters (pydantic).

A sweep names a base scenario (a preset or a scenario file, relative to the sweep file), a grid
of axes and the sampling of every cell:

    name: access-by-compute
    scenario: status-quo
    grid:                          # axis: values; a switch or any registry parameter
      compute: [off, status-quo, strong]
      remote_access_rule: [open, closed]
    samples: 4000                  # per cell, drawn with `seed` (the same draws in every cell)
    chunk: 1000                    # samples per task
    seed: 0
    targets: [lead_months]         # monthly variables kept per sample at the target month

The cells are the full factorial of the axes, the first axis varying slowest; a cell is the base
scenario with its axis values set, as `ailead run BASE --set NAME=VALUE` sets them. Each value
is checked as that option checks it (a switch: a named level or a strength in [0, 1]; a
parameter: a number within its bounds or a named value), so a bad file is refused with one plain
message before anything runs.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from ailead.errors import AileadError, short
from ailead.inputs.registry import SWITCHES, load_registry
from ailead.inputs.scenario import (
    Scenario,
    load_scenario,
    parse_value,
    plain_errors,
    switch_strength,
)
from ailead.inputs.sizes import Seed
from ailead.inputs.yaml_files import parse_yaml, read_yaml_text

MAX_CELLS = 10_000  # cells of one grid: a larger grid is a mistake more often than a plan
MAX_CHUNK = 100_000  # samples per task (the command line also checks a chunk's memory)
MAX_TASKS = 1_000_000  # chunks in all: the plan holds one small object per chunk
NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class Axis(BaseModel):
    """One axis of the grid: a switch or a registry parameter, its labels and resolved values."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    labels: tuple[str, ...]
    values: tuple[float, ...]


class Sweep(BaseModel):
    """A validated sweep file; `grid` holds its axes in file order, values resolved to floats."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(pattern=NAME)
    description: str = ""
    scenario: str = "status-quo"
    grid: tuple[Axis, ...] = ()
    samples: StrictInt = Field(ge=1, description="samples per cell")
    chunk: StrictInt = Field(1000, ge=1, le=MAX_CHUNK, description="samples per task")
    seed: Seed = 0
    targets: tuple[str, ...] = ("lead_months",)

    @field_validator("grid", mode="before")
    @classmethod
    def _grid(cls, value: Any) -> tuple[Axis, ...]:
        if not isinstance(value, dict):
            raise ValueError(f"value {short(value)} is not a mapping of name: [values]")
        axes = tuple(_axis(str(name), raw) for name, raw in value.items())
        cells = math.prod(len(a.values) for a in axes)
        if cells > MAX_CELLS:
            raise ValueError(f"{cells} cells is too many; allowed: at most {MAX_CELLS}")
        return axes

    @field_validator("targets", mode="before")
    @classmethod
    def _targets(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not value:
            raise ValueError(f"value {short(value)} is not allowed; allowed: a list of variables")
        if len(set(value)) != len(value):
            raise ValueError(f"value {short(value)} repeats a variable; allowed: each once")
        return value

    @model_validator(mode="after")
    def _tasks(self) -> Sweep:
        tasks = len(self.cells()) * -(-self.samples // self.chunk)
        if tasks > MAX_TASKS:
            raise ValueError(
                f"samples {self.samples} in chunks of {self.chunk} over {len(self.cells())} cells "
                f"is {tasks} tasks; allowed: at most {MAX_TASKS} (a larger chunk, fewer samples)"
            )
        return self

    def cells(self) -> list[dict[str, float]]:
        """Each cell's axis values, the first axis varying slowest (one empty cell: no grid)."""
        names = [a.name for a in self.grid]
        return [
            dict(zip(names, values, strict=True))
            for values in itertools.product(*(a.values for a in self.grid))
        ]

    def cell_labels(self) -> list[dict[str, str]]:
        """Each cell's axis values as written in the file, in the order of `cells`."""
        names = [a.name for a in self.grid]
        return [
            dict(zip(names, labels, strict=True))
            for labels in itertools.product(*(a.labels for a in self.grid))
        ]


def _axis(name: str, raw: Any) -> Axis:
    """An axis: its name a switch or a registry parameter, its values distinct and allowed."""
    where = f"grid.{name}"
    registry = load_registry()
    if name not in SWITCHES and name not in registry.parameters:
        raise AileadError(
            f"{where}: unknown switch or parameter {short(name)}; allowed: "
            f"{', '.join(SWITCHES)} or a registry parameter (`ailead params` lists them)"
        )
    if not isinstance(raw, list) or not raw:
        raise AileadError(f"{where}: value {short(raw)} is not allowed; allowed: a list of values")
    if name in SWITCHES:
        values = [switch_strength(v, where) for v in raw]
    else:
        values = [parse_value(registry.parameters[name], v, where) for v in raw]
    if len(set(values)) != len(values):
        raise AileadError(f"{where}: value {short(raw)} repeats a value; allowed: distinct values")
    return Axis(name=name, labels=tuple(str(v) for v in raw), values=tuple(values))


def cell_scenario(base: Scenario, cell: dict[str, float]) -> Scenario:
    """The base scenario with a cell's switches and parameters set (values already checked)."""
    switches = {**base.switches, **{k: v for k, v in cell.items() if k in SWITCHES}}
    parameters = {**base.parameters, **{k: v for k, v in cell.items() if k not in SWITCHES}}
    return base.model_copy(update={"switches": switches, "parameters": parameters})


def load_sweep(path: str | Path) -> tuple[Sweep, Scenario]:
    """A sweep file and its base scenario, validated; one AileadError naming the file if not.

    A base scenario given as a relative file path is read from the sweep file's folder.
    """
    path = Path(path)
    label = f"sweep file {path}"
    if not path.is_file():
        raise AileadError(f"{label}: no such file")
    raw = parse_yaml(read_yaml_text(path, label), label)
    if not isinstance(raw, dict):
        raise AileadError(f"{label}: expected a mapping of fields, got {type(raw).__name__}")
    try:
        sweep = Sweep.model_validate(raw)
    except AileadError as exc:
        raise AileadError(f"{label}: {exc}") from None
    except ValidationError as exc:
        raise AileadError(f"{label}: {plain_errors(exc, Sweep.model_fields)}") from None
    ref = sweep.scenario
    beside = path.parent / ref
    if ref.endswith((".yaml", ".yml")) and not Path(ref).is_absolute() and beside.is_file():
        ref = str(beside)
    try:
        base = load_scenario(ref)
    except AileadError as exc:
        raise AileadError(f"{label}: field 'scenario': {exc}") from None
    return sweep, base
