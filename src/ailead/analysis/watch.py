"""What to watch: which value of each indicator next year would move P(world) most.

For indicator g, y_j is particle j's value of g over the twelve months after the as-of date (a
flow's sum or a level's mean over them, a level at the last of them), on g's scale (log10 or
linear), plus a measurement error e_j ~ N(0, d_g^2) with d_g the indicator's model discrepancy
(so that a value is read as it would be reported). With the posterior weights w_j:

    bins b: the weighted quintiles of y;   P(world | b) = sum_{j in b} w_j [world_j] / sum w_j
    expected shift in P(two) = sum_b W_b |P(two | b) - P(two)|,   W_b = sum_{j in b} w_j
    expected shift = 1/2 sum_world sum_b W_b |P(world | b) - P(world)|   (the ranking)
    P(two) per unit = cov_w(y, [two]) / var_w(y)   (a weighted least-squares slope, per log10
    unit, i.e. per 10x, on a log scale)

and, for each world, the bin that raises its probability most: the value that would move it most.
Fans: each indicator's yearly value (2025 to the target year) among the particles of each world,
weighted 5/50/95%, for the explorer's panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ailead.calibrate.indicators import INDICATORS
from ailead.calibrate.observations import on_scale
from ailead.inputs.posterior import weighted_quantiles
from ailead.outputs.verdict import OUTCOMES

BINS = 5
SHORT = {"scenario-one": "one", "contested": "contested", "scenario-two": "two"}  # column names


def _row(name: str, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    ind = INDICATORS[name]
    return dict(series=name, bloc=ind.bloc, start=start, end=end, value=np.nan,
                unit=ind.series.unit, scale=ind.series.scale, sd=ind.series.discrepancy,
                bound="")  # fmt: skip


def next_year_rows(as_of: str) -> pd.DataFrame:
    """One row per indicator over the twelve months after `as_of` (YYYY-MM-DD)."""
    month = pd.Timestamp(as_of).to_period("M")
    start, end = (month + 1).start_time, (month + 12).end_time.normalize()
    rows = []
    for name, ind in INDICATORS.items():
        level = ind.series.kind == "level"
        rows.append(_row(name, end if level else start, end))
    return pd.DataFrame(rows)


def yearly_rows(first: int, last: int) -> pd.DataFrame:
    """One row per indicator and calendar year from `first` to `last`."""
    rows = []
    for name, ind in INDICATORS.items():
        for year in range(first, last + 1):
            end = pd.Timestamp(f"{year}-12-31")
            start = end if ind.series.kind == "level" else pd.Timestamp(f"{year}-01-01")
            rows.append(_row(name, start, end) | {"year": year})
    return pd.DataFrame(rows)


def _natural(y: float, scale: str) -> float:
    return float(10**y) if scale == "log10" else float(y)


def watch_table(
    values: np.ndarray, rows: pd.DataFrame, world: np.ndarray, weights: np.ndarray, seed: int = 0
) -> pd.DataFrame:
    """For each row of `next_year_rows`: the predictive 5/50/95% (without the measurement
    error), the expected shifts, P(scenario two)'s slope per unit and, for each world, the value
    range that raises its probability most (see module doc); sorted by the expected shift."""
    rng = np.random.default_rng(seed)
    base = {k: float(np.sum(weights[world == k])) for k in OUTCOMES}
    out = []
    for i, row in enumerate(rows.itertuples(index=False)):
        y = on_scale(values[i], row.scale)
        ok = np.isfinite(y) & (weights > 0)
        if ok.sum() < BINS:
            continue
        w = weights[ok] / weights[ok].sum()
        q = weighted_quantiles(y[ok], w, [0.05, 0.5, 0.95])
        y = y[ok] + rng.normal(0.0, row.sd, ok.sum())
        is_world = {k: (world[ok] == k).astype(float) for k in OUTCOMES}
        edges = weighted_quantiles(y, w, np.linspace(0, 1, BINS + 1))
        which = np.clip(np.searchsorted(edges[1:-1], y, side="right"), 0, BINS - 1)
        mass = np.bincount(which, weights=w, minlength=BINS)
        given = {
            k: np.bincount(which, weights=w * v, minlength=BINS) / np.maximum(mass, 1e-300)
            for k, v in is_world.items()
        }
        mean = np.sum(w * y)
        var = np.sum(w * (y - mean) ** 2)
        two = is_world["scenario-two"]
        slope = np.sum(w * (y - mean) * (two - base["scenario-two"])) / var if var > 0 else 0.0
        shifts = {k: float(np.sum(mass * np.abs(given[k] - base[k]))) for k in OUTCOMES}
        entry = dict(
            indicator=row.series, unit=row.unit,
            period=f"{row.start:%Y-%m} to {row.end:%Y-%m}" if row.start != row.end
            else f"{row.end:%Y-%m}",
            p5=_natural(q[0], row.scale), p50=_natural(q[1], row.scale),
            p95=_natural(q[2], row.scale),
            expected_shift=0.5 * sum(shifts.values()),
            expected_shift_two=shifts["scenario-two"],
            two_per_unit=float(slope),
            per="per 10x" if row.scale == "log10" else f"per {row.unit}",
        )  # fmt: skip
        for k in OUTCOMES:
            b = int(np.argmax(np.where(mass > 0, given[k], -1.0)))
            entry[f"{SHORT[k]}_from"] = _natural(edges[b], row.scale)
            entry[f"{SHORT[k]}_to"] = _natural(edges[b + 1], row.scale)
            entry[f"{SHORT[k]}_then"] = float(given[k][b])
        out.append(entry)
    frame = pd.DataFrame(out)
    return frame.sort_values("expected_shift", ascending=False).reset_index(drop=True)


def fan_table(
    values: np.ndarray, rows: pd.DataFrame, world: np.ndarray, weights: np.ndarray
) -> pd.DataFrame:
    """Each row of `yearly_rows` under each world: the weighted 5/50/95% of its value among the
    particles in that world (none where the world has no weight)."""
    out = []
    for i, row in enumerate(rows.itertuples(index=False)):
        for k in OUTCOMES:
            keep = (world == k) & np.isfinite(values[i]) & (weights > 0)
            if not keep.any():
                continue
            q = weighted_quantiles(values[i][keep], weights[keep], [0.05, 0.5, 0.95])
            out.append(dict(indicator=row.series, year=row.year, world=k,
                            p5=float(q[0]), p50=float(q[1]), p95=float(q[2])))  # fmt: skip
    return pd.DataFrame(out)
