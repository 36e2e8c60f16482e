"""CLI commands for saved runs (`ailead runs ...`) and for reports (`ailead report ...`).

The run store lives in $AILEAD_HOME/runs.duckdb (by default in the user's data directory);
`ailead run ... --save` adds runs to it. The store and the report are imported inside each
command (see `ailead.cli.core`).
"""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.text import Text

from ailead.cli.analysis import _bar
from ailead.cli.core import (
    CAVEAT,
    ListFormat,
    ListFormatOpt,
    SamplesOpt,
    SeedOpt,
    SetOpt,
    _echo_json,
    _fails_plainly,
    _num,
    _parse_settings,
    _samples,
    _scenario,
    _show,
    _switch_text,
    _table,
)
from ailead.cli.large import check_size

runs_app = typer.Typer(
    help="Saved runs in the run store ($AILEAD_HOME/runs.duckdb): list, show, diff, export, "
    "delete, reproduce.",
    no_args_is_help=True,
)
RunArg = Annotated[
    str, typer.Argument(help="A run id, a unique id prefix (4+ characters) or a name.")
]


# the sensitivity methods of ailead.analysis (sensitivity.METHODS; a test checks they agree)
Method = StrEnum("Method", {m: m for m in ("sobol", "morris", "delta")})


def _plain(value: Any) -> Any:
    """NaN and infinities as None, so that JSON output stays valid."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _output_text(q: dict[str, float | None] | None, samples: int) -> str:
    """An output at the target: a share, one value, or the median with its 5-95% range."""
    if q is None:
        return "-"
    if "share" in q:
        from ailead.outputs.labels import percent

        return percent(q["share"])
    if samples == 1:
        return _num(q["p50"])
    return f"{_num(q['p50'])} [{_num(q['p5'])}, {_num(q['p95'])}]"


@runs_app.command("list")
@_fails_plainly
def list_cmd(fmt: ListFormatOpt = ListFormat.table) -> None:
    """List the saved runs, oldest first, with the median lead at each run's target."""
    from ailead.store import list_runs
    from ailead.store.schema import store_path

    runs = list_runs()
    if fmt is ListFormat.json:
        _echo_json(_plain(runs))
        return
    if not runs:
        _show(f"No saved runs in {store_path()} (`ailead run SCENARIO --save` saves one).")
        return
    columns = ("id", "name", "scenario", "samples", "seed", "lead at target", "saved (UTC)")
    table = _table(*columns, right=("samples", "seed", "lead at target"))
    for r in runs:
        cells = (r["run_id"], r["name"] or "", r["scenario"], r["samples"], r["seed"])
        saved = r["created_at"].replace("T", " ")[:16]
        table.add_row(*(Text(str(c)) for c in cells), _num(r["lead_p50"]), saved)
    _show(f"{len(runs)} saved runs in {store_path()} (lead: median, months)", table)


@runs_app.command("show")
@_fails_plainly
def show_cmd(run: RunArg, fmt: ListFormatOpt = ListFormat.table) -> None:
    """Show a saved run: its inputs, and every output at the target month (p5, p50, p95)."""
    from ailead.store import load_run, run_inputs, target_summary

    stored = load_run(run)
    outputs = target_summary(stored)
    info = {k: v for k, v in stored.info.items() if k != "scenario_json"}
    if fmt is ListFormat.json:
        _echo_json(_plain({"info": info, "inputs": run_inputs(stored), "outputs": outputs}))
        return
    samples = info["samples"]
    cols = {"value": "p50"} if samples == 1 else {q: q for q in ("p5", "p50", "p95")}
    table = _table("output", "unit", *cols, right=cols)
    for key, q in outputs.items():
        variable = key.split("[")[0].split("=")[0]
        unit = "share" if "share" in q else stored.at_target[variable].attrs.get("units", "")
        if "share" in q:  # a text variable (outcome): the share of samples with this label
            values = [_output_text(q, samples) if k == "p50" else "" for k in cols.values()]
        else:
            values = [_num(q[k]) for k in cols.values()]
        table.add_row(Text(key), Text(unit), *values)
    name = f" '{info['name']}'" if info["name"] else ""
    heading = (
        f"run {info['run_id']}{name}: {info['scenario']} at {info['target']} "
        f"({_samples(samples, info['seed'])}), saved {info['created_at']} with ailead "
        f"{info['ailead_version']}"
    )
    _show(heading, _switch_text(stored.scenario), table, CAVEAT)


