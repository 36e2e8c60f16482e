"""The engine: the monthly time loop that drives the mechanisms, and the labelled result.

`simulate` is a pure function of parameter arrays and lever schedules; `run` adds the scenario,
the sampling and the xarray Dataset. The state is advanced once a month from the anchor
(2025-01); results are reported from the scenario's start to its end.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import xarray as xr

from ailead import __version__
from ailead.errors import AileadError
from ailead.model import access, compute, distillation, lead, loop
from ailead.policy import lever_schedules
from ailead.registry import SWITCHES, load_registry
from ailead.scenario import Scenario, load_scenario, month_index

BLOCS = ("us", "cn")


def _path_at(path, when, history_slope):
    """A capability path (months, samples) read at fractional months `when` (months, samples).

    Linear between months; before month 0 the path extends backwards at the historical slope.
    """
    n_months = path.shape[0]
    cols = np.arange(path.shape[1])[None, :]
    k = np.clip(np.floor(when), 0, n_months - 1).astype(int)
    k_next = np.minimum(k + 1, n_months - 1)
    frac = np.clip(when - k, 0.0, 1.0)
    inside = path[k, cols] + frac * (path[k_next, cols] - path[k, cols])
    before = path[0][None, :] + history_slope[None, :] * np.minimum(when, 0.0) / 12.0
    return np.where(when < 0, before, inside)


def compute_flows(p: dict[str, np.ndarray], levers: dict[str, np.ndarray], n_months: int):
    """Switches 1 and 2 for every month at once: production, flows, stocks, accessible compute.

    None of these depends on capability, so each mechanism is applied once to (months, samples)
    arrays; only the stock recurrences step through time.
    """
    month = np.arange(n_months, dtype=float)[:, None]
    years = (month - 5.5) / 12.0  # production parameters describe mid-2025
    prod_us = compute.us_production(
        p["us_production_2025"], p["us_production_growth"], p["us_production_growth_decline"], years
    )
    wafers = compute.wafer_capacity(
        p["cn_advanced_wafers_2025"], p["cn_wafer_growth"], levers["sme_control"]
    )
    hbm = compute.hbm_inflow(
        p["cn_hbm_domestic_2025"],
        p["cn_hbm_domestic_growth"],
        p["cn_hbm_import_potential"],
        levers["hbm_control"],
        years,
    ) + compute.hbm_stockpile_drawdown(
        p["cn_hbm_stockpile_2025"], p["cn_hbm_stockpile_months"], month
    )
    chips_cn = compute.domestic_chips(
        wafers,
        p["cn_ai_wafer_share"],
        p["cn_dies_per_wafer"],
        compute.die_yield(p["cn_die_yield"], p["cn_yield_gain"], p["cn_yield_ceiling"], years),
        p["cn_dies_per_chip"],
        hbm,
        p["cn_hbm_stacks_per_chip"],
    )
    prod_cn = chips_cn * p["cn_chip_h100e_2025"] * p["cn_chip_perf_growth"] ** years
    exports = compute.legal_exports(
        prod_us,
        p["cn_import_demand_share"],
        levers["export_threshold_tpp"],
        (p["h20_tpp"], p["h200_tpp"], p["b200_tpp"]),
        p["b200_tpp"] * p["us_chip_perf_growth"] ** years,
    )
    smuggled = access.smuggled(
        prod_us, p["smuggling_share_unenforced"], levers["smuggling_enforcement"]
    )

    stock_us = np.empty_like(prod_us)
    stock_cn = np.empty_like(prod_us)
    k_us, k_cn = p["us_compute_stock_2025"], p["cn_compute_stock_2025"]
    inflow_cn = prod_cn + exports + smuggled
    for t in range(n_months):
        stock_us[t], stock_cn[t] = k_us, k_cn
        k_us = compute.stock_next(k_us, prod_us[t], p["hardware_lifetime_years"])
        k_cn = compute.stock_next(k_cn, inflow_cn[t], p["hardware_lifetime_years"])
    remote = access.remote_access(
        stock_us,
        p["overseas_share_of_us_compute"],
        p["remote_rentable_share"],
        levers["remote_access_rule"],
        p["remote_closure_leakage"],
    )
    return {
        "production_us": prod_us,
        "production_cn": prod_cn,
        "exports": exports,
        "smuggled": smuggled,
        "remote": remote,
        "stock_us": stock_us,
        "stock_cn": stock_cn,
        "accessible_us": stock_us,
        "accessible_cn": stock_cn + remote,
    }


def simulate(
    p: dict[str, np.ndarray],
    levers: dict[str, np.ndarray],
    n_months: int,
    on_month: Callable[[int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Run the model from the anchor. Parameter arrays (samples,); outputs (months, samples).

    Order: compute and access flows (no feedback from capability); the leader's loop (the US path
    depends on no switch); then the follower's loop, which reads the leader's path for the
    distillation ceiling, research access and spillover.
    """
    out = compute_flows(p, levers, n_months)

    def run_flop(accessible, bloc):
        return loop.largest_run_flop(
            accessible,
            p[f"largest_run_share_{bloc}"],
            p["training_utilisation"],
            p["training_duration_months"],
            p["h100_flops"],
        )

    best_us = np.maximum.accumulate(run_flop(out["accessible_us"], "us"), axis=0)
    best_cn = np.maximum.accumulate(run_flop(out["accessible_cn"], "cn"), axis=0)
    slope = p["frontier_growth_history"]

    # The leader: the US frontier, at the base rate times its AI-R&D speed-up.
    cap_us0 = loop.capability(best_us[0], 0.0)
    speedup_mid = cap_us0 + p["ai_rnd_speedup_midpoint"]
    log_eff_us = np.empty_like(best_us)
    speed_us = np.empty_like(best_us)
    eff = np.zeros_like(cap_us0)
    for t in range(n_months):
        log_eff_us[t] = eff
        speed_us[t] = loop.ai_rnd_speedup(
            loop.capability(best_us[t], eff),
            speedup_mid,
            p["ai_rnd_speedup_width"],
            p["ai_rnd_speedup_max"],
        )
        eff = (
            eff
            + loop.algorithmic_growth(
                p["algorithmic_progress"], 1.0, 1.0, p["experiment_compute_elasticity"], speed_us[t]
            )
            / 12.0
        )
    cap_us = loop.capability(best_us, log_eff_us)
    month = np.arange(n_months, dtype=float)[:, None]
    ceiling = _path_at(cap_us, month - p["distillation_lag_months"][None, :], slope)
    closure = distillation.gap_closure(
        p["distillation_gap_closure"],
        levers["distillation_deterrence"],
        best_cn / best_us,
        p["distillation_min_run_ratio"],
    )

    # The follower's starting algorithmic efficiency: its capability trails the US by the
    # observed lead, given its compute and what distillation adds.
    cap_cn0 = cap_us0 - slope * p["initial_lead_months"] / 12.0
    own0 = distillation.own_capability_for(cap_cn0, closure[0], ceiling[0])
    eff = own0 - np.log10(best_cn[0])
    names = ("log_eff_cn", "gain", "capability_cn", "speedup_cn")
    follower = {k: np.empty_like(best_us) for k in names}
    best_cap = np.full_like(cap_us0, -np.inf)
    for t in range(n_months):
        own = loop.capability(best_cn[t], eff)
        distilled = distillation.distilled_capability(own, closure[t], ceiling[t])
        best_cap = np.maximum(best_cap, distilled)
        research = distillation.research_capability(
            best_cap, cap_us[t], levers["distillation_deterrence"][t]
        )
        speed = loop.ai_rnd_speedup(
            research, speedup_mid, p["ai_rnd_speedup_width"], p["ai_rnd_speedup_max"]
        )
        for key, value in zip(names, (eff, distilled - own, best_cap, speed), strict=True):
            follower[key][t] = value
        eff = (
            eff
            + (
                loop.algorithmic_growth(
                    p["algorithmic_progress"],
                    out["accessible_cn"][t],
                    out["accessible_us"][t],
                    p["experiment_compute_elasticity"],
                    speed,
                )
                + loop.spillover(log_eff_us[t], eff, p["algorithmic_spillover"])
            )
            / 12.0
        )
        if on_month is not None:
            on_month(t)
    out.update(follower)
    out.update(
        run_us=best_us,
        run_cn=best_cn,
        log_eff_us=log_eff_us,
        capability_us=cap_us,
        speedup_us=speed_us,
    )
    return out


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
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise AileadError(f"samples: value {samples!r} is not allowed; allowed: an integer >= 1")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise AileadError(f"seed: value {seed!r} is not allowed; allowed: an integer >= 0")
    sc = load_scenario(scenario)
    ds = run_parameters(sc, load_registry().sample(samples, seed), on_month)
    ds.attrs["seed"] = seed
    return ds


