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


def _history_capability(record, month, lag, history_slope, rows):
    """US capability `lag` months before `month`, from the record (or the history before it)."""
    when = month - lag
    k = np.clip(np.floor(when), 0, month).astype(int)
    k_next = np.minimum(k + 1, month)
    frac = np.clip(when - k, 0.0, 1.0)
    inside = record[k, rows] + frac * (record[k_next, rows] - record[k, rows])
    before = record[0, rows] + history_slope * np.minimum(when, 0.0) / 12.0
    return np.where(when < 0, before, inside)


def simulate(
    p: dict[str, np.ndarray],
    levers: dict[str, np.ndarray],
    n_months: int,
    on_month: Callable[[int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Run the model month by month from the anchor. Arrays in: (samples,); out: (months, samples)."""
    n = p["us_production_2025"].shape[0]
    rows = np.arange(n)
    out = {k: np.empty((n_months, n)) for k in _MONTHLY}
    export_classes = (p["h20_tpp"], p["h200_tpp"], p["b200_tpp"])

    def run_flop(accessible, bloc):
        return loop.largest_run_flop(
            accessible, p[f"largest_run_share_{bloc}"], p["training_utilisation"],
            p["training_duration_months"], p["h100_flops"],
        )

    # Initial state (January 2025). The PRC's algorithmic efficiency is set so that its starting
    # capability trails the US by the observed lead, given its compute and distillation gain.
    k_us, k_cn = p["us_compute_stock_2025"].copy(), p["cn_compute_stock_2025"].copy()
    wafers = p["cn_advanced_wafers_2025"].copy()
    remote0 = access.remote_access(
        k_us, p["overseas_share_of_us_compute"], p["remote_rentable_share"],
        levers["remote_access_rule"][0], p["remote_closure_leakage"],
    )
    best_us, best_cn = run_flop(k_us, "us"), run_flop(k_cn + remote0, "cn")
    log_eff_us = np.zeros(n)
    cap_us0 = loop.capability(best_us, log_eff_us)
    slope = p["frontier_growth_history"]
    cap_cn0 = cap_us0 - slope * p["initial_lead_months"] / 12.0
    closure0 = distillation.gap_closure(
        p["distillation_gap_closure"], levers["distillation_deterrence"][0], best_cn / best_us,
        p["distillation_min_run_ratio"],
    )
    ceiling0 = cap_us0 - slope * p["distillation_lag_months"] / 12.0
    own_cn0 = distillation.own_capability_for(cap_cn0, closure0, ceiling0)
    log_eff_cn = own_cn0 - np.log10(best_cn)
    speedup_mid = cap_us0 + p["ai_rnd_speedup_midpoint"]
    cap_best_cn = np.full(n, -np.inf)

    for t in range(n_months):
        years = (t - 5.5) / 12.0  # production parameters describe mid-2025
        lv = {name: sched[t] for name, sched in levers.items()}

        # Switch 1: production and legal exports.
        prod_us = compute.us_production(
            p["us_production_2025"], p["us_production_growth"], p["us_production_growth_decline"],
            years,
        )
        hbm_in = compute.hbm_inflow(
            p["cn_hbm_domestic_2025"], p["cn_hbm_domestic_growth"], p["cn_hbm_import_potential"],
            lv["hbm_control"], years,
        )
        chips_cn = compute.domestic_chips(
            wafers, p["cn_ai_wafer_share"], p["cn_dies_per_wafer"],
            compute.die_yield(p["cn_die_yield"], p["cn_yield_gain"], p["cn_yield_ceiling"], years),
            p["cn_dies_per_chip"],
            hbm_in + compute.hbm_stockpile_drawdown(
                p["cn_hbm_stockpile_2025"], p["cn_hbm_stockpile_months"], t
            ),
            p["cn_hbm_stacks_per_chip"],
        )
        prod_cn = chips_cn * p["cn_chip_h100e_2025"] * p["cn_chip_perf_growth"] ** years
        exports = compute.legal_exports(
            prod_us, p["cn_import_demand_share"], lv["export_threshold_tpp"], export_classes,
            p["b200_tpp"] * p["us_chip_perf_growth"] ** years,
        )
        # Switch 2: smuggling and remote access.
        smuggled = access.smuggled(prod_us, p["smuggling_share_unenforced"], lv["smuggling_enforcement"])
        remote = access.remote_access(
            k_us, p["overseas_share_of_us_compute"], p["remote_rentable_share"],
            lv["remote_access_rule"], p["remote_closure_leakage"],
        )
        acc_us, acc_cn = k_us, k_cn + remote

        # The loop: largest runs (best so far), capability, distillation.
        best_us = np.maximum(best_us, run_flop(acc_us, "us"))
        best_cn = np.maximum(best_cn, run_flop(acc_cn, "cn"))
        cap_us = loop.capability(best_us, log_eff_us)
        out["capability_us"][t] = cap_us
        own_cn = loop.capability(best_cn, log_eff_cn)
        closure = distillation.gap_closure(
            p["distillation_gap_closure"], lv["distillation_deterrence"], best_cn / best_us,
            p["distillation_min_run_ratio"],
        )
        ceiling = _history_capability(
            out["capability_us"], t, p["distillation_lag_months"], slope, rows
        )
        distilled = distillation.distilled_capability(own_cn, closure, ceiling)
        gain = distilled - own_cn
        cap_best_cn = np.maximum(cap_best_cn, distilled)

        speed_us = loop.ai_rnd_speedup(
            cap_us, speedup_mid, p["ai_rnd_speedup_width"], p["ai_rnd_speedup_max"]
        )
        research_cn = distillation.research_capability(
            cap_best_cn, cap_us, lv["distillation_deterrence"]
        )
        speed_cn = loop.ai_rnd_speedup(
            research_cn, speedup_mid, p["ai_rnd_speedup_width"], p["ai_rnd_speedup_max"]
        )
        record = {
            "production_us": prod_us, "production_cn": prod_cn, "exports": exports,
            "smuggled": smuggled, "remote": remote, "stock_us": k_us, "stock_cn": k_cn,
            "accessible_us": acc_us, "accessible_cn": acc_cn, "run_us": best_us, "run_cn": best_cn,
            "log_eff_us": log_eff_us, "log_eff_cn": log_eff_cn, "gain": gain,
            "capability_cn": cap_best_cn, "speedup_us": speed_us, "speedup_cn": speed_cn,
        }
        for key, value in record.items():
            out[key][t] = value

        # Advance the state one month.
        growth_us = loop.algorithmic_growth(
            p["algorithmic_progress"], acc_us, acc_us, p["experiment_compute_elasticity"], speed_us
        )
        growth_cn = loop.algorithmic_growth(
            p["algorithmic_progress"], acc_cn, acc_us, p["experiment_compute_elasticity"], speed_cn
        ) + loop.spillover(log_eff_us, log_eff_cn, p["algorithmic_spillover"])
        log_eff_us = log_eff_us + growth_us / 12.0
        log_eff_cn = log_eff_cn + growth_cn / 12.0
        k_us = compute.stock_next(k_us, prod_us, p["hardware_lifetime_years"])
        k_cn = compute.stock_next(k_cn, prod_cn + exports + smuggled, p["hardware_lifetime_years"])
        wafers = compute.wafer_capacity_next(wafers, p["cn_wafer_growth"], lv["sme_control"])
        if on_month is not None:
            on_month(t)
    return out


_MONTHLY = (
    "production_us", "production_cn", "exports", "smuggled", "remote", "stock_us", "stock_cn",
    "accessible_us", "accessible_cn", "run_us", "run_cn", "log_eff_us", "log_eff_cn", "gain",
    "capability_us", "capability_cn", "speedup_us", "speedup_cn",
)


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
    params = load_registry().sample(samples, seed, sc.parameters)
    ds = run_parameters(sc, params, on_month)
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
    lead_m = lead.lead_months(out["capability_us"].T, out["capability_cn"].T,
                              params["frontier_growth_history"])
    nvidia = (out["production_us"] * params["nvidia_share_of_us_production"]).T
    data = {
        "production_h100e": (_by_bloc(out, "production"), "H100e/month",
                             "Accelerator production (US bloc: all US-designed; PRC: domestic)"),
        "production_tpp": (_by_bloc(out, "production") * params["h100_tpp"][:, None, None],
                           "TPP/month", "Accelerator production in total processing performance"),
        "nvidia_production_h100e": (nvidia, "H100e/month", "NVIDIA's part of US-bloc production"),
        "exports_h100e": (out["exports"].T, "H100e/month", "Legal US exports to the PRC"),
        "smuggled_h100e": (out["smuggled"].T, "H100e/month", "Chips smuggled into the PRC"),
        "remote_access_h100e": (out["remote"].T, "H100e",
                                "Overseas US-chip capacity rented by PRC labs"),
        "compute_stock_h100e": (_by_bloc(out, "stock"), "H100e", "Installed compute owned"),
        "accessible_compute_h100e": (_by_bloc(out, "accessible"), "H100e",
                                     "Compute a bloc's labs can use (owned + rented remotely)"),
        "largest_run_flop": (_by_bloc(out, "run"), "FLOP", "Largest training run so far"),
        "algorithmic_efficiency": (10.0 ** _by_bloc(out, "log_eff"), "x (US 2025-01 = 1)",
                                   "Algorithmic efficiency multiplier on training compute"),
        "ai_rnd_speedup": (_by_bloc(out, "speedup"), "x",
                           "Multiplier on algorithmic progress from AI-assisted research"),
        "distillation_gain_ooms": (_cn_only(out["gain"]), "OOM",
                                   "Capability gained by distillation this month (log10 D)"),
        "effective_compute": (10.0 ** cap, "FLOP (2025-01 algorithms)",
                              "Largest run x algorithmic efficiency (x distillation for the PRC)"),
        "capability": (cap, "OOM", "Capability index: log10 of effective compute"),
        "capability_eci": (loop.eci(cap, params["eci_intercept"][:, None, None],
                                    params["eci_slope"][:, None, None]),
                           "ECI", "Capability on an ECI-like display scale fitted to Epoch AI data"),
        "lead_months": (lead_m, "months",
                        "US lead: months since the US had the PRC's current capability "
                        "(negative when the PRC leads)"),
        "compute_ratio": ((out["accessible_us"] / out["accessible_cn"]).T, "x",
                          "US-bloc accessible compute / PRC accessible compute"),
    }
    months = np.arange(first, n_months)
    time = np.array([np.datetime64("2025-01", "M") + int(m) for m in months]).astype(
        "datetime64[ns]"
    )
    variables = {}
    for name, (values, unit, description) in data.items():
        dims = ("sample", "time", "bloc") if values.ndim == 3 else ("sample", "time")
        variables[name] = xr.Variable(dims, values[:, first:], {"units": unit,
                                                                "description": description})
    names = list(params)
    variables["parameters"] = xr.Variable(
        ("sample", "parameter"), np.stack([params[k] for k in names], axis=1),
        {"description": "Parameter values used by each sample"},
    )
    ds = xr.Dataset(
        variables,
        coords={"sample": np.arange(samples), "time": time, "bloc": list(BLOCS),
                "parameter": names},
    )
    ds.attrs.update(
        scenario=sc.name,
        description=sc.description,
        scenario_yaml=sc.to_yaml(),
        switches=json.dumps({s: sc.switches[s] for s in SWITCHES}),
        seed=-1,
        samples=samples,
        target=sc.target,
        ailead_version=__version__,
        caveat="Model output under the stated assumptions; not a forecast.",
    )
    return ds
