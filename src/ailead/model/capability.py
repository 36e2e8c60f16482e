"""The self-reinforcing loop: training runs, algorithmic progress, AI-assisted research, capability.

Capability I is log10 of effective compute, where effective compute = largest training run
[FLOP] x algorithmic efficiency (relative to the US frontier in January 2025).
"""

from __future__ import annotations

from ailead.model.arrays import namespace

SECONDS_PER_MONTH = 365.25 * 86400.0 / 12.0  # physical constant: mean Gregorian month


def largest_run_flop(accessible, run_share, utilisation, duration_months, h100_flops):
    """Largest training run [FLOP]: C = f_run * A * u * T * seconds/month * FLOP/s per H100e."""
    return run_share * accessible * utilisation * duration_months * SECONDS_PER_MONTH * h100_flops


def ai_rnd_speedup(capability, midpoint, width, speedup_max):
    """Multiplier on algorithmic progress from AI doing AI research.

    m(I) = 1 + (m_max - 1) / (1 + exp(-(I - I_mid) / w)): rises with capability and saturates at
    m_max, so growth stays finite (no finite-time blow-up).
    """
    xp = namespace(capability, midpoint, width, speedup_max)
    return 1.0 + (speedup_max - 1.0) / (1.0 + xp.exp(-(capability - midpoint) / width))


def algorithmic_growth(base_rate, experiment, experiment_leader, elasticity, speedup):
    """Own algorithmic progress [OOM/year]: r0 * min(1, X / X_leader)**lambda * m(I).

    The leader (the US frontier, where r0 was measured) progresses at the base rate; a bloc with
    less experiment compute than the leader progresses more slowly, never faster.
    """
    xp = namespace(base_rate, experiment, experiment_leader, elasticity, speedup)
    share = xp.minimum(1.0, experiment / experiment_leader)  # > 0: stocks are positive
    return base_rate * xp.exp(elasticity * xp.log(share)) * speedup  # share**lambda, as exp


def spillover(log_eff_leader, log_eff_follower, rate):
    """Follower's gain from the leader's published ideas [OOM/year]: kappa * max(0, gap)."""
    xp = namespace(log_eff_leader, log_eff_follower, rate)
    return rate * xp.maximum(0.0, log_eff_leader - log_eff_follower)


def capability(run_flop, log_efficiency):
    """Capability [OOM]: I = log10(C * a) = log10(C) + log10(a)."""
    xp = namespace(run_flop, log_efficiency)
    return xp.log10(run_flop) + log_efficiency


def eci(capability_ooms, intercept, slope):
    """Display scale fitted to Epoch's Capabilities Index: ECI = alpha + beta * I."""
    return intercept + slope * capability_ooms
