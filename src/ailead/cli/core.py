"""The `ailead` command line: run and compare scenarios, list presets and parameters.

A thin layer over the library: it parses options, calls `ailead.run` and the summaries, and
formats the results as a table, JSON or CSV. Results go to stdout; progress and errors go to
stderr. Bad input (an `AileadError`) prints one line `error: ...` and exits with status 2.

Every `ailead` module but the version and the errors is imported inside the command that needs
it, so that `ailead --help` and a bad option answer without loading the numerical stack.
"""

from __future__ import annotations

import functools
import json
import math
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ailead._version import __version__
from ailead.cli.large import check_size, month_progress, streams
from ailead.errors import AileadError, short

if TYPE_CHECKING:
    import pandas as pd

    from ailead.inputs.scenario import Scenario

CAVEAT = "Results under these assumptions; not a forecast."


def _flags_without_type() -> None:
    """Show `--save`, not `--save <bool>`: typer 0.29 prints a type for flags, which take none."""
    option = typer.core.TyperOption
    if getattr(option.display_type_rich, "_ailead", False):
        return
    shown = option.display_type_rich

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    display_type_rich._ailead = True  # type: ignore[attr-defined]
    option.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_without_type()

app = typer.Typer(
    help="Scenario engine for '2028: Two scenarios for global AI leadership'.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Backend(StrEnum):  # ailead.outputs.engine.BACKENDS
    numpy = "numpy"
    jax = "jax"


class ListFormat(StrEnum):
    table = "table"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
ListFormatOpt = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]
SamplesOpt = Annotated[
    int, typer.Option("--samples", "-n", help="Monte Carlo samples (1 = registry defaults only).")
]
SeedOpt = Annotated[int, typer.Option("--seed", "-s", help="Seed for the parameter draws.")]
BackendOpt = Annotated[
    Backend, typer.Option(help="numpy, or jax: compiled, on a CPU or GPU (the extra 'gpu').")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="NAME=VALUE",
        help="Set a switch (compute, access, distillation) or a parameter; repeatable.",
    ),
]


def _fails_plainly(command: Callable[..., None]) -> Callable[..., None]:
    """Turn bad input into one line `error: ...` on stderr and exit status 2, no traceback.

    Every command's `samples` (and `sensitivity_samples`) and `seed` are checked first: a
    positive count within the sample cap, a seed the run store holds. Running out of memory
    anyway is answered the same way.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            _within_limits(kwargs)
            command(*args, **kwargs)
        except (AileadError, OSError) as exc:
            print("error: " + " ".join(str(exc).split()), file=sys.stderr)
            raise typer.Exit(2) from None
        except MemoryError:
            print("error: out of memory; allowed: fewer --samples", file=sys.stderr)
            raise typer.Exit(2) from None

    return wrapper


def _within_limits(options: dict[str, Any]) -> None:
    """The sample counts and the seed among a command's options, checked before any work."""
    from ailead.inputs.sizes import run_size
    from ailead.outputs.budget import check_cap

    for key in ("samples", "sensitivity_samples"):
        if key in options:
            run_size(options[key], 0)
            check_cap(options[key], "--" + key.replace("_", "-"))
    if "seed" in options:
        run_size(1, options["seed"])


def _parse_settings(settings: list[str] | None) -> dict[str, str]:
    """`--set NAME=VALUE` options as a mapping (the last one wins)."""
    parsed = {}
    for item in settings or []:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise AileadError(
                f"--set {short(item)}: expected NAME=VALUE, e.g. --set compute=strong"
            )
        parsed[name.strip()] = value.strip()
    return parsed


def _scenario(ref: str, settings: dict[str, str]) -> Scenario:
    from ailead.inputs.scenario import load_scenario

    sc = load_scenario(ref)
    return sc.with_overrides(settings) if settings else sc


def _simulate(
    sc: Scenario, samples: int, seed: int, backend: str = "numpy", stream: bool = False
) -> dict[str, Any]:
    """Run a scenario (`stream`: in chunks, `ailead.cli.large`); return its summary at the
    target and its description as plain data."""
    from ailead.inputs.registry import SWITCHES
    from ailead.outputs.engine import run as run_model
    from ailead.outputs.summary import outcome_probabilities, summarize

    if stream:
        from ailead.cli.large import run_in_chunks

        ds, monthly = run_in_chunks(sc, samples, seed)
    else:
        with month_progress(sc.name, samples, sc.month(sc.end) + 1) as on_month:
            ds = run_model(sc, samples=samples, seed=seed, on_month=on_month, backend=backend)
        monthly = ds
    info = {"target": sc.target, "switches": {s: sc.switches[s] for s in SWITCHES}}
    if sc.parameters:
        info["parameters"] = dict(sc.parameters)
    summary = {**_finite(summarize(ds)), "outcome": outcome_probabilities(ds)}
    return {"sc": sc, "ds": ds, "monthly": monthly, "info": {**info, "summary": summary}}


