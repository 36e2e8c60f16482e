"""Scenario discovery: what must be true of the uncertain parameters for an outcome to happen.

Runs a scenario on the registry's draws (with their correlations), marks the samples where a
condition on a metric at the target date holds (`lead_months <= 3`), and asks PRIM for the
parameter ranges where those samples are dense.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ailead.analysis.conditions import parse_condition
from ailead.analysis.evaluate import Progress, check_metric, draws, evaluate
from ailead.analysis.prim import PrimResult, prim
from ailead.errors import AileadError
from ailead.inputs.registry import load_registry
from ailead.inputs.scenario import Scenario, load_scenario


@dataclass(frozen=True)
class Discovery:
    """A PRIM result with the question it answers."""

    scenario: str
    target: str
    where: str
    samples: int
    seed: int
    result: PrimResult

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the chosen box's ranges, its statistics and the peeling trajectory."""
        r = self.result
        return {
            "scenario": self.scenario,
            "target": self.target,
            "where": self.where,
            "samples": self.samples,
            "seed": self.seed,
            "cases": r.cases,
            "share": r.cases / r.samples,
            "box": {
                name: {key: float(value) for key, value in row.items()}
                for name, row in r.box.iterrows()
            },
            "coverage": r.coverage,
            "density": r.density,
            "mass": r.mass,
            "chosen_step": r.chosen,
            "trajectory": r.trajectory.reset_index().to_dict(orient="records"),
        }


def discover(
    scenario: str | Scenario | dict = "status-quo",
    where: str = "lead_months <= 3",
    samples: int = 4000,
    seed: int = 0,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    threshold: float = 0.8,
    paste: bool = True,
    max_p: float = 0.05,
    on_progress: Progress | None = None,
) -> Discovery:
    """PRIM box over the free uncertain parameters for the samples where `where` holds.

    `where` is `<metric> <op> <number>` (ops <=, <, >=, >) at the target date, or `outcome ==
    <verdict>`. The PRIM options are those of `ailead.analysis.prim.prim`; with many parameters,
    PRIM needs a few hundred cases before its pruned box settles (about 4,000 samples for a 10%
    outcome).
    """
    sc = load_scenario(scenario)
    condition = parse_condition(where)
    check_metric(condition.metric, sc, "where", verdict=True)
    params = draws(samples, seed)
    frame = evaluate(sc, params, on_progress=on_progress)
    cases = condition.holds(frame[condition.metric].to_numpy())
    if not cases.any():
        raise AileadError(
            f"where: no sample of {samples} meets {condition} in {sc.name} at {sc.target}; "
            "nothing to discover (try more samples or another condition)"
        )
    names = [n for n in load_registry().uncertain if n not in sc.parameters]
    x = pd.DataFrame({n: params[n] for n in names})
    result = prim(x, cases, alpha, min_mass, threshold, paste, max_p)
    return Discovery(sc.name, sc.target, str(condition), samples, seed, result)
