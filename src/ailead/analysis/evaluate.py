"""Sampling-aware evaluation: run a scenario on many parameter draws in chunks, keep the target.

Analyses need thousands to hundreds of thousands of model runs but only a few numbers from each:
the headline metrics at the target month and the verdict. `evaluate` runs the engine on large
chunks of samples (vectorised over samples, bounded in memory) and keeps one row per sample.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from ailead.errors import AileadError, short
from ailead.inputs.registry import load_registry
from ailead.inputs.scenario import Scenario, load_scenario
from ailead.outputs.engine import run_parameters
from ailead.outputs.summary import headline
from ailead.outputs.verdict import probabilities

CHUNK = 4096  # samples per engine call: a Dataset of about 120 MB, near the best throughput

Progress = Callable[[int, int], None]  # (done, total)


def check_count(value: object, field: str, minimum: int = 1) -> int:
    """An integer option (samples, seed) at or above `minimum`, or one plain error."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise AileadError(
            f"{field}: value {short(value)} is not allowed; allowed: an integer >= {minimum}"
        )
    return int(value)


def draws(samples: int, seed: int) -> dict[str, np.ndarray]:
    """The registry's draws (quasi-random, with the declared correlations) for `samples` runs."""
    check_count(samples, "samples")
    check_count(seed, "seed", 0)
    return load_registry().sample(samples, seed)


def at_target(ds: xr.Dataset) -> pd.DataFrame:
    """One row per sample: every headline metric at the target, and the verdict `outcome`.

    The verdict is the engine's (`ailead.outputs.verdict`): scenario-one, contested or scenario-two.
    """
    frame = pd.DataFrame(headline(ds))
    frame["outcome"] = ds["outcome"].values
    return frame


def evaluate(
    scenario: str | Scenario | dict,
    params: dict[str, np.ndarray],
    chunk: int = CHUNK,
    on_progress: Progress | None = None,
) -> pd.DataFrame:
    """`at_target` for every sample of `params`, computed `chunk` samples at a time."""
    sc = load_scenario(scenario)
    n = len(next(iter(params.values())))
    frames = []
    for start in range(0, n, chunk):
        part = {name: values[start : start + chunk] for name, values in params.items()}
        frames.append(at_target(run_parameters(sc, part)))
        if on_progress is not None:
            on_progress(min(start + chunk, n), n)
    return pd.concat(frames, ignore_index=True)


def metric_names(scenario: str | Scenario | dict) -> list[str]:
    """Names of the numeric per-sample metrics `evaluate` returns (a one-sample run)."""
    frame = at_target(run_parameters(load_scenario(scenario), load_registry().sample(1, 0)))
    return [name for name in frame.columns if name != "outcome"]


def check_metric(
    name: str, scenario: str | Scenario | dict, field: str, verdict: bool = False
) -> str:
    """`name` if `evaluate` gives it as a metric (or, with `verdict`, `outcome`), else an error."""
    names = metric_names(scenario) + (["outcome"] if verdict else [])
    if name not in names:
        raise AileadError(f"{field}: unknown metric {short(name)}; allowed: {', '.join(names)}")
    return name


def outcome_shares(outcome: np.ndarray) -> dict[str, float]:
    """Share of samples in each verdict, keyed p_scenario_one, p_contested, p_scenario_two."""
    return {"p_" + name.replace("-", "_"): p for name, p in probabilities(outcome).items()}
