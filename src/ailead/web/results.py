"""From an API request to a validated scenario, and from a run to the JSON the page draws.

Requests never touch the file system: a scenario is a preset name or an inline mapping whose
`extends` names a preset. Parameter draws are cached per (samples, seed): they do not depend on
the scenario (scenario overrides replace whole columns), so a moved slider costs one engine
pass and no resampling. `ailead.web.answers` runs the requests; this module describes runs.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache
from typing import Any

import numpy as np
import xarray as xr

from ailead._version import __version__
from ailead.errors import AileadError, short
from ailead.inputs.registry import SWITCHES, load_registry
from ailead.inputs.scenario import (
    Scenario,
    load_scenario,
    month_index,
    parse_value,
    switch_strength,
)
from ailead.outputs import labels
from ailead.outputs import summary as summary_module
from ailead.outputs.findings import headline, verdict_rule_text
from ailead.outputs.summary import UNITS, summarize
from ailead.web.models import PRESETS, ScenarioRequest, SwitchesRequest

MAX_END = "2044-12"  # the explorer's horizon: longer runs are for the CLI
BAND_LEVELS = {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
SERIES = (  # the monthly variables the page draws, when the run has them
    "lead_months",
    "accessible_compute_h100e",
    "capability_eci",
    "adoption",
    "market_share",
    "resilience",
    "safety_margin_months",
    "misuse_exposure",
    "cyber_window_months",
)
CAVEAT = "Results under these assumptions; not a forecast."
VARIABLES = tuple(dict.fromkeys((*summary_module.HEADLINE_VARIABLES, *SERIES)))  # `describe`'s


def preset(name: str, where: str = "scenario") -> Scenario:
    """A preset by name; any other string is refused (no paths)."""
    if name not in PRESETS:
        raise AileadError(
            f"field '{where}': value {short(name)} is not a preset; allowed: {', '.join(PRESETS)} "
            "or an inline scenario object"
        )
    return _load_preset(name)


@lru_cache(maxsize=len(PRESETS))
def _load_preset(name: str) -> Scenario:
    return load_scenario(name)  # a frozen model: safe to share


def resolve(request: ScenarioRequest) -> Scenario:
    """The request's scenario with its switch and parameter overrides applied."""
    if isinstance(request.scenario, str):
        base = preset(request.scenario)
    else:
        spec = request.scenario.model_dump(exclude_none=True)
        if "extends" in spec:
            preset(spec["extends"], "scenario.extends")
        base = load_scenario(spec)
    switches = dict(base.switches)
    for name, level in request.switches.items():
        switches[name] = switch_strength(level, f"field 'switches.{name}'")
    parameters = dict(base.parameters)
    registry = load_registry()
    for name, raw in request.parameters.items():
        where = f"field 'parameters.{name}'"
        parameters[name] = parse_value(registry.get(name, where), raw, where)
    if month_index(base.end) > month_index(MAX_END):
        raise AileadError(
            f"field 'scenario.end': value {base.end!r} is beyond the explorer's horizon; "
            f"allowed: up to {MAX_END} (use the CLI for longer runs)"
        )
    name = base.name
    if switches != dict(base.switches) or parameters != dict(base.parameters):
        name += " (modified)"  # as the page and the headline name it
    return base.model_copy(update={"name": name, "switches": switches, "parameters": parameters})


@lru_cache(maxsize=16)
def draws(samples: int, seed: int) -> dict[str, np.ndarray]:
    """Registry draws for (samples, seed), as `ailead.run` makes them; read-only, shared."""
    values = load_registry().sample(samples, seed)
    for array in values.values():
        array.flags.writeable = False
    return values


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def bands(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    """Monthly p5/p25/p50/p75/p95 over samples of each drawn series, one per extra label.

    A variable with dims (sample, time, bloc) gives `name_us` and `name_cn`; one with
    (sample, time, market, supplier) gives `name_developed_us` and so on. All series are
    stacked so that the quantiles take one pass.
    """
    columns, keys = [], []
    for name in SERIES:
        if name not in ds.data_vars:
            continue
        var = ds.variables[name].transpose("sample", "time", ...)  # a Variable: no label work
        columns.append(var.values.reshape(var.shape[0], var.shape[1], -1))
        labels = itertools.product(*(ds.indexes[d] for d in var.dims[2:]))
        keys += [("_".join([name, *map(str, label)]), var.attrs) for label in labels]
    quantiles = sample_quantiles(np.concatenate(columns, axis=2), list(BAND_LEVELS.values()))
    by_series = quantiles.transpose(2, 0, 1)  # (series, level, month)
    listed = by_series.tolist()  # one conversion for all; None only where a value is not finite
    for k, i in zip(*np.nonzero(~np.isfinite(by_series).all(axis=2)), strict=True):
        listed[k][i] = [_finite(x) for x in listed[k][i]]
    return {
        key: {
            "unit": attrs.get("units", ""),
            "description": attrs.get("description", ""),
            **dict(zip(BAND_LEVELS, listed[k], strict=True)),
        }
        for k, (key, attrs) in enumerate(keys)
    }


def sample_quantiles(values: np.ndarray, levels: list[float]) -> np.ndarray:
    """`np.quantile(values, levels, axis=0)` (linear interpolation), by one sort along axis 0.

    With h = (n - 1) q, the quantile is x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])
    over the sorted samples; a column holding NaN gives NaN, as in numpy. About 4x faster than
    `np.quantile` for the explorer's (samples, months, series) arrays.
    """
    ordered = np.sort(values, axis=0)
    n = ordered.shape[0]
    position = (n - 1) * np.asarray(levels, dtype=float)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, n - 1)
    weight = (position - low).reshape(-1, *([1] * (values.ndim - 1)))
    with np.errstate(invalid="ignore"):  # infinite values give NaN, as in numpy
        result = ordered[low] + weight * (ordered[high] - ordered[low])
    return np.where(np.isnan(ordered[-1]), np.nan, result)  # NaN sorts last


