"""Safety margin, misuse exposure and the cyber window: what the lead buys in security.

Safety margin [months]: the pre-deployment testing time the leader can afford without losing
its lead, a share of the lead and never more than a full testing programme:

    margin(t) = min(T_max, f_test * max(0, L(t))).

Race pressure is the shrinking of L: at a lead of zero there is no margin.

Misuse exposure [0, 1]: the chance-weighted reach of near-frontier open-weight models with weak
safeguards. For each stack s,

    e_s(t) = reach_s(t) * open_s(t) * comply_s * exp(-lag_s(t) / tau),

with reach_s the stack's share of world AI use, open_s the share of its frontier it releases as
open weights, comply_s the share of overtly malicious requests its models answer under a common
jailbreak, lag_s how far its best model trails the world frontier [months] and tau the months
over which a model's misuse uplift halves... by e. exposure = sum_s e_s, in [0, 1] because reach
sums to at most 1 and the other factors are in [0, 1].

Cyber window [months]: the time during which AI-driven vulnerability discovery favours the
leader's defenders, who can find and fix flaws with models the adversary does not yet have:

    window(t) = uptake * max(0, L(t)),

with uptake the share of critical software whose maintainers use the leader's frontier tools.
"""

from __future__ import annotations

from ailead.model.arrays import namespace


def safety_margin(lead, lead_share, cap_months):
    """min(T_max, f * max(0, L)) [months]."""
    xp = namespace(lead, lead_share, cap_months)
    return xp.minimum(cap_months, lead_share * xp.maximum(lead, 0.0))


def misuse_term(reach, open_share, compliance, lag_months, uplift_decay_months):
    """One stack's contribution to misuse exposure: reach * open * comply * exp(-lag / tau)."""
    xp = namespace(reach, open_share, compliance, lag_months, uplift_decay_months)
    return (
        reach * open_share * compliance * xp.exp(-xp.maximum(lag_months, 0.0) / uplift_decay_months)
    )


def cyber_window(lead, uptake):
    """uptake * max(0, L) [months]."""
    xp = namespace(lead, uptake)
    return uptake * xp.maximum(lead, 0.0)
