"""Switch 2, access: smuggling and remote use of overseas data centres.

Units: H100e per month (unmet demand and smuggling, flows into the PRC stock) and H100e (remote
use, compute the PRC reaches without owning it).
"""

from __future__ import annotations

from ailead.model.arrays import namespace


def unmet_demand(demand, frontier_h100e, exports):
    """Compute PRC buyers want but legal channels do not give [H100e/month].

    U = max(0, N * h_frontier - E): the chips demanded (N, chips/month) valued as the frontier
    chips smugglers move, less legal exports E (H100e/month).
    """
    xp = namespace(demand, frontier_h100e, exports)
    return xp.maximum(demand * frontier_h100e - exports, 0.0)


def smuggled(unmet, share_unenforced, enforcement):
    """Smuggled chips [H100e/month]: S = sigma0 * (1 - enforcement) * U.

    sigma0 (0-1) is the share of unmet demand the grey market fills with no enforcement, so
    smuggling is bounded by unmet demand, falls with enforcement and with legal supply, and grows
    with what the PRC wants rather than with US output.
    """
    return share_unenforced * (1.0 - enforcement) * unmet


def remote_access(us_stock, overseas_share, rentable_share, closure, leakage):
    """Overseas US-chip capacity rented by PRC labs [H100e].

    R = K_us * overseas * rho,  rho = rentable * (1 - closure * (1 - leakage));
    closure 0 = loophole open, 0.5 = partly closed, 1 = closed (leakage remains).
    """
    rho = rentable_share * (1.0 - closure * (1.0 - leakage))
    return us_stock * overseas_share * rho
