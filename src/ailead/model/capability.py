"""The self-reinforcing loop: training runs, algorithmic progress, AI-assisted research, capability.

Capability I is log10 of effective compute, where effective compute = largest training run
[FLOP] x algorithmic efficiency (relative to the US frontier in January 2025).
"""

from __future__ import annotations

from ailead.model.arrays import namespace

SECONDS_PER_MONTH = 365.25 * 86400.0 / 12.0  # physical constant: mean Gregorian month


def largest_run_flop(accessible, run_share, utilisation, duration_months, h100_flops):
    """Largest training run [FLOP]: C = f_run * A * u * T * s_month * F_H100.

    f_run is the run's share of the accessible compute A [H100e], u the utilisation, T the run's
    duration [months], F_H100 the dense FLOP/s of one H100e and s_month = 365.25 * 86400 / 12 the
    seconds in a mean Gregorian month.
    """
    return run_share * accessible * utilisation * duration_months * SECONDS_PER_MONTH * h100_flops


def ai_rnd_speedup(capability, research_compute, midpoint, width, speedup_max, compute_half):
    """Multiplier on algorithmic progress from AI doing AI research [x].

    m = 1 + (m_max - 1) * a(I) * rho(R), with
        a(I)   = 1 / (1 + exp(-(I - I_mid) / w))   the share of research work AI can do at
                                                   capability I [OOM], rising and saturating;
        rho(R) = R / (R + R_half)                  the share of that work the bloc has the compute
                                                   to run, R its research compute.
    As in compute-centric takeoff models (Davidson 2023), automated researchers need compute to
    run, so a bloc with less compute gets less of the loop at the same capability. R and R_half
    are in units of the US bloc's accessible compute in January 2025. m stays below m_max, so
    growth stays finite (no finite-time blow-up).
    """
    xp = namespace(capability, research_compute, midpoint, width, speedup_max, compute_half)
    automated = 1.0 / (1.0 + xp.exp(-(capability - midpoint) / width))
    runnable = research_compute / (research_compute + compute_half)
    return 1.0 + (speedup_max - 1.0) * automated * runnable


def algorithmic_growth(base_rate, productivity, relative_experiment, elasticity, speedup, pace_max):
    """Own algorithmic progress [OOM/year]: r0 * min(q * x**lambda, g_max) * m.

    r0 is the base rate measured at the US frontier; q the bloc's research productivity, the pace
    at which it progresses relative to r0 when the experiment compute ratio is what it was at the
    anchor (1 for the US; the record's pace for the PRC); x = (X / X_us) / (X / X_us at the
    anchor) how far its experiment compute relative to the leader's has moved since; lambda the
    elasticity of progress to it; m the AI-R&D speed-up. Controls that cut the PRC's share of
    compute slow it and relaxed controls speed it: a follower can outpace the frontier's base
    rate, but by at most g_max (a bounded fast-follower advantage, >= 1), so growth stays finite.
    """
    xp = namespace(base_rate, productivity, relative_experiment, elasticity, speedup, pace_max)
    scaling = xp.exp(elasticity * xp.log(relative_experiment))  # x**lambda; x > 0
    return base_rate * xp.minimum(productivity * scaling, pace_max) * speedup


def spillover(log_eff_leader, log_eff_follower, rate, ceiling):
    """Follower's gain from the leader's published ideas [OOM/year]: min(c, kappa * max(0, gap)).

    A fast follower learns known techniques faster than they were found, in proportion to its
    gap in algorithms, but no faster than `ceiling` c [OOM/year] (a bounded advantage).
    """
    xp = namespace(log_eff_leader, log_eff_follower, rate, ceiling)
    return xp.minimum(ceiling, rate * xp.maximum(0.0, log_eff_leader - log_eff_follower))


def capability(run_flop, log_efficiency):
    """Capability [OOM]: I = log10(C * a) = log10(C) + log10(a)."""
    xp = namespace(run_flop, log_efficiency)
    return xp.log10(run_flop) + log_efficiency


def eci(capability_ooms, intercept, slope):
    """Display scale fitted to Epoch's Capabilities Index: ECI = alpha + beta * I."""
    return intercept + slope * capability_ooms
