"""A sweep's chunks: plan them, compute one, keep its rows, and summarize the cells.

A sweep (`ailead.inputs.sweep`) runs every cell of its grid on the same `samples` draws (seed
`seed`, common random numbers). The draws of a cell are cut into chunks of `chunk` samples; a
chunk is the cell's samples start..stop-1 of the run of `samples` with the sweep's seed, drawn
from `start` on (`ailead.outputs.engine.draws`: "the first k of n
equal a run of k"), so a sample's values do not depend on how the cell is chunked.

A chunk's id hashes the sweep's content (file and base scenario, resolved, and the ailead
version), its cell and its range: a changed sweep never reuses a stale chunk. A chunk's rows (one
per sample: `sample`, each target at the target month, `outcome`) are a Parquet file
``rows/cell=CCCC/chunk-KKKK-ID.parquet`` under the output folder (a Hive-partitioned dataset:
``pandas.read_parquet(OUT / "rows")`` reads every row with its `cell`), written whole or not at all
(`ailead.files`), so a file that exists is a finished chunk and a rerun skips it (resume).
The folder's ``sweep.json`` names the sweep it holds; another sweep is refused there.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from ailead._version import __version__
from ailead.errors import AileadError, short
from ailead.files import write_new, write_new_text
from ailead.inputs.scenario import Scenario
from ailead.inputs.sweep import Sweep, cell_scenario
from ailead.outputs.engine import draws, run_parameters
from ailead.outputs.labels import VARIABLES
from ailead.outputs.summary import QUANTILES
from ailead.outputs.verdict import OUTCOMES, probabilities

MANIFEST = "sweep.json"
TARGETS = tuple(v for v in VARIABLES if v not in ("outcome", "parameters"))


@dataclass(frozen=True)
class Chunk:
    """One task: samples start..stop-1 of a cell, run on the cell's scenario."""

    id: str
    cell: int
    index: int  # the chunk's number within its cell
    start: int
    stop: int
    scenario: Scenario
    samples: int  # the cell's sample count (the run the chunk's draws are cut from)
    seed: int
    targets: tuple[str, ...]

    @property
    def path(self) -> Path:
        """The chunk's file, relative to the output folder."""
        return Path("rows", f"cell={self.cell:04d}", f"chunk-{self.index:04d}-{self.id}.parquet")

    @property
    def work(self) -> int:
        """Sample-months simulated, from the anchor to the scenario's end."""
        return (self.stop - self.start) * (self.scenario.month(self.scenario.end) + 1)


