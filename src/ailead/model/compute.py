"""Switch 1, compute: accelerator production per bloc, legal exports, installed stocks.

Units: production and exports in H100e per month (H100-equivalents by dense BF16 FLOP/s), stocks
in H100e, PRC import demand and licensed volumes in chips per month, wafer capacity in wafers per
month, HBM in stacks per month.
"""

from __future__ import annotations

from ailead.model.arrays import namespace


def us_production(p_2025, growth, decline, years):
    """US-bloc production P(y) [H100e/month] at `years` since mid-2025.

    The log growth rate ln(g) decays at `decline` per year:
        P(y) = P_2025 * exp(ln(g) * (1 - exp(-d*y)) / d),   and P_2025 * g**y as d -> 0.
    """
    xp = namespace(p_2025, growth, decline, years)
    log_g = xp.log(growth)
    safe_d = xp.where(decline > 1e-9, decline, 1.0)
    horizon = xp.where(decline > 1e-9, (1.0 - xp.exp(-safe_d * years)) / safe_d, years)
    return p_2025 * xp.exp(log_g * horizon)


def controlled_growth(level_0, growth, control):
    """A capacity grown under a control, for each month (rows of `control`) [units of level_0].

    L(t) = L_0 * g**(sum(c(tau) for tau in range(t)) / 12), where c multiplies the log growth rate
    (1 = today's controls, lower = tighter, 0 = no growth): a month's controls slow later growth,
    and capacity already built is kept.
    """
    xp = namespace(level_0, growth, control)
    earlier = xp.concatenate([xp.zeros_like(control[:1]), control[:-1]], axis=0)
    return level_0 * xp.exp(xp.log(growth) * xp.cumsum(earlier, axis=0) / 12.0)


def wafer_capacity(wafers_2025, growth, sme_control):
    """PRC advanced-node wafer capacity [wafers/month]: `controlled_growth` from January 2025.

    W(t) = W_2025 * g**(sum(c(tau) for tau in range(t)) / 12), c the SME control multiplier.
    """
    return controlled_growth(wafers_2025, growth, sme_control)


def domestic_hbm(domestic_mid_2025, growth, sme_control):
    """Domestic PRC HBM output [stacks/month] for each month (rows of `sme_control`).

    H_dom(t) = H_2025 * g**(-5.5 / 12) * g**(sum(c(tau) for tau in range(t)) / 12)
    with H_2025 the output in mid-2025 (5.5 months after January 2025, month 0) and the same
    control multiplier c on log growth as wafers, since DRAM and HBM lines need the same
    controlled tools (deposition, etch, through-silicon-via and bonding equipment) and their
    servicing.
    """
    xp = namespace(domestic_mid_2025, growth, sme_control)
    level_0 = domestic_mid_2025 * xp.exp(-xp.log(growth) * 5.5 / 12.0)
    return controlled_growth(level_0, growth, sme_control)


def hbm_inflow(domestic, import_potential, hbm_control):
    """New HBM stacks per month reaching PRC chip makers: H = H_dom + imports * (1 - control)."""
    return domestic + import_potential * (1.0 - hbm_control)


def die_yield(yield_2025, gain_per_year, ceiling, years):
    """Die yield: y(t) = clip(y_2025 + gain * years, 0.01, max(ceiling, y_2025))."""
    xp = namespace(yield_2025, gain_per_year, ceiling, years)
    return xp.clip(yield_2025 + gain_per_year * years, 0.01, xp.maximum(ceiling, yield_2025))


def domestic_chips(
    wafers,
    ai_share,
    dies_per_wafer,
    die_yield,
    dies_per_chip,
    hbm_available,
    stacks_per_chip,
):
    """PRC domestic accelerators per month [chips], bounded by wafers and by HBM.

    chips = min(W * s_ai * n_wafer * y / n_chip, H / n_hbm)
    with W the wafers, s_ai the share for AI chips, n_wafer the dies per wafer, y the die yield,
    n_chip the dies per chip, H the HBM stacks available and n_hbm the stacks per chip.
    """
    xp = namespace(
        wafers, ai_share, dies_per_wafer, die_yield, dies_per_chip, hbm_available, stacks_per_chip
    )
    by_wafers = wafers * ai_share * dies_per_wafer * die_yield / dies_per_chip
    return xp.minimum(by_wafers, hbm_available / stacks_per_chip)


def hbm_stockpile_drawdown(stockpile_2025, drawdown_months, month):
    """HBM from the pre-control stockpile per month [stacks/month].

    Drawn evenly over its first `drawdown_months` months M: S_0 / M while month < M, then 0.
        H_stock(t) = S_0 / M if t < M else 0
    A fixed schedule (not one driven by output) keeps each month's HBM independent of earlier
    controls.
    """
    xp = namespace(stockpile_2025, drawdown_months, month)
    return xp.where(month < drawdown_months, stockpile_2025 / drawdown_months, 0.0)


def class_h100e(tpp_limit, class_tpps, h100_tpp):
    """H100e per chip of the best chip class at or below a TPP limit (0 when none is).

    h = max(TPP_c / TPP_H100 for c in classes if TPP_c <= limit), or 0 when no class is at or
    below the limit; the classes are fixed TPP figures (H20, H200, B200 ...), so a limit between
    two classes allows the lower one.
    """
    xp = namespace(tpp_limit, h100_tpp)
    best = xp.zeros_like(tpp_limit)
    for tpp in class_tpps:
        best = xp.where(tpp <= tpp_limit, xp.maximum(best, tpp), best)
    return best / h100_tpp


def legal_exports(demand, licensed, licensed_h100e, free_h100e, frontier_h100e):
    """Legal US accelerator exports to the PRC [H100e/month].

    PRC buyers want N chips a month (`demand`, chips/month). The rules give two channels: chips of
    the best class below the no-licence threshold (h_free H100e each, any number) and chips of
    the best class the licensing rule allows case by case (h_lic each, at most L a month).
    Buyers take the better class first:
        n_lic = min(N, L) if h_lic > h_free else 0,   n_free = N - n_lic,
        E = n_lic * h_lic + n_free * h_free,
    with every class capped at the frontier chip (h <= h_frontier), so E <= N * h_frontier:
    exports never exceed what the PRC would buy with no controls, nor the licensed volume plus
    the unlicensed class.
    """
    xp = namespace(demand, licensed, licensed_h100e, free_h100e, frontier_h100e)
    h_free = xp.minimum(free_h100e, frontier_h100e)
    h_lic = xp.minimum(licensed_h100e, frontier_h100e)
    n_lic = xp.where(h_lic > h_free, xp.minimum(demand, licensed), 0.0)
    return n_lic * h_lic + (demand - n_lic) * h_free


def import_demand(chips_2026, growth, years):
    """PRC buyers' demand for imported accelerators [chips/month]: N(y) = N_2026 * g**(y - 1),
    with y the years since mid-2025 (N_2026 describes mid-2026)."""
    xp = namespace(chips_2026, growth, years)
    return chips_2026 * xp.exp(xp.log(growth) * (years - 1.0))


def monthly_retention(lifetime_years):
    """Share of installed compute still in service a month later: r = 1 - 1 / (12 * L).

    L is the accelerators' service lifetime [years].
    """
    return 1.0 - 1.0 / (12.0 * lifetime_years)


def stock_next(stock, inflow, retention):
    """Installed compute next month [H100e]: K' = K * retention + inflow."""
    return stock * retention + inflow
