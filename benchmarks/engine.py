"""Engine benchmark: wall time and sample-months per second, 2025-01..2030-12 (72 months).

Targets (one CPU core): a deterministic run under 20 ms in-process; 10,000 samples under 1 s.
Run: python benchmarks/engine.py [--repeats N] [--samples 1 1000 10000 100000]
Pin to one core with: taskset -c 0 python benchmarks/engine.py
"""

from __future__ import annotations

import argparse
import time

import ailead
from ailead.inputs.scenario import load_scenario

MONTHS = 72


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, nargs="+", default=[1, 1_000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    scenario = load_scenario("status-quo")
    ailead.run(scenario)  # warm caches (registry parse, imports)
    print(f"{'samples':>9} {'wall':>10} {'sample-months/s':>16}")
    for n in args.samples:
        repeats = args.repeats if n <= 10_000 else max(1, args.repeats // 3)
        wall = best_of(lambda n=n: ailead.run(scenario, samples=n, seed=0), repeats)
        shown = f"{wall * 1e3:.1f} ms" if wall < 1 else f"{wall:.2f} s"
        print(f"{n:>9,} {shown:>10} {n * MONTHS / wall:>16,.0f}")


if __name__ == "__main__":
    main()
