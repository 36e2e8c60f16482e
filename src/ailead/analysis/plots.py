"""Static charts (matplotlib, no display needed): fan charts, the switch heat map, a tornado chart
of sensitivity indices and the policy trade-off curve. Each is written as PNG and SVG.

Figures are built with `matplotlib.figure.Figure` directly (the Agg canvas), so nothing touches
pyplot's global state or needs a display; matplotlib is imported only when a chart is drawn. The
charts take results (runs, tables) and run nothing themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from ailead.analysis.evaluate import check_count
from ailead.analysis.optimize import PolicySearch
from ailead.analysis.sensitivity import RANK_BY
from ailead.errors import AileadError, short
from ailead.files import check_new_file, write_new
from ailead.inputs.registry import SWITCHES
from ailead.outputs import labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BANDS = {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
CAVEAT = "Under these assumptions; not a forecast."


@dataclass(frozen=True)
class Chart:
    """The files written and the numbers drawn."""

    paths: list[Path]
    data: pd.DataFrame


def chart_paths(out: str | Path) -> list[Path]:
    """`out`.png and `out`.svg (a .png or .svg suffix on `out` is dropped), if both are new
    files (`ailead.files.check_new_file`): check them before a long run."""
    stem = Path(out)
    if stem.suffix.lower() in (".png", ".svg"):
        stem = stem.with_suffix("")
    return [check_new_file(stem.with_suffix(suffix)) for suffix in (".png", ".svg")]


def _save(fig: Figure, out: str | Path) -> list[Path]:
    """Write the new files `out`.png and `out`.svg (see `chart_paths`)."""
    png, svg = chart_paths(out)
    write_new(png, lambda tmp: fig.savefig(tmp, dpi=150, bbox_inches="tight", facecolor="white"))
    write_new(svg, lambda tmp: fig.savefig(tmp, bbox_inches="tight", metadata={"Date": None}))
    return [png, svg]


def series_names(ds: xr.Dataset) -> list[str]:
    """Metrics a fan chart can show: (sample, time) variables, and bloc variables as NAME_BLOC."""
    names = []
    for name, var in ds.data_vars.items():
        if var.dims == ("sample", "time"):
            names.append(name)
        elif var.dims == ("sample", "time", "bloc"):
            names.extend(f"{name}_{bloc}" for bloc in ds["bloc"].values)
    return names


def series(ds: xr.Dataset, metric: str) -> xr.DataArray:
    """A (sample, time) series: a variable, or NAME_BLOC for one bloc of a bloc variable."""
    if metric in ds.data_vars and ds[metric].dims == ("sample", "time"):
        return ds[metric]
    name, _, bloc = metric.rpartition("_")
    if name in ds.data_vars and ds[name].dims == ("sample", "time", "bloc") and bloc in ds["bloc"]:
        return ds[name].sel(bloc=bloc).assign_attrs(ds[name].attrs)
    raise AileadError(
        f"metric: value {short(metric)} is not a monthly series; "
        f"allowed: {', '.join(series_names(ds))}"
    )


def fan_bands(results: dict[str, xr.Dataset], metric: str) -> pd.DataFrame:
    """p5, p25, p50, p75, p95 over samples, one row per scenario and month."""
    frames = []
    for name, ds in results.items():
        values = series(ds, metric)
        q = values.quantile(list(BANDS.values()), dim="sample").values
        frame = pd.DataFrame(q.T, columns=list(BANDS))
        frame.insert(0, "month", pd.to_datetime(ds["time"].values).strftime("%Y-%m"))
        frame.insert(0, "scenario", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def plot(
    runs: Mapping[str, xr.Dataset] | Sequence[xr.Dataset],
    metric: str = "lead_months",
    out: str | Path = "fan",
) -> Chart:
    """Fan charts of `metric` for several runs overlaid: median, 50% and 90% bands.

    `runs` are results of `ailead.run` (two or more samples each), by name or in a sequence
    named by their scenarios; run them with one seed to compare them on the same draws. Writes
    `out`.png and `out`.svg.
    """
    from matplotlib.figure import Figure

    results = _named(runs)
    if not results:
        raise AileadError("runs: give one or more results of ailead.run")
    for ds in results.values():
        check_count(ds.sizes["sample"], "samples", 2)
        series(ds, metric)
    bands = fan_bands(results, metric)
    first = next(iter(results.values()))
    unit = series(first, metric).attrs.get("units", "")
    fig = Figure(figsize=(8, 4.8))
    ax = fig.add_subplot()
    for (name, ds), color in zip(results.items(), _colors(list(results)), strict=True):
        rows = bands[bands["scenario"] == name]
        time = pd.to_datetime(ds["time"].values)
        ax.fill_between(time, rows["p5"], rows["p95"], color=color, alpha=0.15, lw=0)
        ax.fill_between(time, rows["p25"], rows["p75"], color=color, alpha=0.35, lw=0)
        ax.plot(time, rows["p50"], color=color, lw=2, label=f"{name} (median)")
    for target in {ds.attrs["target"] for ds in results.values()}:
        ax.axvline(pd.Timestamp(target), color="0.3", ls=":", lw=1)
    if metric == "lead_months":  # the verdict's default thresholds
        for value, outcome in ((12, "scenario-one"), (3, "scenario-two")):
            ax.axhline(
                value,
                color=labels.OUTCOME_COLORS[outcome],
                ls="--",
                lw=1.2,
                label=f"{labels.OUTCOMES[outcome].lower()} threshold ({value} months)",
            )
    label = labels.series(metric)
    shown_unit = labels.unit(unit)
    ax.set_ylabel(shown_unit or label.text)
    samples = _distinct(ds.sizes["sample"] for ds in results.values())
    seed = _distinct(ds.attrs["seed"] for ds in results.values())
    ax.set_title(f"{label.text}: median, 50% and 90% bands ({samples} samples, seed {seed})")
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    fig.text(0.01, -0.02, f"{CAVEAT} Dotted lines: target dates.", fontsize="small")
    return Chart(_save(fig, out), bands)


def _named(runs: Mapping[str, xr.Dataset] | Sequence[xr.Dataset]) -> dict[str, xr.Dataset]:
    """Runs by name: a sequence is named by scenario, a repeated name as NAME#position."""
    if isinstance(runs, Mapping):
        return dict(runs)
    named: dict[str, xr.Dataset] = {}
    for i, ds in enumerate(runs, start=1):
        name = ds.attrs["scenario"]
        named[name if name not in named else f"{name}#{i}"] = ds
    return named


