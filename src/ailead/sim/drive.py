"""The monthly loop: both blocs' compute, capability, fronts and counter-moves, month by month.

`baseline_flows` applies the supply mechanisms once to (months, samples) arrays: what each bloc
would produce, import and smuggle on the baseline projections. `simulate` then steps through the
months. Each month it reads the state (stocks, training runs, algorithmic efficiency, adoption,
installed market shares, fired triggers), computes capability for the leader then the follower,
moves the fronts, and scales next month's inflows by the revenue feedback and the counter-moves:

    inflow_us(t) = P_us(t) * invest_us(t) * retaliation(t)
    inflow_cn(t) = P_cn(t) * buildout(t)
                   + (E(t) * invest_cn(t) * stockpile(t) + S(t)) * invest_us(t) * retaliation(t)

with P production, E legal exports and S smuggling on the baseline (E and S are shares of US
output, so they follow it). All arrays are (samples,) inside the loop; outputs are (months,
samples).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ailead.model import (
    access,
    adoption,
    capability,
    compute,
    distillation,
    feedback,
    markets,
    resilience,
    responses,
)

MARKET_KEYS = {"developed": "developed", "global-south": "global_south"}


def baseline_flows(p: dict[str, np.ndarray], levers: dict[str, np.ndarray], n_months: int):
    """Production, legal exports and smuggling for every month on the baseline projections."""
    month = np.arange(n_months, dtype=float)[:, None]
    years = (month - 5.5) / 12.0  # production parameters describe the middle of the first year
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
    exports = compute.legal_exports(
        prod_us,
        p["cn_import_demand_share"],
        levers["export_threshold_tpp"],
        (p["h20_tpp"], p["h200_tpp"], p["b200_tpp"]),
        p["b200_tpp"] * np.exp(np.log(p["us_chip_perf_growth"]) * years),
    )
    return {
        "production_us": prod_us,
        "production_cn": chips_cn
        * p["cn_chip_h100e_2025"]
        * np.exp(np.log(p["cn_chip_perf_growth"]) * years),  # g**y, faster as exp
        "exports": exports,
        "smuggled": access.smuggled(
            prod_us, p["smuggling_share_unenforced"], levers["smuggling_enforcement"]
        ),
    }


class _LaggedReader:
    """The leader's path read `lag` months before a month of a padded history.

    history: (pad + months, samples), rows before `pad` hold the backward extension. With
    lag = d + f (d whole, 0 <= f < 1): (1 - f) * I(t - d) + f * I(t - d - 1). The positions of
    each sample's two entries in the flattened history are set once (reading by `take` is
    cheaper than fancy indexing in every month).
    """

    def __init__(self, history: np.ndarray, pad: int, lag_months: np.ndarray) -> None:
        n = history.shape[1]
        whole = np.floor(lag_months).astype(int)
        self.flat, self.n = history.reshape(-1), n
        self.first = (pad - whole) * n + np.arange(n)  # flat index of I(0 - d) per sample
        self.frac, self.keep = lag_months - whole, 1.0 - (lag_months - whole)

    def __call__(self, month: int) -> np.ndarray:
        at = self.first + month * self.n
        return self.keep * self.flat.take(at) + self.frac * self.flat.take(at - self.n)


def _lead_estimate(history, row, cap_cn, history_slope):
    """The lead [months] as the gap over the leader's growth in the last year: 12 dI / g.

    Used only by triggers inside the loop; the reported lead is computed exactly afterwards.
    """
    growth = history[row] - history[row - 12]  # OOM over the last 12 months (padding included)
    return 12.0 * (history[row] - cap_cn) / np.maximum(growth, 1e-6)


def _home_step(h, adopt, accessible, gain):
    """One month of both blocs' adoption, arrays (bloc, samples): the next month's adoption."""
    log_price = adoption.log_inference_price(
        accessible, h["accessible0"], adopt, h["adoption0"], h["scarcity"]
    )
    rate = adoption.diffusion_multiplier(
        h["push"], gain, h["k_capability"], log_price, h["k_price"]
    )
    return adoption.bass_step(adopt, h["innovation"], h["imitation"], rate)


def _resilience(p, adoption_path, gain_path):
    """Resilience per month from the adoption and capability-gain paths (months, bloc, samples)."""
    change = np.diff(adoption_path, axis=0, append=adoption_path[-1:])
    change[-1] = change[-2]  # the last month's step is not simulated: carry the one before
    pace = resilience.displacement_pace(
        change, p["task_exposure_share"], gain_path, p["displacement_capability_elasticity"]
    )
    capacity = np.stack([p["adaptation_capacity_us"], p["adaptation_capacity_cn"]])
    return resilience.resilience_index(capacity, pace)


def _home_constants(p, accessible0):
    """Per-bloc parameters as (bloc, samples) arrays (same-shape arithmetic is the fastest)."""
    shape = accessible0.shape
    return {
        "accessible0": accessible0,
        "adoption0": np.stack([p["adoption_us_2025"], p["adoption_cn_2025"]]),
        "push": np.stack([p["us_adoption_push"], p["cn_adoption_push"]]),
        **{
            key: np.broadcast_to(p[name], shape).copy()
            for key, name in (
                ("scarcity", "inference_scarcity"),
                ("k_capability", "adoption_capability_elasticity"),
                ("k_price", "adoption_price_elasticity"),
                ("innovation", "bass_innovation"),
                ("imitation", "bass_imitation"),
            )
        },
    }


def _market_constants(p):
    """Market parameters: arrays (market, stack, samples) or (stack, samples).

    Those used every month are spread to the full (market, stack, samples) shape once, since
    same-shape arithmetic is the fastest.
    """
    ones = np.ones_like(p["cn_trust_developed"])
    keys = MARKET_KEYS.values()

    def full(values):
        return np.broadcast_to(values, (2, 2, len(values))).copy()

    return {
        "trust": np.stack([np.stack([ones, p[f"cn_trust_{k}"]]) for k in keys]),
        "installed0": np.stack(
            [
                np.stack([p[f"market_share_us_{k}_2025"], p[f"market_share_cn_{k}_2025"]])
                for k in keys
            ]
        ),
        "promo": np.stack([p["us_export_promotion"], p["cn_export_promotion"]]),
        "subsidy": np.stack([p["us_export_subsidy"], p["cn_export_subsidy"]]),
        "open_discount": p["open_weight_price_discount"],
        "switching": full(p["market_switching_rate"]),
        "b": {
            "cap": full(p["market_capability_weight"]),
            "price": p["market_price_weight"],
            "onprem": p["market_onprem_weight"],
            "promo": p["market_promotion_weight"],
            "net": full(p["market_network_weight"]),
        },
        "weights": {
            "home": np.stack([p["gdp_share_us"], p["gdp_share_cn"]]),
            "home_total": p["gdp_share_us"] + p["gdp_share_cn"],
            "markets": np.stack([p[f"gdp_share_{k}"] for k in keys]),
        },
    }


def _policy_utility(m, open_share):
    """Stack utilities abroad from price, open weights and promotion, (stack, samples)."""
    price = markets.stack_price(m["subsidy"], m["promo"], m["open_discount"], open_share)
    return markets.policy_utility(price, open_share, m["promo"], m["b"])


def simulate(
    p: dict[str, np.ndarray],
    levers: dict[str, np.ndarray],
    n_months: int,
    on_month: Callable[[int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Run the model from the anchor. Parameter arrays (samples,); outputs (months, ...)."""
    base = baseline_flows(p, levers, n_months)
    on = p["prc_responses"]
    stockpile = responses.stockpile_factor(
        responses.announced_fall(
            base["exports"], p["control_announcement_months"], p["cn_stockpile_trigger"]
        ),
        p["cn_stockpile_surge"],
        on,
    )
    n = base["production_us"].shape[1]
    out: dict[str, np.ndarray] = {}  # the recorded paths, (months, ...) each
    slope = p["frontier_growth_history"]
    m = _market_constants(p)
    # Room for the lag and for a year of growth before month 0.
    pad = int(np.floor(p["distillation_lag_months"]).max()) + 13
    history = np.empty((pad + n_months, n))  # the leader's capability, padded backwards
    lagged = _LaggedReader(history, pad, p["distillation_lag_months"])

    # The largest run is linear in accessible compute: its factor per bloc [FLOP per H100e].
    run_factor = {
        bloc: capability.largest_run_flop(
            1.0,
            p[f"largest_run_share_{bloc}"],
            p["training_utilisation"],
            p["training_duration_months"],
            p["h100_flops"],
        )
        for bloc in ("us", "cn")
    }
    retention = compute.monthly_retention(p["hardware_lifetime_years"])

    stock = np.stack([p["us_compute_stock_2025"], p["cn_compute_stock_2025"]])  # (bloc, samples)
    run_factors = np.stack([run_factor["us"], run_factor["cn"]])
    remote_rate = access.remote_access(  # remote capacity per H100e of US stock, (months, samples)
        1.0,
        p["overseas_share_of_us_compute"],
        p["remote_rentable_share"],
        levers["remote_access_rule"],
        p["remote_closure_leakage"],
    )
    best = np.full((2, n), -np.inf)  # each bloc's largest run so far [FLOP]
    eff = np.zeros((2, n))  # log10 algorithmic efficiency; the PRC's is set in month 0
    best_cap = np.full(n, -np.inf)
    gain, accessible, research = np.empty((2, n)), np.empty((2, n)), np.empty((2, n))
    inflow, chosen_shares = np.empty((2, n)), np.empty((2, 2, n))
    open_share = np.stack([p["us_open_weight_share"], p["cn_open_weight_share"]])
    adopt = m_installed = policy_utility = None
    triggers = _Triggers(("buildout", "open", "retaliation"), n)
    retaliation = 1.0  # the US-bloc output factor once retaliation has fired
    retaliation_level = p["cn_retaliation_trigger"] * base["exports"][0]
    buildout_ratio, open_lead = p["cn_buildout_trigger_ratio"], p["cn_open_weight_trigger_lead"]
    for t in range(n_months):
        row = pad + t
        remote = stock[0] * remote_rate[t]
        accessible[0], accessible[1] = stock[0], stock[1] + remote
        best = np.maximum(best, accessible * run_factors)
        log_best = np.log10(best)

        # The leader: the US frontier at the base rate times its AI-R&D speed-up.
        cap_us = log_best[0] + eff[0]
        history[row] = cap_us
        if t == 0:
            history[:pad] = cap_us + slope * (np.arange(-pad, 0)[:, None] / 12.0)
            speedup_mid = cap_us + p["ai_rnd_speedup_midpoint"]
            cap_us0 = cap_us

        # The follower: own capability, distillation towards the leader's lagged path.
        ceiling = lagged(t)
        deterrence = levers["distillation_deterrence"][t]
        closure = distillation.gap_closure(
            p["distillation_gap_closure"],
            deterrence,
            best[1] / best[0],
            p["distillation_min_run_ratio"],
        )
        if t == 0:
            # Starting efficiency: the PRC trails the US by the observed lead.
            cap_cn0 = cap_us0 - slope * p["initial_lead_months"] / 12.0
            eff[1] = distillation.own_capability_for(cap_cn0, closure, ceiling) - log_best[1]
        own = log_best[1] + eff[1]
        distilled = distillation.distilled_capability(own, closure, ceiling)
        best_cap = np.maximum(best_cap, distilled)
        # AI-R&D speed-ups: the US on its own frontier, the PRC on what its research can use.
        research[0] = cap_us
        research[1] = distillation.research_capability(best_cap, cap_us, deterrence)
        speed = capability.ai_rnd_speedup(
            research, speedup_mid, p["ai_rnd_speedup_width"], p["ai_rnd_speedup_max"]
        )
        gain[0], gain[1] = cap_us - cap_us0, best_cap - cap_cn0

        # Fronts: adoption and resilience at home, shares abroad, revenue and investment.
        if t == 0:
            home = _home_constants(p, accessible.copy())
            adopt, m_installed = home["adoption0"], m["installed0"]
        _record(out, t, n_months, adoption=adopt, gain_since_start=gain)
        adopt_now, adopt = adopt, _home_step(home, adopt, accessible, gain)
        if t == 0:  # the constants that reproduce the starting shares
            moving = markets.market_utility(gain, m["trust"], m_installed, m["b"])
            drivers = _policy_utility(m, open_share) + moving
            constants = np.stack(
                markets.calibrated_constants(
                    m_installed[:, 0], m_installed[:, 1], drivers[:, 0], drivers[:, 1]
                ),
                axis=1,
            )  # (market, stack, samples)
        if policy_utility is None:  # constants + the policy terms, recomputed when they move
            policy_utility = constants + _policy_utility(m, open_share)
        utility = policy_utility + markets.market_utility(gain, m["trust"], m_installed, m["b"])
        chosen = markets.logit_shares(utility[:, 0], utility[:, 1])
        _record(out, t, n_months, market_share=m_installed)
        pi = feedback.revenue_shares(adopt_now, m["weights"], m_installed)
        chosen_shares[:, 0], chosen_shares[:, 1] = chosen[0], chosen[1]
        m_installed = markets.adjust(m_installed, chosen_shares, m["switching"])
        if t == 0:
            pi0 = pi
        invest = feedback.investment_multiplier(
            pi, pi0, p["revenue_investment_elasticity"], p["revenue_feedback"]
        )

        # Counter-moves in force this month (retaliation's factor is set when it fires).
        buildout = 1.0
        if triggers.any_fired("buildout"):
            buildout = responses.buildout_factor(
                triggers.fired["buildout"],
                t,
                p["cn_buildout_boost"],
                p["cn_buildout_delay_months"],
                on,
            )
        us_output = invest[0] * retaliation
        production_us = base["production_us"][t] * us_output
        production_cn = base["production_cn"][t] * buildout
        exports = base["exports"][t] * us_output * invest[1] * stockpile[t]
        smuggled = base["smuggled"][t] * us_output
        _record(
            out,
            t,
            n_months,
            capability_us=cap_us,
            stock=stock,
            remote=remote,
            run=best,
            log_eff=eff,
            speedup=speed,
            gain=distilled - own,
            capability_cn=best_cap,
            revenue_share=pi,
            open_weight_share=open_share,
            production_us=production_us,
            production_cn=production_cn,
            exports=exports,
            smuggled=smuggled,
        )

        # Triggers: a condition is evaluated only while some sample has not yet fired.
        if triggers.waiting["buildout"]:
            triggers.check("buildout", accessible[0] >= buildout_ratio * accessible[1], t)
        if triggers.waiting["open"] and triggers.check(
            "open", _lead_estimate(history, row, best_cap, slope) >= open_lead, t
        ):
            open_share[1] = responses.open_weight_share(
                triggers.fired["open"], p["cn_open_weight_share"], p["cn_open_weight_max"], on
            )
            policy_utility = None  # the open-weight share changes from next month
        if triggers.waiting["retaliation"] and triggers.check(
            "retaliation", exports < retaliation_level, t
        ):
            retaliation = responses.retaliation_factor(
                triggers.fired["retaliation"], p["cn_retaliation_cost"], on
            )
        inflow[0], inflow[1] = production_us, production_cn + exports + smuggled
        stock = compute.stock_next(stock, inflow, retention)
        # the leader's row is its base rate times its speed-up
        growth = capability.algorithmic_growth(
            p["algorithmic_progress"],
            accessible,
            accessible[0],
            p["experiment_compute_elasticity"],
            speed,
        )
        growth[1] += capability.spillover(eff[0], eff[1], p["algorithmic_spillover"])
        eff = eff + growth / 12.0
        if on_month is not None:
            on_month(t)
    for key in ("stock", "run", "log_eff", "speedup"):
        out[f"{key}_us"], out[f"{key}_cn"] = out[key][:, 0], out[key][:, 1]
    out["accessible_us"], out["accessible_cn"] = out["stock_us"], out["stock_cn"] + out["remote"]
    out["resilience"] = _resilience(p, out["adoption"], out["gain_since_start"])
    out["response_active"] = _responses_in_force(p, stockpile, triggers.fired, n_months)
    return out


