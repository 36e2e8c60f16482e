"""Policy levers in time: from switch strengths and overrides to a value per month and sample.

Every lever follows its status-quo value until the scenario's policy start, then moves to its
target over the switch's ramp: value(t) = sq + (target - sq) * clip((t - t0 + 1) / R, 0, 1).
The target is the scenario's override if it gives one, else the lever's value at the switch
strength. Before the policy start every scenario shares today's path.

A lever with a recorded `history` (a policy that began after the anchor, such as the
case-by-case licences of January 2026) takes its recorded value h before that calendar month u
in every scenario, except from the policy start on where the scenario sets the lever itself;
when the policy starts at or before u, its ramp starts from h: value(t) = h + (target - h) w(t).

A switch may also be given a strength per sample (`strengths`, arrays in [0, 1]), as the
signposts do to treat an unsettled policy as uncertain: each sample's target is then the lever
at its own strength, linear between the levels as for a scalar strength.
"""

from __future__ import annotations

import numpy as np

from ailead.inputs.registry import LEVELS, Registry
from ailead.inputs.scenario import Scenario

RAMP_PARAMETER = {s: f"{s}_policy_ramp_months" for s in ("compute", "access", "distillation")}
READING_PARAMETER = {s: f"{s}_lever_reading" for s in ("compute", "access", "distillation")}


def lever_targets(scenario: Scenario, registry: Registry) -> dict[str, float]:
    """Each switch lever's target value under the scenario."""
    out = {}
    for name, p in registry.parameters.items():
        if p.switch is None:
            continue
        out[name] = scenario.parameters.get(name, p.lever_value(scenario.switches[p.switch]))
    return out


def _read(p, strength: float, reading: np.ndarray) -> np.ndarray:
    """The lever at a switch strength, each sample reading the levels within their policy
    ranges by its reading r in [-1, 1] (`Parameter.lever_value`, linear in r on each side)."""
    level, up, down = (p.lever_value(strength, r) for r in (0.0, 1.0, -1.0))
    return np.where(reading >= 0, level + reading * (up - level), level + reading * (level - down))


def _read_strengths(p, strengths: np.ndarray, reading: np.ndarray) -> np.ndarray:
    """The lever at a strength per sample (1, samples): linear between off (0), status-quo (0.5)
    and strong (1), each level read as `_read` reads it."""
    off, mid, strong = (_read(p, LEVELS[k], reading) for k in ("off", "status-quo", "strong"))
    s = np.clip(np.asarray(strengths, dtype=float), 0.0, 1.0)[None, :]
    lower = off + (mid - off) * s / 0.5
    upper = mid + (strong - mid) * (s - 0.5) / 0.5
    return np.where(s <= 0.5, lower, upper)


def lever_schedules(
    scenario: Scenario,
    registry: Registry,
    params: dict[str, np.ndarray],
    n_months: int,
    strengths: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Lever values, arrays of shape (months, samples), months counted from the anchor.

    The switch's lever reading (`{switch}_lever_reading`, 0 = the levels) moves the status quo
    and a target set by the switch within the levels' policy ranges; a target the scenario sets
    itself is taken as given. `strengths` gives some switches a strength per sample instead of
    the scenario's one value.
    """
    strengths = strengths or {}
    t = np.arange(n_months, dtype=float)[:, None]
    t0 = scenario.month(scenario.policy_start)
    out = {}
    for name, target in lever_targets(scenario, registry).items():
        p = registry.parameters[name]
        reading = params.get(READING_PARAMETER[p.switch], np.zeros(1))[None, :]
        status_quo = _read(p, LEVELS["status-quo"], reading)
        if name not in scenario.parameters and p.switch in strengths:
            target = _read_strengths(p, strengths[p.switch], reading)
        elif name not in scenario.parameters:
            target = _read(p, scenario.switches[p.switch], reading)
        ramp_months = np.maximum(params[RAMP_PARAMETER[p.switch]], 1.0)[None, :]
        weight = np.clip((t - t0 + 1.0) / ramp_months, 0.0, 1.0)
        start, recorded = status_quo, np.zeros(t.shape, dtype=bool)
        if p.history is not None:
            until = scenario.month(p.history.until)
            start = p.history.value if t0 <= until else status_quo
            recorded = (t < until) & ((name not in scenario.parameters) | (t < t0))
        value = np.where(t < t0, status_quo, start + (target - start) * weight)
        out[name] = np.where(recorded, p.history.value if p.history else 0.0, value)
    return out
