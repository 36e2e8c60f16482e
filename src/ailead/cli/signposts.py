"""`ailead signposts`: which world the latest observations point to (`ailead.analysis.signposts`).

Table: P(world) now and before the observations, the three most informative indicators, each
indicator's influence (leave-one-out), the switches' posterior and what to watch next year.
json: the whole result; csv: the watch table with the probabilities as columns.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ailead.cli.core import CAVEAT, Format, FormatOpt, SeedOpt, _echo_json, _num, _show, _table
from ailead.cli.tables import pct

ObservationsOpt = Annotated[
    Path | None,
    typer.Option(
        "--observations",
        metavar="FILE",
        help="A signposts CSV with the shipped file's columns (default: the shipped file).",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Use observations up to this date (default: the latest)."
    ),
]


def signposts_cmd(
    observations: ObservationsOpt = None,
    as_of: AsOfOpt = None,
    samples: Annotated[int, typer.Option("--samples", "-n", help="SMC particles.")] = 2000,
    seed: SeedOpt = 0,
    fmt: FormatOpt = Format.table,
) -> None:
    """Which of the essay's worlds the observations point to, with the unsettled policy
    switches uncertain: P(scenario one / contested / scenario two) at the target date, how each
    indicator moved it, and which values next year would move it most."""
    from ailead.analysis.signposts import signposts

    result = signposts(observations, as_of, samples=samples, seed=seed)
    if fmt is Format.json:
        _echo_json(result.to_dict())
        return
    if fmt is Format.csv:
        frame = result.watch.assign(
            as_of=result.as_of, **{f"p_{k}": v for k, v in result.probabilities.items()}
        )
        frame.to_csv(sys.stdout, index=False)
        return
    _show(*_tables(result), CAVEAT)


def _tables(result) -> list:
    before = "P before the observations"
    probs = _table("world", "P now", before, right=("P now", before))
    for k, v in result.probabilities.items():
        probs.add_row(k, pct(v), pct(result.prior_probabilities[k]))
    header = (
        f"Signposts as of {result.as_of}: the world at {result.target} "
        f"({result.samples} particles, ESS {result.ess:.0f}). Most informative: "
        + ", ".join(result.most_informative())
    )
    shifts = ("shift one", "shift contested", "shift two")
    moved = _table("indicator", "rows", *shifts, "ESS", right=("rows", *shifts, "ESS"))
    for row in result.influence.itertuples(index=False):
        values = (row.shift_one, row.shift_contested, row.shift_two)
        moved.add_row(
            row.indicator, str(row.rows), *(f"{v:+.3f}" for v in values), f"{row.ess:.0f}"
        )
    switches = _table("switch", "prior 5-95%", "posterior 5%", "median", "95%",
                      right=("posterior 5%", "median", "95%"))  # fmt: skip
    for row in result.switches.itertuples(index=False):
        switches.add_row(row.switch, "0.05-0.95", *(f"{v:.2f}" for v in
                         (row.post_p5, row.post_p50, row.post_p95)))  # fmt: skip
    bands = ("prior 5-95%", "posterior 5-95%", "narrowing")
    params = _table("world parameter (most narrowed)", "unit", *bands, right=bands)
    for row in result.parameters.head(5).itertuples(index=False):
        params.add_row(
            row.parameter, row.unit, f"{_num(row.prior_p5)} to {_num(row.prior_p95)}",
            f"{_num(row.post_p5)} to {_num(row.post_p95)}", f"{row.narrowing:.0%}",
        )  # fmt: skip
    numbers = ("median", "E|dP|", "E|dP two|", "dP(two)")
    watch = _table("watch: the next 12 months", "median", "5-95%", *numbers[1:], right=numbers)
    for row in result.watch.itertuples(index=False):
        watch.add_row(
            f"{row.indicator} ({row.unit})", _num(row.p50), f"{_num(row.p5)} to {_num(row.p95)}",
            f"{row.expected_shift:.3f}", f"{row.expected_shift_two:.3f}",
            f"{row.two_per_unit:+.2g} {row.per}",
        )  # fmt: skip
    note = (
        "E|dP|: the expected shift in P(world) (half the summed absolute shifts) and E|dP two|"
        " in P(scenario two) from next year's value; dP(two): P(scenario two) per unit."
    )
    return [
        header,
        probs,
        "How each indicator moved P (leave-one-out):",
        moved,
        switches,
        params,
        watch,
        note,
    ]


def register(app: typer.Typer) -> None:
    """Add `ailead signposts` to the app."""
    from ailead.cli.core import _fails_plainly

    app.command("signposts")(_fails_plainly(signposts_cmd))
