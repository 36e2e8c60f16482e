"""Analysis benchmark: the switch table and a Sobol analysis over every uncertain parameter.

Targets (2 cores): the 27-cell switch table with 2,000 samples per cell under 30 s; Sobol with
2^12 base samples over all uncertain parameters (N (d + 2) model runs) under 2 minutes.
Run: taskset -c 0,1 python benchmarks/analysis.py [--cell-samples N] [--sobol-base N]
"""

from __future__ import annotations

import argparse
import time

import ailead
from ailead.analysis import sensitivity, switches


def timed(label: str, runs: int, target: float, fn) -> None:
    start = time.perf_counter()
    fn()
    wall = time.perf_counter() - start
    verdict = "within" if wall < target else "OVER"
    print(
        f"{label:<44} {wall:8.1f} s  {runs:>9,} runs  {runs / wall:>9,.0f} runs/s  "
        f"({verdict} the {target:.0f} s target)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell-samples", type=int, default=2_000)
    parser.add_argument("--sobol-base", type=int, default=2**12)
    parser.add_argument("--scenario", default="status-quo")
    args = parser.parse_args()
    d = len(ailead.load_registry().uncertain)
    ailead.run(args.scenario, samples=16)  # warm caches (registry parse, imports)
    timed(
        f"switch table: 27 cells x {args.cell_samples:,} samples",
        27 * args.cell_samples,
        30.0,
        lambda: switches(args.scenario, samples=args.cell_samples, seed=0),
    )
    timed(
        f"sobol: N = {args.sobol_base:,}, d = {d} parameters",
        args.sobol_base * (d + 2),
        120.0,
        lambda: sensitivity(args.scenario, samples=args.sobol_base, seed=0),
    )


if __name__ == "__main__":
    main()
