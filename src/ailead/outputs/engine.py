"""The engine: from a scenario to a labelled result.

`ailead.simulation.simulate` is a pure function of parameter arrays and lever schedules; `run`
adds the scenario, the sampling and the xarray Dataset, with the lead, the security measures and
the verdict computed from the simulated paths. The state is advanced once a month from the anchor
(2025-01); results are reported from the scenario's start to its end.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

import numpy as np
import xarray as xr

from ailead._version import __version__
from ailead.errors import AileadError
from ailead.inputs.levers import lever_schedules
from ailead.inputs.posterior import posterior_parameters
from ailead.inputs.registry import SWITCHES, load_registry
from ailead.inputs.scenario import Scenario, load_scenario
from ailead.model import capability, lead, security
from ailead.model.markets import MARKETS, SUPPLIERS
from ailead.outputs.verdict import classify
from ailead.sim.drive import simulate

BLOCS = ("us", "cn")


RESPONSES = ("stockpiling", "buildout", "open-weights", "retaliation")
_DIMS = {
    "market_share": ("sample", "time", "market", "supplier"),
    "response_active": ("sample", "time", "response"),
}


def _per_sample(values: np.ndarray) -> np.ndarray:
    """(months, k..., samples) -> (samples, months, k...)."""
    return np.moveaxis(values, -1, 0)


def _front_variables(out, p, lead_m):
    """The fronts beyond intelligence, the security measures and the counter-moves in force,
    as (make, unit, description) with `make` computing the (samples, months, ...) values."""

    def market_share():
        shares = _per_sample(out["market_share"])  # (samples, months, market, stack)
        return np.concatenate([shares, 1.0 - shares.sum(axis=-1, keepdims=True)], axis=-1)

    def misuse():
        revenue = _per_sample(out["revenue_share"])
        open_share = _per_sample(out["open_weight_share"])
        tau = p["misuse_uplift_decay_months"][:, None]
        us = security.misuse_term(
            revenue[..., 0],
            open_share[..., 0],
            p["jailbreak_compliance_us"][:, None],
            p["us_open_weight_lag_months"][:, None],
            tau,
        )
        cn = security.misuse_term(
            revenue[..., 1], open_share[..., 1], p["jailbreak_compliance_cn"][:, None], lead_m, tau
        )
        return np.clip(us + cn, 0.0, 1.0)

    return {
        "adoption": (
            lambda: _per_sample(out["adoption"]),
            "share",
            "Share of the bloc's economic activity using AI in production",
        ),
        "market_share": (
            market_share,
            "share",
            "Installed share of third-country AI use by supplier stack (neither: local or none)",
        ),
        "revenue_share": (
            lambda: _per_sample(out["revenue_share"]),
            "share",
            "The stack's share of world AI revenue (home adoption plus third-country share)",
        ),
        "open_weight_share": (
            lambda: _per_sample(out["open_weight_share"]),
            "fraction",
            "Share of the bloc's frontier released as open weights",
        ),
        "resilience": (
            lambda: _per_sample(out["resilience"]),
            "index (0-1)",
            "Stylised capacity to absorb the transition: adaptation / (adaptation + displacement)",
        ),
        "safety_margin_months": (
            lambda: security.safety_margin(
                lead_m, p["safety_lead_share"][:, None], p["safety_testing_max_months"][:, None]
            ),
            "months",
            "Pre-deployment safety testing the leader can afford given its lead",
        ),
        "misuse_exposure": (
            misuse,
            "index (0-1)",
            "Reach of near-frontier open-weight models with weak safeguards",
        ),
        "cyber_window_months": (
            lambda: security.cyber_window(lead_m, p["cyber_defender_uptake"][:, None]),
            "months",
            "Months in which AI vulnerability discovery favours the leader's defenders",
        ),
        "response_active": (
            lambda: _per_sample(out["response_active"]),
            "1 = in force",
            "PRC counter-moves in force (triggered by a state variable crossing a threshold)",
        ),
    }


def _exp10(x: np.ndarray) -> np.ndarray:
    """10**x, computed as exp(x ln 10): several times faster than numpy's power."""
    return np.exp(x * np.log(10.0))