class _Triggers:
    """The month each counter-move's trigger fired per sample (`responses.NEVER` until then)."""

    def __init__(self, keys: tuple[str, ...], n: int) -> None:
        self.fired = {key: np.full(n, responses.NEVER) for key in keys}
        self.unfired = {key: np.ones(n, dtype=bool) for key in keys}
        self.n = n
        self.waiting = dict.fromkeys(keys, n)  # samples not yet fired

    def check(self, key: str, condition: np.ndarray, month: int) -> bool:
        """Latch `key` where `condition` holds for the first time; True if any sample did."""
        if not np.count_nonzero(condition & self.unfired[key]):
            return False
        self.fired[key] = responses.latch(self.fired[key], condition, month)
        self.unfired[key] = self.fired[key] == responses.NEVER
        self.waiting[key] = int(np.count_nonzero(self.unfired[key]))
        return True

    def any_fired(self, key: str) -> bool:
        return self.waiting[key] < self.n


def _responses_in_force(p, stockpile, fired, n_months):
    """(months, response, samples): 1 where a counter-move changed that month's flows.

    A trigger latched in month t acts from month t + 1 (the build-out after its delay too).
    """
    t = np.arange(n_months, dtype=float)[:, None]
    on = p["prc_responses"] > 0
    return np.stack(
        [
            stockpile > 1.0,
            on
            & (p["cn_buildout_boost"] > 0)
            & (t > fired["buildout"] + p["cn_buildout_delay_months"]),
            on & (p["cn_open_weight_max"] != p["cn_open_weight_share"]) & (t > fired["open"]),
            on & (p["cn_retaliation_cost"] > 0) & (t > fired["retaliation"]),
        ],
        axis=1,
    ).astype(float)


def _record(out: dict[str, np.ndarray], t: int, n_months: int, **values) -> None:
    """Write month t of each recorded path, allocating the (months, ...) arrays in month 0."""
    if t == 0:
        for key, value in values.items():
            out[key] = np.empty((n_months, *np.shape(value)))
    for key, value in values.items():
        out[key][t] = value
