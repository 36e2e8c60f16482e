"""Start-up time of the `ailead` command: `ailead --help` and `ailead run status-quo`.

Each command runs in a fresh process, once untimed (to warm the file and bytecode caches), then
`--repeats` times; prints the median and the range of the wall times, and the machine's load
(`uptime`) before and after, since the machine is shared. Uses the `ailead` script beside this
Python, or `python -c "from ailead.cli import app; app()"` where there is none.

Target: `ailead --help` under 1 s on this project's 2-core machine.
Run: python benchmarks/startup.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import ailead

COMMANDS = (["--help"], ["run", "status-quo"])


def ailead_command() -> list[str]:
    script = Path(sys.executable).with_name("ailead")
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "from ailead.cli import app; app(prog_name='ailead')"]


def wall_times(command: list[str], repeats: int) -> list[float]:
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    base = ailead_command()
    print(f"ailead {ailead.__version__} from {Path(ailead.__file__).parent}")
    print(f"uptime before: {load()}")
    print(f"{'command':<26} {'median':>8} {'range':>15}  ({args.repeats} runs)")
    for words in COMMANDS:
        times = wall_times([*base, *words], args.repeats)
        span = f"{min(times):.2f}-{max(times):.2f} s"
        name = " ".join(["ailead", *words])
        print(f"{name:<26} {statistics.median(times):>6.2f} s {span:>15}")
    print(f"uptime after:  {load()}")


if __name__ == "__main__":
    main()