def _by_bloc(out: dict[str, np.ndarray], key: str) -> np.ndarray:
    """(months, samples) per bloc -> (samples, months, bloc)."""
    return np.stack([out[f"{key}_{b}"].T for b in BLOCS], axis=-1)


def _cn_only(values: np.ndarray) -> np.ndarray:
    """A PRC-only quantity as (samples, months, bloc) with zero for the US bloc."""
    return np.stack([np.zeros_like(values.T), values.T], axis=-1)


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
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise AileadError(f"samples: value {samples!r} is not allowed; allowed: an integer >= 1")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise AileadError(f"seed: value {seed!r} is not allowed; allowed: an integer >= 0")
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
) -> xr.Dataset:
    """Run a scenario on given parameter arrays (one value per sample for every registry name).

    The scenario's own overrides are applied on top. `run` samples and calls this; analyses that
    bring their own sample matrix (sensitivity, calibration) call it directly. `variables`
    keeps only the named monthly variables (default: all), which saves time and memory.
    """
    sc, params, levers, n_months = _inputs(scenario, params)
    return _dataset(sc, params, simulate(params, levers, n_months, on_month), variables)


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
    inputs = [_inputs(scenario, params) for scenario, params in jobs]
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
        out = simulate(joined_params, joined_levers, n_months)
        bounds = np.cumsum([0, *sizes])
        for j, i in enumerate(members):
            part = {k: v[..., bounds[j] : bounds[j + 1]] for k, v in out.items()}
            results[i] = _dataset(inputs[i][0], inputs[i][1], part, variables)
    return results  # type: ignore[return-value]


def _inputs(scenario, params):
    """The scenario, its parameter arrays with its overrides applied, its lever schedules and the
    number of months simulated from the anchor."""
    sc = load_scenario(scenario)
    registry = load_registry()
    missing = set(registry.parameters) - set(params)
    if missing:
        raise AileadError(f"parameters: missing values for {', '.join(sorted(missing))}")
    samples = len(next(iter(params.values())))
    params = {**params, **{k: np.full(samples, v) for k, v in sc.parameters.items()}}
    n_months = sc.month(sc.end) + 1
    return sc, params, lever_schedules(sc, registry, params, n_months), n_months


