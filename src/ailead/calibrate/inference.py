"""History matching of ailead's uncertain parameters against the historical record.

Likelihood (independent Gaussian errors). For observation i (`ailead.calibrate.observations`) with
value y_i on its series' scale (log10 for quantities, linear for ECI points and months), the
model's value m_i(theta) on the same scale, the observation's sd s_i and its series' model
discrepancy d_i:

    log L(theta) = sum_i -1/2 ((m_i(theta) - y_i) / sigma_i)^2,     sigma_i^2 = s_i^2 + d_i^2.

Prior: the registry's. Each uncertain parameter j is theta_j = clip(F_j^-1(Phi(z'_j)), bounds_j)
with z ~ N(0, I), z' = z with the registry's correlated columns coupled (Gaussian copula) and F_j
its registry distribution: exactly the registry's own sampling. Only the parameters that move at
least one observed value are calibrated (`informed_parameters`, a one-at-a-time screen); the others
keep their prior. The posterior is sampled by likelihood-tempered SMC (`ailead.calibrate.smc`):
plain importance weighting of the prior draws when the record allows it, resampling and Metropolis
moves when it does not. Effective sample sizes are reported for both.

The model is run from the anchor (2025-01) under today's policies (`status-quo`; every preset
shares that path until the policy start), so the observations it can see are those of 2025 and
the installed compute at the end of 2024. The result is a weighted particle file (CSV, one row
per particle, a `weight` column, one column per calibrated parameter and the particle's
log-likelihood); `ailead.inputs.posterior.posterior_sample(n, seed)` draws parameter sets
from it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ailead._version import __version__
from ailead.calibrate.observations import bound_signs, load_observations, model_values, on_scale
from ailead.calibrate.observations import total_sd as observation_sd
from ailead.calibrate.smc import SMCResult, gaussian_log_likelihood, smc
from ailead.errors import AileadError, short
from ailead.files import write_new_text
from ailead.inputs.posterior import read_posterior
from ailead.inputs.posterior import weighted_quantiles as wq
from ailead.inputs.registry import Distribution, load_registry
from ailead.inputs.scenario import Scenario, load_scenario
from ailead.outputs.engine import run_parameters

CALIBRATION_SCENARIO = {
    "name": "calibration",
    "description": "Today's policies over the observed months of 2025.",
    "extends": "status-quo",
    "end": "2025-12",
    "target": "2025-12",
}
LIKELIHOOD = "Gaussian on log10 (quantities) or linear (ECI, months); sd^2 = obs^2 + discrepancy^2"
CHECKED_PARTICLES = 16  # particles whose stored log-likelihood `stale_reason` recomputes


@dataclass(frozen=True, eq=False)
class Prior:
    """Parameters drawn in z (name, distribution, bounds) and those held at a fixed value.

    z is mapped to values by `Registry.from_normal`, the registry's own transform: parameters the
    registry correlates are coupled by its Gaussian copula (restricted to the drawn parameters),
    which leaves z itself N(0, I).
    """

    names: tuple[str, ...]
    distributions: tuple[Distribution, ...]
    bounds: tuple[tuple[float, float], ...]
    fixed: dict[str, float]

    def only(self, names: tuple[str, ...]) -> Prior:
        """This prior drawing only `names`; the other drawn parameters are fixed at the defaults."""
        registry = load_registry()
        keep = [j for j, name in enumerate(self.names) if name in names]
        fixed = dict(self.fixed)
        for name in self.names:
            if name not in names:
                fixed[name] = registry.parameters[name].default
        return Prior(
            tuple(self.names[j] for j in keep),
            tuple(self.distributions[j] for j in keep),
            tuple(self.bounds[j] for j in keep),
            fixed,
        )

    def parameters(self, z: np.ndarray) -> dict[str, np.ndarray]:
        """Parameter arrays for z of shape (samples, len(names)), the fixed ones repeated."""
        out = {name: np.full(z.shape[0], value) for name, value in self.fixed.items()}
        drawn = load_registry().from_normal(z, self.names, self.distributions, self.bounds)
        return out | drawn


def registry_prior(overrides: dict[str, float | Distribution] | None = None) -> Prior:
    """The registry's prior; an override is a fixed value or a replacement distribution.

    A replacement distribution is not clipped to the registry's bounds (it may describe another
    anchor date, as the backtest's 2023 initial conditions do).
    """
    registry = load_registry()
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(registry.parameters))
    if unknown:
        raise AileadError(f"prior overrides: unknown parameters {', '.join(unknown)}")
    names, dists, bounds, fixed = [], [], [], {}
    for name, p in registry.parameters.items():
        given = overrides.get(name)
        if isinstance(given, Distribution):
            names.append(name)
            dists.append(given)
            bounds.append((-np.inf, np.inf))
        elif given is not None:
            fixed[name] = float(given)
        elif p.distribution.uncertain:
            names.append(name)
            dists.append(p.distribution)
            bounds.append(p.bounds)
        else:
            fixed[name] = p.default
    return Prior(tuple(names), tuple(dists), tuple(bounds), fixed)


@dataclass(frozen=True)
class Calibration:
    """A calibration's prior, posterior particles, the observations used and diagnostics."""

    scenario: Scenario
    prior: Prior
    result: SMCResult
    observations: pd.DataFrame
    seed: int

    def posterior_parameters(self) -> dict[str, np.ndarray]:
        return self.prior.parameters(self.result.z)

    def prior_parameters(self) -> dict[str, np.ndarray]:
        return self.prior.parameters(self.result.prior_z)

    def parameter_table(self) -> pd.DataFrame:
        """Prior and posterior 5/50/95% of every calibrated parameter, and the narrowing."""
        post, prior = self.posterior_parameters(), self.prior_parameters()
        equal = np.full(len(self.result.prior_z), 1.0)
        rows = []
        for name in self.prior.names:
            bands = _bands(prior[name], equal, post[name], self.result.weights)
            width = bands["prior_p95"] - bands["prior_p5"]
            narrowed = 1.0 - (bands["post_p95"] - bands["post_p5"]) / width if width > 0 else 0.0
            rows.append(
                dict(
                    parameter=name,
                    unit=load_registry().parameters[name].unit,
                    **bands,
                    narrowing=narrowed,
                )
            )
        return pd.DataFrame(rows)

    def fit_table(self) -> pd.DataFrame:
        """Each observation beside the prior and posterior predictive 5/50/95%.

        `z` is the posterior median's residual in units of sigma (observation and discrepancy).
        """
        obs = self.observations
        prior = model_values(self._run(self.prior_parameters()), obs)
        post = model_values(self._run(self.posterior_parameters()), obs)
        equal = np.full(prior.shape[1], 1.0)
        sigma = observation_sd(obs)
        rows = []
        for i, row in enumerate(obs.itertuples(index=False)):
            bands = _bands(prior[i], equal, post[i], self.result.weights)
            residual = on_scale(bands["post_p50"], row.scale) - on_scale(row.value, row.scale)
            rows.append(
                dict(
                    series=row.series,
                    bloc=row.bloc,
                    end=row.end.strftime("%Y-%m-%d"),
                    observed=row.value,
                    bound=getattr(row, "bound", ""),
                    unit=row.unit,
                    sigma=sigma[i],
                    **bands,
                    z=float(residual / sigma[i]),
                )
            )
        return pd.DataFrame(rows)

    def _run(self, params: dict[str, np.ndarray]):
        return run_parameters(self.scenario, params)

    def write(self, path: str | Path) -> Path:
        """Write the weighted particles to a new file (CSV with `# key: value` header lines).

        Values are rounded to 5 significant digits and each particle's log-likelihood is
        recomputed for the rounded values, so the file checks itself (`stale_reason`).
        """
        path = Path(path)
        params = self.posterior_parameters()
        frame = pd.DataFrame({"weight": self.result.weights})
        for name in self.prior.names:
            frame[name] = [float(f"{v:.5g}") for v in params[name]]
        frame["log_likelihood"] = model_log_likelihood(
            self.scenario, self.observations, _with_prior(self.prior, frame)
        )
        meta = {
            "ailead": __version__,
            "created": date.today().isoformat(),
            "scenario": self.scenario.model_dump_json(),
            "observations": _observations_digest(self.observations),
            "until": self.observations["end"].max().strftime("%Y-%m-%d"),
            "likelihood": LIKELIHOOD,
            "particles": len(frame),
            "seed": self.seed,
            "ess": round(self.result.ess, 1),
            "prior_ess": round(self.result.prior_ess, 1),
            "tempering_steps": len(self.result.betas) - 1,
        }
        header = "# ailead calibrated parameter set (weighted posterior particles)\n"
        header += "".join(f"# {key}: {value}\n" for key, value in meta.items())
        return write_new_text(path, header + frame.to_csv(index=False, float_format="%.10g"))


