"""The calibrated posterior shipped with ailead: read the particle file and draw parameters.

A posterior file (`ailead calibrate --out FILE`, `ailead.calibrate.inference`) is a CSV of
weighted particles: `# key: value` header lines, then one row per particle with a `weight`
column, one column per calibrated parameter and the particle's log-likelihood. Scenarios with
`calibration: posterior` run on `posterior_parameters`. Nothing here runs the model.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ailead.errors import AileadError, short
from ailead.inputs.registry import load_registry


def shipped_posterior_path() -> Path:
    """The calibrated parameter set shipped with ailead."""
    return Path(str(resources.files("ailead").joinpath("data/posterior.csv")))


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs) -> np.ndarray:
    """Quantiles of a weighted sample (inverse of the weighted empirical CDF, midpoint rule)."""
    order = np.argsort(values)
    v, w = values[order], weights[order] / weights.sum()
    cdf = np.cumsum(w) - 0.5 * w
    return np.interp(qs, cdf, v)


def read_posterior(path: str | Path | None = None) -> tuple[dict[str, str], pd.DataFrame]:
    """The metadata and particles of a posterior file (the shipped one by default)."""
    where = Path(path) if path is not None else shipped_posterior_path()
    try:
        lines = where.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AileadError(f"posterior file {where}: cannot be read ({exc.strerror})") from None
    meta = {}
    for line in lines:
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    try:
        frame = pd.read_csv(where, comment="#")
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        frame = pd.DataFrame()
    if "weight" not in frame.columns or frame.empty:
        raise AileadError(
            f"posterior file {where}: no particles with a 'weight' column; "
            "write one with `ailead calibrate --out FILE`"
        )
    weights = frame["weight"].to_numpy(float)
    if not (np.all(np.isfinite(weights)) and np.all(weights >= 0) and weights.sum() > 0):
        raise AileadError(f"posterior file {where}: weights must be non-negative, not all zero")
    return meta, frame


def posterior_sample(n: int, seed: int = 0, path: str | Path | None = None, start: int = 0):
    """n parameter sets drawn from the calibrated posterior (the shipped file by default): draws
    start..start+n-1 of the run's sequence.

    Particles are drawn independently with probability proportional to their weights (inverse
    CDF of seeded uniforms, so the first k of n draws equal a draw of k, as in
    `Registry.sample`); parameters the file does not hold take the registry's draws
    (`Registry.sample(n, seed, start=start)`), so new or uninformed parameters keep their prior.
    Returns one array of length n per registry parameter, like `Registry.sample`.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise AileadError(f"samples: value {short(n)} is not allowed; allowed: an integer >= 1")
    registry = load_registry()
    meta, frame = read_posterior(path)
    names = [c for c in frame.columns if c not in ("weight", "log_likelihood")]
    unknown = [c for c in names if c not in registry.parameters]
    if unknown:
        raise AileadError(
            f"posterior file {path or shipped_posterior_path()}: parameter {unknown[0]!r} is "
            "not in the registry; recalibrate with `ailead calibrate`"
        )
    cdf = np.cumsum(frame["weight"].to_numpy(float))
    uniforms = np.random.default_rng(seed).random(start + n)[start:]
    idx = np.minimum(np.searchsorted(cdf / cdf[-1], uniforms, side="right"), len(cdf) - 1)
    out = registry.sample(n, seed, start=start)
    for name in names:
        out[name] = frame[name].to_numpy(float)[idx]
    return out


def posterior_parameters(n: int, seed: int = 0, path: str | Path | None = None, start: int = 0):
    """What `calibration: posterior` runs on: n = 1 gives each calibrated parameter's weighted
    posterior median (the others at their registry defaults, as a one-sample run is);
    n >= 2, or a chunk (start > 0), gives `posterior_sample(n, seed, path, start)`."""
    if n != 1 or start:
        return posterior_sample(n, seed, path, start)
    _, frame = read_posterior(path)
    out = load_registry().sample(1, seed)
    weights = frame["weight"].to_numpy(float)
    for name in frame.columns:
        if name in out:
            out[name] = np.atleast_1d(
                weighted_quantiles(frame[name].to_numpy(float), weights, [0.5])
            )
    return out
