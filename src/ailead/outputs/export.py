"""Write a run's Dataset to a file: netCDF, Parquet or CSV, chosen by the file's extension.

- `.nc`: the Dataset as it is (netCDF4 via h5netcdf): dims, coordinates, units and attributes.
- `.parquet` and `.csv`: long (tidy) format written by DuckDB, one row per value: `variable`,
  one column per dimension of the Dataset (empty where a variable lacks that dimension), `value`
  (and `label` for text variables such as `outcome`). The Dataset's attributes are not kept in
  these two formats; `.nc` keeps them.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ailead.errors import AileadError, short
from ailead.files import check_new_file, write_new


def export(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write `ds` to a new file `path` in the format its extension names; return the path."""
    path = check_export_path(path)
    return write_new(path, lambda tmp: WRITERS[path.suffix.lower()](ds, tmp))


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
    """The path, if its extension is one of `extensions` and `ailead.files.check_new_file`
    accepts it. Check it before a long run; nothing already saved is overwritten."""
    path = Path(path)
    if path.suffix.lower() not in extensions:
        raise AileadError(
            f"output file {short(str(path))}: extension {short(path.suffix or '(none)')} is not "
            f"supported; allowed: {allowed}"
        )
    return check_new_file(path)


def _netcdf(ds: xr.Dataset, path: Path) -> None:
    """netCDF built in memory, then written by Python: HDF5 writing straight to a full disk
    raised, then crashed the process at exit (a segmentation fault)."""
    data = ds.to_netcdf(engine="h5netcdf")
    with path.open("wb") as f:
        f.write(data)


def _parquet(ds: xr.Dataset, path: Path) -> None:
    _copy_long(ds, path, "FORMAT parquet")


def _csv(ds: xr.Dataset, path: Path) -> None:
    _copy_long(ds, path, "FORMAT csv, HEADER true")


CHUNK_ROWS = 1_000_000  # long rows built at a time (about 100 MB in pandas)
DUCKDB_MEMORY = "500MB"  # what DuckDB may hold of the long table before it spills to disk

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
    """Build the long table in DuckDB, in chunks of samples, then COPY it out.

    DuckDB holds at most `DUCKDB_MEMORY` and spills the rest to a temporary folder beside the
    output (removed afterwards), so a large export needs about that much memory, not the table's
    size. DuckDB's I/O errors are raised as OSError, with the reason it gives.
    """
    import duckdb

    columns = long_columns(ds)
    with tempfile.TemporaryDirectory(prefix=".ailead-spill-", dir=path.parent) as spill:
        con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "temp_directory": spill})
        try:
            con.execute(
                "CREATE TABLE long (" + ", ".join(f'"{c}" {t}' for c, t in columns.items()) + ")"
            )
            for name, da in ds.data_vars.items():
                for frame in _long_frames(str(name), da):
                    con.register("frame", frame)
                    con.execute("INSERT INTO long BY NAME SELECT * FROM frame")
                    con.unregister("frame")
            target = str(path).replace("'", "''")
            con.execute(f"COPY long TO '{target}' ({options})")
        except duckdb.IOException as exc:
            raise _os_error(exc) from None
        finally:
            con.close()


def _long_frames(name: str, da: xr.DataArray) -> Iterator[pd.DataFrame]:
    """One variable as long rows (`variable`, its dimensions, `value` or `label`), in chunks of
    samples of about `CHUNK_ROWS` rows."""
    per_sample = max(1, da.size // da.sizes["sample"]) if "sample" in da.dims else da.size
    step = max(1, CHUNK_ROWS // max(per_sample, 1))
    parts = (
        [da.isel(sample=slice(i, i + step)) for i in range(0, da.sizes["sample"], step)]
        if "sample" in da.dims
        else [da]
    )
    text = da.dtype.kind not in "fiub"
    for part in parts:
        frame = part.to_series().reset_index(name="label" if text else "value")
        if text:
            frame["label"] = frame["label"].astype(str)
        frame.insert(0, "variable", name)
        yield frame


def _os_error(exc: Exception) -> OSError:
    """A DuckDB I/O error as an OSError: the errno DuckDB reports, else EIO."""
    found = re.search(r'"errno":"(\d+)"', str(exc))
    code = int(found.group(1)) if found else errno.EIO
    return OSError(code, os.strerror(code))
