"""Domestic adoption: Bass diffusion of AI through a bloc's firms.

a(t) is the share of firms using AI in producing goods or services, in [0, 1]: the measure of the
US Census Bureau's Business Trends and Outlook Survey (BTOS), unweighted by firm size, so the
model is compared with BTOS directly. It is not a share of economic activity (large firms adopt
more, so an employment-weighted share is higher). For the PRC, which has no such survey, the start
is mapped from Microsoft's share of working-age people using generative AI (registry:
`adoption_cn_2025`). Each month

    a(t+1) = a(t) + min(1, (p + q a(t)) * M(t) / 12) * (1 - a(t)),

with p the innovation and q the imitation coefficient [1/year] (Bass 1969) and M(t) >= 0 a
multiplier that rises with capability and with the compute available to serve each user, falls
with price, and carries the state's push:

    M(t) = push * 10**(k_cap * dI(t)) * price(t)**(-k_price),
    price(t) = ((X(t) / X0) / (a(t) / a0))**(-s),

where dI is the bloc's capability gain since the start [OOM], X its installed compute and s the
scarcity pass-through: price falls when compute per user grows and rises when users outgrow it.
Adoption never falls and never leaves [0, 1].
"""

from __future__ import annotations

import math

from ailead.model.arrays import namespace

LN10 = math.log(10.0)


def log_inference_price(compute, compute0, adoption, adoption0, scarcity):
    """ln of the price index of AI services (start = 0): -s * ln(compute per user / start).

    ln(p) = -s * ln((X / X_0) * (a_0 / max(a, 1e-6))), with X the installed compute, a the
    adoption (floored at 1e-6) and X_0, a_0 their values at the start.
    """
    xp = namespace(compute, compute0, adoption, adoption0, scarcity)
    return -scarcity * xp.log((compute / compute0) * (adoption0 / xp.maximum(adoption, 1e-6)))


def diffusion_multiplier(push, capability_gain, k_capability, log_price, k_price):
    """M = push * 10**(k_cap * dI) * price**(-k_price), dimensionless and >= 0."""
    xp = namespace(push, capability_gain, k_capability, log_price, k_price)
    return push * xp.exp(LN10 * k_capability * capability_gain - k_price * log_price)


def bass_step(adoption, innovation, imitation, multiplier):
    """One month of Bass diffusion [share]; the step never overshoots 1 and never goes back.

    a' = a + min((p + q * a) * M / 12, 1) * (1 - a)
    p, q and M are non-negative, so the hazard is too; it is capped at 1 per month.
    """
    xp = namespace(adoption, innovation, imitation, multiplier)
    hazard = xp.minimum((innovation + imitation * adoption) * multiplier / 12.0, 1.0)
    return adoption + hazard * (1.0 - adoption)
