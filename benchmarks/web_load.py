"""Latency of the web explorer: POST /api/run under 20 concurrent clients, and the page's redraw.

Starts `ailead serve` on a free port, then for each sample count runs `--clients` concurrent
clients (httpx, asyncio), each sending `--requests` runs in a row. Every request moves the three
switches to fresh random strengths, as a user dragging sliders would, so nothing is served from a
cache of identical requests. Prints p50 and p99 latency and throughput. With `--page`, also
drives the page in Chromium and prints the time from a slider move to the redrawn charts.

    taskset -c 0,1 python benchmarks/web_load.py            # the figures in the README
    taskset -c 0,1 python benchmarks/web_load.py --workers 2 --page
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

# web_local (the local-server and Chromium harness) lives with the tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from web_local import CHROMIUM, CHROMIUM_ARGS, local_server  # noqa: E402


class Connection:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams.

    The benchmark shares the 2 cores with the server; httpx spends about 5 ms of CPU on each
    130 kB answer, which would be counted against the server. This client costs a small
    fraction of that (its CPU time per request is printed).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict) -> bytes:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        payload = json.dumps(body).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        )
        self.writer.write(head.encode() + payload)
        status = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        content = await self.reader.readexactly(length)
        if not status.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"{status.decode().strip()}: {content[:200]!r}")
        return content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def load(base: str, samples: int, clients: int, requests: int, seed: int) -> list[float]:
    """Latencies [s] of clients x requests runs, each with random switch strengths."""
    rng = random.Random(seed)
    bodies = [
        {
            "scenario": "status-quo",
            "switches": {s: round(rng.random(), 3) for s in ("compute", "access", "distillation")},
            "samples": samples,
        }
        for _ in range(clients * (requests + 1))
    ]
    warm_up, bodies = bodies[:clients], bodies[clients:]
    host, port = base.removeprefix("http://").split(":")
    connections = [Connection(host, int(port)) for _ in range(clients)]
    latencies: list[float] = []
    # Warm-up: one request per connection at once, so that every worker has served one
    # (a fresh worker's first request pays for imports and parameter draws).
    await asyncio.gather(
        *(c.post("/api/run", b) for c, b in zip(connections, warm_up, strict=True))
    )

    async def one_client(k: int) -> None:
        for body in bodies[k * requests : (k + 1) * requests]:
            started = time.perf_counter()
            await connections[k].post("/api/run", body)
            latencies.append(time.perf_counter() - started)

    try:
        await asyncio.gather(*(one_client(k) for k in range(clients)))
    finally:
        for connection in connections:
            connection.close()
    return latencies


def page_redraw(base: str, moves: int) -> tuple[list[float], list[float]]:
    """Milliseconds from a slider move to redrawn charts, and of that the drawing alone."""
    from playwright.sync_api import sync_playwright

    updates, draws = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{base}/?preset=status-quo&compute=off&samples=100")
        done = "n => window.ailead.updates > n && !window.ailead.inFlight"
        page.wait_for_function(done, arg=0, timeout=60_000)
        page.focus("#switch-compute")
        for _ in range(moves):
            before = page.evaluate("window.ailead.updates")
            page.keyboard.press("ArrowRight")  # 0.05 a step: every setting is new, none cached
            page.wait_for_function(done, arg=before, timeout=60_000)
            updates.append(page.evaluate("window.ailead.lastUpdateMs"))
            draws.append(page.evaluate("window.ailead.lastDrawMs"))
        browser.close()
    return updates, draws


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20, help="runs per client")
    parser.add_argument("--samples", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--page", action="store_true", help="also time the page's redraw")
    parser.add_argument("--moves", type=int, default=20, help="slider moves for --page (<= 20)")
    args = parser.parse_args()

    with local_server(args.workers) as base:
        print(f"ailead serve --workers {args.workers}; {args.clients} concurrent clients")
        for samples in args.samples:
            started, cpu = time.perf_counter(), time.process_time()
            latencies = asyncio.run(load(base, samples, args.clients, args.requests, samples))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            p50, p99 = np.percentile(np.array(latencies) * 1000, [50, 99])
            print(
                f"/api/run samples={samples:>4}: p50 {p50:6.0f} ms  p99 {p99:6.0f} ms  "
                f"({len(latencies)} requests, {len(latencies) / elapsed:5.1f} per s; "
                f"client CPU {cpu / len(latencies) * 1000:.1f} ms a request)"
            )
        if args.page:
            updates, draws = page_redraw(base, args.moves)
            print(
                f"page, slider move to redrawn charts (100 samples): median "
                f"{statistics.median(updates):.0f} ms, of which drawing "
                f"{statistics.median(draws):.0f} ms; slowest {max(updates):.0f} ms"
            )


if __name__ == "__main__":
    main()
