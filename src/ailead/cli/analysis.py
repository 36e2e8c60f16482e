"""CLI commands for analysis: switches, sensitivity, discover, optimize, plot.

Each is a thin layer over the function of the same name in `ailead.analysis`: it resolves the
scenario, drives a progress bar on stderr and formats the result as a table, JSON or CSV.
`ailead.analysis` is imported inside each command (see `ailead.cli.core`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ailead.cli.core import (
    CAVEAT,
    Format,
    FormatOpt,
    SeedOpt,
    SetOpt,
    _echo_json,
    _fails_plainly,
    _num,
    _parse_settings,
    _scenario,
    _show,
    _table,
)
from ailead.cli.large import check_size
from ailead.cli.tables import SWITCH_COLUMNS, column_notes, effects_table, switches_tables
from ailead.cli.tables import pct as _pct
from ailead.errors import AileadError, short

if TYPE_CHECKING:
    import pandas as pd

    from ailead.inputs.scenario import Scenario

LEVELS_TEXT = "off,status-quo,strong"  # ailead.analysis.switches.DEFAULT_LEVELS (a test checks)
ScenarioArg = Annotated[
    str, typer.Argument(help="A preset name or a scenario YAML file.", show_default=True)
]
LevelsOpt = Annotated[
    str,
    typer.Option(
        "--levels",
        help="Comma-separated switch levels: off, status-quo, strong or numbers in [0, 1].",
    ),
]
ChartOpt = Annotated[
    str | None,
    typer.Option("--chart", metavar="PATH", help="Also write a chart as PATH.png and PATH.svg."),
]


def _samples_opt(what: str) -> Any:
    return typer.Option("--samples", "-n", help=what, show_default=True)


@contextmanager
def _bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on stderr, driven by `on_progress(done, total)`.

    Only on a terminal: piped or captured stderr gets no bar (and no stray blank line).
    """
    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as p:
        task = p.add_task(label, total=None)
        yield lambda done, total: p.update(task, completed=done, total=total)


def _grid_scenario(ref: str, settings: list[str] | None) -> Scenario:
    """The scenario for a switch grid: --set may fix parameters, not the switches it varies."""
    from ailead.inputs.registry import SWITCHES

    parsed = _parse_settings(settings)
    for name in parsed:
        if name in SWITCHES:
            raise AileadError(
                f"--set {name}: the grid varies every switch; allowed here: parameters only"
            )
    return _scenario(ref, parsed)


def _levels(text: str) -> list[str]:
    return [level for level in text.split(",") if level.strip()]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return _plain(frame.to_dict(orient="records"))


