"""The essay's calibration targets, checked against the model at the registry defaults.

Each target says what the essay (or its source) claims, which scenario and month it concerns, how
ailead measures it and the tolerance. `check_targets()` runs the presets once and returns one row
per target; the README's table and the calibration tests both come from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import xarray as xr

from ailead.outputs.engine import run


def at(da: xr.DataArray, month: str) -> float:
    """Value of a one-sample series at a YYYY-MM month."""
    return float(da.isel(sample=0).sel(time=np.datetime64(month, "ns")))


def domestic_share_of_nvidia(ds: xr.Dataset, year: int) -> float:
    """PRC domestic production as a share of NVIDIA's, in TPP, over a calendar year."""
    in_year = ds["time"].dt.year == year
    cn = ds["production_tpp"].sel(bloc="cn").isel(sample=0).where(in_year).sum()
    nvidia = (
        (
            ds["nvidia_production_h100e"].isel(sample=0)
            * ds["parameters"].isel(sample=0).sel(parameter="h100_tpp")
        )
        .where(in_year)
        .sum()
    )
    return float(cn / nvidia)


def min_ratio(ds: xr.Dataset, first: str, last: str) -> float:
    r = (
        ds["compute_ratio"]
        .isel(sample=0)
        .sel(time=slice(np.datetime64(first, "ns"), np.datetime64(last, "ns")))
    )
    return float(r.min())


def lead_growth_2028(ds: xr.Dataset) -> float:
    """Change of the lead over 2028, 2028-12 less 2027-12 (> 0: growing, as the verdict asks)."""
    lead = ds["lead_months"].isel(sample=0)
    return float(
        lead.sel(time=np.datetime64("2028-12", "ns"))
        - lead.sel(time=np.datetime64("2027-12", "ns"))
    )


@dataclass(frozen=True)
class Target:
    claim: str
    source: str
    scenario: str
    measure: str
    low: float
    high: float
    value: Callable[[xr.Dataset], float]
    unit: str = ""


TARGETS = (
    Target(
        "Today's lead is 'several months'",
        "essay; Epoch AI (about 7 months, 4-14)",
        "status-quo",
        "lead in 2025-06",
        3,
        10,
        lambda ds: at(ds["lead_months"], "2025-06"),
        "months",
    ),
    Target(
        "Scenario one: a 12-24 month lead in 2028",
        "essay",
        "us-lead",
        "lead in 2028-12",
        12,
        24,
        lambda ds: at(ds["lead_months"], "2028-12"),
        "months",
    ),
    Target(
        "Scenario one: the lead is still growing",
        "essay",
        "us-lead",
        "change of the lead over 2028 (2028-12 less 2027-12)",
        0,
        np.inf,
        lead_growth_2028,
        "months",
    ),
    Target(
        "Scenario two: China within a few months",
        "essay",
        "catch-up",
        "lead in 2028-12",
        -np.inf,
        4,
        lambda ds: at(ds["lead_months"], "2028-12"),
        "months",
    ),
    Target(
        "Huawei about 4% of NVIDIA's compute (TPP) in 2026",
        "essay; CFR 2025",
        "status-quo",
        "PRC domestic / NVIDIA production, TPP, 2026",
        0.025,
        0.055,
        lambda ds: domestic_share_of_nvidia(ds, 2026),
    ),
    Target(
        "Huawei about 2% of NVIDIA's compute (TPP) in 2027",
        "essay; CFR 2025",
        "status-quo",
        "PRC domestic / NVIDIA production, TPP, 2027",
        0.005,
        0.035,
        lambda ds: domestic_share_of_nvidia(ds, 2027),
    ),
    Target(
        "With stronger controls the US has about 11x China's compute",
        "essay",
        "us-lead",
        "lowest US/PRC accessible compute ratio, 2027-2028",
        11,
        np.inf,
        lambda ds: min_ratio(ds, "2027-01", "2028-12"),
        "x",
    ),
)


@dataclass(frozen=True)
class Check:
    target: Target
    value: float

    @property
    def passed(self) -> bool:
        return self.target.low <= self.value <= self.target.high

    @property
    def allowed(self) -> str:
        lo, hi = self.target.low, self.target.high
        fmt = "{:.1%}" if self.target.unit == "" else "{:g}"
        if np.isinf(hi):
            return ">= " + fmt.format(lo)
        if np.isinf(lo):
            return "<= " + fmt.format(hi)
        return f"{fmt.format(lo)} to {fmt.format(hi)}"

    @property
    def shown(self) -> str:
        if self.target.unit == "":
            return f"{self.value:.1%}"
        return f"{self.value:.2f}" if abs(self.value) < 1 else f"{self.value:.1f}"


@cache
def _preset_run(name: str) -> xr.Dataset:
    return run(name)


def check_targets() -> list[Check]:
    """Every target against the model at the registry defaults (one sample per preset)."""
    return [Check(t, t.value(_preset_run(t.scenario))) for t in TARGETS]


def markdown_table() -> str:
    """The targets table for the README."""
    lines = [
        "| essay's claim | source | scenario | ailead measures | target | ailead gives | |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in check_targets():
        t = c.target
        unit = f" {t.unit}" if t.unit else ""
        lines.append(
            f"| {t.claim} | {t.source} | `{t.scenario}` | {t.measure} | {c.allowed}{unit} | "
            f"{c.shown}{unit} | {'pass' if c.passed else 'FAIL'} |"
        )
    return "\n".join(lines)
