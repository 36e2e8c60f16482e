"""The pure monthly step and the initial state it starts from.

`init(p, x0)` turns parameter arrays (samples,) and month 0's inputs into the constants and the
state at the anchor; `step(c, s, x)` advances the state by one month and returns what the month
records. Both are pure: no branch on data values (`where` instead), no in-place writes, nothing
kept outside `State`, and every array call goes through the namespace of the inputs, so the same
code runs under NumPy and under `jax.jit`/`jax.lax.scan`.

A month, after the frontier half (`ailead.sim.frontier`):

    ln p    = -s ln(compute per user / start)                     inference price at home
    a'      = Bass step of adoption, faster with capability gain and cheaper inference
    r       = I_s - max(I_us, I_cn);  ln q = -s ln(compute / start)  standing abroad against
              the other stack: capability, and serving price relative to the cheaper one
    V       = k + policy terms (price, open weights, promotion) + b_cap trust r
              - b_price (ln q - min ln q) + b_net share
    share'  = share + c (softmax(V) - share)      installed shares abroad, moving towards the
              choice softmax(V); at month 0 the PRC's installed share lags its choice
    pi      = world AI revenue shares;  invest = (pi / pi0)^(eta on)
    P_us    = P_us,base x invest_us x retaliation;  P_cn = P_cn,base x build-out
    E, S    = abroad(inputs, invest_cn, stockpile)    exports and smuggling (sim/flows.py)
    K'      = K x retention + (P_us, P_cn + E + S)
    fired'  = latch(fired, conditions, t)                          the counter-moves' triggers
"""

from __future__ import annotations

from ailead.inputs.registry import load_registry
from ailead.model import adoption, capability, compute, distillation, feedback, markets, responses
from ailead.model.arrays import Array, namespace
from ailead.sim.flows import Inputs, abroad
from ailead.sim.frontier import (
    Frontier,
    efficiency_next,
    frontier,
    lag_positions,
    lagged,
    lead_estimate,
)
from ailead.sim.state import LEADER_MONTHS, TRIGGERS, Constants, Monthly, State

MARKET_KEYS = ("developed", "global_south")
# The market levers as they stand today (the registry's defaults): buyers' choice at the start
# was observed under them, so the constants abroad are set at these values and a scenario's other
# values move the shares from the first month.
TODAY_LEVERS = ("us_export_promotion", "cn_export_promotion")
TODAY_OPEN = ("us_open_weight_share", "cn_open_weight_share")


def _today(names: tuple[str, ...], like: Array) -> Array:
    """Registry defaults of two levers, (stack, samples) shaped like `like` (samples,)."""
    xp = namespace(like)
    registry = load_registry()
    return xp.stack([registry.parameters[n].default * xp.ones_like(like) for n in names])


def _frontier_constants(p: dict) -> dict:
    """Run factors [FLOP per H100e], retention, lag, distillation and loop parameters."""
    xp = namespace(p["distillation_lag_months"])
    whole = xp.floor(p["distillation_lag_months"]).astype(int)
    return {
        "run_factors": xp.stack(
            [
                capability.largest_run_flop(
                    1.0,
                    p[f"largest_run_share_{bloc}"],
                    p["training_utilisation"],
                    p["training_duration_months"],
                    p["h100_flops"],
                )
                for bloc in ("us", "cn")
            ]
        ),
        "retention": compute.monthly_retention(p["hardware_lifetime_years"]),
        "lag_positions": lag_positions(whole),
        "lag_fraction": p["distillation_lag_months"] - whole,
        "closure_max": p["distillation_gap_closure"],
        "min_run_ratio": p["distillation_min_run_ratio"],
        "speedup_width": p["ai_rnd_speedup_width"],
        "speedup_max": p["ai_rnd_speedup_max"],
        "speedup_compute_half": p["ai_rnd_compute_half"],
        "compute_unit": p["us_compute_stock_2025"],  # research compute in US-2025 units
        "algorithmic_progress": p["algorithmic_progress"],
        "productivity": xp.stack(  # research productivity relative to the US: (1, q_cn)
            [xp.ones_like(p["cn_research_productivity"]), p["cn_research_productivity"]]
        ),
        "experiment_elasticity": p["experiment_compute_elasticity"],
        "pace_max": p["follower_pace_max"],
        "spillover": p["algorithmic_spillover"],
        "catch_up_max": p["catch_up_max"],
    }


