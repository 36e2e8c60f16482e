"""Sweep benchmark: the same sweep on a LocalCluster of 1 and of 2 workers (one thread each).

Target (issue 16): 2 local workers reach at least 1.7x the throughput of 1, in sample-months
simulated per second of the sweep (cluster start-up excluded; each cluster first runs one warm-up
chunk so that the workers have imported the engine). Each size runs `--repeats` times into new
folders and keeps its best time. The machine may be shared: the load average (`uptime`) is
printed before and after, and a busy machine lowers the ratio. A control runs the same chunks
on 1 and 2 plain worker processes (`concurrent.futures`, no Dask, no files): its ratio is what
the machine gives two processes at that moment, so Dask's own cost is the gap between the two.
Run: taskset -c 0,1 python benchmarks/sweep.py [--cells N] [--samples N] [--chunk N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ailead.analysis.sweep import compute_chunk, plan
from ailead.analysis.sweep_dask import cluster, run_sweep
from ailead.inputs.scenario import load_scenario
from ailead.inputs.sweep import Sweep

TARGET_RATIO = 1.7


def sweep_of(cells: int, samples: int, chunk: int, seed: int = 0) -> Sweep:
    """`cells` cells over the compute switch's strength, `samples` each, in `chunk`s."""
    strengths = [round(i / max(cells - 1, 1), 6) for i in range(cells)]
    return Sweep.model_validate(
        {
            "name": "benchmark",
            "grid": {"compute": strengths},
            "samples": samples,
            "chunk": chunk,
            "seed": seed,
            "targets": ["lead_months"],
        }
    )


def throughput(workers: int, sweep: Sweep, repeats: int, folder: Path) -> tuple[float, int]:
    """Best sample-months per second of `sweep` on a cluster of `workers`, and the work."""
    base = load_scenario(sweep.scenario)
    best, work = float("inf"), 0
    with cluster(workers) as client:
        warm = sweep_of(1, 2, 2, seed=1)
        run_sweep(warm, base, folder / f"warm-{workers}", client)
        for k in range(repeats):
            start = time.perf_counter()
            result = run_sweep(sweep, base, folder / f"w{workers}-{k}", client)
            best, work = min(best, time.perf_counter() - start), result.work
    return work / best, work


def control(workers: int, sweep: Sweep) -> float:
    """Sample-months per second of the sweep's chunks on `workers` plain processes."""
    chunks = plan(sweep, load_scenario(sweep.scenario))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_one_thread) as pool:
        list(pool.map(compute_chunk, chunks[:workers]))  # warm-up: imports, caches
        start = time.perf_counter()
        list(pool.map(compute_chunk, chunks))
        wall = time.perf_counter() - start
    return sum(c.work for c in chunks) / wall


def _one_thread() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=4)
    parser.add_argument("--samples", type=int, default=16_000)
    parser.add_argument("--chunk", type=int, default=4_000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    sweep = sweep_of(args.cells, args.samples, args.chunk)
    print("before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with tempfile.TemporaryDirectory() as tmp:
        rates = {w: throughput(w, sweep, args.repeats, Path(tmp)) for w in (1, 2)}
    plain = {w: control(w, sweep) for w in (1, 2)}
    print("after: ", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for w, (rate, work) in rates.items():
        print(
            f"{w} worker{'s' if w > 1 else ' '}: {work:,} sample-months, {rate:,.0f} per second "
            f"(control, plain processes: {plain[w]:,.0f} per second)"
        )
    ratio = rates[2][0] / rates[1][0]
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"ratio 2/1: {ratio:.2f} ({verdict} the {TARGET_RATIO}x target)")
    print(f"control ratio 2/1 (what the machine gave two processes): {plain[2] / plain[1]:.2f}")


if __name__ == "__main__":
    main()