def _plain(value: Any) -> Any:
    """JSON-ready data: NumPy scalars as Python ones, NaN and infinities as None."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _index(value: float) -> str:
    """A sensitivity index: three decimals, n/a where SALib gives none (NaN)."""
    if not math.isfinite(value):
        return "n/a"
    return f"{value:.3f}" if abs(value) < 100 else _num(value)


def switches_cmd(
    scenario: ScenarioArg = "status-quo",
    samples: Annotated[int, _samples_opt("Monte Carlo samples per cell.")] = 1000,
    seed: SeedOpt = 0,
    levels: LevelsOpt = LEVELS_TEXT,
    fmt: FormatOpt = Format.table,
    settings: SetOpt = None,
    heatmap: Annotated[
        str | None,
        typer.Option("--heatmap", metavar="PATH", help="Also write a heat map of the median lead."),
    ] = None,
) -> None:
    """The switch table: every combination of the three switches, on shared draws.

    Per cell: the lead at the target date (median and 5-95% range) and the probability of each
    verdict; below it, each switch's main effect and the two-way interactions (ANOVA
    decomposition of the cell medians). csv: the cells only.
    """
    from ailead.analysis import plot_switch_heatmap, switch_effects, switches

    sc = _grid_scenario(scenario, settings)
    with _bar(f"{sc.name}: switch cells") as on_progress:
        table = switches(sc, samples, seed, _levels(levels), on_progress)
    effects = switch_effects(table)
    files = [str(p) for p in plot_switch_heatmap(table, heatmap).paths] if heatmap else []
    if fmt is Format.json:
        _echo_json(
            {
                **table.attrs,
                "levels": _levels(levels),
                "cells": _records(table),
                "effects": _records(effects),
                "files": files,
            }
        )
        return
    if fmt is Format.csv:
        sys.stdout.write(table.to_csv(index=False))
        return
    heading = f"Switch table for {sc.name} at {sc.target} ({samples} samples per cell, seed {seed})"
    _show(
        heading,
        *switches_tables(table),
        "Main effects (cell mean minus grand mean):",
        effects_table(effects, "main"),
        "Two-way interactions:",
        effects_table(effects, "interaction"),
        SWITCH_COLUMNS,
        *(f"wrote {f}" for f in files),
        CAVEAT,
    )


def _groups(items: list[str] | None) -> dict[str, list[str]] | None:
    groups = {}
    for item in items or []:
        name, eq, members = item.partition("=")
        if not eq or not name.strip() or not members.strip():
            raise AileadError(f"--group {short(item)}: expected NAME=PARAM,PARAM,...")
        groups[name.strip()] = [m.strip() for m in members.split(",") if m.strip()]
    return groups or None


def sensitivity_cmd(
    scenario: ScenarioArg = "status-quo",
    output: Annotated[
        str, typer.Option("--output", "-o", help="Metric at the target date.")
    ] = "lead_months",
    method: Annotated[
        str, typer.Option("--method", "-m", help="sobol, morris or delta.")
    ] = "sobol",
    samples: Annotated[
        int,
        _samples_opt(
            "Base samples: sobol N (a power of two; N(d+2) runs), morris trajectories, delta runs."
        ),
    ] = 1024,
    seed: SeedOpt = 0,
    group: Annotated[
        list[str] | None,
        typer.Option(
            "--group",
            metavar="NAME=PARAM,...",
            help="Group parameters (sobol, morris); repeatable.",
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Rows in the table and the chart.")] = 20,
    chart: ChartOpt = None,
    fmt: FormatOpt = Format.table,
    settings: SetOpt = None,
    readings: Annotated[
        bool,
        typer.Option(
            "--lever-readings",
            help="Also vary how each switch's levels are read within their policy ranges.",
        ),
    ] = False,
) -> None:
    """Global sensitivity of an output at the target date to every uncertain parameter.

    Inputs are drawn from the registry distributions (independently). Ranked by ST (sobol),
    mu_star (morris) or delta; intervals are 95% bootstrap half-widths. --lever-readings adds
    the switches' lever readings (-1 lenient to 1 strict within each level's sourced range).
    """
    from ailead.analysis import plot_tornado, sensitivity
    from ailead.analysis.evaluate import check_count

    check_count(top, "--top")
    _check_chart(chart)
    sc = _scenario(scenario, _parse_settings(settings))
    with _bar(f"{sc.name}: {method} runs") as on_progress:
        table = sensitivity(
            sc, output, method, samples, seed, _groups(group), on_progress, readings
        )
    files = [str(p) for p in plot_tornado(table, chart, top).paths] if chart else []
    if fmt is Format.json:
        rows = [
            {"name": name, **row} for name, row in _plain(table.to_dict(orient="index")).items()
        ]
        _echo_json({**table.attrs, "indices": rows, "files": files})
        return
    if fmt is Format.csv:
        sys.stdout.write(table.to_csv())
        return
    out = _table(table.index.name, *table.columns, right=table.columns)
    for name, row in table.head(top).iterrows():
        out.add_row(name, *(_index(v) for v in row))
    heading = (
        f"Sensitivity of {output} at {sc.target} in {sc.name} ({method}, {table.attrs['runs']} "
        f"runs, seed {seed}); top {min(top, len(table))} of {len(table)}"
    )
    _show(heading, out, *column_notes(table.columns), *(f"wrote {f}" for f in files), CAVEAT)


def discover_cmd(
    scenario: ScenarioArg = "status-quo",
    where: Annotated[
        str,
        typer.Option(
            "--where",
            "-w",
            help="<metric> <op> <number> (op <=, <, >=, >) or outcome == <verdict>.",
        ),
    ] = "lead_months <= 3",
    samples: Annotated[int, _samples_opt("Monte Carlo samples.")] = 4000,
    seed: SeedOpt = 0,
    alpha: Annotated[
        float, typer.Option("--alpha", help="Share of the box peeled per step.")
    ] = 0.05,
    min_mass: Annotated[
        float, typer.Option("--min-mass", help="Smallest share of samples a box may hold.")
    ] = 0.05,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Density the chosen box should reach.")
    ] = 0.8,
    paste: Annotated[
        bool,
        typer.Option(
            "--paste/--no-paste", help="Widen the chosen box while that raises its density."
        ),
    ] = True,
    max_p: Annotated[
        float,
        typer.Option(
            "--max-p", help="Drop restrictions whose quasi-p-value exceeds this (1 keeps all)."
        ),
    ] = 0.05,
    fmt: FormatOpt = Format.table,
    settings: SetOpt = None,
) -> None:
    """Scenario discovery (PRIM): parameter ranges where a condition at the target date holds.

    coverage = share of the cases inside the box; density = share of the box's samples that are
    cases; qp = quasi-p-value of each restriction (small: not explained by chance). csv: the
    box, one row per restricted parameter.
    """
    from ailead.analysis import discover
    from ailead.inputs.registry import load_registry

    sc = _scenario(scenario, _parse_settings(settings))
    with _bar(f"{sc.name}: samples") as on_progress:
        found = discover(
            sc, where, samples, seed, alpha, min_mass, threshold, paste, max_p, on_progress
        )
    data = found.to_dict()
    if fmt is Format.json:
        _echo_json(_plain(data))
        return
    if fmt is Format.csv:
        sys.stdout.write(found.result.box.to_csv())
        return
    registry = load_registry()
    box = _table(
        "parameter", "lower", "upper", "sampled range", "qp", right=("lower", "upper", "qp")
    )
    for name, row in found.result.box.iterrows():
        lower = _num(row["lower"]) if row["lower"] > row["min"] else ""
        upper = _num(row["upper"]) if row["upper"] < row["max"] else ""
        box.add_row(
            name,
            lower,
            upper,
            f"{_num(row['min'])} to {_num(row['max'])} {registry[name].unit}",
            f"{row['qp']:.1g}",
        )
    heading = (
        f"{sc.name} at {sc.target}: {data['where']} in {data['cases']} of {samples} samples "
        f"({_pct(data['share'])}; seed {seed})"
    )
    stats = (
        f"Box (PRIM step {data['chosen_step']}{', pasted' if paste else ''}, restrictions with "
        f"qp <= {max_p:g}): coverage "
        f"{_pct(data['coverage'])}, density {_pct(data['density'])}, mass {_pct(data['mass'])}"
    )
    _show(heading, stats, box, CAVEAT)


def optimize_cmd(
    scenario: ScenarioArg = "status-quo",
    target: Annotated[
        str,
        typer.Option(
            "--target",
            "-t",
            help="P(<condition>) <op> <probability>; condition as for discover --where.",
        ),
    ] = "P(lead_months >= 12) >= 0.8",
    samples: Annotated[int, _samples_opt("Monte Carlo samples per cell.")] = 1000,
    seed: SeedOpt = 0,
    levels: LevelsOpt = LEVELS_TEXT,
    chart: ChartOpt = None,
    fmt: FormatOpt = Format.table,
    settings: SetOpt = None,
) -> None:
    """Policy search: the least costly switch settings that reach a probability target.

    Costs are the registry's stylised policy costs (`policy_costs`). Shows the choice and the
    trade-off curve (settings no other beats on both cost and probability). csv: every cell.
    """
    from ailead.analysis import optimize, plot_tradeoff
    from ailead.inputs.registry import SWITCHES

    sc = _grid_scenario(scenario, settings)
    _check_chart(chart)
    with _bar(f"{sc.name}: switch cells") as on_progress:
        search = optimize(sc, target, samples, seed, _levels(levels), on_progress)
    files = [str(p) for p in plot_tradeoff(search, chart).paths] if chart else []
    if fmt is Format.json:
        _echo_json({**_plain(search.to_dict()), "files": files})
        return
    if fmt is Format.csv:
        sys.stdout.write(search.table.to_csv(index=False))
        return
    if search.chosen is None:
        choice = f"No switch setting reaches {search.target} under these assumptions."
    else:
        c = search.chosen
        settings_text = ", ".join(f"{s}={c[s]}" for s in SWITCHES)
        choice = (
            f"Least costly settings reaching {search.target}: {settings_text} "
            f"(cost {c['cost']:.2f}, probability {_pct(c['probability'])})"
        )
    curve = _table(*SWITCHES, "cost", "probability", "meets target", right=("cost", "probability"))
    for row in search.pareto.itertuples(index=False):
        curve.add_row(
            row.compute,
            row.access,
            row.distillation,
            f"{row.cost:.2f}",
            _pct(row.probability),
            "yes" if row.meets else "no",
        )
    heading = (
        f"{sc.name} at {sc.target} ({samples} samples per cell, seed {seed}); cost in {search.unit}"
    )
    _show(
        heading,
        choice,
        "Trade-off curve (cost against probability):",
        curve,
        *(f"wrote {f}" for f in files),
        f"{CAVEAT} Policy costs are stylised assumptions.",
    )


def plot_cmd(
    scenarios: Annotated[list[str], typer.Argument(help="One or more presets or YAML files.")],
    metric: Annotated[
        str, typer.Option("--metric", help="A monthly series, e.g. lead_months or capability_cn.")
    ] = "lead_months",
    out: Annotated[
        str, typer.Option("--out", "-o", metavar="PATH", help="Writes PATH.png and PATH.svg.")
    ] = "fan",
    samples: Annotated[int, _samples_opt("Monte Carlo samples per scenario.")] = 1000,
    seed: SeedOpt = 0,
    fmt: FormatOpt = Format.table,
    settings: SetOpt = None,
) -> None:
    """Fan charts: median, 50% and 90% bands of a metric over time, scenarios overlaid.

    The same seed gives every scenario the same draws. json and csv: the bands per month.
    """
    from ailead.analysis import plot
    from ailead.analysis.evaluate import check_count
    from ailead.analysis.plots import series
    from ailead.outputs.engine import run as run_model

    overrides = _parse_settings(settings)
    refs = [_scenario(ref, overrides) for ref in scenarios]
    check_count(samples, "samples", 2)
    check_size(samples, refs)
    _check_chart(out)
    runs = []
    with _bar("scenarios") as on_progress:
        for i, sc in enumerate(refs, start=1):
            runs.append(run_model(sc, samples=samples, seed=seed))
            series(runs[-1], metric)  # fail on a bad metric before running the rest
            on_progress(i, len(refs))
    chart = plot(runs, metric, out)
    files = [str(p) for p in chart.paths]
    if fmt is Format.json:
        _echo_json(
            {
                "metric": metric,
                "samples": samples,
                "seed": seed,
                "files": files,
                "bands": _records(chart.data),
            }
        )
        return
    if fmt is Format.csv:
        sys.stdout.write(chart.data.to_csv(index=False))
        return
    _show(*(f"wrote {f}" for f in files), CAVEAT)


def _check_chart(out: str | None) -> None:
    """Refuse a chart path whose PATH.png or PATH.svg exists, before any run."""
    from ailead.analysis.plots import chart_paths

    if out is not None:
        chart_paths(out)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `ailead` app."""
    for name, command in (
        ("switches", switches_cmd),
        ("sensitivity", sensitivity_cmd),
        ("discover", discover_cmd),
        ("optimize", optimize_cmd),
        ("plot", plot_cmd),
    ):
        app.command(name)(_fails_plainly(command))
