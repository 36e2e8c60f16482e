"""Switch 3, distillation: the follower's gain from querying the leader's frontier models.

Capability is in orders of magnitude (OOM) of effective compute. Distillation closes a share of
the gap between the student's own capability and a ceiling just below the teacher's; the gain in
OOM is log10 of the distillation multiplier D on the follower's effective compute.
"""

from __future__ import annotations

from ailead.model.arrays import namespace


def gap_closure(closure_max, deterrence, run_ratio, min_run_ratio):
    """Share of the gap to the ceiling that distillation closes: phi = phi_max * (1 - d) * s(r).

    s(r) = max(0, 1 - r_min / r) needs the student's largest run to be at least r_min of the
    teacher's (r = C_follower / C_leader): no own compute, no distillation.
    """
    xp = namespace(closure_max, deterrence, run_ratio, min_run_ratio)
    enough_compute = xp.maximum(0.0, 1.0 - min_run_ratio / xp.maximum(run_ratio, 1e-300))
    return closure_max * (1.0 - deterrence) * enough_compute


def distilled_capability(own, closure, ceiling):
    """Follower capability [OOM]: I = I_own + phi * max(0, ceiling - I_own).

    The ceiling is the teacher's capability some months earlier; with phi <= 1 distillation never
    lifts the follower above it and never lowers its own capability.
    """
    xp = namespace(own, closure, ceiling)
    return own + closure * xp.maximum(0.0, ceiling - own)


def own_capability_for(target, closure, ceiling):
    """Inverse of `distilled_capability`: the own capability that distils to `target` (phi < 1).

    I_own = (I - phi * ceiling) / (1 - phi) if I < ceiling else I   [OOM], I the target.
    """
    xp = namespace(target, closure, ceiling)
    return xp.where(target < ceiling, (target - closure * ceiling) / (1.0 - closure), target)


def research_capability(own, teacher, deterrence):
    """Capability the follower's AI-assisted research can draw on [OOM].

    The essay's scenario two has PRC labs keep "continued access to US frontier models for R&D":
    I_research = I_own + (1 - deterrence) * max(0, I_teacher - I_own).
    """
    xp = namespace(own, teacher, deterrence)
    return own + (1.0 - deterrence) * xp.maximum(0.0, teacher - own)
