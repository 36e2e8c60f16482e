"""Backend benchmark: NumPy against the compiled backend (JAX) on this machine, interleaved.

One run end to end (`ailead.run(scenario, samples, backend=...)`, the Dataset included) of
status-quo, 2025-01..2030-12 (72 months), given as a Scenario object (the preset's YAML is read
once). Each repeat runs every backend once in turn, so load from other processes falls on both
alike; the median and the range of the repeats are printed, with `uptime` before and after.
The compiled backend is warmed first (its compilation, once per sample bucket, is not timed;
JAX's persistent cache keeps it across processes).

Target: the compiled backend on a CPU, one deterministic run under 3 ms once warm.
Run: python benchmarks/backends.py [--samples 1 10000 100000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time

import ailead
from ailead.inputs.scenario import load_scenario
from ailead.sim import scan

BACKENDS = ("numpy", "jax")


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "uptime: not available"


def shown(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, nargs="+", default=[1, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    scenario = load_scenario("status-quo")
    precision = scan.default_precision()
    print(uptime())
    print(f"jax: {precision}, samples padded to 1, 4, 16, ..., 65,536, then multiples of it")
    print(f"{'samples':>9} {'backend':>8} {'median':>10} {'range':>22} {'warm-up':>10}")
    for n in args.samples:
        repeats = args.repeats if n <= 10_000 else max(3, args.repeats // 2)
        warm = {}
        for backend in BACKENDS:
            start = time.perf_counter()
            ailead.run(scenario, samples=n, backend=backend)
            warm[backend] = time.perf_counter() - start
        times: dict[str, list[float]] = {b: [] for b in BACKENDS}
        for _ in range(repeats):
            for backend in BACKENDS:
                start = time.perf_counter()
                ailead.run(scenario, samples=n, backend=backend)
                times[backend].append(time.perf_counter() - start)
        for backend, taken in times.items():
            spread = f"{shown(min(taken))} - {shown(max(taken))}"
            print(
                f"{n:>9,} {backend:>8} {shown(statistics.median(taken)):>10} {spread:>22} "
                f"{shown(warm[backend]):>10}"
            )
    print(uptime())


if __name__ == "__main__":
    main()
