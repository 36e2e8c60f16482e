"""The headline: the lead in months.

The lead at month t is how long ago the leader had the follower's current capability:
L(t) = t - t*, with t* the earliest time at which I_us(t*) >= I_cn(t). When the follower is
ahead, L(t) = -(t - t**) with t** the earliest time at which I_cn(t**) >= I_us(t). Before the
first month both paths are extended backwards at the historical frontier growth rate g
[OOM/year], so the lead is defined from the first month.
"""

from __future__ import annotations

from ailead.model.arrays import namespace


def months_since(path, values, history_slope):
    """For each sample s and month j, months since `path` first reached `values[s, j]`.

    path, values: (samples, months), `path` non-decreasing along months. Before month 0 the path
    is path[:, 0] + g * t / 12 for t < 0. Linear interpolation between months. For a value v at
    month j, with P a sample's path and k the first month with P[k] >= v:
        m = j - t_star
        t_star = 12 * (v - P[0]) / g if v <= P[0] else k - 1 + (v - P[k - 1]) / (P[k] - P[k - 1])
    (a value the path never reaches counts as reached at its last month; a flat step as its end).
    """
    xp = namespace(path, values, history_slope)
    n_samples, n_months = path.shape
    base = path[:, :1]
    # Shift each row into its own band so one sorted 1-D search serves every sample.
    span = xp.maximum(path[:, -1:] - base, 0.0) + 2.0
    band = xp.cumsum(xp.concatenate([xp.zeros(1), span[:-1, 0]]))[:, None]
    flat_path = (path - base + band).ravel()
    flat_values = (xp.clip(values - base, 0.0, None) + band).ravel()
    idx = xp.searchsorted(flat_path, flat_values, side="left").reshape(n_samples, n_months)
    idx = xp.clip(idx - xp.arange(n_samples)[:, None] * n_months, 0, n_months - 1)
    hi = xp.take_along_axis(path, idx, axis=1)
    lo = xp.take_along_axis(path, xp.maximum(idx - 1, 0), axis=1)
    step = xp.where(hi > lo, hi - lo, 1.0)
    frac = xp.where(hi > lo, xp.clip((values - lo) / step, 0.0, 1.0), 1.0)
    reached = xp.where(idx > 0, idx - 1 + frac, 0.0)
    before = (values - base) * 12.0 / history_slope[:, None]  # <= 0 when reached before month 0
    reached = xp.where(values <= base, before, reached)
    return xp.arange(n_months)[None, :] - reached


def lead_months(capability_us, capability_cn, history_slope):
    """Lead of the US over the PRC [months], negative when the PRC leads; (samples, months).

    L = months_since(I_us, I_cn) if I_cn <= I_us else -months_since(I_cn, I_us)
    """
    xp = namespace(capability_us, capability_cn, history_slope)
    us_ahead = capability_cn <= capability_us
    ahead = months_since(capability_us, xp.minimum(capability_cn, capability_us), history_slope)
    behind = months_since(capability_cn, xp.minimum(capability_us, capability_cn), history_slope)
    return xp.where(us_ahead, ahead, -behind)


def lead_ooms(capability_us, capability_cn):
    """Lead in orders of magnitude of effective compute [OOM]: L_OOM = I_us - I_cn.

    Negative when the PRC leads. Unlike the lead in months it does not depend on how fast the US
    is growing.
    """
    return capability_us - capability_cn


def lead_at_release(lead, release_interval):
    """The lead as read at the PRC's releases [months]: L - c / 2.

    Measured every day, the lead is a sawtooth: it grows one month a month while the PRC's best
    model stays the same and drops at each new PRC release, every c months. Its average over
    time, which the continuous lead L stands for, sits c / 2 above the readings at releases,
    which are what press comparisons of a new model against the US frontier report.
    """
    return lead - 0.5 * release_interval
