"""The month's exogenous inputs: what each bloc would produce, import and smuggle on the baseline
projections, and the policy levers in force, for every month at once.

The supply mechanisms do not depend on the simulated state, so they are applied once to
(months, samples) arrays before the loop. The step then scales them by the state-dependent
factors (revenue feedback, counter-moves):

    production_us(t)  P_us(t)  [H100e/month], Epoch's 2025 shipments grown at a decaying rate
    production_cn(t)  P_cn(t)  [H100e/month], min(wafers x yield, HBM / stacks) x chip performance
    exports(t)        E(t)     [H100e/month], PRC demand for the best class under the threshold
    smuggled(t)       S(t)     [H100e/month], a share of US output x (1 - enforcement)
    stockpile(t)      [x]      import demand surge while a fall of legal imports is announced
    remote_rate(t)    [H100e per H100e of US stock] overseas capacity rented by PRC labs
    deterrence(t)     [0, 1]   distillation deterrence in force
    month             [months since the anchor]
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
    smuggled: Array
    stockpile: Array
    remote_rate: Array
    deterrence: Array

    def at(self, t: int) -> Inputs:
        """The inputs of month t."""
        return Inputs(*(values[t] for values in self))


def _production_cn(p, levers, month, years):
    """PRC domestic production [H100e/month]: chips bounded by wafers and HBM x chip performance."""
    xp = namespace(month, p["cn_advanced_wafers_2025"])
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
    # g**y, computed as exp(y ln g)
    return chips_cn * p["cn_chip_h100e_2025"] * xp.exp(xp.log(p["cn_chip_perf_growth"]) * years)


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
    exports = compute.legal_exports(
        prod_us,
        p["cn_import_demand_share"],
        levers["export_threshold_tpp"],
        (p["h20_tpp"], p["h200_tpp"], p["b200_tpp"]),
        p["b200_tpp"] * xp.exp(xp.log(p["us_chip_perf_growth"]) * years),
    )
    announced = responses.announced_fall(
        exports, p["control_announcement_months"], p["cn_stockpile_trigger"]
    )
    return Inputs(
        month=month[:, 0],
        production_us=prod_us,
        production_cn=_production_cn(p, levers, month, years),
        exports=exports,
        smuggled=access.smuggled(
            prod_us, p["smuggling_share_unenforced"], levers["smuggling_enforcement"]
        ),
        stockpile=responses.stockpile_factor(
            announced, p["cn_stockpile_surge"], p["prc_responses"]
        ),
        remote_rate=access.remote_access(
            1.0,
            p["overseas_share_of_us_compute"],
            p["remote_rentable_share"],
            levers["remote_access_rule"],
            p["remote_closure_leakage"],
        ),
        deterrence=levers["distillation_deterrence"],
    )
