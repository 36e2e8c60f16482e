"""The engine: from a scenario to a labelled result.

`ailead.sim.drive.simulate` runs the pure monthly step over parameter arrays and lever schedules;
`run` adds the scenario, the sampling and the labelled Dataset (`ailead.outputs.dataset`), with
the lead, the security measures and the verdict computed from the simulated paths. The state is
advanced once a month from the anchor (2025-01); results are reported from the scenario's start
to its end.

Two backends run the same pure step: "numpy" (the default, `ailead.sim.drive.simulate`) and
"jax" (`ailead.sim.scan.run_compiled`: compiled, on a CPU or GPU, the lead computed on the device;
JAX comes with the `gpu` extra). `summary_run` keeps the whole run on the device and returns
only monthly quantiles and the verdict's shares.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np
import xarray as xr

from ailead.errors import AileadError, short
from ailead.inputs.levers import lever_schedules
from ailead.inputs.posterior import posterior_parameters
from ailead.inputs.registry import load_registry
from ailead.inputs.scenario import Scenario, load_scenario
from ailead.inputs.sizes import run_size
from ailead.outputs import reductions
from ailead.outputs.dataset import dataset, summary_dataset
from ailead.sim import scan
from ailead.sim.drive import Paths, simulate

BACKENDS = ("numpy", "jax")


def run(
    scenario: str | Scenario | dict,
    samples: int = 1,
    seed: int = 0,
    on_month: Callable[[int], None] | None = None,
    backend: str = "numpy",
) -> xr.Dataset:
    """Run a scenario and return a labelled Dataset with dims (sample, time, bloc).

    samples=1 runs at the registry defaults; samples >= 2 draws the uncertain parameters
    quasi-randomly (scrambled Sobol) with `seed`, and a run of n samples starts with the run of k.
    A scenario with `calibration: posterior` draws from the calibrated posterior instead
    (`ailead calibrate`; one sample = the posterior medians). `backend`: "numpy" or "jax".
    """
    sc, params, seed = _draws(scenario, samples, seed)
    ds = run_parameters(sc, params, on_month, backend=backend)
    ds.attrs["seed"] = seed
    return ds


def summary_run(
    scenario: str | Scenario | dict, samples: int = 1, seed: int = 0, backend: str = "jax"
) -> xr.Dataset:
    """Monthly p5/p50/p95 of the lead, the capabilities and the compute ratio, and the share of
    samples in each verdict outcome, of the run `run(scenario, samples, seed)` gives: with
    backend "jax" computed where the run is, so only these summaries reach the host.
    """
    sc, params, seed = _draws(scenario, samples, seed)
    sc, params, levers, n_months = simulation_inputs(sc, params)
    target = sc.month(sc.target)
    rule = (target, max(target - sc.verdict.growth_window_months, 0))
    rule += (sc.verdict.lead_at_least, sc.verdict.lead_at_most)
    if _backend(backend) == "jax":
        _paths, summary = scan.run_compiled(
            params, levers, n_months, reductions.summary, rule, keep_paths=False
        )
    else:
        paths = simulate(params, levers, n_months)
        real = np.ones(len(params["frontier_growth_history"]))
        summary = reductions.summary(params, paths, real, *rule)
    ds = summary_dataset(sc, summary, real_samples=len(params["frontier_growth_history"]))
    ds.attrs.update(seed=seed, backend=backend)
    return ds


def _draws(scenario, samples: int, seed: int) -> tuple[Scenario, dict[str, np.ndarray], int]:
    """The scenario, its parameter draws (registry or posterior) and the seed used."""
    size = run_size(samples, seed)
    sc = load_scenario(scenario)
    return sc, draws(sc, size.samples, size.seed), size.seed


def draws(
    sc: Scenario, samples: int, seed: int, start: int = 0, stop: int | None = None
) -> dict[str, np.ndarray]:
    """Parameter arrays of samples start..stop-1 (default all) of a run of `samples` with `seed`:
    the registry's draws, or the posterior's for `calibration: posterior`; a run of one sample is
    the defaults (or the posterior medians). Draws before `start` are skipped, not made, so a
    run in chunks (streamed runs, sweeps) has the run's own samples."""
    stop = samples if stop is None else stop
    draw = posterior_parameters if sc.calibration == "posterior" else load_registry().sample
    if samples == 1:
        return draw(1, seed)
    count = max(stop - start, 2)  # one draw from the start alone would be the defaults
    drawn = draw(count, seed, start=start)
    return {name: values[: stop - start] for name, values in drawn.items()}


def _backend(backend: str) -> str:
    """`backend` if it is one of BACKENDS and can run here."""
    if backend not in BACKENDS:
        raise AileadError(
            f"backend: {short(backend)} is not allowed; allowed: {', '.join(BACKENDS)}"
        )
    if backend == "jax" and not scan.available():
        raise AileadError(scan.MISSING)
    return backend


def _simulate(
    params: dict, levers: dict, n_months: int, backend: str, on_month=None
) -> tuple[Paths, np.ndarray | None]:
    """The run's paths and, from the compiled backend, its lead (samples, months) [months]
    computed on the device (else None: `dataset` computes it). The compiled run is one call:
    `on_month` hears of every month once it has finished."""
    if _backend(backend) == "numpy":
        return simulate(params, levers, n_months, on_month), None
    paths, lead_m = scan.run_compiled(params, levers, n_months, reductions.lead_of)
    for t in range(n_months if on_month is not None else 0):
        on_month(t)
    return paths, lead_m[: len(params["frontier_growth_history"])]


def run_parameters(
    scenario: str | Scenario | dict,
    params: dict[str, np.ndarray],
    on_month: Callable[[int], None] | None = None,
    variables: Collection[str] | None = None,
    strengths: dict[str, np.ndarray] | None = None,
    backend: str = "numpy",
) -> xr.Dataset:
    """Run a scenario on given parameter arrays (one value per sample for every registry name).

    The scenario's own overrides are applied on top. `run` samples and calls this; analyses that
    bring their own sample matrix (sensitivity, calibration) call it directly. `variables`
    keeps only the named monthly variables (default: all), which saves time and memory.
    `strengths` gives switches a strength per sample (`ailead.inputs.levers.lever_schedules`);
    `backend`: "numpy" or "jax" (see the module docstring).
    """
    sc, params, levers, n_months = simulation_inputs(scenario, params, strengths)
    paths, lead_m = _simulate(params, levers, n_months, backend, on_month)
    return dataset(sc, params, paths, variables, lead_m)


def run_batch(
    jobs: Sequence[tuple[str | Scenario | dict, dict[str, np.ndarray]]],
    variables: Collection[str] | None = None,
    backend: str = "numpy",
) -> list[xr.Dataset]:
    """Several runs `(scenario, params)` in one pass of the monthly loop; the same Datasets as
    `run_parameters` on each.

    `simulate` is separable by sample (no sample reads another's state), so runs over the same
    months can share one pass: parameters and lever schedules are joined along the sample axis
    and the outputs split back. Its fixed cost per month is then paid once, not once per run
    (the web explorer batches concurrent requests this way). Runs over different months are
    grouped by their month count. `variables` and `backend` are passed on as in
    `run_parameters`.
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
        paths, lead_m = _simulate(joined_params, joined_levers, n_months, backend)
        bounds = np.cumsum([0, *sizes])
        for j, i in enumerate(members):
            part = paths.samples(bounds[j], bounds[j + 1])
            lead_part = None if lead_m is None else lead_m[bounds[j] : bounds[j + 1]]
            results[i] = dataset(inputs[i][0], inputs[i][1], part, variables, lead_part)
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