def _summary_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """Metrics as rows of p5, p50, p95, then a row P(class) per verdict class (in p50 only)."""
    import pandas as pd

    metrics = pd.DataFrame({k: v for k, v in summary.items() if k != "outcome"}).T
    verdict = pd.DataFrame(
        {"p50": list(summary["outcome"].values())},
        index=[f"P({name})" for name in summary["outcome"]],
    )
    return pd.concat([metrics, verdict])


def _finite(value: Any) -> Any:
    """NaN and infinities as None, so that JSON output stays valid."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value if math.isfinite(value) else None


def _switch_text(sc: Scenario) -> str:
    from ailead.inputs.registry import LEVELS, SWITCHES

    names = {v: k for k, v in LEVELS.items()}
    text = ", ".join(f"{s}={names.get(sc.switches[s], sc.switches[s])}" for s in SWITCHES)
    extra = ", ".join(f"{k}={v:g}" for k, v in sc.parameters.items())
    return text + (f"; overrides: {extra}" if extra else "")


def _g(value: float, spec: str = "g") -> str:
    """A number in `spec` with short exponents: 1.2e6, not 1.2e+06."""
    return format(value, spec).replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def _num(value: float | None) -> str:
    if value is None:
        return "n/a"
    if abs(value) >= 1e5:
        return _g(value, ".3g")
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _span(q: dict[str, float | None], samples: int) -> str:
    """The median, with the 5-95% range when there is more than one sample."""
    from ailead.outputs.labels import compact as number

    if samples == 1:
        return number(q["p50"])
    return f"{number(q['p50'])}\n[{number(q['p5'])} to {number(q['p95'])}]"


def _samples(samples: int, seed: int) -> str:
    if samples == 1:
        return "one deterministic run at the registry defaults; no probabilities"
    return f"{samples:,} samples, seed {seed}"


def _table(*columns: str, right: Any = ()) -> Table:
    """A table whose columns named in `right` are right-aligned."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for i, col in enumerate(columns):
        justify = "right" if col in right else "left"
        table.add_column(col, justify=justify, no_wrap=i == 0, overflow="fold")
    return table


def _show(*renderables: Any) -> None:
    console = Console(highlight=False)
    for item in renderables:
        console.print(item if isinstance(item, Table) else Text(str(item)))


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2))


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"ailead {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Scenario engine for '2028: Two scenarios for global AI leadership'."""


@app.command("run")
@_fails_plainly
def run_cmd(
    scenario: Annotated[str, typer.Argument(help="A preset name or a scenario YAML file.")],
    samples: SamplesOpt = 1,
    seed: SeedOpt = 0,
    fmt: FormatOpt = Format.table,
    settings: SetOpt = None,
    save: Annotated[
        bool, typer.Option("--save", help="Keep the run in the run store ($AILEAD_HOME).")
    ] = False,
    name: Annotated[
        str | None, typer.Option("--name", help="A unique name for the saved run (with --save).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the full result: .nc, .parquet or .csv."),
    ] = None,
    backend: BackendOpt = Backend.numpy,
) -> None:
    """Run one scenario and show its headline metrics at the target month.

    table: p5, p50 and p95 of each metric (one value with --samples 1). Above 50,000 samples a
    run that is not saved or exported streams in chunks, in bounded memory.

    json: the same as one object. csv: monthly medians of every series, one row per month.
    """
    from ailead.outputs.export import check_export_path, export
    from ailead.outputs.summary import monthly_medians
    from ailead.store import check_name, check_writable, save_run

    if name is not None and not save:
        raise AileadError("--name: give --save too; a name labels a saved run")
    check_name(name)
    if save:
        check_writable()
    if out is not None:
        check_export_path(out)
    sc = _scenario(scenario, _parse_settings(settings))
    stream = streams(samples, keeps_all=save or out is not None, backend=backend.value)
    check_size(samples, [sc], out is not None and out.suffix.lower() == ".nc", stream)
    res = _simulate(sc, samples, seed, backend.value, stream)
    sc, info = res["sc"], res["info"]
    if save:
        run_id = save_run(res["ds"], name=name)
        print(f"saved run {run_id}" + (f" as {name}" if name else ""), file=sys.stderr)
    if out is not None:
        print(f"wrote {export(res['ds'], out)}", file=sys.stderr)
    if fmt is Format.json:
        _echo_json({"scenario": sc.name, "samples": samples, "seed": seed, **info})
        return
    if fmt is Format.csv:
        sys.stdout.write(monthly_medians(res["monthly"]).to_csv())
        return
    from ailead.cli.tables import run_table

    _show(*run_table(sc, info["summary"], samples, seed), CAVEAT)


