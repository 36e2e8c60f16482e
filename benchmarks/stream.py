"""Wall time and peak memory of a run held in memory against the same run streamed in chunks.

Each measurement runs in a fresh process (peak resident memory from `resource.getrusage`), one
core (`OMP_NUM_THREADS=1` etc.), `status-quo`, seed 0. For each sample count: in memory
(`ailead.run`, where it fits) and streamed (`ailead.outputs.stream.run_streamed`), interleaved,
`--repeats` times; prints the median and range of the wall times, the peak memory, sample-months
per second, and the machine's load (`uptime`) before and after, since the machine is shared.

With `--baseline SRC` (the `src` folder of another version, e.g. a worktree of 0.2.0), that
version's in-memory run is measured too, interleaved with the others.

Run: python benchmarks/stream.py [--samples 10000 100000 1000000] [--repeats 3] [--baseline SRC]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = """
import json, resource, sys, time
import ailead
mode, n = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
if mode in ("memory", "baseline"):
    ds = ailead.run("status-quo", samples=n, seed=0)
    months = ds.sizes["time"]
else:
    from ailead.outputs.stream import run_streamed
    months = run_streamed("status-quo", n, seed=0).monthly.sizes["time"]
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"wall": wall, "peak": peak, "months": months}))
"""
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
MEMORY_LIMIT = 100_000  # larger runs are not held in memory here (about 650 B/sample-month)


def measure(mode: str, n: int, baseline: str | None = None) -> dict:
    env = {**os.environ, **ONE_CORE}
    if mode == "baseline":
        env["PYTHONPATH"] = baseline or ""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(n)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", help="src folder of a version to compare, held in memory")
    args = parser.parse_args()
    print("load before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for n in args.samples:
        modes = ["memory", "stream"] if n <= MEMORY_LIMIT else ["stream"]
        if args.baseline and n <= MEMORY_LIMIT:
            modes.insert(0, "baseline")
        results: dict[str, list[dict]] = {m: [] for m in modes}
        for _ in range(args.repeats):
            for mode in modes:  # interleaved
                results[mode].append(measure(mode, n, args.baseline))
        for mode, runs in results.items():
            walls = [r["wall"] for r in runs]
            rate = n * runs[0]["months"] / statistics.median(walls)
            print(
                f"{n:>9,} samples, {mode:>6}: median {statistics.median(walls):.2f} s "
                f"(range {min(walls):.2f}-{max(walls):.2f}), peak "
                f"{max(r['peak'] for r in runs) / 1e9:.2f} GB, {rate:,.0f} sample-months/s"
            )
    print("load after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
