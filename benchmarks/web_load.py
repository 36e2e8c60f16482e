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
import random
import statistics
import time

import httpx
import numpy as np

from ailead.web.local import CHROMIUM, CHROMIUM_ARGS, local_server


async def load(base: str, samples: int, clients: int, requests: int, seed: int) -> list[float]:
    """Latencies [s] of clients x requests runs, each with random switch strengths."""
    rng = random.Random(seed)
    bodies = [
        {
            "scenario": "status-quo",
            "switches": {s: round(rng.random(), 3) for s in ("compute", "access", "distillation")},
            "samples": samples,
        }
        for _ in range((clients + 1) * requests)
    ]
    warm_up, bodies = bodies[:clients], bodies[clients:]
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        # Warm-up: one request per connection at once, so that every worker has served one
        # (a fresh worker's first request pays for imports and parameter draws).
        for response in await asyncio.gather(*(client.post("/api/run", json=b) for b in warm_up)):
            response.raise_for_status()

        async def one_client(k: int) -> None:
            for body in bodies[k * requests : (k + 1) * requests]:
                started = time.perf_counter()
                (await client.post("/api/run", json=body)).raise_for_status()
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(one_client(k) for k in range(clients)))
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
    parser.add_argument("--requests", type=int, default=10, help="runs per client")
    parser.add_argument("--samples", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--page", action="store_true", help="also time the page's redraw")
    parser.add_argument("--moves", type=int, default=20, help="slider moves for --page (<= 20)")
    args = parser.parse_args()

    with local_server(args.workers) as base:
        print(f"ailead serve --workers {args.workers}; {args.clients} concurrent clients")
        for samples in args.samples:
            started = time.perf_counter()
            latencies = asyncio.run(load(base, samples, args.clients, args.requests, samples))
            elapsed = time.perf_counter() - started
            p50, p99 = np.percentile(np.array(latencies) * 1000, [50, 99])
            print(
                f"/api/run samples={samples:>4}: p50 {p50:6.0f} ms  p99 {p99:6.0f} ms  "
                f"({len(latencies)} requests, {len(latencies) / elapsed:5.1f} per s)"
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