def _home_constants(p: dict, accessible0: Array) -> dict:
    """Adoption parameters per bloc as (bloc, samples) arrays (same-shape arithmetic is fastest)."""
    xp = namespace(accessible0)
    ones = xp.ones_like(accessible0)
    return {
        "accessible0": accessible0,
        "adoption0": xp.stack([p["adoption_us_2025"], p["adoption_cn_2025"]]),
        "push": xp.stack([p["us_adoption_push"], p["cn_adoption_push"]]),
        **{
            key: p[name] * ones
            for key, name in (
                ("scarcity", "inference_scarcity"),
                ("k_capability", "adoption_capability_elasticity"),
                ("k_price", "adoption_price_elasticity"),
                ("innovation", "bass_innovation"),
                ("imitation", "bass_imitation"),
            )
        },
    }


def _market_constants(p: dict) -> dict:
    """Market parameters as (market, stack, samples) or (stack, samples) arrays."""
    xp = namespace(p["cn_trust_developed"])
    ones = xp.ones_like(p["cn_trust_developed"])
    full = xp.ones((2, 2, ones.shape[0]))
    return {
        "trust": xp.stack([xp.stack([ones, p[f"cn_trust_{k}"]]) for k in MARKET_KEYS]),
        "promo": xp.stack([p["us_export_promotion"], p["cn_export_promotion"]]),
        "promo_today": _today(TODAY_LEVERS, ones),
        "open_today": _today(TODAY_OPEN, ones),
        "subsidy": xp.stack([p["us_export_subsidy"], p["cn_export_subsidy"]]),
        "open_discount": p["open_weight_price_discount"],
        "switching": p["market_switching_rate"] * full,
        "b": {
            "cap": p["market_capability_weight"] * full,
            "price": p["market_price_weight"],
            "onprem": p["market_onprem_weight"],
            "promo": p["market_promotion_weight"],
            "net": p["market_network_weight"] * full,
        },
        "weights": {
            "home": xp.stack([p["gdp_share_us"], p["gdp_share_cn"]]),
            "home_total": p["gdp_share_us"] + p["gdp_share_cn"],
            "markets": xp.stack([p[f"gdp_share_{k}"] for k in MARKET_KEYS]),
        },
        "elasticity": p["revenue_investment_elasticity"],
        "feedback": p["revenue_feedback"],
    }


def _response_constants(p: dict, exports0: Array) -> dict:
    """Trigger levels and strengths of the PRC's counter-moves."""
    return {
        "on": p["prc_responses"],
        "buildout_ratio": p["cn_buildout_trigger_ratio"],
        "buildout_boost": p["cn_buildout_boost"],
        "buildout_delay": p["cn_buildout_delay_months"],
        "open_lead": p["cn_open_weight_trigger_lead"],
        "open_us": p["us_open_weight_share"],
        "open_cn": p["cn_open_weight_share"],
        "open_cn_max": p["cn_open_weight_max"],
        "retaliation_level": p["cn_retaliation_trigger"] * exports0,
        "retaliation_cost": p["cn_retaliation_cost"],
    }


def _policy_utility(m: dict, open_share: Array, promo: Array) -> Array:
    """Stack utilities abroad from price, open weights and promotion, (stack, samples)."""
    price = markets.stack_price(m["subsidy"], promo, m["open_discount"], open_share)
    return markets.policy_utility(price, open_share, promo, m["b"])


def _open_shares(r: dict, fired: Array) -> Array:
    """Share of each bloc's frontier released as open weights, (bloc, samples)."""
    xp = namespace(fired)
    cn = responses.open_weight_share(fired[1], r["open_cn"], r["open_cn_max"], r["on"])
    return xp.asarray([r["open_us"] * xp.ones_like(cn), cn])


