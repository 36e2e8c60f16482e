"""A finished sweep's cells as runs in the run store (`ailead sweep --save`).

The store keeps a run's every variable per sample at the target month and their monthly
quantiles (`ailead.store`). A sweep keeps only its targets, and only at the target month, so a
cell is saved as a run whose Dataset holds the targets at the target month (a time axis of one
month: its "monthly quantiles" are those of that month), the verdict, and the parameters of
every sample (drawn again here: the same draws, with the cell's settings applied, as the run
engine applies a scenario's). `ailead runs reproduce` on such a run reruns the scenario and
finds variables the sweep did not keep, so it reports a difference: compare the targets instead.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from ailead.analysis.sweep import Chunk, cell_rows, column_names
from ailead.inputs.sweep import Sweep
from ailead.outputs.engine import draws, run_parameters
from ailead.store import save_run


def cell_dataset(out: Path, sweep: Sweep, chunks: list[Chunk], cell: int) -> xr.Dataset:
    """A cell's results as a run's Dataset at its target month (see the module's notes)."""
    sc = next(c.scenario for c in chunks if c.cell == cell)
    rows = cell_rows(out, chunks, cell)
    n = len(rows)
    probe = run_parameters(sc, draws(sc, 1, sweep.seed, 0, 1), variables=sweep.targets)
    at = probe.sel(time=[np.datetime64(sc.target, "ns")])
    variables = {}
    for name in sweep.targets:
        da = at[name].transpose("sample", "time", ...)
        values = rows[column_names(da)].to_numpy(float).reshape(n, 1, *da.shape[2:])
        variables[name] = xr.Variable(da.dims, values, da.attrs)
    variables["outcome"] = xr.Variable("sample", rows["outcome"].to_numpy(str), probe.outcome.attrs)
    params = draws(sc, sweep.samples, sweep.seed, 0, sweep.samples)
    params = {**params, **{k: np.full(n, v) for k, v in sc.parameters.items()}}
    names = list(probe["parameter"].values)
    variables["parameters"] = xr.Variable(
        ("sample", "parameter"),
        np.stack([params[k] for k in names], axis=1),
        probe.parameters.attrs,
    )
    coords = {k: v for k, v in at.coords.items() if k not in ("sample",)}
    ds = xr.Dataset(variables, coords={**coords, "sample": rows["sample"].to_numpy()})
    ds.attrs.update(probe.attrs, seed=sweep.seed, samples=n)
    ds.attrs["scenario"] = f"{sweep.name}-cell{cell:04d}"  # the scenario's own name is the base's
    ds.attrs["description"] = f"sweep {sweep.name}, cell {cell}: {sweep.cell_labels()[cell]}"
    return ds


def save_cells(out: Path, sweep: Sweep, chunks: list[Chunk]) -> list[str]:
    """Save every cell as a run (see `cell_dataset`); return the new run ids, cell by cell."""
    return [save_run(cell_dataset(out, sweep, chunks, cell)) for cell in range(len(sweep.cells()))]
