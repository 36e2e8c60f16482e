"""Policy search: the least costly switch settings that reach a probability target.

Every cell of the switch grid (27 with three levels; finer levels give more) is run on the same
draws. A cell's probability is the share of samples meeting the target's condition at the target
date; its cost is the sum of the registry's stylised policy costs of its three switch levels,

    cost(cell) = sum over switches s of c_s(strength_s)   (relative cost units),

with c_s linear between the costs at off, status-quo and strong. The choice is the cheapest
cell whose probability meets the target (the most probable among equally cheap ones); the
trade-off curve is the Pareto front: cells that no other cell beats on both cost and probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ailead.analysis.conditions import parse_target
from ailead.analysis.evaluate import Progress, check_metric
from ailead.analysis.switches import DEFAULT_LEVELS, factorial
from ailead.errors import AileadError
from ailead.inputs.registry import SWITCHES, load_registry
from ailead.inputs.scenario import Scenario, load_scenario


@dataclass(frozen=True)
class PolicySearch:
    """Every cell with its cost and probability, the trade-off curve and the choice (or None)."""

    scenario: str
    target: str
    probability: float  # the target's probability level
    samples: int
    seed: int
    unit: str
    table: pd.DataFrame  # compute, access, distillation, cost, probability, meets
    pareto: pd.DataFrame  # the same columns, the non-dominated cells by rising cost
    chosen: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "target": self.target,
            "samples": self.samples,
            "seed": self.seed,
            "cost_unit": self.unit,
            "chosen": self.chosen,
            "pareto": self.pareto.to_dict(orient="records"),
            "cells": self.table.to_dict(orient="records"),
        }


def pareto_front(table: pd.DataFrame) -> pd.DataFrame:
    """Rows no other row dominates (cost <= and probability >=, one strictly), by rising cost."""
    ordered = table.sort_values(["cost", "probability"], ascending=[True, False])
    best = -np.inf
    keep = []
    for index, row in ordered.iterrows():
        if row["probability"] > best:
            keep.append(index)
            best = row["probability"]
    return ordered.loc[keep].reset_index(drop=True)


def optimize(
    scenario: str | Scenario | dict = "status-quo",
    target: str = "P(lead_months >= 12) >= 0.8",
    samples: int = 1000,
    seed: int = 0,
    levels: Sequence[str | float] = DEFAULT_LEVELS,
    on_progress: Progress | None = None,
) -> PolicySearch:
    """Search the switch grid for the least costly settings meeting `target` (see module doc)."""
    goal = parse_target(target)
    sc = load_scenario(scenario)
    check_metric(goal.condition.metric, sc, "target", verdict=True)
    costs = load_registry().policy_costs
    missing = [s for s in SWITCHES if s not in costs]
    if missing:
        raise AileadError(f"registry.yaml: policy_costs: no cost for {', '.join(missing)}")
    units = sorted({costs[s].unit for s in SWITCHES})
    if len(units) > 1:
        raise AileadError(
            f"registry.yaml: policy_costs: units differ ({'; '.join(units)}); costs are added, "
            "so every switch needs the same unit"
        )
    rows = []
    for cell, cell_sc, frame in factorial(sc, samples, seed, levels, on_progress):
        probability = float(goal.condition.holds(frame[goal.condition.metric].to_numpy()).mean())
        cost = sum(float(costs[s].at(cell_sc.switches[s])) for s in SWITCHES)
        rows.append(
            {**dict(zip(SWITCHES, cell, strict=True)), "cost": cost, "probability": probability}
        )
    table = pd.DataFrame(rows)
    table["meets"] = goal.met(table["probability"])
    feasible = table[table["meets"]].sort_values(["cost", "probability"], ascending=[True, False])
    chosen = None if feasible.empty else feasible.iloc[0].to_dict()
    if chosen is not None:
        chosen["meets"] = bool(chosen["meets"])
    return PolicySearch(
        scenario=sc.name,
        target=str(goal),
        probability=goal.probability,
        samples=samples,
        seed=seed,
        unit=units[0],
        table=table,
        pareto=pareto_front(table),
        chosen=chosen,
    )
