"""The labelled result of a run: an xarray Dataset with dims (sample, time, bloc, ...).

`dataset(sc, params, paths)` turns the simulated paths (`ailead.sim.drive.Paths`, arrays
(months, ..., samples)) into variables (samples, months, ...) with units and descriptions, and
adds what is computed from whole paths: the lead in months (`ailead.model.lead`), the security
measures (`ailead.model.security`) and the verdict at the target date.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from functools import lru_cache

import numpy as np
import xarray as xr

from ailead._version import __version__
from ailead.inputs.registry import SWITCHES
from ailead.inputs.scenario import Scenario
from ailead.model import capability, lead, security
from ailead.model.markets import MARKETS, SUPPLIERS
from ailead.outputs.summary import QUANTILES
from ailead.outputs.verdict import OUTCOMES, classify
from ailead.sim.drive import RESPONSES, Paths

BLOCS = ("us", "cn")
_DIMS = {
    "market_share": ("sample", "time", "market", "supplier"),
    "market_choice": ("sample", "time", "market", "supplier"),
    "response_active": ("sample", "time", "response"),
}
Maker = tuple[Callable[[], np.ndarray], str, str]  # (values (samples, months, ...), unit, text)


def _per_sample(values: np.ndarray) -> np.ndarray:
    """(months, k..., samples) -> (samples, months, k...)."""
    return np.moveaxis(values, -1, 0)


def _cn_only(values: np.ndarray) -> np.ndarray:
    """A PRC-only quantity (months, samples) as (samples, months, bloc), zero for the US bloc."""
    return np.stack([np.zeros_like(values.T), values.T], axis=-1)


def _exp10(x: np.ndarray) -> np.ndarray:
    """10**x, computed as exp(x ln 10): several times faster than numpy's power. Past 10**308
    (runs of many decades) it is inf, without a warning."""
    with np.errstate(over="ignore"):
        return np.exp(x * np.log(10.0))


def _supply_variables(paths: Paths, p: dict[str, np.ndarray]) -> dict[str, Maker]:
    """Compute, flows and the loop: (make, unit, description) per variable."""
    m = paths.monthly
    production = _per_sample(m.production)
    return {
        "production_h100e": (
            lambda: production,
            "H100e/month",
            "Accelerator production (US bloc: all US-designed; PRC: domestic)",
        ),
        "production_tpp": (
            lambda: production * p["h100_tpp"][:, None, None],
            "TPP/month",
            "Accelerator production in total processing performance",
        ),
        "nvidia_production_h100e": (
            lambda: (m.production[:, 0] * p["nvidia_share_of_us_production"]).T,
            "H100e/month",
            "NVIDIA's part of US-bloc production",
        ),
        "exports_h100e": (lambda: m.exports.T, "H100e/month", "Legal US exports to the PRC"),
        "smuggled_h100e": (lambda: m.smuggled.T, "H100e/month", "Chips smuggled into the PRC"),
        "remote_access_h100e": (
            lambda: m.remote.T,
            "H100e",
            "Overseas US-chip capacity rented by PRC labs",
        ),
        "compute_stock_h100e": (lambda: _per_sample(m.stock), "H100e", "Installed compute owned"),
        "accessible_compute_h100e": (
            lambda: _per_sample(paths.accessible),
            "H100e",
            "Compute a bloc's labs can use (owned + rented remotely)",
        ),
        "largest_run_flop": (lambda: _per_sample(m.run), "FLOP", "Largest training run so far"),
        "algorithmic_efficiency": (
            lambda: _exp10(_per_sample(m.log_eff)),
            "x (US 2025-01 = 1)",
            "Algorithmic efficiency multiplier on training compute",
        ),
        "ai_rnd_speedup": (
            lambda: _per_sample(m.speedup),
            "x",
            "Multiplier on algorithmic progress from AI-assisted research",
        ),
        "distillation_gain_ooms": (
            lambda: _cn_only(m.distillation_gain),
            "OOM",
            "Capability gained by distillation this month (log10 D)",
        ),
    }


def _intelligence_variables(paths: Paths, p: dict, lead_m: np.ndarray) -> dict[str, Maker]:
    """Capability, the lead and the compute ratio."""
    cap = _per_sample(paths.monthly.capability)
    return {
        "effective_compute": (
            lambda: _exp10(cap),
            "FLOP (2025-01 algorithms)",
            "Largest run x algorithmic efficiency (x distillation for the PRC)",
        ),
        "capability": (lambda: cap, "OOM", "Capability index: log10 of effective compute"),
        "capability_eci": (
            lambda: capability.eci(
                cap, p["eci_intercept"][:, None, None], p["eci_slope"][:, None, None]
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
        "lead_at_release_months": (
            lambda: lead.lead_at_release(lead_m, p["cn_release_interval_months"][:, None]),
            "months",
            "The lead as read at the PRC's releases (the continuous lead less half the interval "
            "between releases)",
        ),
        "lead_ooms": (
            lambda: lead.lead_ooms(cap[..., 0], cap[..., 1]),
            "OOM",
            "US lead in orders of magnitude of effective compute (negative when the PRC leads)",
        ),
        "compute_ratio": (
            lambda: (paths.accessible[:, 0] / paths.accessible[:, 1]).T,
            "x",
            "US-bloc accessible compute / PRC accessible compute",
        ),
    }


def _front_variables(paths: Paths, p: dict, lead_m: np.ndarray) -> dict[str, Maker]:
    """The fronts beyond intelligence, the security measures and the counter-moves in force."""
    m = paths.monthly

    def with_neither(values):
        shares = _per_sample(values)  # (samples, months, market, stack)
        return np.concatenate([shares, 1.0 - shares.sum(axis=-1, keepdims=True)], axis=-1)

    def misuse():
        revenue, open_share = _per_sample(m.revenue_share), _per_sample(m.open_weight_share)
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
            lambda: _per_sample(m.adoption),
            "share",
            "Share of the bloc's firms using AI in producing goods or services (Census BTOS)",
        ),
        "market_share": (
            lambda: with_neither(m.market_share),
            "share",
            "Installed share of third-country AI use by supplier stack (neither: local or none)",
        ),
        "market_choice": (
            lambda: with_neither(m.market_choice),
            "share",
            "Third-country buyers' choice this month by supplier stack, which the installed "
            "share moves towards (what a platform that switches at once, like OpenRouter, shows)",
        ),
        "revenue_share": (
            lambda: _per_sample(m.revenue_share),
            "share",
            "The stack's share of world AI revenue (home adoption plus third-country share)",
        ),
        "open_weight_share": (
            lambda: _per_sample(m.open_weight_share),
            "fraction",
            "Share of the bloc's frontier released as open weights",
        ),
        "resilience": (
            lambda: _per_sample(paths.resilience),
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
            lambda: _per_sample(paths.response_active),
            "1 = in force",
            "PRC counter-moves in force (triggered by a state variable crossing a threshold)",
        ),
    }


def dataset(
    sc: Scenario,
    params: dict[str, np.ndarray],
    paths: Paths,
    keep: Collection[str] | None = None,
    lead_m: np.ndarray | None = None,
) -> xr.Dataset:
    """The labelled result of one run from its simulated paths.

    `keep` names the monthly variables to include (default: all); each is computed only if
    kept. `outcome` and `parameters` are always included. `lead_m`: the lead in months
    (samples, months) if already computed (the compiled backend computes it on the device).
    """
    samples = len(next(iter(params.values())))
    n_months = sc.month(sc.end) + 1
    first = sc.month(sc.start)
    if lead_m is None:
        cap = paths.monthly.capability
        lead_m = lead.lead_months(cap[:, 0].T, cap[:, 1].T, params["frontier_growth_history"])
    data = {
        **_supply_variables(paths, params),
        **_intelligence_variables(paths, params, lead_m),
        **_front_variables(paths, params, lead_m),
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
    variables["outcome"] = _outcome(sc, lead_m)
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


SUMMARY_UNITS = {
    "lead_months": "months",
    "lead_ooms": "OOM",
    "capability": "OOM",
    "compute_ratio": "x",
}


def summary_dataset(sc: Scenario, summary: dict[str, np.ndarray], real_samples: int) -> xr.Dataset:
    """A run's summary (`ailead.outputs.reductions.summary`) as a Dataset: each variable's
    quantiles (quantile, time[, bloc]) from the scenario's start, and `outcome_share` (outcome).
    """
    first, n_months = sc.month(sc.start), sc.month(sc.end) + 1
    coords = _coordinates(1, sc.anchor, first, n_months, ())
    variables = {
        name: xr.Variable(
            ("quantile", "time", "bloc")[: np.ndim(summary[name])],
            np.asarray(summary[name])[:, first:],
            {"units": unit},
        )
        for name, unit in SUMMARY_UNITS.items()
    }
    variables["outcome_share"] = xr.Variable(
        "outcome", np.asarray(summary["outcome_share"]), {"description": _outcome_text(sc)}
    )
    ds = xr.Dataset(
        variables,
        coords={
            "quantile": list(QUANTILES.values()),
            "time": coords["time"],
            "bloc": list(BLOCS),
            "outcome": list(OUTCOMES),
        },
    )
    ds.attrs.update(scenario=sc.name, samples=real_samples, target=sc.target)
    return ds


def _outcome(sc: Scenario, lead_m: np.ndarray) -> xr.Variable:
    """Each sample's verdict at the scenario's target date."""
    target = sc.month(sc.target)
    before = max(target - sc.verdict.growth_window_months, 0)
    return xr.Variable(
        "sample",
        classify(lead_m[:, target], lead_m[:, before], sc.verdict).astype(str),
        {"description": _outcome_text(sc)},
    )


def _outcome_text(sc: Scenario) -> str:
    return (
        f"Verdict at {sc.target}: scenario-one (lead >= {sc.verdict.lead_at_least:g} "
        f"months and higher than {sc.verdict.growth_window_months} months before), "
        f"scenario-two (lead <= {sc.verdict.lead_at_most:g} months), else contested"
    )


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
