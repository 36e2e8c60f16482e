"""Large runs on the command line: the memory check before them, progress bars while they run,
and `ailead run` in chunks (`ailead.outputs.stream`) above `STREAM_ABOVE` samples, in memory
bounded by the chunk rather than by the sample count.

A streamed run's summaries and verdict shares at the target are the in-memory run's, sample for
sample; its monthly medians (`--format csv`) come from the stream's histogram sketch. A run that
is saved or exported keeps every month of every sample, so it is held in memory as before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    import xarray as xr

    from ailead.inputs.scenario import Scenario

STREAM_ABOVE = 50_000  # samples: above this `ailead run` streams (about 2.6 GB held otherwise)
PROGRESS_WORK = 1_000_000  # samples x months: about a second at the measured ~1.2M per second


@contextmanager
def month_progress(label: str, samples: int, months: int) -> Iterator[Callable[[int], None] | None]:
    """An `on_month` callback driving a transient progress bar on stderr, for long runs only."""
    if samples * months <= PROGRESS_WORK:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True) as p:
        task = p.add_task(f"{label} (months)", total=months)
        yield lambda _t: p.advance(task)


def check_size(
    samples: int, scenarios: list[Scenario], netcdf: bool = False, streamed: bool = False
) -> None:
    """Refuse runs of the scenarios (all kept, or one `streamed` in chunks) that need more memory
    than is available (`netcdf`: with a netCDF export), before any run; say how much a large one
    will take."""
    from ailead.outputs.budget import LARGE_BYTES, available_bytes, check_budget, gigabytes
    from ailead.outputs.stream import CHUNK

    months = max(sc.month(sc.end) + 1 for sc in scenarios)
    need = check_budget(samples, months, len(scenarios), netcdf, CHUNK if streamed else None)
    if need > LARGE_BYTES:
        free = available_bytes()
        of = f" of {gigabytes(free)} available" if free is not None else ""
        print(f"{samples} samples: about {gigabytes(need)} of memory{of}", file=sys.stderr)


def streams(samples: int, keeps_all: bool, backend: str) -> bool:
    """Whether `ailead run` streams: many samples, nothing that needs every month kept, NumPy."""
    return samples > STREAM_ABOVE and not keeps_all and backend == "numpy"


def run_in_chunks(sc: Scenario, samples: int, seed: int) -> tuple[xr.Dataset, xr.Dataset]:
    """The run at the target (every sample) and its monthly quantiles, with a progress bar."""
    from ailead.outputs.stream import run_streamed

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True) as p:
        task = p.add_task(f"{sc.name} (samples)", total=samples)
        result = run_streamed(
            sc, samples, seed, on_chunk=lambda done, _n: p.update(task, completed=done)
        )
    return result.at_target, result.monthly
