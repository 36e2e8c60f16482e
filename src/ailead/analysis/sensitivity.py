"""Global sensitivity analysis with SALib: which uncertain parameters drive an output.

The core, `indices`, takes a SALib problem and a model function (rows of inputs -> outputs), so
any model goes through one code path: the Ishigami test function in the tests, the scenario in
`sensitivity`. Methods:

- sobol: Saltelli/Jansen estimators of first-order S1 = V[E(Y|X_i)] / V(Y) and total
  ST = E[V(Y|X_~i)] / V(Y); N (d + 2) model runs for N base samples (a power of two).
- morris: elementary effects on a 4-level grid; mu_star = mean |EE_i| (output units per unit
  of the input's quantile), sigma its spread; N trajectories, N (d + 1) runs.
- delta: Borgonovo's moment-independent delta (SALib's raw bootstrap) and a given-data S1 from
  N Latin-hypercube runs; its kernel-density estimates are slow (about a minute for N = 1024
  over 80 parameters), so its intervals use 20 bootstrap resamples rather than 100.

Confidence intervals are 95% bootstrap half-widths. For a scenario, each input is the
*quantile* u in [0, 1] of a parameter, mapped through the registry distribution (x = F^-1(u),
clipped to the bounds), so the indices are those of the registry's distributions. Inputs are
taken as independent (variance-based indices assume it): the registry's rank correlations are
not applied here. With `readings=True` the three switches' lever readings
(`{switch}_lever_reading`: how each level's policy is read within its sourced range, -1 lenient
to 1 strict) join the inputs, uniform over [-1, 1], so the table says how much a result rests on
what the levels stand for.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ailead.analysis.evaluate import CHUNK, Progress, check_count, check_metric, evaluate
from ailead.errors import AileadError, short
from ailead.inputs.registry import SWITCHES, load_registry
from ailead.inputs.scenario import Scenario, load_scenario

METHODS = ("sobol", "morris", "delta")
MORRIS_LEVELS = 4
DELTA_RESAMPLES = 20  # delta's kernel-density bootstrap: about 40 ms per input and resample
RANK_BY = {"sobol": "ST", "morris": "mu_star", "delta": "delta"}
COLUMNS = {
    "sobol": ["S1", "S1_conf", "ST", "ST_conf"],
    "morris": ["mu_star", "mu_star_conf", "mu", "sigma"],
    "delta": ["delta", "delta_conf", "S1", "S1_conf"],
}

Model = Callable[[np.ndarray], np.ndarray]  # inputs (n, d) -> outputs (n,)


def check_method(method: str) -> str:
    if method not in METHODS:
        raise AileadError(
            f"method: value {short(method)} is not allowed; allowed: {', '.join(METHODS)}"
        )
    return method


def design(problem: dict, method: str, samples: int, seed: int) -> np.ndarray:
    """The SALib input matrix for `method` with `samples` base samples (trajectories for morris)."""
    from SALib.sample import latin as latin_sample
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    check_method(method)
    check_count(samples, "samples", 2)
    if method == "sobol":
        if samples & (samples - 1):
            raise AileadError(
                f"samples: value {samples} is not allowed for sobol; allowed: a power of two "
                "(e.g. 1024), which keeps the Sobol' sequence balanced"
            )
        return sobol_sample.sample(dict(problem), samples, calc_second_order=False, seed=seed)
    if method == "morris":
        return morris_sample.sample(dict(problem), samples, num_levels=MORRIS_LEVELS, seed=seed)
    if problem.get("groups"):
        raise AileadError("groups: not supported by the delta method; allowed with sobol, morris")
    return latin_sample.sample(dict(problem), samples, seed=seed)


def analyse(problem: dict, method: str, x: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    """SALib's indices as a table, one row per input (or group), most influential first.

    SALib gets a copy of `problem` (it adds keys to the mapping it is given).
    """
    from SALib.analyze import delta as delta_analyze
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    if not np.isfinite(y).all():
        raise AileadError(
            f"output: {int((~np.isfinite(y)).sum())} of {len(y)} model runs gave no finite value"
        )
    with _salib_run(seed):
        if method == "sobol":
            found = sobol_analyze.analyze(dict(problem), y, calc_second_order=False, seed=seed)
        elif method == "morris":
            found = morris_analyze.analyze(dict(problem), x, y, num_levels=MORRIS_LEVELS, seed=seed)
        else:
            found = delta_analyze.analyze(
                dict(problem), x, y, num_resamples=DELTA_RESAMPLES, seed=seed, method="all"
            )
            found["delta"], found["delta_conf"] = found["delta_raw"], found["delta_raw_conf"]
    names = _labels(problem)
    table = pd.DataFrame({c: np.asarray(found[c], dtype=float) for c in COLUMNS[method]})
    table.index = pd.Index(list(names), name="group" if problem.get("groups") else "parameter")
    return table.sort_values(RANK_BY[method], ascending=False)


@contextmanager
def _salib_run(seed: int) -> Iterator[None]:
    """NumPy's global generator seeded for one call, then restored; BLAS on one thread.

    SALib's sobol and delta bootstraps draw from the global generator when given seed 0 (which
    they read as no seed), so without this the intervals would differ from run to run. Delta's
    thousands of tiny kernel-density solves run 20x slower when BLAS threads compete for cores.
    """
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # delta's notices on its raw vs balanced estimates
            yield
    finally:
        np.random.set_state(state)


def _labels(problem: dict) -> list[str]:
    groups = problem.get("groups")
    return list(dict.fromkeys(groups)) if groups else list(problem["names"])


def indices(
    problem: dict,
    model: Model,
    method: str = "sobol",
    samples: int = 1024,
    seed: int = 0,
    chunk: int = CHUNK,
    on_progress: Progress | None = None,
) -> pd.DataFrame:
    """Sample `problem`, run `model` on chunks of rows, and analyse: the ranked index table.

    `problem` is a SALib problem (num_vars, names, bounds, optional groups). The table's attrs
    give the method and the number of model runs.
    """
    x = design(problem, method, samples, seed)
    parts = []
    for start in range(0, len(x), chunk):
        parts.append(np.asarray(model(x[start : start + chunk]), dtype=float))
        if on_progress is not None:
            on_progress(min(start + chunk, len(x)), len(x))
    table = analyse(problem, method, x, np.concatenate(parts), seed)
    table.attrs.update(method=method, runs=len(x), samples=samples, seed=seed)
    return table


def lever_readings(scenario: Scenario) -> list[str]:
    """The switches' lever-reading parameters the scenario leaves free."""
    return [
        f"{switch}_lever_reading"
        for switch in SWITCHES
        if f"{switch}_lever_reading" not in scenario.parameters
    ]


