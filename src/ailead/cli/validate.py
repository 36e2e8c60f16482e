"""CLI commands for checking the model against the record: calibrate, validate, backtest, changes.

Each is a thin layer over `ailead.calibrate.inference`, `ailead.checks.validate`,
`ailead.checks.backtest` and `ailead.checks.releases`: it parses options and formats the result as
a table, JSON or CSV. Each imports the module it wraps when it runs (see `ailead.cli.core`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ailead.cli.core import (
    CAVEAT,
    Format,
    FormatOpt,
    ListFormat,
    ListFormatOpt,
    SeedOpt,
    _echo_json,
    _fails_plainly,
    _finite,
    _num,
    _show,
    _table,
)
from ailead.errors import AileadError

if TYPE_CHECKING:
    import pandas as pd

CALIBRATE_SAMPLES = 1000
VALIDATE_SAMPLES = 500


def _samples(what: str) -> Any:
    return typer.Option("--samples", "-n", help=what, show_default=True)


def _range(p5: float, p50: float, p95: float) -> str:
    return f"{_num(p50)} [{_num(p5)}, {_num(p95)}]"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain data, NaN and infinities as null."""
    rows = frame.to_dict(orient="records")
    return [
        {k: _finite(v) if isinstance(v, float) else str(v) for k, v in row.items()} for row in rows
    ]


def _check_samples(samples: int, least: int) -> None:
    if samples < least:
        raise AileadError(
            f"--samples: value {samples} is not allowed; allowed: an integer >= {least}"
        )


def calibrate_cmd(
    samples: Annotated[int, _samples("Particles (prior draws).")] = (CALIBRATE_SAMPLES),
    seed: SeedOpt = 0,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE", help="Write the calibrated parameter set (CSV)."),
    ] = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """History-match the uncertain parameters against the observations of 2025.

    Shows each calibrated parameter's posterior range beside its prior, and the fit of every
    observation. --out writes the weighted particles, which `posterior_sample` and
    `ailead validate --posterior FILE` read.
    """
    from ailead.calibrate import inference
    from ailead.files import check_new_file

    _check_samples(samples, 50)
    if out is not None:
        check_new_file(out)
    cal = inference.calibrate(samples, seed)
    written = cal.write(out) if out is not None else None
    params, fit = cal.parameter_table(), cal.fit_table()
    res = cal.result
    info = {
        "parameters_calibrated": len(cal.prior.names),
        "observations": len(cal.observations),
        "likelihood": inference.LIKELIHOOD,
        "particles": samples,
        "seed": seed,
        "tempering_steps": len(res.betas) - 1,
        "ess": res.ess,
        "importance_weighting_ess": res.prior_ess,
        "written": str(written) if written else None,
    }
    if fmt is ListFormat.json:
        _echo_json({**info, "parameters": _records(params), "fit": _records(fit)})
        return
    ptable = _table("parameter", "unit", "prior p50 [p5, p95]", "posterior", "narrowing")
    for r in params.itertuples(index=False):
        ptable.add_row(
            r.parameter,
            r.unit,
            _range(r.prior_p5, r.prior_p50, r.prior_p95),
            _range(r.post_p5, r.post_p50, r.post_p95),
            f"{r.narrowing:.0%}",
        )
    ftable = _table("series", "bloc", "date", "observed", "prior", "posterior", "z", right=["z"])
    for r in fit.itertuples(index=False):
        ftable.add_row(
            r.series,
            r.bloc,
            r.end,
            f"{_num(r.observed)} {r.unit}",
            _range(r.prior_p5, r.prior_p50, r.prior_p95),
            _range(r.post_p5, r.post_p50, r.post_p95),
            f"{r.z:+.1f}",
        )
    head = (
        f"Calibrated {info['parameters_calibrated']} parameters on {info['observations']} "
        f"observations ({samples} particles, seed {seed}, {info['tempering_steps']} tempering "
        f"steps; ESS {res.ess:.0f}; plain importance weighting would keep ESS "
        f"{res.prior_ess:.1f}). Likelihood: {inference.LIKELIHOOD}."
    )
    notes = ["z: posterior median minus observation, in units of the combined sd.", CAVEAT]
    if written:
        notes.insert(0, f"Wrote {written}.")
    _show(head, ptable, ftable, *notes)


