"""Key findings written from a report's results: which switch decides, by how much, how sure.

Each sentence is computed from the runs and the switch table and says "under these
assumptions"; none is written by hand, so a revision of the model's numbers rewrites them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ailead.inputs.registry import SWITCHES
from ailead.outputs.findings import months
from ailead.outputs.labels import LEVEL_NAMES, month_name, percent


def switch_findings(table: pd.DataFrame, base: str, samples: int = 2) -> list[str]:
    """What the switch table says: the switches ranked by how far each moves the median lead
    from off to strong (averaged over the other two), and the verdict shares at the corners."""
    levels = list(dict.fromkeys(table[SWITCHES[0]]))
    low, high = levels[0], levels[-1]
    effects = {
        s: table.loc[table[s] == high, "lead_p50"].mean()
        - table.loc[table[s] == low, "lead_p50"].mean()
        for s in SWITCHES
    }
    top, *rest = sorted(effects, key=lambda s: abs(effects[s]), reverse=True)
    others = "; ".join(f"{s} {_signed(effects[s])}" for s in rest)
    lines = [
        f"Of the three switches, {top} moves the lead most: from {LEVEL_NAMES.get(low, low)} to "
        f"{LEVEL_NAMES.get(high, high)} it changes the median US lead in "
        f"{month_name(table.attrs['target'])} by {_signed(effects[top])} months, averaged over "
        f"the settings of the other two ({others}; other settings from {base}).",
    ]
    if abs(effects[rest[0]]) > 0 and abs(effects[top]) >= 1.5 * abs(effects[rest[0]]):
        ratio = abs(effects[top]) / abs(effects[rest[0]])
        lines[0] += f" That is {ratio:.1f} times the effect of the {rest[0]} switch."
    hi, lo = LEVEL_NAMES.get(high, high), LEVEL_NAMES.get(low, low)
    corner = {lvl: table[(table[list(SWITCHES)] == lvl).all(axis=1)].iloc[0] for lvl in (low, high)}
    if samples == 1:  # one deterministic run per cell: its class, no shares
        reached = {
            lvl: max(("scenario_one", "contested", "scenario_two"), key=lambda k, c=c: c[f"p_{k}"])
            for lvl, c in corner.items()
        }
        lines.append(
            f"With every switch {hi} the one deterministic run is "
            f"{reached[high].replace('_', ' ')}; with every switch {lo}, "
            f"{reached[low].replace('_', ' ')}."
        )
        return lines
    lines.append(
        f"With every switch {hi}, scenario one holds in "
        f"{percent(corner[high]['p_scenario_one'])} of samples and scenario two in "
        f"{percent(corner[high]['p_scenario_two'])}; with every switch {lo}, "
        f"scenario one in {percent(corner[low]['p_scenario_one'])} and scenario two in "
        f"{percent(corner[low]['p_scenario_two'])}."
    )
    return lines


def run_findings(leads: dict[str, np.ndarray], samples: int) -> list[str]:
    """How sure: the width of each run's 90% range of the lead, and the scenarios' medians
    against the first one's, with the share of samples in which each is ahead of it (the runs
    share their draws, so sample i of each run is the same world)."""
    names = list(leads)
    first = names[0]
    lines = []
    if samples > 1:
        widths = {n: np.quantile(v, 0.95) - np.quantile(v, 0.05) for n, v in leads.items()}
        lines.append(
            "How sure: the 90% range of the lead at the target spans "
            + ", ".join(f"{months(w)} months in {n}" for n, w in widths.items())
            + ", from the uncertain world parameters alone."
        )
    for name in names[1:]:
        shift = np.median(leads[name]) - np.median(leads[first])
        text = f"{name} against {first}: median lead {_signed(shift)} months"
        if samples > 1:
            larger = shift >= 0
            share = np.mean(leads[name] > leads[first] if larger else leads[name] < leads[first])
            side = "larger" if larger else "smaller"
            text += f"; the lead is {side} in {percent(float(share))} of the shared samples"
        lines.append(text + ".")
    return lines


def _signed(value: float) -> str:
    text = months(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def signposts_section() -> tuple[list[str], pd.DataFrame]:
    """The signposts' answer for a report: P(world) as of the latest observations, the most
    informative indicators, and each indicator's influence (`ailead.analysis.signposts`)."""
    from ailead.analysis.signposts import signposts
    from ailead.calibrate.indicators import INDICATORS

    result = signposts()
    named = [INDICATORS[name].series.description for name in result.most_informative()]
    shares = ", ".join(f"{k} {percent(v)}" for k, v in result.probabilities.items())
    before = ", ".join(f"{k} {percent(v)}" for k, v in result.prior_probabilities.items())
    text = [
        f"As of {result.as_of}, with the policy switches uncertain (uniform between off and "
        f"strong), the record and the latest signposts give for {month_name(result.target)}: "
        f"{shares} (before the observations: {before}). The most informative indicators: "
        f"{'; '.join(named)}. Command: ailead signposts.",
        "Influence: how far P(world) moves when an indicator's rows are left out (importance "
        "reweighting of the same particles); the table lists what to watch next year.",
    ]
    watch = result.watch
    table = pd.DataFrame({
        "Indicator": [INDICATORS[n].series.description for n in watch["indicator"]],
        "Unit": watch["unit"], "Next 12 months, median": watch["p50"],
        "Expected shift in P(world)": watch["expected_shift"],
        "Expected shift in P(scenario two)": watch["expected_shift_two"],
        "P(scenario two) per unit": watch["two_per_unit"], "Per": watch["per"],
    })  # fmt: skip
    return text, table
