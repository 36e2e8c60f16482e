"""Memory a run needs, checked before it starts: a cap on samples and a plain refusal past what
the machine can hold.

A run holds its Dataset (about 470 bytes per sample and month) and the simulation's working
arrays; measured peaks (`ailead run status-quo -n N`, 72 months, maximum resident set: 0.42 GB at
4,000 samples, 1.00 GB at 16,000) grow by about 680 bytes per sample and month.
`BYTES_PER_SAMPLE_MONTH` and `BASE_BYTES` round those up. A CSV or Parquet export streams
(2.83 GB at 60,000 samples); a netCDF export is built in memory, about 360 bytes per sample and
month more (1.58 GB at 20,000 samples against 1.02 GB for the run alone); these export figures
were measured before the choice shares abroad (`market_choice`) were recorded, about 10% less.
"""

from __future__ import annotations

import os

from ailead.errors import AileadError, short

BYTES_PER_SAMPLE_MONTH = 720
NETCDF_BYTES_PER_SAMPLE_MONTH = 450
BASE_BYTES = 120_000_000
MAX_SAMPLES = 1_000_000  # the command line's default cap; AILEAD_CLI_MAX_SAMPLES changes it
CAP_ENV = "AILEAD_CLI_MAX_SAMPLES"
STREAMED_BYTES_PER_SAMPLE = 400
LARGE_BYTES = 1_000_000_000  # the command line says how much memory a run above this takes


def estimate_bytes(samples: int, months: int, runs: int = 1, netcdf: bool = False) -> int:
    """Peak memory of `runs` runs of `samples` samples over `months` months, all kept (and one
    written to netCDF)."""
    per_run = samples * months * BYTES_PER_SAMPLE_MONTH
    extra = samples * months * NETCDF_BYTES_PER_SAMPLE_MONTH if netcdf else 0
    return BASE_BYTES + runs * per_run + extra


def available_bytes() -> int | None:
    """Memory the system can give without swapping (MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def sample_cap(environ: dict[str, str] | None = None) -> int:
    """The command line's sample cap: AILEAD_CLI_MAX_SAMPLES, else `MAX_SAMPLES`."""
    raw = (os.environ if environ is None else environ).get(CAP_ENV)
    if raw is None:
        return MAX_SAMPLES
    if not raw.strip().isdigit() or int(raw) < 1:
        raise AileadError(f"{CAP_ENV}: value {short(raw)} is not allowed; allowed: an integer >= 1")
    return int(raw)


def check_cap(samples: int, option: str = "--samples") -> None:
    """AileadError if `samples` is above the command line's cap (`sample_cap`)."""
    cap = sample_cap()
    if samples > cap:
        raise AileadError(
            f"{option}: value {samples} is above the cap; allowed: at most {cap} "
            f"(set {CAP_ENV} to change it)"
        )


def estimate_streamed(samples: int, months: int, chunk: int) -> int:
    """Peak memory of a run streamed in chunks of `chunk` samples (`ailead.outputs.stream`): one
    chunk's run, plus the kept values at the target (about `STREAMED_BYTES_PER_SAMPLE` each:
    the headline series, the verdict and the GDP weights, and their copy when joined)."""
    return BASE_BYTES + min(chunk, samples) * months * BYTES_PER_SAMPLE_MONTH + samples * (
        STREAMED_BYTES_PER_SAMPLE
    )


def check_budget(
    samples: int, months: int, runs: int = 1, netcdf: bool = False, chunk: int | None = None
) -> int:
    """The estimated bytes of the runs (`estimate_bytes`; with `chunk`, of one run streamed in
    chunks, `estimate_streamed`), if `samples` is within the cap and the estimate within the
    memory available; else AileadError saying what is allowed."""
    check_cap(samples)
    if chunk is not None:
        need, free = estimate_streamed(samples, months, chunk), available_bytes()
        if free is not None and need > free:
            raise AileadError(
                f"--samples: value {samples} needs about {gigabytes(need)} of memory streamed "
                f"in chunks and {gigabytes(free)} is available"
            )
        return need
    need, free = estimate_bytes(samples, months, runs, netcdf), available_bytes()
    if free is not None and need > free:
        per_sample = estimate_bytes(1, months, runs, netcdf) - BASE_BYTES
        most = max(0, (free - BASE_BYTES) // per_sample)
        raise AileadError(
            f"--samples: value {samples} needs about {gigabytes(need)} of memory and "
            f"{gigabytes(free)} is available; allowed: at most about {most} samples here"
        )
    return need


def gigabytes(n: int) -> str:
    return f"{n / 1e9:.1f} GB"