def run_parameters(
    scenario: str | Scenario | dict,
    params: dict[str, np.ndarray],
    on_month: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run a scenario on given parameter arrays (one value per sample for every registry name).

    The scenario's own overrides are applied on top. `run` samples and calls this; analyses that
    bring their own sample matrix (sensitivity, calibration) call it directly.
    """
    sc = load_scenario(scenario)
    registry = load_registry()
    missing = set(registry.parameters) - set(params)
    if missing:
        raise AileadError(f"parameters: missing values for {', '.join(sorted(missing))}")
    samples = len(next(iter(params.values())))
    params = {**params, **{k: np.full(samples, v) for k, v in sc.parameters.items()}}
    n_months = month_index(sc.end) + 1
    levers = lever_schedules(sc, registry, params, n_months)
    out = simulate(params, levers, n_months, on_month)

    first = month_index(sc.start)
    cap = _by_bloc(out, "capability")
    lead_m = lead.lead_months(
        out["capability_us"].T, out["capability_cn"].T, params["frontier_growth_history"]
    )
    nvidia = (out["production_us"] * params["nvidia_share_of_us_production"]).T
    data = {
        "production_h100e": (
            _by_bloc(out, "production"),
            "H100e/month",
            "Accelerator production (US bloc: all US-designed; PRC: domestic)",
        ),
        "production_tpp": (
            _by_bloc(out, "production") * params["h100_tpp"][:, None, None],
            "TPP/month",
            "Accelerator production in total processing performance",
        ),
        "nvidia_production_h100e": (nvidia, "H100e/month", "NVIDIA's part of US-bloc production"),
        "exports_h100e": (out["exports"].T, "H100e/month", "Legal US exports to the PRC"),
        "smuggled_h100e": (out["smuggled"].T, "H100e/month", "Chips smuggled into the PRC"),
        "remote_access_h100e": (
            out["remote"].T,
            "H100e",
            "Overseas US-chip capacity rented by PRC labs",
        ),
        "compute_stock_h100e": (_by_bloc(out, "stock"), "H100e", "Installed compute owned"),
        "accessible_compute_h100e": (
            _by_bloc(out, "accessible"),
            "H100e",
            "Compute a bloc's labs can use (owned + rented remotely)",
        ),
        "largest_run_flop": (_by_bloc(out, "run"), "FLOP", "Largest training run so far"),
        "algorithmic_efficiency": (
            10.0 ** _by_bloc(out, "log_eff"),
            "x (US 2025-01 = 1)",
            "Algorithmic efficiency multiplier on training compute",
        ),
        "ai_rnd_speedup": (
            _by_bloc(out, "speedup"),
            "x",
            "Multiplier on algorithmic progress from AI-assisted research",
        ),
        "distillation_gain_ooms": (
            _cn_only(out["gain"]),
            "OOM",
            "Capability gained by distillation this month (log10 D)",
        ),
        "effective_compute": (
            10.0**cap,
            "FLOP (2025-01 algorithms)",
            "Largest run x algorithmic efficiency (x distillation for the PRC)",
        ),
        "capability": (cap, "OOM", "Capability index: log10 of effective compute"),
        "capability_eci": (
            loop.eci(
                cap, params["eci_intercept"][:, None, None], params["eci_slope"][:, None, None]
            ),
            "ECI",
            "Capability on an ECI-like display scale fitted to Epoch AI data",
        ),
        "lead_months": (
            lead_m,
            "months",
            "US lead: months since the US had the PRC's current capability "
            "(negative when the PRC leads)",
        ),
        "compute_ratio": (
            (out["accessible_us"] / out["accessible_cn"]).T,
            "x",
            "US-bloc accessible compute / PRC accessible compute",
        ),
    }
    months = np.arange(first, n_months)
    time = np.array([np.datetime64("2025-01", "M") + int(m) for m in months]).astype(
        "datetime64[ns]"
    )
    variables = {}
    for name, (values, unit, description) in data.items():
        dims = ("sample", "time", "bloc") if values.ndim == 3 else ("sample", "time")
        variables[name] = xr.Variable(
            dims, values[:, first:], {"units": unit, "description": description}
        )
    names = list(params)
    variables["parameters"] = xr.Variable(
        ("sample", "parameter"),
        np.stack([params[k] for k in names], axis=1),
        {"description": "Parameter values used by each sample"},
    )
    ds = xr.Dataset(
        variables,
        coords={
            "sample": np.arange(samples),
            "time": time,
            "bloc": list(BLOCS),
            "parameter": names,
        },
    )
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
