"""Runs that stream: any number of samples in chunks, in memory bounded by the chunk.

    for each chunk [start, stop) of the n samples:
        params = draws start..stop-1 of the run's own sequence (`engine.draws`)
        ds     = the chunk's run, with only the variables kept
        keep ds at the target month, every sample            (exact)
        add ds's values to a histogram per series and month  (monthly quantiles: a sketch)

The samples are the run's: at the target month a streamed run equals `ailead.run(scenario, n,
seed)` sample for sample, whatever the chunk size, so its summaries and verdict shares are exact.

Monthly quantiles come from the histograms. Each series (a variable and one label of each of its
other dimensions) gets, per month, `BINS` equal bins over the first chunk's range widened by half
of it on each side (on log10 for a positive series that spans more than two decades in the first
chunk); values outside fall into the end bins. A quantile is read by linear interpolation inside
the bin that holds its rank, so it is off by at most one bin width, 2 x range / BINS of the first
chunk's range (0.1% at 2,000 bins), wherever its value lies inside the bins: every quantile
between the first chunk's smallest and largest values. Non-finite values are not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import xarray as xr

from ailead.inputs.scenario import Scenario, load_scenario
from ailead.inputs.sizes import run_size
from ailead.outputs.engine import draws, run_parameters
from ailead.outputs.summary import HEADLINE_VARIABLES, QUANTILES

CHUNK = 10_000
BINS = 2_000
BLOCK_VALUES = 250_000  # values binned at once (2 MB of float64)
WEIGHTS = ("gdp_share_developed", "gdp_share_global_south")  # the parameters summaries read


class Streamed(NamedTuple):
    """A streamed run: `at_target` (sample, time of one month, ...) holds the kept variables,
    `outcome` and the parameters the summaries read, so `ailead.summarize` works on it;
    `monthly` (quantile, time, ...) holds the sketched quantiles of the monthly variables."""

    at_target: xr.Dataset
    monthly: xr.Dataset


class Sketch:
    """Histograms of one variable's series, per month, over bins fixed by the first chunk."""

    def __init__(self, first: np.ndarray, bins: int = BINS):
        """first: the first chunk's values, (samples, months, series)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            finite = np.where(np.isfinite(first), first, np.nan)
            positive = np.nanmin(finite, axis=(0, 1)) > 0
            span = np.nanmax(finite, axis=(0, 1)) / np.where(positive, np.nanmin(finite, (0, 1)), 1)
        self.log = np.asarray(positive & (span > 100.0))  # (series,)
        scaled = self._scale(finite)
        low = np.nan_to_num(np.nanmin(scaled, axis=0))
        high = np.nan_to_num(np.nanmax(scaled, axis=0))
        pad = np.maximum(0.5 * (high - low), 1e-12 * np.maximum(np.abs(low), 1.0))
        self.low, self.width = low - pad, (high - low + 2 * pad) / bins  # (months, series)
        self.bins = bins
        self.counts = np.zeros((*low.shape, bins), dtype=np.int64)

    def _scale(self, values: np.ndarray) -> np.ndarray:
        """A new float array: log10 on the log series, as is on the others (in place, column by
        column, to spare the large temporaries page faults make slow)."""
        out = np.array(values, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            for j in np.flatnonzero(self.log):
                np.log10(out[..., j], out=out[..., j])
        return out

    def add(self, values: np.ndarray) -> None:
        """Count a chunk's values, (samples, months, series), a block of samples at a time (small
        temporaries are reused; large ones cost page faults on every call)."""
        block = max(1, BLOCK_VALUES // max(1, values[0].size))
        for start in range(0, values.shape[0], block):
            self._add(values[start : start + block])

    def _add(self, values: np.ndarray) -> None:
        where = self._scale(values)
        where -= self.low
        where *= 1.0 / self.width
        np.clip(where, 0, self.bins - 1, out=where)  # NaN stays NaN, +-inf go to the end bins
        finite = ~np.isnan(where)
        every = finite.all()
        flat = (where if every else np.where(finite, where, 0.0)).astype(np.int64)
        flat += np.arange(self.low.size, dtype=np.int64).reshape(self.low.shape) * self.bins
        flat = flat.ravel() if every else flat[finite]
        self.counts += np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape)

    def quantiles(self, levels: Sequence[float]) -> np.ndarray:
        """(levels, months, series): each quantile read inside the bin that holds its rank."""
        cumulative = np.cumsum(self.counts, axis=-1)
        total = cumulative[..., -1:]
        out = np.empty((len(levels), *self.low.shape))
        for i, level in enumerate(levels):
            rank = level * total  # (months, series, 1)
            j = np.minimum((cumulative < rank).sum(axis=-1, keepdims=True), self.bins - 1)
            below = np.take_along_axis(cumulative, j, -1) - np.take_along_axis(self.counts, j, -1)
            inside = np.take_along_axis(self.counts, j, -1)
            frac = np.where(inside > 0, (rank - below) / np.maximum(inside, 1), 0.5)
            out[i] = self.low + (j[..., 0] + frac[..., 0]) * self.width
        with np.errstate(over="ignore"):
            return np.where(self.log, 10.0**out, out)


def _series(da: xr.DataArray) -> np.ndarray:
    """(sample, time, ...) as (samples, months, series)."""
    values = da.transpose("sample", "time", ...).values
    return values.reshape(values.shape[0], values.shape[1], -1)


def run_streamed(
    scenario: str | Scenario | dict,
    samples: int,
    seed: int = 0,
    chunk: int = CHUNK,
    monthly: Sequence[str] = HEADLINE_VARIABLES,
    on_chunk: Callable[[int, int], None] | None = None,
) -> Streamed:
    """Run `samples` samples in chunks of `chunk` (see module doc); `on_chunk(done, samples)`
    after each. `monthly` names the monthly variables kept, at the target and as quantiles."""
    size = run_size(samples, seed)
    sc = load_scenario(scenario)
    kept = list(dict.fromkeys([*HEADLINE_VARIABLES, *monthly]))
    parts: list[xr.Dataset] = []
    sketches: dict[str, Sketch] = {}
    template = None
    for start in range(0, size.samples, max(int(chunk), 1)):
        stop = min(start + max(int(chunk), 1), size.samples)
        params = draws(sc, size.samples, size.seed, start, stop)
        ds = run_parameters(sc, params, variables=kept)
        target = ds.sel(time=[np.datetime64(ds.attrs["target"], "ns")])
        weights = target["parameters"].sel(parameter=list(WEIGHTS))
        parts.append(target[[*kept, "outcome"]].assign(parameters=weights))
        for name in monthly:
            values = _series(ds[name])
            if name not in sketches:
                sketches[name] = Sketch(values)
            sketches[name].add(values)
        if template is None:  # labels, units and attributes, from one sample
            template = ds[list(monthly)].isel(sample=[0])
        if on_chunk is not None:
            on_chunk(stop, size.samples)
    at_target = xr.concat(parts, dim="sample", data_vars="minimal", coords="minimal")
    at_target = at_target.assign_coords(sample=np.arange(size.samples))
    attrs = {**template.attrs, "samples": size.samples, "seed": size.seed}
    at_target.attrs.update(attrs)
    monthly_ds = _monthly(template, sketches)
    monthly_ds.attrs.update(attrs, quantiles="histogram sketch (ailead.outputs.stream)")
    return Streamed(at_target, monthly_ds)


def _monthly(template: xr.Dataset, sketches: dict[str, Sketch]) -> xr.Dataset:
    """The sketched quantiles as a Dataset (quantile, time, ...) labelled like the run."""
    levels = list(QUANTILES.values())
    variables = {}
    for name, sketch in sketches.items():
        da = template[name].transpose("sample", "time", ...)
        shape = (len(levels), *da.shape[1:])
        values = sketch.quantiles(levels).reshape(shape)
        variables[name] = xr.DataArray(
            values,
            dims=("quantile", *da.dims[1:]),
            coords={"quantile": list(QUANTILES), **{d: da[d] for d in da.dims[1:]}},
            attrs=da.attrs,
        )
    return xr.Dataset(variables, attrs=template.attrs)
