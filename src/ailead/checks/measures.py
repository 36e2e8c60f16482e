"""Measures: how a validation check reads one number per Monte Carlo sample off a run.

Each function here builds a `Measure`, a function from a run's Dataset (`ailead.run`, dims
sample, time and bloc) to an array with one value per sample; `ailead.checks.validate` pairs each
with what a source says and a tolerance.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

Measure = Callable[[xr.Dataset], np.ndarray]


def _month(month: str) -> np.datetime64:
    return np.datetime64(month, "ns")


def at(variable: str, month: str, bloc: str | None = None) -> Measure:
    """A variable's value in one month, per sample."""

    def measure(ds: xr.Dataset) -> np.ndarray:
        da = ds[variable].sel(time=_month(month))
        return (da.sel(bloc=bloc) if bloc else da).values

    return measure


def domestic_share_of_nvidia(year: int) -> Measure:
    """PRC domestic production / NVIDIA production in TPP over a calendar year, per sample."""

    def measure(ds: xr.Dataset) -> np.ndarray:
        in_year = (ds["time"].dt.year == year).values
        cn = ds["production_tpp"].sel(bloc="cn").values[:, in_year].sum(axis=1)
        tpp = ds["parameters"].sel(parameter="h100_tpp").values
        nvidia = ds["nvidia_production_h100e"].values[:, in_year].sum(axis=1) * tpp
        return cn / nvidia

    return measure


def prc_inflow_share(channel: str, year: int) -> Measure:
    """A channel's share of the PRC's compute inflow over a calendar year, per sample:
    sum(channel) / sum(domestic production + legal exports + smuggling), all H100e/month."""

    def measure(ds: xr.Dataset) -> np.ndarray:
        in_year = (ds["time"].dt.year == year).values
        flows = ds["production_h100e"].sel(bloc="cn") + ds["exports_h100e"] + ds["smuggled_h100e"]
        total = flows.values[:, in_year].sum(axis=1)
        return ds[channel].values[:, in_year].sum(axis=1) / total

    return measure


def lowest(variable: str, first: str, last: str) -> Measure:
    """Smallest value of a variable without a bloc dimension over a span of months."""

    def measure(ds: xr.Dataset) -> np.ndarray:
        return ds[variable].sel(time=slice(_month(first), _month(last))).values.min(axis=1)

    return measure


def change(variable: str, first: str, last: str) -> Measure:
    """Change of a variable without a bloc dimension between two months, per sample."""

    def measure(ds: xr.Dataset) -> np.ndarray:
        return (ds[variable].sel(time=_month(last)) - ds[variable].sel(time=_month(first))).values

    return measure


def _per_year(variable: str, bloc: str, first: str, last: str, rate) -> Measure:
    """A per-sample yearly rate, rate(x_first, x_last, years), of a bloc variable."""
    years = (_month(last) - _month(first)) / np.timedelta64(1, "D") / 365.25

    def measure(ds: xr.Dataset) -> np.ndarray:
        a = ds[variable].sel(bloc=bloc, time=_month(first)).values
        b = ds[variable].sel(bloc=bloc, time=_month(last)).values
        return rate(a, b, years)

    return measure


def growth_per_year(variable: str, bloc: str, first: str, last: str) -> Measure:
    """Yearly growth factor of a variable between two months, (x_last / x_first)^(1/years)."""
    return _per_year(variable, bloc, first, last, lambda a, b, years: (b / a) ** (1.0 / years))


def change_per_year(variable: str, bloc: str, first: str, last: str) -> Measure:
    """Yearly change of a variable between two months, (x_last - x_first) / years."""
    return _per_year(variable, bloc, first, last, lambda a, b, years: (b - a) / years)


def share_of_total(variable: str, bloc: str, month: str) -> Measure:
    """A bloc's share of the two blocs' total of a variable in one month."""

    def measure(ds: xr.Dataset) -> np.ndarray:
        da = ds[variable].sel(time=_month(month))
        return (da.sel(bloc=bloc) / da.sum("bloc")).values

    return measure


def year_reached(month: str) -> Measure:
    """Decimal year in which the PRC first matches the US capability of `month` (inf: not by
    the end of the run)."""

    def measure(ds: xr.Dataset) -> np.ndarray:
        goal = ds["capability"].sel(bloc="us", time=_month(month)).values[:, None]
        path = ds["capability"].sel(bloc="cn").values
        reached = path >= goal
        first = np.where(reached.any(axis=1), reached.argmax(axis=1), -1)
        times = pd.DatetimeIndex(ds["time"].values)
        years = times.year + (times.month - 1) / 12.0
        return np.where(first >= 0, np.asarray(years)[first], np.inf)

    return measure


def overtaken(first: str, last: str) -> Measure:
    """1 where the PRC leads (lead < 0) in any month between `first` and `last`, else 0."""

    def measure(ds: xr.Dataset) -> np.ndarray:
        lead = ds["lead_months"].sel(time=slice(_month(first), _month(last))).values
        return (lead < 0).any(axis=1).astype(float)

    return measure
