"""Switch 1, compute: accelerator production per bloc, legal exports, installed stocks.

Units: production in H100e per month (H100-equivalents by dense BF16 FLOP/s), stocks in H100e.
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


def wafer_capacity(wafers_2025, growth, sme_control):
    """PRC advanced-node wafer capacity [wafers/month] for each month (rows of `sme_control`).

    W(t) = W_2025 * g**(sum_{tau < t} c(tau) / 12), where c is the SME/servicing-control multiplier
    on log growth (1 = today's controls, lower = tighter): a month's controls slow later growth.
    """
    xp = namespace(wafers_2025, growth, sme_control)
    earlier = xp.concatenate([xp.zeros_like(sme_control[:1]), sme_control[:-1]], axis=0)
    return wafers_2025 * xp.exp(xp.log(growth) * xp.cumsum(earlier, axis=0) / 12.0)


def hbm_inflow(domestic_2025, domestic_growth, import_potential, hbm_control, years):
    """New HBM stacks per month reaching PRC chip makers.

    H(t) = H_dom,2025 * g_dom**y + imports * (1 - control): domestic output grows at g_dom;
    foreign supply is blocked in proportion to the HBM control.
    """
    xp = namespace(domestic_2025, domestic_growth, import_potential, hbm_control, years)
    domestic = domestic_2025 * xp.exp(xp.log(domestic_growth) * years)  # g**y, faster as exp
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

    chips = min(W * s_ai * dies_per_wafer * yield / dies_per_chip,  HBM_available / stacks_per_chip)
    """
    xp = namespace(
        wafers, ai_share, dies_per_wafer, die_yield, dies_per_chip, hbm_available, stacks_per_chip
    )
    by_wafers = wafers * ai_share * dies_per_wafer * die_yield / dies_per_chip
    return xp.minimum(by_wafers, hbm_available / stacks_per_chip)


def hbm_stockpile_drawdown(stockpile_2025, drawdown_months, month):
    """HBM from the pre-control stockpile per month [stacks/month].

    Drawn evenly over its first `drawdown_months` months: S_0 / M while month < M, then 0. A fixed
    schedule (not one driven by output) keeps each month's HBM independent of earlier controls.
    """
    xp = namespace(stockpile_2025, drawdown_months, month)
    return xp.where(month < drawdown_months, stockpile_2025 / drawdown_months, 0.0)


def best_exportable_tpp(threshold, class_tpps):
    """TPP of the best chip class at or below the export threshold (0 when none is)."""
    xp = namespace(threshold, class_tpps)
    best = xp.zeros_like(threshold)
    for tpp in class_tpps:
        best = xp.where(tpp <= threshold, xp.maximum(best, tpp), best)
    return best


def legal_exports(us_production, demand_share, threshold, class_tpps, frontier_tpp):
    """Legal US accelerator exports to the PRC [H100e/month].

    PRC buyers take a share of US-bloc output in units, of the best class the threshold allows:
        E = share * P_us * min(1, TPP_best_allowed / TPP_frontier).
    """
    xp = namespace(us_production, demand_share, threshold, class_tpps, frontier_tpp)
    allowed = best_exportable_tpp(threshold, class_tpps)
    return demand_share * us_production * xp.minimum(1.0, allowed / frontier_tpp)


def monthly_retention(lifetime_years):
    """Share of installed compute still in service a month later: 1 - 1/(12 L)."""
    return 1.0 - 1.0 / (12.0 * lifetime_years)


def stock_next(stock, inflow, retention):
    """Installed compute next month [H100e]: K' = K * retention + inflow."""
    return stock * retention + inflow
