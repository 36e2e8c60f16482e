"""A run's Dataset as the run store's rows, and back: what is kept of a run, and in what shape.

Kept: every variable per sample at the target month (`at_target`), and the monthly quantiles
over samples of every numeric variable (`monthly_quantiles`). Dimensions other than sample and
time (bloc, market, supplier, parameter, ...) become one `coord` label per cell, their labels
joined with '/' ('us', 'developed/cn'); each variable's dimensions and labels are kept with it
so that the rows read back into the same labelled arrays.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from ailead.errors import AileadError
from ailead.store.schema import QUANTILES


def at_target(ds: xr.Dataset) -> xr.Dataset:
    """Every variable per sample at the scenario's target month."""
    target = ds.attrs["target"]
    try:
        return ds.sel(time=np.datetime64(target, "ns"))
    except KeyError:
        raise AileadError(f"target: month {target} is not in the run's time axis") from None


def monthly_quantiles(ds: xr.Dataset) -> xr.Dataset:
    """Quantiles over samples (QUANTILES levels) of every numeric variable, month by month.

    Like `summarize`, a month where any sample is NaN gives NaN (nothing is silently dropped).
    """
    numeric = [n for n, v in ds.data_vars.items() if "time" in v.dims and v.dtype.kind in "fiu"]
    return ds[numeric].quantile(
        list(QUANTILES.values()), dim="sample", skipna=False, keep_attrs=True
    )


def cell_labels(coords: dict[str, list[Any]], dims: list[str]) -> list[str]:
    """One label per cell of `dims`, in C order: 'us', 'developed/cn', or '' for no dims."""
    return ["/".join(map(str, cell)) for cell in itertools.product(*(coords[d] for d in dims))]


def to_json(value: Any) -> str:
    """JSON text; numpy scalars and arrays become plain numbers and lists."""
    return json.dumps(value, default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v))


def to_rows(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """The rows to store: `variables` (specs), `results` (at the target), `quantiles` (monthly)."""
    snap, monthly = at_target(ds), monthly_quantiles(ds)
    samples = snap["sample"].values
    specs, results, quantiles = [], [], []
    for position, (name, da) in enumerate(snap.data_vars.items()):
        dims = [d for d in da.dims if d != "sample"]
        coords = {d: da[d].values.tolist() for d in dims}
        labels = np.array(cell_labels(coords, dims), dtype=object)
        number = da.dtype.kind in "fiu"
        specs.append(
            {
                "position": position,
                "variable": name,
                "kind": "number" if number else "text",
                "monthly": name in monthly,
                "dims": to_json(dims),
                "coords": to_json(coords),
                "attrs": to_json(dict(da.attrs)),
            }
        )
        flat = da.transpose("sample", *dims).values.reshape(-1)
        results.append(
            pd.DataFrame(
                {
                    "variable": name,
                    "coord": np.tile(labels, len(samples)),
                    "sample": np.repeat(samples, len(labels)),
                    "value": flat.astype(float) if number else np.nan,
                    "label": None if number else flat.astype(str).astype(object),
                }
            )
        )
        if name in monthly:
            cube = monthly[name].transpose("quantile", "time", *dims).values
            months = monthly["time"].values
            frame = {
                "variable": name,
                "coord": np.tile(labels, len(months)),
                "month": np.repeat(months, len(labels)),
            }
            frame |= {q: cube[k].reshape(-1) for k, q in enumerate(QUANTILES)}
            quantiles.append(pd.DataFrame(frame))
    return {
        "variables": pd.DataFrame(specs),
        "results": pd.concat(results, ignore_index=True),
        "quantiles": pd.concat(quantiles, ignore_index=True),
    }


def from_rows(
    variables: pd.DataFrame, results: pd.DataFrame, quantiles: pd.DataFrame, attrs: dict[str, Any]
) -> tuple[xr.Dataset, xr.Dataset]:
    """The stored rows of one run as (`at_target`, `monthly_quantiles`) Datasets."""
    specs = [
        {**row, "dims": json.loads(row["dims"]), "coords": json.loads(row["coords"])}
        for row in variables.to_dict("records")
    ]
    samples = np.sort(results["sample"].unique()).astype(np.int64)
    months = np.sort(quantiles["month"].unique()).astype("datetime64[ns]")
    snap_coords: dict[str, Any] = {"sample": samples, "time": np.datetime64(attrs["target"], "ns")}
    month_coords: dict[str, Any] = {"quantile": list(QUANTILES.values()), "time": months}
    snap, monthly = {}, {}
    by_variable = dict(tuple(results.groupby("variable", sort=False)))
    monthly_by_variable = dict(tuple(quantiles.groupby("variable", sort=False)))
    for spec in specs:
        name, dims = spec["variable"], spec["dims"]
        labels = cell_labels(spec["coords"], dims)
        shape = [len(spec["coords"][d]) for d in dims]
        cell_coords = {d: np.array(spec["coords"][d]) for d in dims}
        attrs_of = json.loads(spec["attrs"])

        rows = by_variable[name]
        at = (np.searchsorted(samples, rows["sample"].to_numpy()), _codes(rows, labels))
        if spec["kind"] == "number":
            grid = np.full((len(samples), len(labels)), np.nan)
            grid[at] = rows["value"].to_numpy(dtype=float)
        else:
            grid = np.empty((len(samples), len(labels)), dtype=object)
            grid[at] = rows["label"].to_numpy(dtype=object)
            grid = grid.astype(str)
        snap[name] = xr.Variable(("sample", *dims), grid.reshape(len(samples), *shape), attrs_of)
        snap_coords.update(cell_coords)

        if spec["monthly"]:
            rows = monthly_by_variable[name]
            month_at = np.searchsorted(months, rows["month"].to_numpy().astype("datetime64[ns]"))
            cube = np.full((len(QUANTILES), len(months), len(labels)), np.nan)
            for k, q in enumerate(QUANTILES):
                cube[k, month_at, _codes(rows, labels)] = rows[q].to_numpy(dtype=float)
            monthly[name] = xr.Variable(
                ("quantile", "time", *dims), cube.reshape(cube.shape[:2] + tuple(shape)), attrs_of
            )
            month_coords.update(cell_coords)
    return (
        xr.Dataset(snap, coords=snap_coords, attrs=attrs),
        xr.Dataset(monthly, coords=month_coords, attrs=attrs),
    )


def _codes(rows: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """Each row's cell position from its coord label."""
    return pd.Categorical(rows["coord"], categories=labels).codes