def _bands(prior, prior_weights, post, post_weights) -> dict[str, float]:
    """The weighted 5/50/95% of prior and posterior values, as prior_p5 ... post_p95."""
    out = {}
    for label, values, weights in (("prior", prior, prior_weights), ("post", post, post_weights)):
        q = wq(values, weights, [0.05, 0.5, 0.95])
        out.update({f"{label}_p5": q[0], f"{label}_p50": q[1], f"{label}_p95": q[2]})
    return out


def _with_prior(prior: Prior, particles: pd.DataFrame) -> dict[str, np.ndarray]:
    """Parameter arrays from a table of particles, fixed parameters at their prior values."""
    params = {name: np.full(len(particles), value) for name, value in prior.fixed.items()}
    for name in prior.names:
        params[name] = particles[name].to_numpy(float)
    return params


def _observations_digest(obs: pd.DataFrame) -> str:
    """A short hash of the observations used (series, dates, values, sds)."""
    cols = obs[["series", "bloc", "start", "end", "value", "sd"]].astype(str)
    return hashlib.sha256(cols.to_csv(index=False).encode()).hexdigest()[:16]


def select_observations(
    scenario: Scenario, observations: pd.DataFrame | None = None, until: str | None = None
) -> pd.DataFrame:
    """The observations a run of `scenario` can see, optionally only those ending by `until`."""
    obs = load_observations() if observations is None else observations
    if until is not None:
        obs = obs[obs["end"] <= pd.Timestamp(until)]
    probe = run_parameters(scenario, load_registry().sample(1, 0))
    seen = np.isfinite(model_values(probe, obs)[:, 0])
    return obs[seen].reset_index(drop=True)