def init(p: dict, x0: Inputs) -> tuple[Constants, State]:
    """The constants and the state at the anchor (month 0), from parameter arrays (samples,).

    The leader's path before month 0 is extended backwards at the historical frontier growth rate
    g [OOM/year]; the PRC's starting efficiency is set so that it trails by the observed lead:
    I_cn(0) = I_us(0) - g L0 / 12 after distillation.
    """
    xp = namespace(p["us_compute_stock_2025"], x0.remote_rate)
    f = _frontier_constants(p)
    stock = xp.stack([p["us_compute_stock_2025"], p["cn_compute_stock_2025"]])
    accessible = xp.stack([stock[0], stock[1] + stock[0] * x0.remote_rate])
    best = accessible * f["run_factors"]
    cap_us0 = xp.log10(best[0])
    slope = p["frontier_growth_history"]
    before = -1.0 - xp.arange(LEADER_MONTHS, dtype=float)  # months -1, -2, ...
    path = cap_us0 + slope * (before[:, None] / 12.0)
    ceiling = lagged(
        xp.concatenate([cap_us0[None, :], path]), f["lag_positions"], f["lag_fraction"]
    )
    closure = distillation.gap_closure(
        f["closure_max"], x0.deterrence, best[1] / best[0], f["min_run_ratio"]
    )
    cap_cn0 = cap_us0 - slope * p["initial_lead_months"] / 12.0
    eff_cn = distillation.own_capability_for(cap_cn0, closure, ceiling) - xp.log10(best[1])
    n = cap_us0.shape[0]
    choice = xp.stack(  # buyers' choice at the start, (market, stack, samples)
        [
            xp.stack([p[f"market_share_us_{k}_2025"], p[f"market_share_cn_{k}_2025"]])
            for k in MARKET_KEYS
        ]
    )
    installed = markets.starting_installed(
        choice[:, 0], choice[:, 1], p["market_cn_installed_fraction_2025"]
    )
    state = State(
        stock=stock,
        best_run=xp.full((2, n), -xp.inf),
        log_eff=xp.stack([xp.zeros(n), eff_cn]),
        best_capability=xp.full(n, -xp.inf),
        adoption=xp.stack([p["adoption_us_2025"], p["adoption_cn_2025"]]),
        installed=xp.stack(installed, axis=1),
        fired=xp.full((len(TRIGGERS), n), responses.NEVER),
        leader_path=path,
    )
    f.update(
        experiment_ratio0=accessible / accessible[0],  # (1, A_cn / A_us) at the anchor
        capability_us0=cap_us0,
        capability_cn0=cap_cn0,
        speedup_midpoint=cap_us0 + p["ai_rnd_speedup_midpoint"],
    )
    fr = frontier(f, state, x0)
    r = _response_constants(p, x0.exports)
    m = _market_constants(p)
    h = _home_constants(p, fr.accessible)
    # The constants that reproduce buyers' choice at the start under today's market levers (the
    # installed base lags it), and the revenue shares of the 2025 outlook that the baseline
    # investment projections assume: at the shares buyers chose, which the installed base follows.
    m.update(accessible0=fr.accessible, scarcity=p["inference_scarcity"])
    drivers = _policy_utility(m, m["open_today"], m["promo_today"]) + _standing_utility(
        m, state, fr
    )
    k_us, k_cn = markets.calibrated_constants(
        choice[:, 0], choice[:, 1], drivers[:, 0], drivers[:, 1]
    )
    m.update(
        constants=xp.stack([k_us, k_cn], axis=1),
        revenue0=feedback.revenue_shares(state.adoption, m["weights"], choice),
    )
    return Constants(f, h, m, r), state


def _log_prices(h: dict, adopt: Array, fr: Frontier) -> Array:
    """ln of each bloc's inference price index (0 at the start), (bloc, samples)."""
    return adoption.log_inference_price(
        fr.accessible, h["accessible0"], adopt, h["adoption0"], h["scarcity"]
    )


def _adoption_next(h: dict, adopt: Array, fr: Frontier) -> Array:
    """Next month's adoption of both blocs, (bloc, samples)."""
    log_price = _log_prices(h, adopt, fr)
    rate = adoption.diffusion_multiplier(
        h["push"], fr.gain_since_start, h["k_capability"], log_price, h["k_price"]
    )
    return adoption.bass_step(adopt, h["innovation"], h["imitation"], rate)