def scenario_problem(
    scenario: Scenario,
    groups: dict[str, Sequence[str]] | None = None,
    readings: bool = False,
) -> dict:
    """The SALib problem over the quantiles of every uncertain parameter the scenario leaves free
    (and, with `readings`, the switches' lever readings).

    Parameters the scenario overrides are fixed there and left out. `groups` maps a group name to
    parameter names; parameters in no group form a group of their own.
    """
    registry = load_registry()
    names = [n for n in registry.uncertain if n not in scenario.parameters]
    if readings:
        names += lever_readings(scenario)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if groups:
        member = {}
        for group, params in groups.items():
            for name in params:
                if name not in names:
                    raise AileadError(
                        f"groups.{group}: {short(name)} is not a free uncertain parameter; "
                        "allowed: " + ", ".join(names)
                    )
                if name in member:
                    raise AileadError(
                        f"groups.{group}: {short(name)} is already in group {member[name]!r}"
                    )
                member[name] = group
        problem["groups"] = [member.get(name, name) for name in names]
    return problem


def scenario_model(scenario: Scenario, names: list[str], output: str) -> Model:
    """Quantiles (n, len(names)) -> `output` at the target date, via `ailead.outputs.engine`."""
    registry = load_registry()

    drawn = [n for n in names if registry[n].distribution.uncertain]
    spread = [n for n in names if n not in drawn]  # lever readings: uniform over their bounds

    def model(u: np.ndarray) -> np.ndarray:
        params = {n: np.full(len(u), p.default) for n, p in registry.parameters.items()}
        params.update(registry.from_unit(u[:, : len(drawn)], drawn))
        for j, name in enumerate(spread, start=len(drawn)):
            lo, hi = registry[name].bounds
            params[name] = lo + u[:, j] * (hi - lo)
        return evaluate(scenario, params, chunk=len(u))[output].to_numpy()

    return model


def sensitivity(
    scenario: str | Scenario | dict = "status-quo",
    output: str = "lead_months",
    method: str = "sobol",
    samples: int = 1024,
    seed: int = 0,
    groups: dict[str, Sequence[str]] | None = None,
    on_progress: Progress | None = None,
    readings: bool = False,
) -> pd.DataFrame:
    """Global sensitivity of `output` at the target date to every free uncertain parameter
    (and, with `readings`, to how each switch's levels are read within their policy ranges).

    Inputs are sampled over the registry distributions (as quantiles, independently). Returns a
    ranked table: S1, S1_conf, ST, ST_conf (sobol); mu_star, mu_star_conf, mu, sigma (morris);
    delta, delta_conf, S1, S1_conf (delta).
    """
    check_method(method)
    check_count(seed, "seed", 0)
    sc = load_scenario(scenario)
    check_metric(output, sc, "output")
    problem = scenario_problem(sc, groups, readings)
    model = scenario_model(sc, problem["names"], output)
    table = indices(problem, model, method, samples, seed, on_progress=on_progress)
    table.attrs.update(scenario=sc.name, target=sc.target, output=output)
    return table
