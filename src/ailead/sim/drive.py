"""The NumPy driver: a plain loop over the pure monthly step, and the paths derived from it.

    x = exogenous(p, levers, n)            every month's inputs, (months, samples)
    c, s = init(p, x[0])
    for t in range(n): s, out[t] = step(c, s, x[t])

then the paths that need the whole run (accessible compute, resilience, which counter-moves were
in force). `simulate` is separable by sample: no sample reads another's state, so runs can be
joined along the sample axis (`ailead.outputs.engine.run_batch`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ailead.model import resilience
from ailead.model.arrays import Array, namespace
from ailead.sim.flows import Inputs, exogenous
from ailead.sim.state import Monthly
from ailead.sim.step import init, step

RESPONSES = ("stockpiling", "buildout", "open-weights", "retaliation")


class Paths(NamedTuple):
    """A run's paths: every `Monthly` field stacked along a leading months axis, then

    accessible       (months, bloc, samples)      compute a bloc's labs can use [H100e]
    resilience       (months, bloc, samples)      resilience index [0, 1]
    response_active  (months, response, samples)  1 where a counter-move changed that month's flows
    """

    monthly: Monthly
    accessible: Array
    resilience: Array
    response_active: Array

    def samples(self, start: int, stop: int) -> Paths:
        """The paths of samples start..stop-1."""
        return Paths(
            Monthly(*(v[..., start:stop] for v in self.monthly)),
            *(v[..., start:stop] for v in self[1:]),
        )


def simulate(
    p: dict[str, np.ndarray],
    levers: dict[str, np.ndarray],
    n_months: int,
    on_month: Callable[[int], None] | None = None,
) -> Paths:
    """Run the model from the anchor: parameter arrays (samples,), levers (months, samples)."""
    inputs = exogenous(p, levers, n_months)
    constants, state = init(p, inputs.at(0))
    monthly = None
    for t in range(n_months):
        state, recorded = step(constants, state, inputs.at(t))
        if monthly is None:  # the run's arrays, (months, ...) each, filled month by month
            monthly = Monthly(*(np.empty((n_months, *np.shape(v))) for v in recorded))
        for path, value in zip(monthly, recorded, strict=True):
            path[t] = value
        if on_month is not None:
            on_month(t)
    return derived_paths(p, monthly, inputs, state.fired)


def derived_paths(p: dict, monthly: Monthly, inputs: Inputs, fired: Array) -> Paths:
    """The paths computed from the whole run: accessible compute, resilience, counter-moves."""
    xp = namespace(monthly.stock)
    stock = monthly.stock
    accessible = xp.stack([stock[:, 0], stock[:, 1] + monthly.remote], axis=1)
    return Paths(
        monthly,
        accessible,
        _resilience(p, monthly.adoption, monthly.gain_since_start),
        _responses_in_force(p, inputs, fired),
    )


def _resilience(p: dict, adoption: Array, gain: Array) -> Array:
    """Resilience per month from the adoption and capability-gain paths (months, bloc, samples).

    The last month's change in adoption is not simulated: the one before it is carried.
    """
    xp = namespace(adoption)
    change = xp.diff(adoption, axis=0)
    change = xp.concatenate([change, change[-1:]], axis=0)
    pace = resilience.displacement_pace(
        change, p["task_exposure_share"], gain, p["displacement_capability_elasticity"]
    )
    capacity = xp.stack([p["adaptation_capacity_us"], p["adaptation_capacity_cn"]])
    return resilience.resilience_index(capacity, pace)


def _responses_in_force(p: dict, inputs: Inputs, fired: Array) -> Array:
    """(months, response, samples): 1 where a counter-move changed that month's flows.

    A trigger latched in month t acts from month t + 1 (the build-out after its delay too).
    """
    xp = namespace(fired)
    t = inputs.month[:, None]
    on = p["prc_responses"] > 0
    return xp.stack(
        [
            inputs.stockpile > 1.0,
            on & (p["cn_buildout_boost"] > 0) & (t > fired[0] + p["cn_buildout_delay_months"]),
            on & (p["cn_open_weight_max"] != p["cn_open_weight_share"]) & (t > fired[1]),
            on & (p["cn_retaliation_cost"] > 0) & (t > fired[2]),
        ],
        axis=1,
    ).astype(float)