def _standing_utility(m: dict, s: State, fr: Frontier) -> Array:
    """The monthly terms of the utilities abroad: capability and serving price relative to the
    other stack, and the installed base, (market, stack, samples)."""
    relative_cap = markets.relative_capability(fr.recent[0], fr.best_capability)
    serving = markets.log_serving_price(fr.accessible, m["accessible0"], m["scarcity"])
    relative_price = markets.relative_log_price(serving)
    return markets.market_utility(relative_cap, relative_price, m["trust"], s.installed, m["b"])


def _markets_next(m: dict, s: State, fr: Frontier, open_share: Array) -> tuple[Array, ...]:
    """Next month's installed shares abroad, this month's choice shares (market, stack, samples)
    and this month's revenue shares (stack, samples)."""
    xp = namespace(s.installed)
    utility = (m["constants"] + _policy_utility(m, open_share, m["promo"])) + _standing_utility(
        m, s, fr
    )
    us, cn, _ = markets.logit_shares(utility[:, 0], utility[:, 1])
    revenue = feedback.revenue_shares(s.adoption, m["weights"], s.installed)
    chosen = xp.stack([us, cn], axis=1)
    return markets.adjust(s.installed, chosen, m["switching"]), chosen, revenue


def _inflows(r: dict, fired: Array, x: Inputs, invest: Array) -> tuple[Array, Array, Array]:
    """Production (bloc, samples), legal exports and smuggling [H100e/month] under the feedback
    and the counter-moves in force (triggers latched in earlier months)."""
    xp = namespace(fired, invest)
    buildout = responses.buildout_factor(
        fired[0], x.month, r["buildout_boost"], r["buildout_delay"], r["on"]
    )
    us_output = invest[0] * responses.retaliation_factor(fired[2], r["retaliation_cost"], r["on"])
    production = xp.asarray([x.production_us * us_output, x.production_cn * buildout])
    exports, smuggled = abroad(x, invest[1], x.stockpile)
    return production, exports, smuggled


def _fired_next(r: dict, fired: Array, fr: Frontier, exports: Array, month: Array) -> Array:
    """The triggers latched after this month (TRIGGERS order)."""
    xp = namespace(fired)
    conditions = xp.asarray(
        [
            fr.accessible[0] >= r["buildout_ratio"] * fr.accessible[1],
            lead_estimate(fr.recent, fr.best_capability) >= r["open_lead"],
            exports < r["retaliation_level"],
        ]
    )
    return responses.latch(fired, conditions, month)


def step(c: Constants, s: State, x: Inputs) -> tuple[State, Monthly]:
    """One month: the next state and what this month records."""
    xp = namespace(s.stock, x.month)
    fr = frontier(c.frontier, s, x)
    open_share = _open_shares(c.responses, s.fired)
    installed, chosen, revenue = _markets_next(c.markets, s, fr, open_share)
    invest = feedback.investment_multiplier(
        revenue, c.markets["revenue0"], c.markets["elasticity"], c.markets["feedback"]
    )
    production, exports, smuggled = _inflows(c.responses, s.fired, x, invest)
    inflow = xp.asarray([production[0], production[1] + exports + smuggled])
    following = State(
        stock=compute.stock_next(s.stock, inflow, c.frontier["retention"]),
        best_run=fr.best_run,
        log_eff=efficiency_next(c.frontier, s.log_eff, fr),
        best_capability=fr.best_capability,
        adoption=_adoption_next(c.home, s.adoption, fr),
        installed=installed,
        fired=_fired_next(c.responses, s.fired, fr, exports, x.month),
        leader_path=fr.recent[:-1],
    )
    recorded = Monthly(
        capability=xp.asarray([fr.recent[0], fr.best_capability]),
        stock=s.stock,
        remote=fr.remote,
        run=fr.best_run,
        log_eff=s.log_eff,
        speedup=fr.speedup,
        distillation_gain=fr.distilled - fr.own,
        gain_since_start=fr.gain_since_start,
        adoption=s.adoption,
        market_share=s.installed,
        market_choice=chosen,
        revenue_share=revenue,
        open_weight_share=open_share,
        production=production,
        exports=exports,
        smuggled=smuggled,
    )
    return following, recorded
