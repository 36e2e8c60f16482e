"""`ailead sweep SWEEP.yaml`: a grid of scenarios run in chunks on dask.distributed.

A thin layer over `ailead.analysis.sweep_dask`: it checks the file (one plain line and exit 2 on
a bad one, before anything runs), starts a local cluster (`--workers`) or joins one
(`--scheduler`), shows the chunks' progress on stderr and prints each cell's median and 5-95%
range of the first target and its verdict shares. Results stay in `--out`: a Parquet file per
chunk, ``summary.parquet`` and ``summary.csv``; running the same file again resumes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ailead.cli.analysis import _bar
from ailead.cli.core import CAVEAT, _fails_plainly, _num, _show, _table
from ailead.errors import AileadError


def sweep_cmd(
    sweep_file: Annotated[Path, typer.Argument(help="A sweep YAML file (examples/sweep.yaml).")],
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", "-w", help="Local worker processes, one thread each [default: 2]."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="ADDR", help="Use a running scheduler instead."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: sweep-NAME); reruns resume."),
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Also keep each cell as a run in the run store.")
    ] = False,
) -> None:
    """Run every cell of a sweep's grid, many samples each, in chunks on Dask workers."""
    from ailead.analysis.sweep import plan
    from ailead.analysis.sweep_dask import cluster, run_sweep
    from ailead.inputs.sweep import load_sweep

    sweep, base = load_sweep(sweep_file)
    chunks = plan(sweep, base)
    if scheduler is not None and workers is not None:
        raise AileadError("--workers: not with --scheduler; the scheduler has its own workers")
    if save:
        from ailead.store import check_writable

        check_writable()
    if scheduler is None:
        _check_memory(sweep.chunk, base.month(base.end) + 1, workers or 2)
    out = out if out is not None else Path(f"sweep-{sweep.name}")
    with cluster(workers or 2, scheduler) as client, _bar(f"{sweep.name}: chunks") as on_progress:
        result = run_sweep(sweep, base, out, client, on_progress)
    print(
        f"{result.ran} chunks run, {result.skipped} already done; results in {result.out} "
        "(chunks as Parquet, summary.parquet, summary.csv)",
        file=sys.stderr,
    )
    if save:
        from ailead.analysis.sweep_save import save_cells

        ids = save_cells(result.out, sweep, chunks)
        print(f"saved {len(ids)} cells as runs {', '.join(ids)}", file=sys.stderr)
    _show(_summary_table(result.table, [a.name for a in sweep.grid], sweep.targets[0]), CAVEAT)


def _check_memory(chunk: int, months: int, workers: int) -> None:
    """Refuse a local cluster whose workers' chunks together need more memory than is free."""
    from ailead.outputs.budget import available_bytes, estimate_bytes, gigabytes

    need, free = workers * estimate_bytes(chunk, months), available_bytes()
    if free is not None and need > free:
        raise AileadError(
            f"chunk: value {chunk} needs about {gigabytes(need)} of memory on {workers} workers "
            f"and {gigabytes(free)} is available; allowed: a smaller chunk or fewer --workers"
        )


def _summary_table(table, axes: list[str], target: str):
    """Each cell: its axis values, the first target's median [5-95%] and the verdict shares."""
    column = next(
        c.removesuffix("_p50") for c in table.columns if c.startswith(target) and c.endswith("_p50")
    )
    shares = ("p_scenario_one", "p_contested", "p_scenario_two")
    names = [s.removeprefix("p_").replace("_", "-") for s in shares]  # scenario-one, ...
    header = f"{column} p50 (p5, p95)"
    view = _table(*axes, header, *names, right=(header, *names))
    for _, row in table.iterrows():
        span = f"{_num(row[column + '_p50'])} [{_num(row[column + '_p5'])}, "
        span += f"{_num(row[column + '_p95'])}]"
        view.add_row(*map(str, row[axes]), span, *(f"{row[s]:.0%}" for s in shares))
    return view


def register(app: typer.Typer) -> None:
    """Add `ailead sweep` to the app."""
    app.command("sweep")(_fails_plainly(sweep_cmd))
