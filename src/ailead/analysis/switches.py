"""The switch table: the full factorial of the three policy switches, and their effects.

Every cell runs the scenario with the three switches at one combination of levels, on the same
parameter draws (same seed in every cell), so differences between cells come from the policies
alone. `switch_effects` decomposes a cell statistic y (e.g. the median lead) as in a two-way
ANOVA of a full factorial:

    main effect of switch A at level a:   m_A(a)    = mean(y | A = a) - mean(y)
    interaction of A and B at (a, b):     m_AB(a,b) = mean(y | A = a, B = b) - mean(y | A = a)
                                                       - mean(y | B = b) + mean(y)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from ailead.analysis.evaluate import Progress, draws, evaluate, outcome_shares
from ailead.errors import AileadError
from ailead.inputs.registry import SWITCHES
from ailead.inputs.scenario import Scenario, load_scenario, switch_strength

DEFAULT_LEVELS = ("off", "status-quo", "strong")
EFFECT_OUTPUTS = ("lead_p50", "p_scenario_one")


def check_levels(levels: Sequence[str | float]) -> list[str]:
    """Level labels (named levels or strengths in [0, 1]), at least two and none repeated."""
    labels = [str(level).strip() for level in levels]
    strengths = [switch_strength(label, "levels") for label in labels]
    if len(labels) < 2 or len(set(strengths)) != len(strengths):
        raise AileadError(
            f"levels: value {','.join(labels)!r} is not allowed; allowed: two or more distinct "
            "levels (off, status-quo, strong or numbers in [0, 1]), e.g. off,status-quo,strong"
        )
    return labels


def cells(levels: Sequence[str]) -> list[tuple[str, ...]]:
    """Every combination of levels for (compute, access, distillation), compute varying slowest."""
    return list(itertools.product(levels, repeat=len(SWITCHES)))


def factorial(
    scenario: str | Scenario | dict,
    samples: int,
    seed: int,
    levels: Sequence[str | float] = DEFAULT_LEVELS,
    on_progress: Progress | None = None,
) -> Iterator[tuple[tuple[str, ...], Scenario, pd.DataFrame]]:
    """Per cell: its levels, its scenario, and the per-sample metrics at the target.

    Draws are made once and shared by every cell (common random numbers).
    """
    labels = check_levels(levels)
    base = load_scenario(scenario)
    params = draws(samples, seed)
    grid = cells(labels)
    for i, cell in enumerate(grid):
        strengths = {
            s: switch_strength(level, "levels") for s, level in zip(SWITCHES, cell, strict=True)
        }
        sc = base.model_copy(update={"switches": strengths})
        yield cell, sc, evaluate(sc, params)
        if on_progress is not None:
            on_progress(i + 1, len(grid))


def switches(
    scenario: str | Scenario | dict = "status-quo",
    samples: int = 1000,
    seed: int = 0,
    levels: Sequence[str | float] = DEFAULT_LEVELS,
    on_progress: Progress | None = None,
) -> pd.DataFrame:
    """The switch table: one row per cell (27 with three levels), each on the same draws.

    Columns: compute, access, distillation (level labels); lead_p5, lead_p50, lead_p95 (lead at
    the target date, months); p_scenario_one, p_contested, p_scenario_two (share of samples in
    each verdict). Results hold under the registry's assumptions; they are not forecasts.
    """
    sc = load_scenario(scenario)
    rows = []
    for cell, _, frame in factorial(sc, samples, seed, levels, on_progress):
        p5, p50, p95 = np.quantile(frame["lead_months"], [0.05, 0.5, 0.95])
        rows.append(
            {
                **dict(zip(SWITCHES, cell, strict=True)),
                "lead_p5": float(p5),
                "lead_p50": float(p50),
                "lead_p95": float(p95),
                **outcome_shares(frame["outcome"]),
            }
        )
    table = pd.DataFrame(rows)
    table.attrs.update(scenario=sc.name, target=sc.target, samples=samples, seed=seed)
    return table


def switch_effects(table: pd.DataFrame, outputs: Sequence[str] = EFFECT_OUTPUTS) -> pd.DataFrame:
    """Main effects and two-way interactions of each switch on the cell statistics `outputs`.

    One row per term: `term` (a switch, or two joined by ' x '), `levels` (its level, or two
    joined by ', ') and one column per output with the effect in that output's units. Needs the
    full factorial (every combination of levels once), as `switches` returns.
    """
    missing = [c for c in (*SWITCHES, *outputs) if c not in table.columns]
    if missing:
        raise AileadError(f"switch table: missing columns {', '.join(missing)}")
    levels = {s: list(dict.fromkeys(table[s])) for s in SWITCHES}
    if (
        len(table) != np.prod([len(v) for v in levels.values()])
        or table.duplicated(list(SWITCHES)).any()
    ):
        raise AileadError("switch table: not a full factorial (each combination of levels once)")
    grand = table[list(outputs)].mean()
    means = {s: table.groupby(s, sort=False)[list(outputs)].mean() for s in SWITCHES}
    rows = []
    for s in SWITCHES:
        for level in levels[s]:
            rows.append({"term": s, "levels": level, **(means[s].loc[level] - grand)})
    for a, b in itertools.combinations(SWITCHES, 2):
        pair = table.groupby([a, b], sort=False)[list(outputs)].mean()
        for la, lb in itertools.product(levels[a], levels[b]):
            effect = pair.loc[(la, lb)] - means[a].loc[la] - means[b].loc[lb] + grand
            rows.append({"term": f"{a} x {b}", "levels": f"{la}, {lb}", **effect})
    return pd.DataFrame(rows)