def _dataset(
    sc: Scenario,
    params: dict[str, np.ndarray],
    out: dict[str, np.ndarray],
    keep: Collection[str] | None = None,
) -> xr.Dataset:
    """The labelled result of one run from the simulated paths (months, ..., samples).

    `keep` names the monthly variables to include (default: all); each is computed only if
    kept. `outcome` and `parameters` are always included.
    """
    samples = len(next(iter(params.values())))
    n_months = sc.month(sc.end) + 1
    first = sc.month(sc.start)
    cap = _by_bloc(out, "capability")
    lead_m = lead.lead_months(
        out["capability_us"].T, out["capability_cn"].T, params["frontier_growth_history"]
    )
    data = {
        "production_h100e": (
            lambda: _by_bloc(out, "production"),
            "H100e/month",
            "Accelerator production (US bloc: all US-designed; PRC: domestic)",
        ),
        "production_tpp": (
            lambda: _by_bloc(out, "production") * params["h100_tpp"][:, None, None],
            "TPP/month",
            "Accelerator production in total processing performance",
        ),
        "nvidia_production_h100e": (
            lambda: (out["production_us"] * params["nvidia_share_of_us_production"]).T,
            "H100e/month",
            "NVIDIA's part of US-bloc production",
        ),
        "exports_h100e": (lambda: out["exports"].T, "H100e/month", "Legal US exports to the PRC"),
        "smuggled_h100e": (lambda: out["smuggled"].T, "H100e/month", "Chips smuggled into the PRC"),
        "remote_access_h100e": (
            lambda: out["remote"].T,
            "H100e",
            "Overseas US-chip capacity rented by PRC labs",
        ),
        "compute_stock_h100e": (lambda: _by_bloc(out, "stock"), "H100e", "Installed compute owned"),
        "accessible_compute_h100e": (
            lambda: _by_bloc(out, "accessible"),
            "H100e",
            "Compute a bloc's labs can use (owned + rented remotely)",
        ),
        "largest_run_flop": (lambda: _by_bloc(out, "run"), "FLOP", "Largest training run so far"),
        "algorithmic_efficiency": (
            lambda: _exp10(_by_bloc(out, "log_eff")),
            "x (US 2025-01 = 1)",
            "Algorithmic efficiency multiplier on training compute",
        ),
        "ai_rnd_speedup": (
            lambda: _by_bloc(out, "speedup"),
            "x",
            "Multiplier on algorithmic progress from AI-assisted research",
        ),
        "distillation_gain_ooms": (
            lambda: _cn_only(out["gain"]),
            "OOM",
            "Capability gained by distillation this month (log10 D)",
        ),
        "effective_compute": (
            lambda: _exp10(cap),
            "FLOP (2025-01 algorithms)",
            "Largest run x algorithmic efficiency (x distillation for the PRC)",
        ),
        "capability": (lambda: cap, "OOM", "Capability index: log10 of effective compute"),
        "capability_eci": (
            lambda: capability.eci(
                cap, params["eci_intercept"][:, None, None], params["eci_slope"][:, None, None]
            ),
            "ECI",
            "Capability on an ECI-like display scale fitted to Epoch AI data",
        ),
        "lead_months": (
            lambda: lead_m,
            "months",
            "US lead: months since the US had the PRC's current capability "
            "(negative when the PRC leads)",
        ),
        "compute_ratio": (
            lambda: (out["accessible_us"] / out["accessible_cn"]).T,
            "x",
            "US-bloc accessible compute / PRC accessible compute",
        ),
        **_front_variables(out, params, lead_m),
    }
    variables = {}
    for name, (make, unit, description) in data.items():
        if keep is not None and name not in keep:
            continue
        values = make()
        dims = _DIMS.get(
            name, ("sample", "time", "bloc") if values.ndim == 3 else ("sample", "time")
        )
        variables[name] = xr.Variable(
            dims, values[:, first:], {"units": unit, "description": description}
        )
    target = sc.month(sc.target)
    before = max(target - sc.verdict.growth_window_months, 0)
    variables["outcome"] = xr.Variable(
        "sample",
        classify(lead_m[:, target], lead_m[:, before], sc.verdict).astype(str),
        {
            "description": (
                f"Verdict at {sc.target}: scenario-one (lead >= {sc.verdict.lead_at_least:g} "
                f"months and higher than {sc.verdict.growth_window_months} months before), "
                f"scenario-two (lead <= {sc.verdict.lead_at_most:g} months), else contested"
            )
        },
    )
    names = tuple(params)
    variables["parameters"] = xr.Variable(
        ("sample", "parameter"),
        np.stack([params[k] for k in names], axis=1),
        {"description": "Parameter values used by each sample"},
    )
    ds = xr.Dataset(variables, coords=_coordinates(samples, sc.anchor, first, n_months, names))
    ds.attrs.update(
        scenario=sc.name,
        description=sc.description,
        scenario_json=sc.model_dump_json(),
        switches=json.dumps({s: sc.switches[s] for s in SWITCHES}),
        seed=-1,  # no seed: the caller supplied the parameters (`run` sets it)
        samples=samples,
        target=sc.target,
        ailead_version=__version__,
        caveat="Model output under the stated assumptions; not a forecast.",
    )
    return ds


@lru_cache(maxsize=32)
def _coordinates(
    samples: int, anchor: str, first: int, n_months: int, names: tuple[str, ...]
) -> xr.Coordinates:
    """The Dataset's coordinates, built once per shape: their indexes are immutable, so Datasets
    may share them (building pandas indexes is a large part of a small run's cost)."""
    time = (np.datetime64(anchor, "M") + np.arange(first, n_months)).astype("datetime64[ns]")
    return xr.Coordinates(
        {
            "sample": np.arange(samples),
            "time": time,
            "bloc": list(BLOCS),
            "market": list(MARKETS),
            "supplier": list(SUPPLIERS),
            "response": list(RESPONSES),
            "parameter": list(names),
        }
    )
