"""Switch 2, access: smuggling and remote use of overseas data centres.

Units: H100e per month (smuggling, a flow into the PRC stock) and H100e (remote use, compute the
PRC reaches without owning it).
"""

from __future__ import annotations


def smuggled(us_production, share_unenforced, enforcement):
    """Smuggled chips [H100e/month]: S = sigma0 * (1 - enforcement) * P_us."""
    return share_unenforced * (1.0 - enforcement) * us_production


def remote_access(us_stock, overseas_share, rentable_share, closure, leakage):
    """Overseas US-chip capacity rented by PRC labs [H100e].

    R = K_us * overseas * rho,  rho = rentable * (1 - closure * (1 - leakage));
    closure 0 = loophole open, 0.5 = partly closed, 1 = closed (leakage remains).
    """
    rho = rentable_share * (1.0 - closure * (1.0 - leakage))
    return us_stock * overseas_share * rho
