"""Reductions of a run's paths that run where the paths are: NumPy, or the JAX device.

The compiled backend (`ailead.sim.scan.run_compiled`) applies them inside its compiled run, so
only their results cross to the host; the NumPy backend applies the same code to NumPy paths.
The samples may be padded: `real` (samples,) is 1 for a real sample and 0 for padding.

    lead       L (samples, months) [months], `ailead.model.lead.lead_months`
    quantiles  Q_q = v_(lo) + (v_(lo+1) - v_(lo)) (h - lo),  h = q (n - 1),  lo = floor(h),
               v_(k) the k-th smallest of the n real values (NumPy's default, linear, method)
    verdict    shares of the n real samples in each outcome at the target month T
               (`ailead.outputs.verdict.classify`'s rule: scenario-one before scenario-two)
"""

from __future__ import annotations

import numpy as np

from ailead.model import lead
from ailead.model.arrays import Array, namespace
from ailead.outputs.summary import QUANTILES
from ailead.sim.drive import Paths

LEVELS = tuple(QUANTILES.values())  # p5, p50, p95
SUMMARIZED = ("lead_months", "lead_ooms", "capability", "compute_ratio")
"""The monthly variables `summary` gives quantiles of (as in the Dataset: same names, units)."""


def lead_of(p: dict, paths: Paths, real: Array) -> Array:
    """The lead in months, (samples, months).

    On the device each sample's lead is computed on its own (`jax.vmap`): `lead_months` shifts
    every sample into its own band of one sorted axis, whose offsets grow with the sample count
    and would cost float32 its precision; NumPy keeps the one vectorised search.
    """
    cap = paths.monthly.capability  # (months, bloc, samples)
    us, cn, slope = cap[:, 0].T, cap[:, 1].T, p["frontier_growth_history"]
    if namespace(cap) is not np:
        import jax

        return jax.vmap(lambda a, b, g: lead.lead_months(a[None], b[None], g[None])[0])(
            us, cn, slope
        )
    return lead.lead_months(us, cn, slope)


def quantiles(values: Array, real: Array) -> Array:
    """The LEVELS quantiles over the real samples of `values` (samples, ...): (level, ...)."""
    xp = namespace(values, real)
    weight = real.reshape(real.shape + (1,) * (values.ndim - 1))
    ordered = xp.sort(xp.where(weight > 0, values, xp.inf), axis=0)  # the padding sorts last
    last = xp.sum(real) - 1.0
    rows = []
    for level in LEVELS:
        h = level * last
        lo = xp.floor(h)
        below = xp.take(ordered, lo.astype(int), axis=0)
        above = xp.take(ordered, xp.minimum(lo + 1.0, last).astype(int), axis=0)
        rows.append(below + (above - below) * (h - lo))
    return xp.stack(rows)


def summary(
    p: dict, paths: Paths, real: Array, target, before, lead_at_least, lead_at_most
) -> dict[str, Array]:
    """Monthly quantiles of the SUMMARIZED variables, (level, months[, bloc]), and the verdict's
    outcome shares (scenario-one, contested, scenario-two) at month `target`, with the lead's
    growth judged against month `before`."""
    xp = namespace(paths.monthly.capability, real)
    lead_m = lead_of(p, paths, real)
    cap = xp.moveaxis(paths.monthly.capability, -1, 0)  # (samples, months, bloc)
    accessible = paths.accessible
    values = {
        "lead_months": lead_m,
        "lead_ooms": lead.lead_ooms(cap[..., 0], cap[..., 1]),
        "capability": cap,
        "compute_ratio": (accessible[:, 0] / accessible[:, 1]).T,
    }
    at_target = xp.take(lead_m, xp.asarray(target).astype(int), axis=1)
    earlier = xp.take(lead_m, xp.asarray(before).astype(int), axis=1)
    one = (at_target >= lead_at_least) & (at_target > earlier)
    two = (at_target <= lead_at_most) & ~one
    counts = xp.stack([one, ~one & ~two, two]).astype(real.dtype) @ real
    return {
        **{name: quantiles(v, real) for name, v in values.items()},
        "outcome_share": counts / xp.sum(real),
    }