@runs_app.command("diff")
@_fails_plainly
def diff_cmd(a: RunArg, b: RunArg, fmt: ListFormatOpt = ListFormat.table) -> None:
    """Show what differs between two saved runs: inputs, parameter draws, outputs at the target."""
    from ailead.store import diff_runs

    diff = diff_runs(a, b)
    if fmt is ListFormat.json:
        _echo_json(_plain(diff))
        return
    ids = [f"{diff[k]['run_id']} ({diff[k]['name'] or diff[k]['scenario']})" for k in "ab"]
    parts: list[Any] = [f"a = {ids[0]}; b = {ids[1]}"]
    if not any(diff[k] for k in ("inputs", "parameters", "outputs")):
        parts.append("The two runs have the same inputs and the same outputs.")
    sections = (
        ("inputs", "input", lambda v: "-" if v is None else str(v)),
        ("parameters", escape("parameter: p50 [p5, p95] of the draws"), _draws_text(diff)),
        ("outputs", escape("output at the target: p50 [p5, p95]"), _draws_text(diff)),
    )
    for key, label, fmt_value in sections:
        if diff[key]:
            table = _table(label, "a", "b")
            for name, pair in diff[key].items():
                table.add_row(Text(name), Text(fmt_value(pair["a"])), Text(fmt_value(pair["b"])))
            parts.append(table)
    _show(*parts, CAVEAT)


def _draws_text(diff: dict[str, Any]) -> Any:
    samples = max(diff["a"]["samples"], diff["b"]["samples"])
    return lambda q: _output_text(q, samples)


@runs_app.command("export")
@_fails_plainly
def export_cmd(
    run: RunArg,
    out: Annotated[Path, typer.Argument(help="Output file: .nc, .parquet or .csv.")],
) -> None:
    """Write a saved run to a file: per-sample outputs at the target and monthly quantiles.

    .nc keeps dims, units and attributes; .parquet and .csv are long format (one row per value).
    """
    from ailead.store import export_run

    typer.echo(f"wrote {export_run(run, out)}")


@runs_app.command("delete")
@_fails_plainly
def delete_cmd(
    run: RunArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a saved run (it cannot be restored)."""
    from ailead.store import delete_run, load_run

    info = load_run(run).info
    name = f" '{info['name']}'" if info["name"] else ""
    if not yes:
        typer.confirm(
            f"Delete run {info['run_id']}{name} ({info['scenario']}, saved {info['created_at']})?",
            abort=True,
        )
    typer.echo(f"deleted run {delete_run(info['run_id'])}")


@runs_app.command("reproduce")
@_fails_plainly
def reproduce_cmd(run: RunArg) -> None:
    """Rerun a saved run and check that it gives exactly the stored numbers."""
    from ailead.store import reproduce

    ds = reproduce(run)
    typer.echo(
        f"run {run}: rerun gives identical numbers ({ds.attrs['scenario']}, "
        f"{_samples(ds.sizes['sample'], ds.attrs['seed'])}, ailead {ds.attrs['ailead_version']})"
    )


@_fails_plainly
def report_cmd(
    scenarios: Annotated[list[str], typer.Argument(help="One or more presets or YAML files.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="report.html (self-contained) or report.pdf.")
    ],
    samples: SamplesOpt = 1000,
    seed: SeedOpt = 0,
    settings: SetOpt = None,
    sensitivity: Annotated[
        Method | None,
        typer.Option("--sensitivity", help="Add a sensitivity ranking of the first scenario."),
    ] = None,
    sensitivity_samples: Annotated[
        int,
        typer.Option(
            "--sensitivity-samples", help="Base samples for the ranking (sobol: a power of two)."
        ),
    ] = 1024,
) -> None:
    """Write a report on scenarios: verdict, fronts, fan charts, switch table, parameters, sources.

    HTML is one self-contained file with interactive charts (no network needed to view); PDF
    has the same content with static charts. The switch table varies the first scenario.
    """
    from ailead.analysis import sensitivity as rank
    from ailead.report import build_report, check_report_path, write_report
    from ailead.report.content import report_steps

    path = check_report_path(out)
    overrides = _parse_settings(settings)
    resolved = [_scenario(ref, overrides) for ref in scenarios]
    check_size(samples, resolved)
    total = report_steps(len(resolved)) + 1 + (1 if sensitivity else 0)
    done = 0
    with _bar(f"Building {path.name}") as on_progress:

        def step(_what: str) -> None:
            nonlocal done
            done += 1
            on_progress(done, total)

        ranking = None
        if sensitivity:
            ranking = rank(
                resolved[0], method=sensitivity.value, samples=sensitivity_samples, seed=seed
            )
            step("sensitivity")
        report = build_report(
            resolved, samples=samples, seed=seed, sensitivity=ranking, on_step=step
        )
        written = write_report(report, path)
        step("written")
    typer.echo(f"wrote {written}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `ailead` app."""
    app.add_typer(runs_app, name="runs")
    app.command("report")(report_cmd)
