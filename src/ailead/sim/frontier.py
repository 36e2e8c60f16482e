"""The step's frontier half: compute, training runs, capability, distillation and the loop.

For a month with state s and inputs x (arrays (bloc, samples) unless said):

    A       = (K_us, K_cn + R),  R = K_us x remote rate        accessible compute [H100e]
    C       = max(C_prev, A x run factor)                       largest run so far [FLOP]
    I_us    = log10 C_us + e_us                                 the leader [OOM]
    ceiling = (1 - f) I_us(t - d) + f I_us(t - d - 1)           the teacher, lag d + f months
    I_own   = log10 C_cn + e_cn;  I_cn = I_own + phi max(0, ceiling - I_own)
    m       = 1 + (m_max - 1) a(I) rho(A): AI-R&D speed-up on each bloc's research capability
              (the PRC's draws on US models unless deterred) and on the compute to run it
    e'      = e + (r0 min(q x^lambda, g_max) m + (0, min(c, kappa max(0, e_us - e_cn)))) / 12,
              x = (A / A_us) / (A / A_us at the anchor)

The lagged read is a `take` along the kept path, so the step has no branch on data.
"""

from __future__ import annotations

from typing import NamedTuple

from ailead.model import capability, distillation
from ailead.model.arrays import Array, namespace
from ailead.sim.flows import Inputs
from ailead.sim.state import State


class Frontier(NamedTuple):
    """The month's frontier quantities (arrays (bloc, samples) or (samples,))."""

    remote: Array
    accessible: Array
    best_run: Array
    recent: Array  # (LEADER_MONTHS + 1, samples): I_us(t), I_us(t - 1), ...
    own: Array
    distilled: Array
    best_capability: Array
    speedup: Array
    gain_since_start: Array


def lag_positions(whole: Array) -> Array:
    """Where `lagged` reads each sample in the flattened (months, samples) path: whole x n + s."""
    xp = namespace(whole)
    return whole * whole.shape[0] + xp.arange(whole.shape[0])


def lagged(recent: Array, positions: Array, fraction: Array) -> Array:
    """The leader's capability `whole + fraction` months ago, linear between months [OOM]:
    (1 - f) I_us(t - d) + f I_us(t - d - 1).

    recent: (months, samples) with recent[k] = I_us(t - k); positions: `lag_positions(whole)`.
    """
    xp = namespace(recent, fraction)
    flat = recent.reshape(-1)
    at = xp.take(flat, positions)
    before = xp.take(flat, positions + recent.shape[1])
    return (1.0 - fraction) * at + fraction * before


def frontier(f: dict, s: State, x: Inputs) -> Frontier:
    """This month's runs, capabilities and speed-ups (f: the frontier constants)."""
    xp = namespace(s.stock, x.remote_rate)
    remote = s.stock[0] * x.remote_rate
    accessible = xp.asarray([s.stock[0], s.stock[1] + remote])
    best = xp.maximum(s.best_run, accessible * f["run_factors"])
    log_best = xp.log10(best)
    cap_us = log_best[0] + s.log_eff[0]
    recent = xp.concatenate([cap_us[None, :], s.leader_path], axis=0)
    ceiling = lagged(recent, f["lag_positions"], f["lag_fraction"])
    closure = distillation.gap_closure(
        f["closure_max"], x.deterrence, best[1] / best[0], f["min_run_ratio"]
    )
    own = log_best[1] + s.log_eff[1]
    distilled = distillation.distilled_capability(own, closure, ceiling)
    best_cap = xp.maximum(s.best_capability, distilled)
    research = xp.asarray(
        [cap_us, distillation.research_capability(best_cap, cap_us, x.deterrence)]
    )
    speedup = capability.ai_rnd_speedup(
        research,
        accessible / f["compute_unit"],
        f["speedup_midpoint"],
        f["speedup_width"],
        f["speedup_max"],
        f["speedup_compute_half"],
    )
    gain = xp.asarray([cap_us - f["capability_us0"], best_cap - f["capability_cn0"]])
    return Frontier(remote, accessible, best, recent, own, distilled, best_cap, speedup, gain)


def efficiency_next(f: dict, log_eff: Array, fr: Frontier) -> Array:
    """Next month's log10 algorithmic efficiency (bloc, samples) [OOM]."""
    xp = namespace(log_eff)
    growth = capability.algorithmic_growth(  # the leader's row: its base rate x its speed-up
        f["algorithmic_progress"],
        f["productivity"],
        fr.accessible / fr.accessible[0] / f["experiment_ratio0"],
        f["experiment_elasticity"],
        fr.speedup,
        f["pace_max"],
    )
    spill = capability.spillover(log_eff[0], log_eff[1], f["spillover"], f["catch_up_max"])
    return log_eff + xp.asarray([growth[0], growth[1] + spill]) / 12.0


def lead_estimate(recent: Array, capability_cn: Array) -> Array:
    """The lead [months] as the gap over the leader's growth in the last year: 12 dI / g.

    Used only by the triggers inside the step; the reported lead is computed exactly afterwards.
    """
    xp = namespace(recent)
    growth = recent[0] - recent[12]  # OOM over the last 12 months
    return 12.0 * (recent[0] - capability_cn) / xp.maximum(growth, 1e-6)