def content_hash(sweep: Sweep, base: Scenario) -> str:
    """sha256 of what the results depend on: the sweep (bar its description), the resolved
    base scenario and the ailead version."""
    content = {
        "sweep": sweep.model_dump(mode="json", exclude={"description"}),
        "scenario": base.model_dump(mode="json"),
        "ailead_version": __version__,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def check_targets(sweep: Sweep) -> None:
    """Each target is a monthly variable of a run, or one plain error."""
    for name in sweep.targets:
        if name not in TARGETS:
            raise AileadError(
                f"sweep {sweep.name}: field 'targets': unknown variable {short(name)}; "
                f"allowed: {', '.join(TARGETS)}"
            )


def plan(sweep: Sweep, base: Scenario) -> list[Chunk]:
    """Every chunk of every cell, cell by cell, in sample order."""
    check_targets(sweep)
    digest = content_hash(sweep, base)
    chunks = []
    for cell, values in enumerate(sweep.cells()):
        scenario = cell_scenario(base, values)
        for index, start in enumerate(range(0, sweep.samples, sweep.chunk)):
            stop = min(start + sweep.chunk, sweep.samples)
            key = f"{digest}:{cell}:{start}:{stop}".encode()
            chunks.append(
                Chunk(
                    hashlib.sha256(key).hexdigest()[:16],
                    cell,
                    index,
                    start,
                    stop,
                    scenario,
                    sweep.samples,
                    sweep.seed,
                    sweep.targets,
                )
            )
    return chunks


def compute_chunk(chunk: Chunk) -> pd.DataFrame:
    """A chunk's rows: `sample`, each target at the target month (one column per label of its
    other dimensions, e.g. capability_us), and the verdict `outcome`."""
    params = draws(chunk.scenario, chunk.samples, chunk.seed, chunk.start, chunk.stop)
    ds = run_parameters(chunk.scenario, params, variables=chunk.targets)
    return target_rows(ds, chunk.start)


def target_rows(ds: xr.Dataset, first_sample: int = 0) -> pd.DataFrame:
    """One row per sample of a run: its targets at the target month, and its outcome."""
    at = ds.sel(time=np.datetime64(ds.attrs["target"], "ns"))
    columns: dict[str, Any] = {"sample": first_sample + np.arange(ds.sizes["sample"])}
    for name, da in at.data_vars.items():
        if name in ("outcome", "parameters"):
            continue
        dims = [d for d in da.dims if d != "sample"]
        flat = da.transpose("sample", *dims).values.reshape(ds.sizes["sample"], -1)
        for j, column in enumerate(column_names(da)):
            columns[column] = flat[:, j].astype(float)
    columns["outcome"] = at["outcome"].values.astype(str)
    return pd.DataFrame(columns)


def column_names(da: xr.DataArray) -> list[str]:
    """A variable's columns: its name, then one per label of its dimensions other than sample
    and time, in C order (capability_us, capability_cn; market_share_developed_us, ...)."""
    dims = [d for d in da.dims if d not in ("sample", "time")]
    labels = itertools.product(*(da[d].values for d in dims))
    return ["_".join([str(da.name), *map(str, label)]) for label in labels]


def open_output(out: Path, sweep: Sweep, base: Scenario) -> Path:
    """The output folder, created with its manifest, or one already holding this sweep."""
    out = Path(out)
    digest = content_hash(sweep, base)
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            held = json.loads(manifest.read_text(encoding="utf-8")).get("hash")
        except (OSError, ValueError, AttributeError):
            held = None
        if held != digest:
            raise AileadError(
                f"--out {out}: holds another sweep, or this one changed since (its {MANIFEST} "
                "differs); allowed: a new folder, or the same sweep file to resume it"
            )
        return out
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise AileadError(
            f"--out {out}: exists and holds no {MANIFEST}; allowed: a new or empty folder"
        )
    out.mkdir(parents=True, exist_ok=True)
    text = {
        "hash": digest,
        "ailead_version": __version__,
        "sweep": sweep.model_dump(mode="json"),
        "scenario": base.model_dump(mode="json"),
        "cells": sweep.cell_labels(),
    }
    write_new_text(manifest, json.dumps(text, indent=2) + "\n")
    return out


def write_chunk(out: Path, chunk: Chunk, rows: pd.DataFrame) -> Path:
    """A chunk's rows as its Parquet file, written whole (temporary file, then linked)."""
    path = out / chunk.path
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_new(path, lambda tmp: rows.to_parquet(tmp, index=False))


def cell_rows(out: Path, chunks: list[Chunk], cell: int) -> pd.DataFrame:
    """The rows of one cell from its chunks' files, in sample order."""
    parts = [pd.read_parquet(out / c.path) for c in chunks if c.cell == cell]
    return pd.concat(parts, ignore_index=True)


def summary(out: Path, sweep: Sweep, chunks: list[Chunk]) -> pd.DataFrame:
    """One row per cell: its axis values, samples, p5/p50/p95 of each target column and the
    share of samples in each verdict class."""
    records = []
    for cell, labels in enumerate(sweep.cell_labels()):
        rows = cell_rows(out, chunks, cell)
        record: dict[str, Any] = {"cell": cell, **labels, "samples": len(rows)}
        for column in rows.columns.drop(["sample", "outcome"]):
            values = rows[column].to_numpy(float)
            for q, level in QUANTILES.items():
                record[f"{column}_{q}"] = float(np.quantile(values, level))
        shares = probabilities(rows["outcome"].to_numpy())
        record.update({f"p_{name.replace('-', '_')}": shares[name] for name in OUTCOMES})
        records.append(record)
    return pd.DataFrame(records)


def write_summary(out: Path, table: pd.DataFrame) -> list[Path]:
    """The summary as ``summary.parquet`` and ``summary.csv``, replacing an earlier summary of
    the same sweep (it is computed from the chunks, which never change)."""
    paths = [out / "summary.parquet", out / "summary.csv"]
    for path in paths:
        path.unlink(missing_ok=True)
    write_new(paths[0], lambda tmp: table.to_parquet(tmp, index=False))
    write_new(paths[1], lambda tmp: table.to_csv(tmp, index=False))
    return paths
