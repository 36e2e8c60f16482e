"""Switch 2, access: smuggling and remote use of overseas data centres.

Units: H100e per month (unmet demand and smuggling, flows into the PRC stock) and H100e (remote
use, compute the PRC reaches without owning it).
"""

from __future__ import annotations

from ailead.model.arrays import namespace


def unmet_demand(demand, frontier_h100e, exports):
    """Compute PRC buyers want but legal channels do not give [H100e/month].

    U = max(0, N * h_f - E): the chips demanded (N, chips/month) valued at the newest US class
    (h_f, H100e/chip), the class the grey market moves, less legal exports E (H100e/month). The
    grey market carries the newest class within months of its volume shipments: Hopper chips in
    CNAS's 2024 count, B200s sold in China from May 2025 (Financial Times, July 2025), so h_f
    has no lag behind the frontier. A buyer with a legal chip still wants the difference to the
    newest class: U counts each chip's shortfall h_f - h_legal.
    """
    xp = namespace(demand, frontier_h100e, exports)
    return xp.maximum(demand * frontier_h100e - exports, 0.0)


def smuggled(unmet, share_unenforced, enforcement):
    """Smuggled chips [H100e/month]: S = sigma0 * (1 - enforcement) * U.

    sigma0 (0-1) is the share of unmet demand U the grey market fills with no enforcement, and
    enforcement (0-1) the share of that stopped, so 0 <= S <= U: smuggling is bounded by unmet
    demand, falls with enforcement and with legal supply, and grows with what the PRC wants
    rather than with US output. With N growing g_N a year in chips and h_f g_perf a year, S grows
    about g_N * g_perf a year (1.25 x 1.4 = 1.75 at the defaults) while legal exports are small
    beside N h_f: the chips smuggled grow like demand and each carries the newest class.
    """
    return share_unenforced * (1.0 - enforcement) * unmet


def remote_access(us_stock, overseas_share, rentable_share, closure, leakage):
    """Overseas US-chip capacity rented by PRC labs [H100e].

    R = K_us * overseas * rho,  rho = rentable * (1 - closure * (1 - leakage));
    closure 0 = loophole open, 0.5 = partly closed, 1 = closed (leakage remains).
    """
    rho = rentable_share * (1.0 - closure * (1.0 - leakage))
    return us_stock * overseas_share * rho