def informed_parameters(
    scenario: Scenario, obs: pd.DataFrame, prior: Prior, values_of=model_values
) -> tuple[str, ...]:
    """The drawn parameters that move at least one observed model value.

    A one-at-a-time screen around the defaults: each parameter is set to its prior 5% and 95%
    quantiles, the others held at the defaults, all in one vectorised run; a parameter informs
    the record if any observed value differs between the two. `values_of(ds, obs)` reads the
    observed values from a run (default `model_values`; the signposts read their indicators).
    """
    d = len(prior.names)
    low = prior.parameters(np.zeros((2 * d, d)))
    for name, value in load_registry().sample(1, 0).items():
        if name not in prior.fixed:
            low[name] = np.full(2 * d, value[0])
    for j, name in enumerate(prior.names):
        pair = prior.parameters(np.array([[-1.6449] * d, [1.6449] * d]))[name]
        low[name][2 * j : 2 * j + 2] = pair
    values = values_of(run_parameters(scenario, low), obs)
    values = np.where(np.isfinite(values), values, 0.0)
    moved = np.abs(values[:, 0::2] - values[:, 1::2]) > 1e-9 * (1.0 + np.abs(values[:, 0::2]))
    return tuple(name for j, name in enumerate(prior.names) if moved[:, j].any())


def model_log_likelihood(
    scenario: Scenario, obs: pd.DataFrame, params: dict[str, np.ndarray]
) -> np.ndarray:
    """log L of each sample of `params` against `obs` (see module doc); (samples,)."""
    predicted = model_values(run_parameters(scenario, params), obs)
    log_scale = (obs["scale"].to_numpy() == "log10")[:, None]
    on = np.where(log_scale, on_scale(predicted, "log10"), predicted)
    observed = np.array([on_scale(v, s) for v, s in zip(obs["value"], obs["scale"], strict=True)])
    return gaussian_log_likelihood(on, observed, observation_sd(obs), bound_signs(obs))


def calibrate(
    samples: int = 1000,
    seed: int = 0,
    scenario: str | dict | Scenario = CALIBRATION_SCENARIO,
    prior: Prior | None = None,
    observations: pd.DataFrame | None = None,
    until: str | None = None,
    moves: int = 5,
) -> Calibration:
    """Condition the prior on the observations a run of `scenario` covers (see module doc)."""
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 50:
        raise AileadError(
            f"samples: value {short(samples)} is not allowed; allowed: an integer >= 50"
        )
    sc = load_scenario(scenario)
    obs = select_observations(sc, observations, until)
    if obs.empty:
        raise AileadError(f"calibrate: no observations fall within {sc.start} to {sc.end}")
    prior = prior or registry_prior()
    prior = prior.only(informed_parameters(sc, obs, prior))

    def log_likelihood(z: np.ndarray) -> np.ndarray:
        return model_log_likelihood(sc, obs, prior.parameters(z))

    try:
        result = smc(log_likelihood, samples, len(prior.names), seed=seed, moves=moves)
    except ValueError as exc:
        raise AileadError(f"calibrate: {exc}") from None
    return Calibration(sc, prior, result, obs, seed)


def stale_reason(path: str | Path | None = None) -> str | None:
    """Why a posterior file no longer matches the model, registry or observations (None if not).

    Recomputes the stored log-likelihood of the first particles with the current code.
    """
    meta, frame = read_posterior(path)
    try:
        sc = load_scenario(json.loads(meta["scenario"]))
    except (AileadError, KeyError, json.JSONDecodeError):
        return "its scenario no longer loads"
    names = tuple(c for c in frame.columns if c not in ("weight", "log_likelihood"))
    prior = registry_prior()
    if not set(names) <= set(prior.names):
        return "the registry's uncertain parameters changed"
    prior = prior.only(names)
    obs = select_observations(sc, until=meta["until"])
    if _observations_digest(obs) != meta["observations"]:
        return "the observations changed"
    head = frame.head(CHECKED_PARTICLES)
    ll = model_log_likelihood(sc, obs, _with_prior(prior, head))
    stored = head["log_likelihood"].to_numpy(float)
    if not np.allclose(ll, stored, rtol=1e-6, atol=1e-6):
        return "the model's outputs changed"
    return None
