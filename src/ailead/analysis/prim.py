"""PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999), for scenario discovery.

Given inputs X (n samples, d dimensions) and a yes/no output y (the cases of interest), PRIM
looks for a box B = {x : l_j <= x_j <= u_j} where cases are dense:

- peeling: from the box holding every sample, repeatedly remove the slice x_j < q_alpha(x_j) or
  x_j > q_{1-alpha}(x_j) (quantiles over the samples in the box) whose removal leaves the
  highest mean of y, until the box holds less than `min_mass` of the samples;
- each peel gives a box on the trajectory, with
      coverage = cases in B / all cases,  density = cases in B / samples in B,
      mass = samples in B / n;
- the chosen box is the one with the highest coverage whose density reaches `threshold` (or,
  when none does, the densest);
- pasting (optional) then widens the chosen box, one face at a time, by the alpha-share of the
  box's samples just outside that face, while that raises the density;
- pruning (Bryant and Lempert 2010) drops restrictions that chance explains: while some
  restriction's quasi-p-value exceeds `max_p`, the least significant one is removed. In many
  dimensions peeling also cuts slices of irrelevant inputs by chance; pruning removes them.

Bounds are reported only for the restricted dimensions (narrower than the data's range).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ailead.errors import AileadError, short


@dataclass(frozen=True)
class PrimResult:
    """The peeling trajectory, every box on it, and the chosen (possibly pasted) box."""

    trajectory: pd.DataFrame  # per step: coverage, density, mass, restricted
    boxes: list[pd.DataFrame]  # per step: lower, upper per dimension
    chosen: int  # the step of the chosen box
    box: pd.DataFrame  # restricted dimensions of the chosen box: lower, upper, min, max
    coverage: float
    density: float
    mass: float
    cases: int
    samples: int


def _stats(y: np.ndarray, inside: np.ndarray) -> tuple[float, float, float]:
    n_in = inside.sum()
    hits = y[inside].sum()
    return float(hits / y.sum()), float(hits / n_in) if n_in else 0.0, float(n_in / len(y))


def _peel(
    x: np.ndarray, y: np.ndarray, lower: np.ndarray, upper: np.ndarray, inside: np.ndarray, alpha
):
    """The best single peel: (new lower, new upper, new inside) or None when nothing can go.

    All 2d candidates (the low and the high alpha-slice of each dimension) are scored at once;
    the best leaves the highest mean of y, ties going to the one that removes least.
    """
    xi, yi = x[inside], y[inside].astype(float)
    low_q, high_q = np.quantile(xi, [alpha, 1 - alpha], axis=0)
    kept = np.concatenate([xi >= low_q, xi <= high_q], axis=1)  # d low peels, then d high peels
    count = kept.sum(axis=0)
    valid = (count > 0) & (count < len(yi))
    if not valid.any():
        return None
    mean = np.where(valid, (yi @ kept) / np.maximum(count, 1), -np.inf)
    best = int(np.lexsort((-count, -mean))[0])
    dim = best % x.shape[1]
    new_lower, new_upper = lower.copy(), upper.copy()
    if best < x.shape[1]:
        new_lower[dim] = low_q[dim]
    else:
        new_upper[dim] = high_q[dim]
    new_inside = inside.copy()
    new_inside[inside] = kept[:, best]
    return new_lower, new_upper, new_inside


def _outside_only(x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """(n, d) mask: sample i lies in the box in every dimension but j (or in all of them)."""
    within = (x >= lower) & (x <= upper)
    misses = (~within).sum(axis=1)
    return (misses == 0)[:, None] | ((misses == 1)[:, None] & ~within)


def _paste(x, y, lower, upper, inside, alpha):
    """Widen faces while the density rises (Friedman and Fisher 1999, section 6)."""
    while True:
        best, best_density = None, y[inside].mean()
        chunk = max(1, math.ceil(alpha * inside.sum()))
        others = _outside_only(x, lower, upper)
        for j in range(x.shape[1]):
            for side in ("low", "high"):
                beyond = (x[:, j] < lower[j]) if side == "low" else (x[:, j] > upper[j])
                outside = others[:, j] & beyond
                if not outside.any():
                    continue
                values = np.sort(x[outside, j])  # the `chunk` nearest the face are added
                take = min(chunk, len(values))
                new_lower, new_upper = lower.copy(), upper.copy()
                if side == "low":
                    new_lower[j] = values[-take]
                else:
                    new_upper[j] = values[take - 1]
                grown = others[:, j] & (x[:, j] >= new_lower[j]) & (x[:, j] <= new_upper[j])
                if y[grown].mean() > best_density:
                    best, best_density = (new_lower, new_upper, grown), y[grown].mean()
        if best is None:
            return lower, upper, inside
        lower, upper, inside = best


def quasi_p_values(
    x: np.ndarray, y: np.ndarray, lower: np.ndarray, upper: np.ndarray, dims: np.ndarray
) -> np.ndarray:
    """Quasi-p-value of each restriction in `dims` (Bryant and Lempert 2010).

    qp_j = P(K >= k) for K ~ Binomial(n, d_j): k cases among the n samples in the box, d_j the
    density of the box with restriction j removed. A small qp_j means restriction j raises the
    density by more than chance would.
    """
    from scipy import stats

    inside = _outside_only(x, lower, upper)
    n_in = ((x >= lower) & (x <= upper)).all(axis=1)
    k, n = int(y[n_in].sum()), int(n_in.sum())
    return np.array([stats.binom.sf(k - 1, n, y[inside[:, j]].mean()) for j in dims])


def _prune(x, y, lower, upper, data_min, data_max, max_p):
    """Drop the least significant restriction while its quasi-p-value exceeds `max_p`."""
    lower, upper = lower.copy(), upper.copy()
    while True:
        dims = np.flatnonzero((lower > data_min) | (upper < data_max))
        if not len(dims):
            return lower, upper
        qp = quasi_p_values(x, y, lower, upper, dims)
        if qp.max() <= max_p:
            return lower, upper
        worst = dims[int(qp.argmax())]
        lower[worst], upper[worst] = data_min[worst], data_max[worst]


def prim(
    x: pd.DataFrame,
    y: np.ndarray,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    threshold: float = 0.8,
    paste: bool = True,
    max_p: float = 0.05,
) -> PrimResult:
    """Find boxes in `x` (one column per input) where the boolean `y` is dense.

    `max_p`: restrictions of the chosen box whose quasi-p-value exceeds it are dropped, least
    significant first (1 keeps them all); the box reports each restriction's `qp`.
    """
    y = np.asarray(y, dtype=bool)
    if len(y) != len(x) or len(y) == 0:
        raise AileadError(f"prim: {len(x)} input rows and {len(y)} outputs; need equal, non-zero")
    if not y.any():
        raise AileadError("prim: no sample is a case of interest; nothing to discover")
    for field, value, allowed in (
        ("alpha", alpha, (0.0, 0.5)),
        ("min_mass", min_mass, (0.0, 1.0)),
        ("threshold", threshold, (0.0, 1.0)),
        ("max_p", max_p, (0.0, 1.0)),
    ):
        if not allowed[0] < value <= allowed[1]:
            raise AileadError(
                f"{field}: value {short(value)} is not allowed; allowed: a number in "
                f"({allowed[0]:g}, {allowed[1]:g}]"
            )
    values = x.to_numpy(dtype=float)
    data_min, data_max = values.min(axis=0), values.max(axis=0)
    lower, upper = data_min.copy(), data_max.copy()
    inside = np.ones(len(y), dtype=bool)
    steps = [(lower, upper, inside)]
    while y[inside].mean() < 1.0:
        peeled = _peel(values, y, lower, upper, inside, alpha)
        if peeled is None or peeled[2].sum() < min_mass * len(y):
            break
        lower, upper, inside = peeled
        steps.append(peeled)

    rows = []
    for lo, hi, ins in steps:
        coverage, density, mass = _stats(y, ins)
        restricted = int(((lo > data_min) | (hi < data_max)).sum())
        rows.append(
            {"coverage": coverage, "density": density, "mass": mass, "restricted": restricted}
        )
    trajectory = pd.DataFrame(rows).rename_axis("step")
    dense = trajectory.index[trajectory["density"] >= threshold]
    chosen = (
        int(trajectory.loc[dense, "coverage"].idxmax())
        if len(dense)
        else int(trajectory["density"].idxmax())
    )
    lower, upper, inside = steps[chosen]
    if paste:
        lower, upper, inside = _paste(values, y, lower, upper, inside, alpha)
    lower, upper = _prune(values, y, lower, upper, data_min, data_max, max_p)
    inside = ((values >= lower) & (values <= upper)).all(axis=1)
    coverage, density, mass = _stats(y, inside)
    dims = np.flatnonzero((lower > data_min) | (upper < data_max))
    box = pd.DataFrame(
        {
            "lower": lower[dims],
            "upper": upper[dims],
            "min": data_min[dims],
            "max": data_max[dims],
            "qp": quasi_p_values(values, y, lower, upper, dims),
        },
        index=x.columns[dims],
    )
    boxes = [pd.DataFrame({"lower": lo, "upper": hi}, index=x.columns) for lo, hi, _ in steps]
    return PrimResult(
        trajectory=trajectory,
        boxes=boxes,
        chosen=chosen,
        box=box.rename_axis("parameter"),
        coverage=coverage,
        density=density,
        mass=mass,
        cases=int(y.sum()),
        samples=len(y),
    )
