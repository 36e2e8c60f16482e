"""The month's exogenous inputs: what each bloc would produce, import and smuggle on the baseline
projections, and the policy levers in force, for every month at once.

The supply mechanisms do not depend on the simulated state, so they are applied once to
(months, samples) arrays before the loop. The step then scales them by the state-dependent
factors (revenue feedback, counter-moves) through `abroad`:

    production_us(t)  P_us(t)  [H100e/month], Epoch's 2025 shipments grown at a decaying rate
    production_cn(t)  P_cn(t)  [H100e/month], min(wafers x yield, HBM / stacks) x chip performance
    demand(t)         N(t)     [chips/month], PRC buyers' demand for imported accelerators
    frontier_h100e(t) h_f(t)   [H100e/chip], the newest US chip, the class smugglers move
    licensed(t)       L(t)     [chips/month], volume licensed case by case above the threshold
    licensed_h100e(t) h_lic(t) [H100e/chip], the best class the licensing rule allows
    free_h100e(t)     h_free(t)[H100e/chip], the best class below the no-licence threshold
    smuggling_share   sigma0   [0-1], share of unmet demand smuggled with no enforcement
    enforcement(t)    [0-1]    share of would-be smuggling stopped
    exports(t)        E(t)     [H100e/month], `abroad` at the baseline (factors 1): what
                               announces a fall of legal imports and sets retaliation's level
    stockpile(t)      [x]      import demand surge while a fall of legal imports is announced
    remote_rate(t)    [H100e per H100e of US stock] overseas capacity rented by PRC labs
    deterrence(t)     [0, 1]   distillation deterrence in force
    month             [months since the anchor]

Legal exports and smuggling follow from these through `abroad` (model/compute.py, access.py):

    E = n_lic h_lic + (N - n_lic) h_free,  n_lic = min(N, L)   [H100e/month]
    S = sigma0 (1 - enforcement) max(0, N h_f - E)             [H100e/month], 0 <= S <= N h_f

so smuggling grows with demand in chips times the newest class's performance, falls with
enforcement and with legal supply, and does not scale with US output.
"""

from __future__ import annotations

from typing import NamedTuple

from ailead.model import access, compute, responses
from ailead.model.arrays import Array, namespace


class Inputs(NamedTuple):
    """One month's exogenous inputs, arrays (samples,); with a leading months axis for a run."""

    month: Array
    production_us: Array
    production_cn: Array
    exports: Array
    stockpile: Array
    remote_rate: Array
    deterrence: Array
    demand: Array
    frontier_h100e: Array
    licensed: Array
    licensed_h100e: Array
    free_h100e: Array
    smuggling_share: Array
    enforcement: Array

    def at(self, t: int) -> Inputs:
        """The inputs of month t."""
        return Inputs(*(values[t] for values in self))


def abroad(x: Inputs, demand_factor, surge) -> tuple[Array, Array]:
    """Legal exports and smuggling this month [H100e/month], with the PRC's import demand scaled
    by `demand_factor` (its revenue feedback) and, for the legal channel only, by `surge` (the
    stockpiling surge ahead of announced controls):

        N = N_base x demand_factor
        E = legal_exports(N x surge, L, h_lic, h_free, h_f)       (<= N surge h_f, n_lic <= L)
        S = sigma0 (1 - enforcement) x max(0, N h_f - E)          (0 <= S <= N h_f)

    N [chips/month], h [H100e/chip], L [chips/month], sigma0 and enforcement [0-1].

    Works on one month (samples,) or on all months at once (months, samples).
    """
    demand = x.demand * demand_factor
    exports = compute.legal_exports(
        demand * surge, x.licensed, x.licensed_h100e, x.free_h100e, x.frontier_h100e
    )
    unmet = access.unmet_demand(demand, x.frontier_h100e, exports)
    return exports, access.smuggled(unmet, x.smuggling_share, x.enforcement)


def _production_cn(p, levers, month, years):
    """PRC domestic production [H100e/month]: chips bounded by wafers and HBM x chip performance."""
    xp = namespace(month, p["cn_advanced_wafers_2025"])
    wafers = compute.wafer_capacity(
        p["cn_advanced_wafers_2025"], p["cn_wafer_growth"], levers["sme_control"]
    )
    domestic_hbm = compute.domestic_hbm(
        p["cn_hbm_domestic_2025"], p["cn_hbm_domestic_growth"], levers["sme_control"]
    )
    hbm = compute.hbm_inflow(
        domestic_hbm, p["cn_hbm_import_potential"], levers["hbm_control"]
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
    # g**y, computed as exp(y ln g)
    return chips_cn * p["cn_chip_h100e_2025"] * xp.exp(xp.log(p["cn_chip_perf_growth"]) * years)


def _channels(p: dict, levers: dict, years) -> dict:
    """The import channels' exogenous terms, arrays (months, samples)."""
    xp = namespace(years, p["b200_tpp"])
    classes = (p["h20_tpp"], p["h200_tpp"], p["b200_tpp"])
    frontier = p["b200_tpp"] / p["h100_tpp"] * xp.exp(xp.log(p["us_chip_perf_growth"]) * years)
    demand = compute.import_demand(p["cn_import_demand_2026"], p["cn_import_demand_growth"], years)
    return {
        "demand": demand * xp.ones_like(frontier),
        "frontier_h100e": frontier,
        "licensed": levers["export_licensed_chips"] * xp.ones_like(frontier),
        "licensed_h100e": compute.class_h100e(levers["export_licence_tpp"], classes, p["h100_tpp"]),
        "free_h100e": compute.class_h100e(levers["export_threshold_tpp"], classes, p["h100_tpp"]),
        "smuggling_share": p["smuggling_share_unenforced"] * xp.ones_like(frontier),
        "enforcement": levers["smuggling_enforcement"],
    }


def exogenous(p: dict, levers: dict, n_months: int) -> Inputs:
    """Every month's exogenous inputs, arrays (months, samples).

    p: parameter arrays (samples,); levers: lever schedules (months, samples).
    """
    xp = namespace(p["us_production_2025"])
    month = xp.arange(n_months, dtype=float)[:, None]
    years = (month - 5.5) / 12.0  # production parameters describe the middle of the first year
    prod_us = compute.us_production(
        p["us_production_2025"], p["us_production_growth"], p["us_production_growth_decline"], years
    )
    channels = _channels(p, levers, years)
    base = Inputs(
        month=month[:, 0],
        production_us=prod_us,
        production_cn=_production_cn(p, levers, month, years),
        exports=prod_us * 0.0,  # replaced below by the baseline exports
        stockpile=xp.ones_like(prod_us),
        remote_rate=access.remote_access(
            1.0,
            p["overseas_share_of_us_compute"],
            p["remote_rentable_share"],
            levers["remote_access_rule"],
            p["remote_closure_leakage"],
        ),
        deterrence=levers["distillation_deterrence"],
        **channels,
    )
    exports, _ = abroad(base, 1.0, 1.0)
    announced = responses.announced_fall(
        exports, p["control_announcement_months"], p["cn_stockpile_trigger"]
    )
    return base._replace(
        exports=exports,
        stockpile=responses.stockpile_factor(
            announced, p["cn_stockpile_surge"], p["prc_responses"]
        ),
    )
