"""The engine: from a scenario to a labelled result.

`ailead.sim.drive.simulate` runs the pure monthly step over parameter arrays and lever schedules;
`run` adds the scenario, the sampling and the labelled Dataset (`ailead.outputs.dataset`), with
the lead, the security measures and the verdict computed from the simulated paths. The state is
advanced once a month from the anchor (2025-01); results are reported from the scenario's start
to its end.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np
import xarray as xr

from ailead.errors import AileadError
from ailead.inputs.levers import lever_schedules
from ailead.inputs.posterior import posterior_parameters
from ailead.inputs.registry import load_registry
from ailead.inputs.scenario import Scenario, load_scenario
from ailead.inputs.sizes import run_size
from ailead.outputs.dataset import dataset
from ailead.sim.drive import simulate


def run(
    scenario: str | Scenario | dict,
    samples: int = 1,
    seed: int = 0,
    on_month: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run a scenario and return a labelled Dataset with dims (sample, time, bloc).

    samples=1 runs at the registry defaults; samples >= 2 draws the uncertain parameters
    quasi-randomly (scrambled Sobol) with `seed`, and a run of n samples starts with the run of k.
    A scenario with `calibration: posterior` draws from the calibrated posterior instead
    (`ailead calibrate`; one sample = the posterior medians).
    """
    size = run_size(samples, seed)
    samples, seed = size.samples, size.seed
    sc = load_scenario(scenario)
    if sc.calibration == "posterior":
        params = posterior_parameters(samples, seed)
    else:
        params = load_registry().sample(samples, seed)
    ds = run_parameters(sc, params, on_month)
    ds.attrs["seed"] = seed
    return ds


def run_parameters(
    scenario: str | Scenario | dict,
    params: dict[str, np.ndarray],
    on_month: Callable[[int], None] | None = None,
    variables: Collection[str] | None = None,
    strengths: dict[str, np.ndarray] | None = None,
) -> xr.Dataset:
    """Run a scenario on given parameter arrays (one value per sample for every registry name).

    The scenario's own overrides are applied on top. `run` samples and calls this; analyses that
    bring their own sample matrix (sensitivity, calibration) call it directly. `variables`
    keeps only the named monthly variables (default: all), which saves time and memory.
    `strengths` gives switches a strength per sample (`ailead.inputs.levers.lever_schedules`).
    """
    sc, params, levers, n_months = simulation_inputs(scenario, params, strengths)
    return dataset(sc, params, simulate(params, levers, n_months, on_month), variables)


def run_batch(
    jobs: Sequence[tuple[str | Scenario | dict, dict[str, np.ndarray]]],
    variables: Collection[str] | None = None,
) -> list[xr.Dataset]:
    """Several runs `(scenario, params)` in one pass of the monthly loop; the same Datasets as
    `run_parameters` on each.

    `simulate` is separable by sample (no sample reads another's state), so runs over the same
    months can share one pass: parameters and lever schedules are joined along the sample axis
    and the outputs split back. Its fixed cost per month is then paid once, not once per run
    (the web explorer batches concurrent requests this way). Runs over different months are
    grouped by their month count. `variables` is passed on as in `run_parameters`.
    """
    inputs = [simulation_inputs(scenario, params) for scenario, params in jobs]
    results: list[xr.Dataset | None] = [None] * len(inputs)
    by_length: dict[int, list[int]] = {}
    for i, (_sc, _params, _levers, n_months) in enumerate(inputs):
        by_length.setdefault(n_months, []).append(i)
    for n_months, members in by_length.items():
        sizes = [len(next(iter(inputs[i][1].values()))) for i in members]
        joined_params = {
            k: np.concatenate([inputs[i][1][k] for i in members]) for k in inputs[members[0]][1]
        }
        joined_levers = {
            k: np.concatenate(
                [
                    np.broadcast_to(inputs[i][2][k], (n_months, size))
                    for i, size in zip(members, sizes, strict=True)
                ],
                axis=-1,
            )
            for k in inputs[members[0]][2]
        }
        paths = simulate(joined_params, joined_levers, n_months)
        bounds = np.cumsum([0, *sizes])
        for j, i in enumerate(members):
            part = paths.samples(bounds[j], bounds[j + 1])
            results[i] = dataset(inputs[i][0], inputs[i][1], part, variables)
    return results  # type: ignore[return-value]


def simulation_inputs(scenario, params, strengths=None):
    """The scenario, its parameter arrays with its overrides applied, its lever schedules and the
    number of months simulated from the anchor (`strengths`: per-sample switch strengths)."""
    sc = load_scenario(scenario)
    registry = load_registry()
    missing = set(registry.parameters) - set(params)
    if missing:
        raise AileadError(f"parameters: missing values for {', '.join(sorted(missing))}")
    samples = len(next(iter(params.values())))
    params = {**params, **{k: np.full(samples, v) for k, v in sc.parameters.items()}}
    n_months = sc.month(sc.end) + 1
    return sc, params, lever_schedules(sc, registry, params, n_months, strengths), n_months