def outcomes(ds: xr.Dataset) -> dict[str, float] | None:
    """Outcome probabilities at the target, when the model classifies samples."""
    probabilities = getattr(summary_module, "outcome_probabilities", None)
    if "outcome" not in ds or probabilities is None:
        return None
    return {k: float(v) for k, v in probabilities(ds).items()}


def describe(scenario: Scenario, ds: xr.Dataset, samples: int, seed: int) -> dict[str, Any]:
    """A run as the API's RunResult: headline quantiles, outcome probabilities, monthly bands."""
    summary = {m: {q: _finite(v) for q, v in qs.items()} for m, qs in summarize(ds).items()}
    shares = outcomes(ds)
    rule = scenario.verdict
    return {
        "scenario": scenario.name,
        "description": scenario.description,
        "target": scenario.target,
        "samples": samples,
        "seed": seed,
        "switches": {s: scenario.switches[s] for s in SWITCHES},
        "parameters": dict(scenario.parameters),
        "summary": summary,
        "units": {m: UNITS.get(m, "") for m in summary},
        "fronts": getattr(summary_module, "FRONTS", None),
        "outcomes": shares,
        "verdict": rule.model_dump(),
        "headline": headline(
            scenario.name, scenario.target, summary["lead_months"], shares, samples
        ),
        "verdict_text": verdict_rule_text(
            rule.lead_at_least, rule.lead_at_most, rule.growth_window_months
        ),
        "months": [str(t)[:7] for t in ds["time"].values.astype("datetime64[M]")],
        "series": bands(ds),
        "version": __version__,
        "caveat": CAVEAT,
    }


def scenario_info(name: str) -> dict[str, Any]:
    sc = load_scenario(name)
    return {
        "name": name,
        "description": sc.description,
        "target": sc.target,
        "switches": {s: sc.switches[s] for s in SWITCHES},
        "parameters": dict(sc.parameters),
    }


def parameter_info(name: str) -> dict[str, Any]:
    """A registry parameter with its unit, bounds, switch levels and source."""
    registry = load_registry()
    p = registry.parameters[name]
    src = registry.sources[p.source.ref] if p.source else None
    if p.switch:
        group = p.switch
    elif name.endswith("_policy_ramp_months"):
        group = "timing"
    elif p.kind == "policy":
        group = "other levers"
    else:
        group = p.kind  # world or model

    return {
        "name": name,
        "label": labels.parameter(name, p.unit),
        "description": p.description,
        "unit": p.unit,
        "kind": p.kind,
        "switch": p.switch,
        "group": group,
        "default": p.default,
        "bounds": p.bounds,
        "distribution": p.distribution.describe(),
        "levels": p.levels,
        "named": p.named,
        "source": f"{src.publisher} {src.year}" if src else "assumption",
        "citation": registry.citation(name),
    }


def switch_grid(request: SwitchesRequest) -> dict[str, Any]:
    """Every combination of switch levels (`ailead.analysis.switches`), one cell per row."""
    from ailead.analysis import switches

    scenario = resolve(request)
    frame = switches(scenario, request.samples, request.seed, request.levels)
    columns = ["lead_p5", "lead_p50", "lead_p95", "p_scenario_one", "p_contested", "p_scenario_two"]
    cells = [
        {
            **{s: switch_strength(row[s], "levels") for s in SWITCHES},
            **{c: _finite(float(row[c])) for c in columns},
        }
        for row in frame.to_dict("records")
    ]
    return {
        "scenario": scenario.name,
        "samples": request.samples,
        "seed": request.seed,
        "cells": cells,
        "caveat": CAVEAT,
    }
