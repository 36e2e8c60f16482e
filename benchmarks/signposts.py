"""Signposts benchmark: the update at its default settings (issue 18).

Target (2 cores): `ailead.signposts()` with the shipped observations, 2,000 particles and 4
Metropolis moves per tempering step, under 30 s, leave-one-out and what to watch included.
Run: taskset -c 0,1 python benchmarks/signposts.py [--samples N]
"""

from __future__ import annotations

import argparse
import time

TARGET_S = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2_000)
    args = parser.parse_args()
    start = time.perf_counter()
    from ailead.analysis.signposts import signposts

    result = signposts(samples=args.samples)
    wall = time.perf_counter() - start
    verdict = "within" if wall < TARGET_S else "OVER"
    shares = ", ".join(f"{k} {v:.1%}" for k, v in result.probabilities.items())
    print(f"signposts as of {result.as_of}: {shares}; most informative: "
          f"{', '.join(result.most_informative())}")  # fmt: skip
    print(
        f"update, {args.samples:,} particles {wall:8.1f} s  (imports included; {verdict} the "
        f"{TARGET_S:.0f} s target)"
    )


if __name__ == "__main__":
    main()