def _distinct(values: Iterable[object]) -> str:
    """The values, each once, in order of appearance."""
    return ", ".join(str(v) for v in dict.fromkeys(values))


def _colors(names: list[str]) -> list[str]:
    """Each run's colour from the label table: its preset's (for its first run), else the next
    extra colour, so that no two runs share one."""
    extra, used, colors = 0, set(), []
    for name in names:
        color = labels.SCENARIO_COLORS.get(name.split("#")[0])
        if color is None or color in used:
            color = labels.EXTRA_COLORS[extra % len(labels.EXTRA_COLORS)]
            extra += 1
        used.add(color)
        colors.append(color)
    return colors


def plot_switch_heatmap(table: pd.DataFrame, out: str | Path, value: str = "lead_p50") -> Chart:
    """Heat map of a switch-table column: one panel per distillation level, compute x access."""
    from matplotlib.figure import Figure

    if value not in table.columns:
        raise AileadError(
            f"value: unknown column {short(value)}; allowed: "
            + ", ".join(c for c in table.columns if c not in SWITCHES)
        )
    levels = {s: list(dict.fromkeys(table[s])) for s in SWITCHES}
    lo, hi = float(table[value].min()), float(table[value].max())
    panels = levels["distillation"]
    fig = Figure(figsize=(3.6 * len(panels) + 1.2, 3.8))
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    image = None
    for ax, level in zip(axes, panels, strict=True):
        grid = table[table["distillation"] == level].pivot(
            index="compute", columns="access", values=value
        )
        grid = grid.loc[levels["compute"], levels["access"]]
        image = ax.imshow(grid.to_numpy(), cmap="viridis", vmin=lo, vmax=hi, origin="lower")
        ax.set_xticks(range(len(grid.columns)), grid.columns, rotation=30, fontsize="small")
        ax.set_yticks(range(len(grid.index)), grid.index if ax is axes[0] else [], fontsize="small")
        ax.set_xlabel("access")
        ax.set_title(f"distillation: {level}", fontsize="medium")
        if len(grid) <= 5:
            for (i, j), v in np.ndenumerate(grid.to_numpy()):
                shade = "black" if hi > lo and (v - lo) / (hi - lo) > 0.6 else "white"
                ax.text(
                    j,
                    i,
                    f"{v:.2g}" if abs(v) < 1 else f"{v:.1f}",
                    ha="center",
                    va="center",
                    color=shade,
                    fontsize="small",
                )
    axes[0].set_ylabel("compute")
    fig.colorbar(image, ax=list(axes), label=value, shrink=0.85)
    scenario = table.attrs.get("scenario", "")
    fig.suptitle(f"Switch table {scenario}: {value}. {CAVEAT}", fontsize="medium")
    return Chart(_save(fig, out), table)


