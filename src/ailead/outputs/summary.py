"""Summaries of a result: headline metrics at the target date, the verdict and monthly medians."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import xarray as xr

from ailead.outputs.verdict import probabilities

QUANTILES = {"p5": 0.05, "p50": 0.5, "p95": 0.95}
# The monthly variables `headline` reads (with `outcome` and `parameters`, always present).
HEADLINE_VARIABLES = (
    "lead_months",
    "compute_ratio",
    "capability",
    "capability_eci",
    "accessible_compute_h100e",
    "adoption",
    "resilience",
    "market_share",
    "safety_margin_months",
    "misuse_exposure",
    "cyber_window_months",
)


def headline(ds: xr.Dataset, at: str | None = None) -> dict[str, np.ndarray]:
    """Headline metrics per sample, (samples,) arrays, at a month (default: the target).

    Read straight from the Dataset's variables (no DataArrays, no label alignment), so a summary
    costs well under a millisecond; the labels are fixed by the engine: bloc (us, cn), market
    (developed, global-south), supplier (us, cn, neither).
    """
    when = np.datetime64(at or ds.attrs["target"], "ns")
    times = ds.variables["time"].values
    k = int(np.searchsorted(times, when))
    if k >= len(times) or times[k] != when:
        raise KeyError(f"month {at or ds.attrs['target']} is not in the run")

    def snap(name: str) -> np.ndarray:
        return ds.variables[name].values[:, k]

    by_bloc = {
        "capability": "capability",
        "eci": "capability_eci",
        "accessible_compute": "accessible_compute_h100e",
        "adoption": "adoption",
        "resilience": "resilience",
    }
    out = {"lead_months": snap("lead_months"), "compute_ratio": snap("compute_ratio")}
    for prefix, name in by_bloc.items():
        values = snap(name)
        out[f"{prefix}_us"], out[f"{prefix}_cn"] = values[:, 0], values[:, 1]
    shares = snap("market_share")  # (samples, market, supplier)
    names = list(ds.variables["parameter"].values)
    params = ds.variables["parameters"].values
    weights = params[:, [names.index("gdp_share_developed"), names.index("gdp_share_global_south")]]
    for j, supplier in enumerate(("us", "cn")):
        by_market = shares[:, :, j]
        out[f"market_share_{supplier}"] = (by_market * weights).sum(axis=1) / weights.sum(axis=1)
        out[f"global_south_share_{supplier}"] = by_market[:, 1]
    for name in ("safety_margin_months", "misuse_exposure", "cyber_window_months"):
        out[name] = snap(name)
    return out


UNITS = {
    "lead_months": "months",
    "compute_ratio": "x",
    "capability_us": "OOM",
    "capability_cn": "OOM",
    "eci_us": "ECI",
    "eci_cn": "ECI",
    "accessible_compute_us": "H100e",
    "accessible_compute_cn": "H100e",
    "adoption_us": "share",
    "adoption_cn": "share",
    "market_share_us": "share",
    "market_share_cn": "share",
    "global_south_share_us": "share",
    "global_south_share_cn": "share",
    "resilience_us": "index",
    "resilience_cn": "index",
    "safety_margin_months": "months",
    "misuse_exposure": "index",
    "cyber_window_months": "months",
}

# The essay's four fronts, the two security dials, and the metrics that show each.
FRONTS = {
    "model intelligence": [
        "lead_months",
        "capability_us",
        "capability_cn",
        "eci_us",
        "eci_cn",
        "compute_ratio",
        "accessible_compute_us",
        "accessible_compute_cn",
    ],
    "domestic adoption": ["adoption_us", "adoption_cn"],
    "global distribution": [
        "market_share_us",
        "market_share_cn",
        "global_south_share_us",
        "global_south_share_cn",
    ],
    "resilience": ["resilience_us", "resilience_cn"],
    "safety and security": ["safety_margin_months", "misuse_exposure", "cyber_window_months"],
}


def outcome_probabilities(ds: xr.Dataset) -> dict[str, float]:
    """Share of samples in each verdict class at the target date."""
    return probabilities(ds.variables["outcome"].values)


def summarize(ds: xr.Dataset, at: str | None = None) -> dict[str, dict[str, float]]:
    """p5, p50, p95 of each headline metric at the target (or `at`, a YYYY-MM month)."""
    metrics = headline(ds, at)
    table = np.quantile(np.stack(list(metrics.values())), list(QUANTILES.values()), axis=1)
    return {
        name: dict(zip(QUANTILES, map(float, table[:, i]), strict=True))
        for i, name in enumerate(metrics)
    }


def monthly_medians(ds: xr.Dataset) -> pd.DataFrame:
    """Median over samples of every monthly variable, one row per month, one column per series.

    Variables with more dimensions than (sample, time) get one column per label, named
    variable_label1_label2 (e.g. market_share_global-south_cn). A streamed run's monthly
    quantiles (dims quantile, time, ...) give their p50.
    """
    columns = {}
    for name, var in ds.data_vars.items():
        if "time" not in var.dims:
            continue
        med = var.median("sample") if "sample" in var.dims else var.sel(quantile="p50")
        extra = [d for d in med.dims if d != "time"]
        for labels in itertools.product(*(med[d].values for d in extra)):
            picked = med.sel(dict(zip(extra, labels, strict=True)))
            columns["_".join([name, *map(str, labels)])] = picked.values
    index = pd.Index(pd.to_datetime(ds["time"].values).strftime("%Y-%m"), name="month")
    return pd.DataFrame(columns, index=index)
