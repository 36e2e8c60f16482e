"""The engine pool: one queue of requests, drained in batches by every free engine worker.

Requests are queued as they arrive. Each of the pool's workers, whenever it is free, takes all
the queued requests (up to about `batch_samples` samples) and answers them together with
`ailead.web.answers.answer`, whose runs share one engine pass. A lone request is taken at once,
so batching adds no wait on an idle server; under load, batches grow and the engine's fixed cost
per month is shared. One queue feeds every worker, so all cores stay busy however the clients'
connections are spread (a shared listening socket gave one worker every keep-alive connection
of a burst, the other none).

Workers are threads of the server process (`workers=1`: numpy releases the GIL in large array
operations, and a long run does not hold up the others) or, for several cores, separate engine
processes (`workers>=2`); the server process then only parses requests and sends answers.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from pydantic import BaseModel

from ailead.errors import AileadError
from ailead.web import answers


class RunTimeout(Exception):
    """A request outlasted the time limit (queueing included)."""


@dataclass
class _Queued:
    kind: str
    payload: str
    samples: int
    answer: asyncio.Future


class EnginePool:
    """Answer requests through `workers` engine processes, or `threads` threads if workers=1."""

    def __init__(self, workers: int, threads: int, batch_samples: int, timeout_s: float) -> None:
        self.workers, self.threads = workers, threads
        self.batch_samples, self.timeout_s = batch_samples, timeout_s
        self.batches = 0  # batches answered so far (the tests read it)
        self._executor: Executor | None = None
        self._queue: asyncio.Queue[_Queued] | None = None
        self._feeders: list[asyncio.Task] = []
        self._starting: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        """Start the workers, each warmed up (imports, registry, the page's default run).

        Called by the app's lifespan, or by the first request of an app served without it; a
        pool started under another event loop (a test client's) is replaced.
        """
        loop = asyncio.get_running_loop()
        if self._queue is not None and self._loop is loop:
            return
        if self._starting is None or self._starting[0] is not loop:
            self._starting = (loop, asyncio.Lock())
        async with self._starting[1]:
            if self._queue is not None and self._loop is loop:
                return  # started by a request that got the lock first
            await self.stop()
            if self.workers > 1:
                self._executor = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_engine_process,
                )
                size = self.workers
                # Tasks submitted together start every process (each warms up first).
                ready = [loop.run_in_executor(self._executor, int) for _ in range(size)]
                await asyncio.gather(*ready)
            else:
                self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="ailead")
                size = self.threads
                await loop.run_in_executor(self._executor, answers.warm_up)
            self._queue, self._loop = asyncio.Queue(), loop
            self._feeders = [asyncio.create_task(self._feed()) for _ in range(size)]

    async def stop(self) -> None:
        for feeder in self._feeders:
            feeder.cancel()
        self._feeders, self._queue = [], None
        if self._executor is not None:  # waits for running batches: engine processes end too
            await asyncio.to_thread(self._executor.shutdown, wait=True, cancel_futures=True)
            self._executor = None

    async def __call__(self, kind: str, request: BaseModel) -> bytes:
        """The response JSON for a validated request; AileadError if the engine refuses it."""
        await self.start()  # at once when started
        answer = asyncio.get_running_loop().create_future()
        samples = getattr(request, "samples", 1)
        await self._queue.put(_Queued(kind, request.model_dump_json(), samples, answer))
        try:
            status, content = await asyncio.wait_for(answer, self.timeout_s)
        except TimeoutError:
            raise RunTimeout(
                f"the run took longer than the {self.timeout_s:g} s limit; "
                "allowed: fewer samples, or try again when the server is less busy"
            ) from None
        if status == "refused":
            raise AileadError(content)
        if status == "failed":
            raise RuntimeError(content)  # a fault in the engine worker: 500
        return content

    async def _feed(self) -> None:
        """One worker's loop: take everything queued (within the budget) and answer it."""
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            total = batch[0].samples
            while total < self.batch_samples and not self._queue.empty():
                batch.append(self._queue.get_nowait())
                total += batch[-1].samples
            batch = [queued for queued in batch if not queued.answer.done()]  # timed out
            if not batch:
                continue
            self.batches += 1
            jobs = [(queued.kind, queued.payload) for queued in batch]
            try:
                replies = await loop.run_in_executor(self._executor, answers.answer, jobs)
            except Exception as exc:  # noqa: BLE001 - a failed worker: each request gets a 500
                replies = [exc] * len(batch)
            for queued, reply in zip(batch, replies, strict=True):
                if queued.answer.done():
                    continue
                if isinstance(reply, Exception):
                    queued.answer.set_exception(reply)
                else:
                    queued.answer.set_result(reply)


def _start_engine_process() -> None:
    """In each engine process: leave Ctrl+C to the server (which stops the pool), then warm up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers.warm_up()
