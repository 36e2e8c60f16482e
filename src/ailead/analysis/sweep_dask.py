"""Running a sweep's chunks on `dask.distributed`: a local cluster or an existing scheduler.

Every chunk whose file is missing is submitted as one task (`compute_chunk`, with `retries`, so
a chunk that raises is run again); a chunk on a worker that dies is rescheduled on another by
the scheduler (up to its `allowed-failures`). The workers return the rows and this process
writes each chunk's file as it arrives, so workers need no shared file system and an
interrupted sweep keeps every chunk finished before the interruption. When the chunks are all
there, the summary is written. Needs the `dask` extra (`pip install ailead[dask]`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ailead._version import __version__
from ailead.analysis.sweep import (
    Chunk,
    compute_chunk,
    open_output,
    plan,
    summary,
    write_chunk,
    write_summary,
)
from ailead.errors import AileadError, short
from ailead.inputs.scenario import Scenario
from ailead.inputs.sweep import Sweep

if TYPE_CHECKING:
    from distributed import Client

Progress = Callable[[int, int], None]  # (chunks done, chunks in all)
RETRIES = 2  # extra tries of a chunk that raised
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class SweepResult:
    """What a sweep did: its folder, chunks run now and found done, sample-months simulated now,
    and the summary table (one row per cell)."""

    out: Path
    ran: int
    skipped: int
    work: int
    table: pd.DataFrame


def _distributed():
    try:
        import distributed
    except ImportError:
        raise AileadError(
            "sweep: needs dask.distributed; allowed: install it with pip install 'ailead[dask]'"
        ) from None
    return distributed


@contextmanager
def cluster(workers: int = 2, scheduler: str | None = None) -> Iterator[Client]:
    """A client of a new local cluster of `workers` one-thread processes, or of the scheduler
    at `scheduler` (tcp://HOST:PORT); closed on exit."""
    distributed = _distributed()
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, ValueError, TypeError) as exc:
            raise AileadError(
                f"--scheduler {short(scheduler)}: cannot connect ({exc}); allowed: the address "
                "of a running dask scheduler, e.g. tcp://127.0.0.1:8786"
            ) from None
        with client:
            yield client
        return
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise AileadError(f"--workers: value {short(workers)} is not allowed; allowed: >= 1")
    local = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # any free port: several sweeps may run on one machine
        silence_logs=logging.ERROR,
    )
    with local, distributed.Client(local) as client:
        yield client


def _worker_version() -> str:
    from ailead._version import __version__ as version

    return version


def _check_workers(client: Client) -> None:
    """Every worker runs this ailead version (chunk ids assume it), or one plain error."""
    try:
        versions = client.run(_worker_version)
    except (ImportError, AttributeError) as exc:
        raise AileadError(f"sweep: the dask workers cannot import ailead ({exc})") from None
    other = {addr: v for addr, v in versions.items() if v != __version__}
    if not versions or other:
        found = ", ".join(f"{a}: {v}" for a, v in other.items()) or "no workers"
        raise AileadError(f"sweep: the dask workers must run ailead {__version__}; found {found}")


def run_sweep(
    sweep: Sweep,
    base: Scenario,
    out: str | Path,
    client: Client,
    on_progress: Progress | None = None,
    compute: Callable[[Chunk], pd.DataFrame] = compute_chunk,
    retries: int = RETRIES,
) -> SweepResult:
    """Run the sweep's missing chunks on `client`, write their files and then the summary.

    A chunk that still fails after `retries` tries leaves its file missing: the others are
    written, and one AileadError says which failed and that a rerun finishes only those.
    """
    distributed = _distributed()
    chunks = plan(sweep, base)
    _check_workers(client)
    out = open_output(Path(out), sweep, base)
    todo = [c for c in chunks if not (out / c.path).is_file()]
    done, failed = len(chunks) - len(todo), []
    if on_progress is not None:
        on_progress(done, len(chunks))
    futures = {
        client.submit(compute, c, key=f"ailead-chunk-{c.id}", retries=retries, pure=False): c
        for c in todo
    }
    for future in distributed.as_completed(futures):
        chunk = futures.pop(future)
        if future.status != "finished":
            error = future.exception() if future.status == "error" else None
            failed.append((chunk, f"{type(error).__name__}: {error}" if error else future.status))
            continue
        write_chunk(out, chunk, future.result())
        done += 1
        if on_progress is not None:
            on_progress(done, len(chunks))
    if failed:
        chunk, why = failed[0]
        raise AileadError(
            f"sweep {sweep.name}: {len(failed)} of {len(todo)} chunks failed (first: cell "
            f"{chunk.cell}, samples {chunk.start}-{chunk.stop - 1}: {why}); the others are "
            f"saved in {out}: run the sweep again to finish the rest"
        )
    table = summary(out, sweep, chunks)
    write_summary(out, table)
    ran = len(todo)
    return SweepResult(out, ran, len(chunks) - ran, sum(c.work for c in todo), table)
