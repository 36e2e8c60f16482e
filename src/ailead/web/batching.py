"""Micro-batching: engine runs asked for by concurrent requests share one pass of the loop.

The monthly loop costs about as much per month for one sample as for a few hundred (numpy's
fixed cost per call dominates), and no sample reads another's state. So while one batch runs,
the runs that arrive queue up, and the next batch takes all of them (up to `max_samples`
samples) into one `ailead.engine.run_batch` pass. A lone request runs at once: there is no
waiting window, so batching adds no latency when the server is idle.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from ailead.engine import run_batch
from ailead.scenario import Scenario

_STOP = object()  # tells the worker to finish


@dataclass
class _Job:
    scenario: Scenario
    params: dict[str, np.ndarray]
    result: Future = field(default_factory=Future)

    @property
    def samples(self) -> int:
        return len(next(iter(self.params.values())))


class EngineBatcher:
    """Run `(scenario, params)` jobs from many threads, joined into batches by one worker thread.

    `run` blocks its caller until its own Dataset is ready and returns the same Dataset as
    `ailead.engine.run_parameters(scenario, params)`. The worker starts with the first job and
    stops at `shutdown`; a job after that starts a new one.
    """

    def __init__(self, max_samples: int) -> None:
        self.max_samples = max_samples
        self._queue: queue.SimpleQueue[_Job | object] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._start = threading.Lock()
        self.batches = 0  # passes run so far (for tests and the load benchmark)

    def run(self, scenario: Scenario, params: dict[str, np.ndarray]) -> xr.Dataset:
        job = _Job(scenario, params)
        with self._start:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._serve, name="ailead-batcher", daemon=True
                )
                self._worker.start()
            self._queue.put(job)
        return job.result.result()

    def shutdown(self) -> None:
        with self._start:
            if self._worker is not None:
                self._queue.put(_STOP)
                self._worker = None

    def _serve(self) -> None:
        waiting: _Job | object | None = None  # a job left for the next batch, or _STOP
        while waiting is not _STOP:
            job = waiting or self._queue.get()
            if job is _STOP:
                return
            jobs, total, waiting = [job], job.samples, None
            while waiting is None:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is not _STOP and total + more.samples <= self.max_samples:
                    jobs.append(more)
                    total += more.samples
                else:
                    waiting = more
            self._execute(jobs)

    def _execute(self, jobs: list[_Job]) -> None:
        self.batches += 1
        try:
            datasets = run_batch([(job.scenario, job.params) for job in jobs])
        except Exception as exc:  # passed on to the waiting request(s)
            if len(jobs) == 1:
                jobs[0].result.set_exception(exc)
            else:  # run each alone, so that only the faulty job gets the error
                for job in jobs:
                    self._execute([job])
            return
        for job, ds in zip(jobs, datasets, strict=True):
            job.result.set_result(ds)
