"""Summaries of a result: headline metrics at the target date and monthly medians."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

QUANTILES = {"p5": 0.05, "p50": 0.5, "p95": 0.95}


def headline(ds: xr.Dataset, at: str | None = None) -> dict[str, xr.DataArray]:
    """Headline metrics per sample at a month (default: the scenario's target)."""
    snap = ds.sel(time=np.datetime64(at or ds.attrs["target"], "ns"))
    return {
        "lead_months": snap["lead_months"],
        "compute_ratio": snap["compute_ratio"],
        "capability_us": snap["capability"].sel(bloc="us"),
        "capability_cn": snap["capability"].sel(bloc="cn"),
        "eci_us": snap["capability_eci"].sel(bloc="us"),
        "eci_cn": snap["capability_eci"].sel(bloc="cn"),
        "accessible_compute_us": snap["accessible_compute_h100e"].sel(bloc="us"),
        "accessible_compute_cn": snap["accessible_compute_h100e"].sel(bloc="cn"),
    }


UNITS = {
    "lead_months": "months",
    "compute_ratio": "x",
    "capability_us": "OOM",
    "capability_cn": "OOM",
    "eci_us": "ECI",
    "eci_cn": "ECI",
    "accessible_compute_us": "H100e",
    "accessible_compute_cn": "H100e",
}


def summarize(ds: xr.Dataset, at: str | None = None) -> dict[str, dict[str, float]]:
    """p5, p50, p95 of each headline metric at the target (or `at`, a YYYY-MM month)."""
    return {
        name: {q: float(np.quantile(values.values, level)) for q, level in QUANTILES.items()}
        for name, values in headline(ds, at).items()
    }


def monthly_medians(ds: xr.Dataset) -> pd.DataFrame:
    """Median over samples of every monthly variable, one row per month, one column per series."""
    columns = {}
    for name, var in ds.data_vars.items():
        if "time" not in var.dims:
            continue
        med = var.median("sample")
        if "bloc" in med.dims:
            for bloc in med["bloc"].values:
                columns[f"{name}_{bloc}"] = med.sel(bloc=bloc).values
        else:
            columns[name] = med.values
    index = pd.Index(pd.to_datetime(ds["time"].values).strftime("%Y-%m"), name="month")
    return pd.DataFrame(columns, index=index)