def plot_tornado(table: pd.DataFrame, out: str | Path, top: int = 15) -> Chart:
    """Tornado chart of a sensitivity table: the `top` most influential inputs, with intervals."""
    from matplotlib.figure import Figure

    method = table.attrs.get("method") or next(
        (m for m, col in RANK_BY.items() if col in table.columns), None
    )
    if method not in RANK_BY:
        raise AileadError("tornado: not a sensitivity table (needs ST, mu_star or delta)")
    key = RANK_BY[method]
    shown = table.sort_values(key, ascending=False).head(top).iloc[::-1]
    fig = Figure(figsize=(7, 0.35 * len(shown) + 1.6))
    ax = fig.add_subplot()
    rows = np.arange(len(shown))
    ax.barh(rows, shown[key], color="#4c72b0", label=key)
    if method == "sobol":
        ax.barh(rows, shown["S1"], height=0.45, color="#dd8452", label="S1")
    ax.errorbar(
        shown[key],
        rows,
        xerr=shown[f"{key}_conf"],
        fmt="none",
        ecolor="black",
        capsize=2,
        lw=1,
        zorder=3,
        label="95% interval",
    )
    ax.set_yticks(rows, shown.index, fontsize="small")
    output = table.attrs.get("output", "output")
    ax.set_xlabel(f"{key} of {output}")
    ax.set_title(f"Sensitivity of {output} ({method}, {table.attrs.get('runs', '?')} runs)")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    fig.text(0.01, -0.02, CAVEAT, fontsize="small")
    return Chart(_save(fig, out), shown.iloc[::-1])


def plot_tradeoff(search: PolicySearch, out: str | Path) -> Chart:
    """Cost against probability for every cell, the Pareto front and the chosen settings."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    cells, front = search.table, search.pareto
    ax.scatter(cells["cost"], cells["probability"], color="0.6", s=14, label="switch settings")
    ax.plot(front["cost"], front["probability"], "o-", color="#4c72b0", label="trade-off curve")
    if search.chosen is not None:
        ax.scatter(
            [search.chosen["cost"]],
            [search.chosen["probability"]],
            s=90,
            marker="*",
            color="#c44e52",
            zorder=3,
            label="least costly meeting the target",
        )
    ax.axhline(search.probability, color="0.3", ls="--", lw=1, label="target")
    ax.set_xlabel(f"policy cost [{search.unit}]")
    ax.set_ylabel("probability")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(f"{search.scenario}: {search.target}")
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    fig.text(0.01, -0.02, f"{CAVEAT} Policy costs are stylised assumptions.", fontsize="small")
    return Chart(_save(fig, out), front)
