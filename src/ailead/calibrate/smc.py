"""Likelihood-tempered sequential Monte Carlo for a standard-normal prior (generic, model-free).

The method (Del Moral, Doucet and Jasra 2006) starts as importance weighting of Monte Carlo draws
from the prior and adds resampling and Metropolis moves only where the likelihood is too
informative for plain weighting. The prior is N(0, I) in a space z; callers map z to their
parameters (`ailead.calibrate.inference` does so with each parameter's inverse CDF).

Gaussian likelihood: log L = sum_i -1/2 ((m_i - y_i) / sigma_i)^2 over measurements, and
log Phi(b_i (m_i - y_i) / sigma_i) over rows that only bound the truth (b_i = +1 for a lower bound
y_i <= truth, -1 for an upper bound): a censored observation, no penalty once the model is well
on the right side.

Algorithm. Draw n prior points (scrambled Sobol, as `Registry.sample`). Raise the likelihood's
power beta from 0 to 1 in steps chosen so that the effective sample size of each step's
incremental weights L^(beta' - beta) is half the particles (bisection on beta'); after each step
resample (systematic) and move every particle with `moves` random-walk Metropolis steps in z whose
proposal covariance is (2.38^2 / dim) times the particles' covariance. If the whole likelihood
keeps the ESS above half the particles, one step suffices and the result is plain importance
weighting of the prior draws. ESS = (sum w)^2 / sum w^2.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special, stats
from scipy.stats import qmc

LogLikelihood = Callable[[np.ndarray], np.ndarray]


def gaussian_log_likelihood(
    predicted: np.ndarray, observed: np.ndarray, sd: np.ndarray, bound: np.ndarray | None = None
):
    """sum_i of -1/2 z_i^2 (measurements, bound 0) or log Phi(b_i z_i) (bounds, b_i = +1 lower,
    -1 upper), z_i = (m_i - y_i) / sigma_i; (obs, samples) -> (samples,).

    A non-finite model value (e.g. the log of zero) makes the sample impossible (-inf).
    """
    z = (predicted - observed[:, None]) / sd[:, None]
    b = np.zeros(len(observed)) if bound is None else np.asarray(bound, float)
    with np.errstate(invalid="ignore"):  # 0 x inf on measurement rows, discarded by `where`
        terms = np.where(b[:, None] == 0, -0.5 * z**2, special.log_ndtr(b[:, None] * z))
    out = np.sum(terms, axis=0)
    return np.where(np.isfinite(out), out, -np.inf)


def normalise(log_weights: np.ndarray) -> np.ndarray:
    """Weights proportional to exp(log_weights), summing to one."""
    top = np.max(log_weights)
    if not np.isfinite(top):
        raise ValueError("every sample has zero likelihood")
    w = np.exp(log_weights - top)
    return w / w.sum()


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's ESS: (sum w)^2 / sum w^2 (n for equal weights, 1 when one sample has all)."""
    return float(weights.sum() ** 2 / np.sum(weights**2))


def systematic_resample(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of n draws by systematic resampling (one uniform, n evenly spaced points)."""
    positions = (rng.random() + np.arange(n)) / n
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, positions)


def sobol_normal(n: int, dim: int, seed: int) -> np.ndarray:
    """n scrambled-Sobol points mapped to N(0, I) in `dim` dimensions (as `Registry.sample`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # balance warning for n != 2^m
        u = qmc.Sobol(d=dim, scramble=True, seed=seed).random(n)
    return stats.norm.ppf(np.clip(u, 1e-12, 1 - 1e-12))


@dataclass(frozen=True)
class SMCResult:
    """Posterior particles in z, their weights and the diagnostics of the run."""

    z: np.ndarray  # (n, dim)
    weights: np.ndarray  # (n,), sum 1
    log_likelihood: np.ndarray  # (n,) at beta = 1
    prior_z: np.ndarray  # the initial prior draws
    prior_log_likelihood: np.ndarray
    betas: tuple[float, ...]
    acceptance: tuple[float, ...]  # mean Metropolis acceptance per tempering step

    @property
    def ess(self) -> float:
        """ESS of the final weighted particles."""
        return effective_sample_size(self.weights)

    @property
    def prior_ess(self) -> float:
        """ESS that plain importance weighting of the prior draws would have had."""
        return effective_sample_size(normalise(self.prior_log_likelihood))


def _next_beta(log_lik: np.ndarray, beta: float, target_ess: float) -> float:
    """Largest beta' in (beta, 1] whose incremental weights keep ESS >= target (bisection)."""

    def ess(b: float) -> float:
        return effective_sample_size(normalise((b - beta) * log_lik))

    if ess(1.0) >= target_ess:
        return 1.0
    low, high = beta, 1.0
    for _ in range(60):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if ess(mid) >= target_ess else (low, mid)
    return max(low, beta + 1e-9)


def smc(
    log_likelihood: LogLikelihood,
    n: int,
    dim: int,
    seed: int = 0,
    moves: int = 5,
    max_steps: int = 100,
) -> SMCResult:
    """Sample the posterior N(0, I) prior x likelihood in z by tempered SMC (see module doc).

    `log_likelihood` maps an (m, dim) array of z to (m,) log-likelihoods; it is called once for
    the prior draws and once per Metropolis step on all particles at once.
    """
    rng = np.random.default_rng(seed)
    z = sobol_normal(n, dim, seed)
    ll = log_likelihood(z)
    prior_z, prior_ll = z.copy(), ll.copy()
    if not np.isfinite(ll).any():
        raise ValueError("every prior draw has zero likelihood")
    beta, log_w = 0.0, np.zeros(n)
    betas, acceptance = [0.0], []
    for _ in range(max_steps):
        new_beta = _next_beta(ll, beta, n / 2)
        log_w = (new_beta - beta) * ll
        beta = new_beta
        betas.append(beta)
        if beta >= 1.0 and len(betas) == 2:
            break  # the prior draws weighted by the full likelihood keep ESS >= n/2: done
        idx = systematic_resample(normalise(log_w), n, rng)
        z, ll, log_w = z[idx], ll[idx], np.zeros(n)
        z, ll, rate = _metropolis(z, ll, beta, log_likelihood, moves, rng)
        acceptance.append(rate)
        if beta >= 1.0:
            break
    return SMCResult(z, normalise(log_w), ll, prior_z, prior_ll, tuple(betas), tuple(acceptance))


def _metropolis(z, ll, beta, log_likelihood, moves, rng):
    """Random-walk Metropolis in z for the target N(0, I) x L^beta, all particles at once."""
    n, dim = z.shape
    cov = np.atleast_2d(np.cov(z, rowvar=False)) + 1e-9 * np.eye(dim)
    chol = np.linalg.cholesky(cov * 2.38**2 / dim)
    accepted = 0
    for _ in range(moves):
        proposal = z + rng.standard_normal((n, dim)) @ chol.T
        ll_new = log_likelihood(proposal)
        log_ratio = (
            beta * (ll_new - ll) - 0.5 * np.sum(proposal**2, axis=1) + 0.5 * np.sum(z**2, axis=1)
        )
        take = np.log(rng.random(n)) < log_ratio
        z = np.where(take[:, None], proposal, z)
        ll = np.where(take, ll_new, ll)
        accepted += int(take.sum())
    return z, ll, accepted / (n * moves)