def validate_cmd(
    samples: Annotated[int, _samples("Monte Carlo samples per scenario.")] = (VALIDATE_SAMPLES),
    seed: SeedOpt = 0,
    posterior: Annotated[
        Path | None,
        typer.Option("--posterior", metavar="FILE", help="A calibrated parameter set to use."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The validation table: the essay's figures, calibration targets, published estimates.

    Each with ailead's median and 90% range, with prior draws and with calibrated draws (the
    shipped posterior, or --posterior FILE), and pass or fail against its tolerance.
    """
    from ailead.checks import validate as validation

    _check_samples(samples, 20)
    results = validation.validate(samples, seed, str(posterior) if posterior else None)
    frame = validation.table(results)
    if fmt is Format.json:
        _echo_json({"samples": samples, "seed": seed, "checks": _records(frame)})
        return
    if fmt is Format.csv:
        sys.stdout.write(frame.to_csv(index=False))
        return
    table = _table("#", "claim; scenario: what ailead measures", "tolerance", "prior", "calibrated")
    for column, width in zip(table.columns[2:], (12, 17, 17), strict=True):
        column.max_width = width
    table.show_lines = True
    for i, (r, row) in enumerate(zip(results, frame.itertuples(index=False), strict=True), 1):
        table.add_row(
            str(i),
            f"{r.check.claim}; {r.check.scenario}: {r.check.measure_text}",
            row.tolerance,
            f"{validation.shown(r.check, r.prior)} {row[6]}",
            f"{validation.shown(r.check, r.calibrated)} {row[8]}",
        )
    parts = []
    for kind, label in (("essay", "the essay's figures"), ("published", "published estimates")):
        group = [r for r in results if r.check.kind == kind]
        prior = sum(r.prior_passes for r in group)
        calibrated = sum(r.calibrated_passes for r in group)
        parts.append(
            f"{label}: {prior} of {len(group)} pass with prior draws, {calibrated} calibrated"
        )
    summary = (
        "; ".join(parts) + f" ({samples} samples per scenario, seed {seed}; pass: the median "
        "lies within the tolerance)."
    )
    _show(table, summary, CAVEAT)


def backtest_cmd(
    samples: Annotated[int, _samples("Particles.")] = CALIBRATE_SAMPLES,
    seed: SeedOpt = 0,
    chart: Annotated[
        str | None,
        typer.Option("--chart", metavar="PATH", help="Also write a chart as PATH.png and .svg."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Start in 2023-01 from 2023 conditions, calibrate on 2023, score 2024-2025 (held out).

    Errors on each series' scale: log10 for quantities (0.3 = a factor of 2), ECI points,
    months. Coverage: share of held-out observations inside the model's 5-95% range.
    """
    from ailead.checks import backtest as backtests
    from ailead.files import check_new_file

    _check_samples(samples, 50)
    for suffix in (".png", ".svg") if chart else ():
        check_new_file(f"{chart}{suffix}")
    result = backtests.run_backtest(samples, seed)
    written = backtests.chart(result, chart) if chart else []
    errors = result.errors
    if fmt is Format.json:
        _echo_json(
            {
                "errors": _records(errors),
                "predictions": _records(result.calibrated_predictions),
                "charts": [str(p) for p in written],
            }
        )
        return
    if fmt is Format.csv:
        sys.stdout.write(errors.to_csv(index=False))
        return
    table = _table(
        "series", "n", "scale", "prior: bias / RMSE / coverage", "calibrated", right=["n"]
    )
    for r in errors.itertuples(index=False):
        table.add_row(
            f"{r.series} {r.bloc}".strip(),
            str(r.n),
            r.scale,
            f"{r.prior_bias:+.2f} / {r.prior_rmse:.2f} / {r.prior_coverage:.0%}",
            f"{r.calibrated_bias:+.2f} / {r.calibrated_rmse:.2f} / {r.calibrated_coverage:.0%}",
        )
    notes = [f"Wrote {', '.join(str(p) for p in written)}."] if written else []
    _show(
        f"Backtest: from {backtests.ANCHOR}, calibrated on the record to "
        f"{backtests.CALIBRATED_UNTIL}, held out {backtests.HELD_OUT[0]} to "
        f"{backtests.HELD_OUT[1]} ({samples} particles, seed {seed})",
        table,
        *notes,
        CAVEAT,
    )


def changes_cmd(
    against: Annotated[
        str | None,
        typer.Option("--against", metavar="VERSION", help="A stored release (default: latest)."),
    ] = None,
    record: Annotated[
        bool, typer.Option("--record", help="Store the current outputs for this version.")
    ] = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit with status 1 when anything changed.")
    ] = False,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """What changed in the presets' key outputs since a stored release, beyond tolerances.

    --record stores the current outputs as the release of this version (a release step).
    """
    from ailead.checks import releases as regression

    if record:
        path = regression.record()
        typer.echo(f"Recorded the presets' key outputs in {path}.")
        return
    release = regression.load_release(against)
    found = regression.compare(release)
    if fmt is ListFormat.json:
        rows = [c.__dict__ for c in found]
        _echo_json({"against": release["version"], "changes": rows})
    elif not found:
        _show(f"No output moved beyond its tolerance since {release['version']}.")
    else:
        table = _table("output", "change", "stored", "now", "tolerance", right=["stored", "now"])
        for c in found:
            allowed = "" if c.allowed is None else _num(c.allowed)
            table.add_row(c.key, c.kind, _num(c.stored), _num(c.current), allowed)
        _show(f"{len(found)} outputs moved since {release['version']}:", table)
    if exit_code and found:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `ailead` app."""
    app.command("calibrate")(_fails_plainly(calibrate_cmd))
    app.command("validate")(_fails_plainly(validate_cmd))
    app.command("backtest")(_fails_plainly(backtest_cmd))
    app.command("changes")(_fails_plainly(changes_cmd))
