"""Tables of the `ailead` command line, in the label table's words (`ailead.outputs.labels`).

Imported by the commands that print them, so that `ailead --help` loads none of this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from ailead.cli.core import _num, _samples, _switch_text, _table

if TYPE_CHECKING:
    import pandas as pd

    from ailead.inputs.scenario import Scenario


def run_table(sc: Scenario, summary: dict[str, Any], samples: int, seed: int) -> list[Any]:
    """A heading, the metrics by front with labels and units, and the verdict: shares of
    samples, or for one sample the class its one deterministic run falls in."""
    from ailead.outputs import labels
    from ailead.outputs.summary import FRONTS

    quantiles = ["p50"] if samples == 1 else ["p5", "p50", "p95"]
    cols = ["value"] if samples == 1 else ["5th pct", "median", "95th pct"]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("metric", min_width=24)  # wraps at words on a narrow terminal
    table.add_column("unit", min_width=13)
    for col in cols:
        table.add_column(col, justify="right", no_wrap=True)
    for front, metrics in FRONTS.items():
        table.add_section()
        table.add_row(Text(labels.FRONTS.get(front, front), style="bold"))
        for metric in metrics:
            label = labels.metric(metric)
            q = summary[metric]
            table.add_row(label.text, label.unit, *(labels.compact(q[k]) for k in quantiles))
    shares = summary["outcome"]
    if samples == 1:
        reached = max(shares, key=shares.get)
        verdict = (
            f"Verdict of this one run: {labels.OUTCOMES[reached].lower()} "
            f"({labels.OUTCOME_MEANING[reached]})."
        )
    else:
        table.add_section()
        table.add_row(Text("Verdict (share of samples)", style="bold"))
        for outcome, p in shares.items():
            table.add_row(labels.OUTCOMES[outcome], "", "", labels.percent(p), "")
        verdict = (
            "5th pct, 95th pct: 5% of samples fall below the first and 5% above the second. "
            + outcome_meaning()
        )
    when = labels.month_name(sc.target)
    heading = f"{sc.name} in {when} ({_samples(samples, seed)}): {_switch_text(sc)}"
    return [heading, table, verdict]


def outcome_meaning() -> str:
    from ailead.outputs.labels import OUTCOME_MEANING, OUTCOMES

    return "; ".join(f"{OUTCOMES[k]}: {v}" for k, v in OUTCOME_MEANING.items()) + "."


SWITCH_COLUMNS = (
    "lead p50 [p5, p95]: the US lead at the target in months, median [5th, 95th percentile]. "
    "P(one), P(contested), P(two): the share of samples in scenario one (a lead of at least 12 "
    "months, still growing), contested, scenario two (3 months or less). pp: percentage points."
)
UNIT_WIDTH = 16  # the params table's unit column: 34 + 7 + 16 + 16 + 19 + gaps = 100


def params_table(rows: dict[str, dict[str, Any]]) -> Table:
    """One line per parameter, fitting 100 columns: key, default, unit, range, how it is drawn
    (a distribution's family, 'fixed', or the switch that sets a lever)."""
    from ailead.inputs.registry import load_registry
    from ailead.outputs.labels import compact as number

    registry = load_registry().parameters
    lines = []
    for n, r in rows.items():
        low, high = r["bounds"]
        switch = registry[n].switch
        lines.append(
            [
                n,
                number(r["default"]),
                "" if r["unit"] == "dimensionless" else r["unit"],
                "" if low == high else f"{number(low)} to {number(high)}",
                f"{switch} switch" if switch else r["distribution"].split("(")[0],
            ]
        )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for j, col in enumerate(("name", "default", "unit", "range", "drawn")):
        width = max(len(line[j]) for line in lines)
        justify = "right" if col == "default" else "left"
        if col == "unit":  # a long unit wraps at its spaces; nothing else is cut or wrapped
            table.add_column(col, min_width=min(width, UNIT_WIDTH), max_width=UNIT_WIDTH)
        else:
            table.add_column(col, justify=justify, no_wrap=True, min_width=width)
    for line in lines:
        table.add_row(*line)
    return table


def pct(value: float) -> str:
    """A share of samples by the one rule of the label table (`labels.percent`)."""
    from ailead.outputs.labels import percent

    return percent(value)


def column_notes(columns: Any) -> list[str]:
    """What each column of a table means, one line each, from the label table."""
    from ailead.outputs.labels import COLUMNS

    return [f"{c}: {COLUMNS[c].text}" for c in columns if c in COLUMNS]


def switches_tables(table: pd.DataFrame) -> list[Any]:
    """One table per distillation level: compute x access cells with the lead and the verdicts."""
    out = []
    columns = ("lead p50 [p5, p95]", "P(one)", "P(contested)", "P(two)")
    for level, rows in table.groupby("distillation", sort=False):
        grid = _table("compute", "access", *columns, right=columns)
        for row in rows.itertuples(index=False):
            lead = f"{_num(row.lead_p50)} [{_num(row.lead_p5)}, {_num(row.lead_p95)}]"
            shares = (row.p_scenario_one, row.p_contested, row.p_scenario_two)
            grid.add_row(row.compute, row.access, lead, *(pct(v) for v in shares))
        out += [f"distillation: {level}", grid]
    return out


def effects_table(effects: pd.DataFrame, kind: str) -> Any:
    """Main effects or two-way interactions of the switches: lead p50 and P(one)."""
    rows = effects[effects["term"].str.contains(" x ") == (kind == "interaction")]
    out = _table(
        "switch" if kind == "main" else "switches",
        "level" if kind == "main" else "levels",
        "lead p50 (months)",
        "P(one)",
        right=("lead p50 (months)", "P(one)"),
    )
    for row in rows.itertuples(index=False):
        out.add_row(
            row.term, row.levels, f"{row.lead_p50:+.2f}", f"{100 * row.p_scenario_one:+.1f} pp"
        )
    return out
