"""The compiled driver: the same pure step under `jax.lax.scan`, jitted once per shape.

    x = exogenous(p, levers, n);  c, s0 = init(p, x[0])
    s_n, monthly = lax.scan(lambda s, x_t: step(c, s, x_t), s0, x)
    paths = derived_paths(p, monthly, x, s_n.fired)

all inside one `jax.jit`, on CPU or GPU (whichever JAX finds), the same numbers as
`ailead.sim.drive.simulate` (float64: within 1e-9 relative, `tests/sim/test_scan.py`).

Shapes. A compiled function is specialised on its input shapes, so the sample axis is padded
to a bucket: 1, 4, 16, ..., 4**8 = 65,536 (powers of 4), then multiples of 65,536. The padding
repeats the last sample (valid values, no NaN) and is sliced off again, so a run of n samples
compiles once per (bucket, months, parameter and lever names, precision, reduction): moving a
slider, or a sample count in the same bucket, reuses the compiled code. At most 4x the work of
n samples is done up to 65,536 samples (where a run costs little), at most n + 65,535 above.

Precision. float64 (the default on a CPU) runs under the `jax.enable_x64(True)` context,
float32 (the default on a GPU, where float64 is slow) under `jax.enable_x64(False)`: both are
thread-local settings of the call, so importing or using this module does not change the
precision of anyone else's JAX code. $AILEAD_JAX_PRECISION (float64 or float32) overrides the
default. float32 keeps the lead in months within 0.05 months of float64 (tested on CPU).

Compilation cache. JAX's persistent compilation cache is switched on, on first use, in
$AILEAD_JAX_CACHE, else the user's cache folder (`platformdirs.user_cache_dir("ailead")/jax`),
unless the process has already set `jax_compilation_cache_dir` itself: a new process then loads
a compiled run from disk instead of compiling it again (seconds). Only JAX's settings change.

`run_compiled(..., reduce=f)` also applies `f(p, paths, real, ...)` on the device, where `real`
is 1.0 for the real samples and 0.0 for the padding, and returns its result to the host; the
outputs layer computes the lead and the summaries this way (`ailead.outputs.reductions`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from ailead.errors import AileadError
from ailead.sim.drive import Paths, derived_paths
from ailead.sim.flows import exogenous
from ailead.sim.step import init, step

PRECISIONS = {"float64": np.float64, "float32": np.float32}
CACHE_ENV = "AILEAD_JAX_CACHE"
PRECISION_ENV = "AILEAD_JAX_PRECISION"
POWER_BUCKETS = 8  # buckets 4**0 .. 4**8, then multiples of 4**8
MISSING = (
    "backend 'jax': JAX is not installed; allowed: backend 'numpy', or install the extra "
    "(pip install 'ailead[gpu]' for NVIDIA GPUs, or pip install 'jax[cpu]' for CPUs)"
)
traces = 0
"""How many times a run has been traced (compiled) in this process; the tests read it
to show that a new sample count in the same bucket does not compile again."""


def available() -> bool:
    """Whether JAX can be imported."""
    try:
        _jax()
    except AileadError:
        return False
    return True


def bucket(samples: int) -> int:
    """The padded sample count a run of `samples` compiles for (see the module docstring)."""
    top = 4**POWER_BUCKETS
    if samples > top:
        return -(-samples // top) * top
    size = 1
    while size < samples:
        size *= 4
    return size


def cache_dir() -> Path:
    """Where the compiled runs are kept: $AILEAD_JAX_CACHE, else the user's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    try:
        import platformdirs
    except ImportError:
        return Path.home() / ".cache" / "ailead" / "jax"
    return Path(platformdirs.user_cache_dir("ailead")) / "jax"


@cache
def _jax():
    """The jax module, with the persistent compilation cache on (once per process)."""
    try:
        import jax
    except ImportError:
        raise AileadError(MISSING) from None
    if jax.config.jax_compilation_cache_dir is None:
        jax.config.update("jax_compilation_cache_dir", str(cache_dir()))
        # the default keeps only compilations over 1 s; a run's takes about that long on a CPU
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.2)
    return jax


def default_precision() -> str:
    """$AILEAD_JAX_PRECISION if set, else float64 on a CPU and float32 on an accelerator."""
    chosen = os.environ.get(PRECISION_ENV) or (
        "float64" if _jax().default_backend() == "cpu" else "float32"
    )
    if chosen not in PRECISIONS:
        raise AileadError(
            f"{PRECISION_ENV}: value {chosen!r} is not allowed; allowed: float64, float32"
        )
    return chosen


def run_compiled(
    p: dict[str, np.ndarray],
    levers: dict[str, np.ndarray],
    n_months: int,
    reduce: Callable | None = None,
    reduce_args: tuple = (),
    keep_paths: bool = True,
    precision: str | None = None,
) -> tuple[Paths | None, object]:
    """Run the model from the anchor on the JAX device, as `simulate` does on NumPy arrays.

    p: parameter arrays (samples,); levers: schedules broadcastable to (months, samples).
    Returns (paths, reduced): the paths as NumPy arrays (months, ..., samples), None unless
    `keep_paths`, and the NumPy result of `reduce(p, paths, real, *reduce_args)` computed on the
    device over the padded samples (`real` marks the real ones; None without `reduce`).
    `reduce` is part of the compiled shape (a module-level function compiles once);
    `reduce_args` are numbers that may change without compiling again.
    """
    precision = precision or default_precision()
    jax = _jax()
    dtype = PRECISIONS[precision]
    names, lever_names = tuple(p), tuple(levers)
    samples = len(p[names[0]])
    size = bucket(samples)
    table = np.empty((len(names), size), dtype)
    table[:, :samples] = [p[k] for k in names]
    table[:, samples:] = table[:, samples - 1 : samples]
    schedules = np.empty((len(lever_names), n_months, size), dtype)
    for i, k in enumerate(lever_names):
        schedules[i, :, :samples] = levers[k]
    schedules[:, :, samples:] = schedules[:, :, samples - 1 : samples]
    real = (np.arange(size) < samples).astype(dtype)
    static = (names, lever_names, n_months, reduce, keep_paths)
    with jax.enable_x64(precision == "float64"):
        args = tuple(np.asarray(a, dtype) for a in reduce_args)
        paths, reduced = jax.device_get(_jitted()(*static, table, schedules, real, args))
    return (None if paths is None else paths.samples(0, samples)), reduced


def _run(names, lever_names, n_months, reduce, keep_paths, table, schedules, real, args):
    """The whole run on the device (traced once per shape; see `run_compiled`)."""
    global traces
    traces += 1
    jax = _jax()
    p = dict(zip(names, table, strict=True))
    levers = dict(zip(lever_names, schedules, strict=True))
    inputs = exogenous(p, levers, n_months)
    constants, state = init(p, inputs.at(0))
    final, monthly = jax.lax.scan(lambda s, x: step(constants, s, x), state, inputs)
    paths = derived_paths(p, monthly, inputs, final.fired)
    reduced = None if reduce is None else reduce(p, paths, real, *args)
    return (paths if keep_paths else None), reduced


@cache
def _jitted():
    """`_run` compiled: names, month count and reduction are static (part of the shape)."""
    return _jax().jit(_run, static_argnums=(0, 1, 2, 3, 4))