@app.command()
@_fails_plainly
def compare(
    scenarios: Annotated[list[str], typer.Argument(help="Two or more presets or YAML files.")],
    samples: SamplesOpt = 1,
    seed: SeedOpt = 0,
    fmt: FormatOpt = Format.table,
    settings: SetOpt = None,
) -> None:
    """Compare scenarios side by side, each at its own target month.

    The same seed gives every scenario the same draws; --set applies to all of them.

    csv: one row per scenario and metric, with p5, p50 and p95.
    """
    import pandas as pd

    from ailead.outputs import labels
    from ailead.outputs.summary import FRONTS

    if len(scenarios) < 2:
        raise AileadError("compare: give two or more scenarios, e.g. status-quo us-lead")
    overrides = _parse_settings(settings)
    resolved = [_scenario(ref, overrides) for ref in scenarios]
    check_size(samples, resolved)
    results: dict[str, dict[str, Any]] = {}
    for i, sc in enumerate(resolved, start=1):
        res = _simulate(sc, samples, seed)
        results[res["sc"].name if res["sc"].name not in results else f"{res['sc'].name}#{i}"] = res
    if fmt is Format.json:
        scenarios_info = {name: r["info"] for name, r in results.items()}
        _echo_json({"samples": samples, "seed": seed, "scenarios": scenarios_info})
        return
    if fmt is Format.csv:
        tables = {name: _summary_frame(r["info"]["summary"]) for name, r in results.items()}
        sys.stdout.write(pd.concat(tables, names=["scenario", "metric"]).to_csv())
        return
    head = "value" if samples == 1 else "median [5th to 95th percentile]"
    columns = [f"{name}\n{labels.month_name(r['sc'].target)}" for name, r in results.items()]
    table = _table("metric", "unit", *columns, right=columns)
    table.show_lines = samples > 1
    for front, metrics in FRONTS.items():
        table.add_row(Text(labels.FRONTS.get(front, front), style="bold"))
        for metric in metrics:
            cells = (_span(r["info"]["summary"][metric], samples) for r in results.values())
            label = labels.metric(metric)
            table.add_row(label.text, label.unit, *cells)
    outcomes = [r["info"]["summary"]["outcome"] for r in results.values()]
    if samples == 1:
        table.add_row(Text("Verdict of each run", style="bold"))
        reached = (labels.OUTCOMES[max(o, key=o.get)] for o in outcomes)
        table.add_row("Verdict", "", *reached)
    else:
        table.add_row(Text("Verdict (share of samples)", style="bold"))
        for outcome in labels.OUTCOMES:
            cells = (labels.percent(o[outcome]) for o in outcomes)
            table.add_row(labels.OUTCOMES[outcome], "", *cells)
    switches = (f"{n}: {_switch_text(r['sc'])}" for n, r in results.items())
    from ailead.cli.tables import outcome_meaning

    _show(f"{head} ({_samples(samples, seed)})", table, *switches, outcome_meaning(), CAVEAT)


@app.command("scenarios")
@_fails_plainly
def scenarios_cmd(fmt: ListFormatOpt = ListFormat.table) -> None:
    """List the preset scenarios with their descriptions."""
    from ailead.inputs.scenario import presets

    found = presets()
    if fmt is ListFormat.json:
        _echo_json(found)
        return
    table = _table("name", "description")
    table.show_lines = True
    for name, description in found.items():
        table.add_row(Text(name), Text(description))
    _show("Preset scenarios", table)


def _param_info(name: str, full: bool = False) -> dict[str, Any]:
    """A parameter as plain data: the list's columns, or (full) everything with its citation."""
    from ailead.inputs.registry import load_registry

    registry = load_registry()
    p = registry.get(name, "params")
    src = registry.sources[p.source.ref] if p.source else None
    short = f"{src.publisher} {src.year}" if src else "assumption"
    info = {
        "default": p.default,
        "unit": p.unit,
        "bounds": list(p.bounds),
        "distribution": p.distribution.describe(),
    }
    if not full:
        return {**info, "source": short}
    head = {"name": name, "description": p.description, "kind": p.kind, "switch": p.switch}
    return {
        **head,
        **info,
        "levels": p.levels,
        "named": p.named,
        "citation": registry.citation(name),
    }


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_g(v)}" for k, v in value.items())
    if isinstance(value, list):
        return f"[{_g(value[0])}, {_g(value[1])}]"
    return _g(value) if isinstance(value, float) else str(value)


@app.command()
@_fails_plainly
def params(
    name: Annotated[str | None, typer.Argument(help="A parameter to show in full.")] = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """List the model's parameters, or show one in full with its source."""
    from ailead.inputs.registry import load_registry

    if name is not None:
        info = _param_info(name, full=True)
        if fmt is ListFormat.json:
            _echo_json(info)
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for key, value in info.items():
            if value is not None:
                grid.add_row(key, Text(_text(value)))
        _show(grid)
        return
    from ailead.cli.tables import params_table

    rows = {n: _param_info(n) for n in load_registry().parameters}
    if fmt is ListFormat.json:
        _echo_json(rows)
        return
    _show(
        f"{len(rows)} parameters; `ailead params NAME` shows one in full, with its distribution "
        "and source",
        params_table(rows),
    )


if __name__ == "__main__":
    app()
