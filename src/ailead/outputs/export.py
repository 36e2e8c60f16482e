"""Write a run's Dataset to a file: netCDF, Parquet or CSV, chosen by the file's extension.

- `.nc`: the Dataset as it is (netCDF4 via h5netcdf): dims, coordinates, units and attributes.
- `.parquet` and `.csv`: long (tidy) format written by DuckDB, one row per value: `variable`,
  one column per dimension of the Dataset (empty where a variable lacks that dimension), `value`
  (and `label` for text variables such as `outcome`). The Dataset's attributes are not kept in
  these two formats; `.nc` keeps them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import xarray as xr

from ailead.errors import AileadError


def export(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write `ds` to `path` in the format its extension names; return the path."""
    path = check_export_path(path)
    WRITERS[path.suffix.lower()](ds, path)
    return path


def check_export_path(path: str | os.PathLike[str]) -> Path:
    """The path, if its extension names an export format (see `check_output_path`)."""
    return check_output_path(
        path,
        tuple(WRITERS),
        ".nc (netCDF), .parquet (Parquet, long format), .csv (CSV, long format)",
    )


def check_output_path(
    path: str | os.PathLike[str], extensions: tuple[str, ...], allowed: str
) -> Path:
    """The path, if its extension is one of `extensions`, its directory exists and the file
    does not. Check it before a long run; nothing already saved is overwritten."""
    path = Path(path)
    if path.suffix.lower() not in extensions:
        raise AileadError(
            f"output file {str(path)!r}: extension {path.suffix or '(none)'!r} is not supported; "
            f"allowed: {allowed}"
        )
    if not path.parent.is_dir():
        raise AileadError(
            f"output file {str(path)!r}: directory {str(path.parent)!r} does not exist"
        )
    if path.exists():
        raise AileadError(
            f"output file {str(path)!r}: already exists; allowed: a new file name (ailead never "
            "overwrites a file)"
        )
    return path


def _netcdf(ds: xr.Dataset, path: Path) -> None:
    ds.to_netcdf(path, engine="h5netcdf")


def _parquet(ds: xr.Dataset, path: Path) -> None:
    _copy_long(ds, path, "FORMAT parquet")


def _csv(ds: xr.Dataset, path: Path) -> None:
    _copy_long(ds, path, "FORMAT csv, HEADER true")


WRITERS: dict[str, Callable[[xr.Dataset, Path], None]] = {
    ".nc": _netcdf,
    ".parquet": _parquet,
    ".csv": _csv,
}


def long_columns(ds: xr.Dataset) -> dict[str, str]:
    """The long table's columns and their SQL types: variable, each dimension, value, label."""
    columns = {"variable": "VARCHAR"}
    for dim in ds.dims:
        columns[str(dim)] = _sql_type(ds[dim].values) if dim in ds.coords else "BIGINT"
    columns["value"] = "DOUBLE"
    if any(v.dtype.kind not in "fiub" for v in ds.data_vars.values()):
        columns["label"] = "VARCHAR"
    return columns


def _sql_type(values: np.ndarray) -> str:
    kind = values.dtype.kind
    if kind == "M":
        return "TIMESTAMP"
    if kind in "iu":
        return "BIGINT"
    return "DOUBLE" if kind == "f" else "VARCHAR"


def _copy_long(ds: xr.Dataset, path: Path, options: str) -> None:
    """Build the long table one variable at a time in an in-memory DuckDB, then COPY it out."""
    import duckdb

    columns = long_columns(ds)
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE long (" + ", ".join(f'"{c}" {t}' for c, t in columns.items()) + ")"
        )
        for name, da in ds.data_vars.items():
            frame = da.to_series().reset_index(
                name="label" if da.dtype.kind not in "fiub" else "value"
            )
            if "label" in frame:
                frame["label"] = frame["label"].astype(str)
            frame.insert(0, "variable", str(name))
            con.register("frame", frame)
            con.execute("INSERT INTO long BY NAME SELECT * FROM frame")
            con.unregister("frame")
        target = str(path).replace("'", "''")
        con.execute(f"COPY long TO '{target}' ({options})")
    finally:
        con.close()
