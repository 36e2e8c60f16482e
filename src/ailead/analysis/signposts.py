"""Signposts: which of the essay's worlds the latest observations point to.

The update conditions one model on the record (`data/observations/observations.csv`) and the
signposts observed by the as-of date (`data/observations/signposts.csv` or a user's file, see
`ailead.calibrate.indicators`), with the three policy switches uncertain as well as the world:

    theta = (s, phi),  s_k = Phi(z_k) ~ U(0, 1) for each switch k (assumption: no view on
    the choice, between off = 0 and strong = 1, status quo = 0.5),  phi ~ the registry prior,
    p(theta | y) ~ p(theta) prod_i L_i(theta)   (`ailead.calibrate.inference`'s likelihood),

sampled by the project's likelihood-tempered SMC (`ailead.calibrate.smc`) in z = (z_s, z_phi),
every uncertain parameter drawn. The scenario is the status quo with the switches' strengths
taken per particle from the policy start (2026-01) on; the lever indicators observe the levers in
force. Each particle's world is the verdict at the target (`ailead.outputs.verdict`):

    P(world) = sum_j w_j [world_j = world].

Leave-one-out: the same particles reweighted without an indicator's rows,
w_j^(-g) ~ w_j / prod_{i in g} L_i(theta_j) (importance reweighting, not a new SMC run; its ESS
is reported). Influence of g: the total-variation distance 1/2 sum_w |P(w) - P^(-g)(w)|.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ailead.analysis.watch import SHORT, fan_table, next_year_rows, watch_table, yearly_rows
from ailead.calibrate.indicators import INDICATORS, indicator_values, load_signposts, spec_of
from ailead.calibrate.inference import Prior, registry_prior
from ailead.calibrate.observations import SERIES, bound_signs, load_observations, on_scale
from ailead.calibrate.smc import effective_sample_size, gaussian_log_likelihood, normalise, smc
from ailead.errors import AileadError, short
from ailead.inputs.levers import lever_schedules
from ailead.inputs.posterior import weighted_quantiles
from ailead.inputs.registry import load_registry
from ailead.inputs.scenario import Scenario, load_scenario, month_index
from ailead.outputs.engine import run_parameters
from ailead.outputs.verdict import OUTCOMES, classify

SWITCHES = ("compute", "access", "distillation")
# The run's variables the record's series read, and those the new indicators read.
VARIABLES = tuple(
    sorted(
        {spec.variable for spec in SERIES.values()}
        | {"lead_months", "production_h100e", "nvidia_production_h100e", "remote_access_h100e"}
        | {"compute_ratio", "compute_stock_h100e"}
    )
)
TARGET = "2028-12"
RECORD = "record"  # the group of the record's rows that are no signpost indicator


@dataclass(frozen=True)
class Particles:
    """Weighted posterior particles: strengths (n, 3), parameters, worlds, the observations
    used with each row's log-likelihood (rows, n), and a run's values of any rows."""

    scenario: Scenario
    prior: Prior
    z: np.ndarray
    weights: np.ndarray
    observations: pd.DataFrame
    row_log_likelihood: np.ndarray
    world: np.ndarray
    prior_z: np.ndarray
    prior_world: np.ndarray

    @property
    def strengths(self) -> dict[str, np.ndarray]:
        return {k: stats.norm.cdf(self.z[:, i]) for i, k in enumerate(SWITCHES)}

    def parameters(self, z: np.ndarray | None = None) -> dict[str, np.ndarray]:
        return self.prior.parameters((self.z if z is None else z)[:, len(SWITCHES) :])

    def values(self, rows: pd.DataFrame) -> np.ndarray:
        """The particles' model values of `rows` (rows, n)."""
        return _values(self.scenario, self.z, self.prior, rows)[0]


def _run(scenario: Scenario, z: np.ndarray, prior: Prior):
    params = prior.parameters(z[:, len(SWITCHES) :])
    strengths = {k: stats.norm.cdf(z[:, i]) for i, k in enumerate(SWITCHES)}
    ds = run_parameters(scenario, params, variables=VARIABLES, strengths=strengths)
    levers = lever_schedules(
        scenario, load_registry(), params, scenario.month(scenario.end) + 1, strengths
    )
    return ds, levers


def _values(scenario, z, prior, rows):
    ds, levers = _run(scenario, z, prior)
    return indicator_values(ds, rows, levers), ds


def row_log_likelihood(predicted: np.ndarray, rows: pd.DataFrame) -> np.ndarray:
    """Each row's Gaussian (or bound) log-likelihood term (rows, samples), as
    `gaussian_log_likelihood` sums them: on the row's scale, sigma^2 = sd^2 + discrepancy^2."""
    sd = np.sqrt(rows["sd"].to_numpy(float) ** 2 + _discrepancy(rows) ** 2)
    signs = bound_signs(rows)
    out = np.empty(predicted.shape)
    for i, row in enumerate(rows.itertuples(index=False)):
        on = on_scale(predicted[i : i + 1], row.scale)
        observed = on_scale(np.array([row.value]), row.scale)
        out[i] = gaussian_log_likelihood(on, observed, sd[i : i + 1], signs[i : i + 1])
    return out


def _discrepancy(rows: pd.DataFrame) -> np.ndarray:
    return rows["series"].map(lambda s: spec_of(s).discrepancy).to_numpy(float)


def group_of(rows: pd.DataFrame) -> pd.Series:
    """Each row's leave-one-out group: its indicator, or `record` for the other record series."""
    return rows["series"].where(rows["series"].isin(list(INDICATORS)), RECORD)


def observations_as_of(
    signposts: str | Path | pd.DataFrame | None, as_of: str | None, record: bool = True
) -> tuple[pd.DataFrame, str]:
    """The record (unless `record` is false) and the signposts that end by the as-of date
    (default: the latest end among the signposts), and that date (YYYY-MM-DD)."""
    sign = signposts if isinstance(signposts, pd.DataFrame) else load_signposts(signposts)
    if as_of is None:
        when = sign["end"].max() if len(sign) else pd.Timestamp("2025-12-31")
    else:
        try:
            when = pd.Timestamp(as_of)
        except (TypeError, ValueError):
            when = pd.NaT
        if pd.isna(when) or not pd.Timestamp("2025-01-01") <= when <= pd.Timestamp("2028-12-31"):
            raise AileadError(
                f"--as-of: value {short(as_of)} is not allowed; allowed: a date YYYY-MM-DD "
                "from 2025-01-01 to 2028-12-31"
            )
    parts = [load_observations().assign(origin="record")] if record else []
    rows = pd.concat([*parts, sign.assign(origin="signposts")])
    rows = rows[rows["end"] <= when].reset_index(drop=True)
    rows["bound"] = rows["bound"].fillna("")
    return rows, when.strftime("%Y-%m-%d")


def scenario_for(as_of: str) -> Scenario:
    """Today's policies with the switches left to the particles, run to the target or a year
    after the as-of date, whichever is later."""
    end = max(month_index(TARGET), month_index(as_of[:7]) + 12)
    year, month = 2025 + end // 12, end % 12 + 1
    return load_scenario(
        {"name": "signposts", "extends": "status-quo", "end": f"{year}-{month:02d}",
         "target": TARGET}
    )  # fmt: skip


def update(
    signposts: str | Path | pd.DataFrame | None = None,
    as_of: str | None = None,
    samples: int = 2000,
    seed: int = 0,
    moves: int = 4,
    record: bool = True,
) -> tuple[Particles, str]:
    """The posterior particles given the observations by the as-of date (see module doc);
    `record`: condition on the historical record too (false for synthetic observations)."""
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 50:
        raise AileadError(
            f"samples: value {short(samples)} is not allowed; allowed: an integer >= 50"
        )
    rows, when = observations_as_of(signposts, as_of, record)
    sc = scenario_for(when)
    prior = registry_prior()
    dim = len(SWITCHES) + len(prior.names)
    probe = _values(sc, np.zeros((1, dim)), prior, rows)[0][:, 0]
    rows = rows[np.isfinite(probe)].reset_index(drop=True)  # the rows the run covers

    def log_likelihood(z: np.ndarray) -> np.ndarray:
        return row_log_likelihood(_values(sc, z, prior, rows)[0], rows).sum(axis=0)

    try:
        result = smc(log_likelihood, samples, dim, seed=seed, moves=moves)
    except ValueError as exc:
        raise AileadError(f"signposts: {exc}") from None
    predicted, ds = _values(sc, result.z, prior, rows)
    prior_ds = _run(sc, result.prior_z, prior)[0]
    particles = Particles(
        sc, prior, result.z, result.weights, rows, row_log_likelihood(predicted, rows),
        _worlds(ds, sc), result.prior_z, _worlds(prior_ds, sc),
    )  # fmt: skip
    return particles, when


def _worlds(ds, sc: Scenario) -> np.ndarray:
    lead = ds["lead_months"]
    t = sc.month(sc.target)
    before = t - sc.verdict.growth_window_months
    return classify(lead.isel(time=t).values, lead.isel(time=before).values, sc.verdict)


def probabilities(world: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    """P(world) = the weighted share of particles in each world."""
    return {name: float(np.sum(weights[world == name])) for name in OUTCOMES}


def influence(p: Particles) -> pd.DataFrame:
    """Leave-one-out by importance reweighting: P(world) without each group's rows."""
    base = probabilities(p.world, p.weights)
    groups = group_of(p.observations)
    rows = []
    for group in dict.fromkeys(groups):
        ll = p.row_log_likelihood[(groups == group).to_numpy()].sum(axis=0)
        log_w = np.log(np.maximum(p.weights, 1e-300)) - np.where(np.isfinite(ll), ll, 0.0)
        w = normalise(np.where(p.weights > 0, log_w, -np.inf))
        without = probabilities(p.world, w)
        rows.append(
            dict(
                indicator=group,
                rows=int((groups == group).sum()),
                **{f"without_{SHORT[k]}": v for k, v in without.items()},
                **{f"shift_{SHORT[k]}": base[k] - without[k] for k in OUTCOMES},
                influence=0.5 * sum(abs(base[k] - without[k]) for k in OUTCOMES),
                ess=effective_sample_size(w),
            )
        )
    return pd.DataFrame(rows).sort_values("influence", ascending=False).reset_index(drop=True)


def switch_table(p: Particles) -> pd.DataFrame:
    """Each switch's strength, prior (uniform) and posterior 5/50/95%."""
    rows = []
    for name, s in p.strengths.items():
        q = weighted_quantiles(s, p.weights, [0.05, 0.5, 0.95])
        rows.append(dict(switch=name, prior_p5=0.05, prior_p50=0.5, prior_p95=0.95,
                         post_p5=q[0], post_p50=q[1], post_p95=q[2]))  # fmt: skip
    return pd.DataFrame(rows)


def parameter_table(p: Particles, prior_z: np.ndarray, top: int = 8) -> pd.DataFrame:
    """The world parameters the observations narrowed most: prior and posterior 5/50/95% and the
    narrowing 1 - (posterior 90% width) / (prior 90% width)."""
    post, prior = p.parameters(), p.parameters(prior_z)
    equal = np.full(len(prior_z), 1.0 / len(prior_z))
    registry = load_registry()
    rows = []
    for name in p.prior.names:
        a = weighted_quantiles(prior[name], equal, [0.05, 0.5, 0.95])
        b = weighted_quantiles(post[name], p.weights, [0.05, 0.5, 0.95])
        width = a[2] - a[0]
        rows.append(dict(parameter=name, unit=registry.parameters[name].unit,
                         prior_p5=a[0], prior_p50=a[1], prior_p95=a[2],
                         post_p5=b[0], post_p50=b[1], post_p95=b[2],
                         narrowing=1.0 - (b[2] - b[0]) / width if width > 0 else 0.0))  # fmt: skip
    frame = pd.DataFrame(rows).sort_values("narrowing", ascending=False)
    return frame.head(top).reset_index(drop=True)


@dataclass(frozen=True)
class Signposts:
    """The update's result: P(world) now and before the observations, the switches' and the
    most informative world parameters' posteriors, each indicator's influence and what to
    watch next year (`ailead.analysis.watch`)."""

    as_of: str
    target: str
    probabilities: dict[str, float]
    prior_probabilities: dict[str, float]
    switches: pd.DataFrame
    parameters: pd.DataFrame
    influence: pd.DataFrame
    watch: pd.DataFrame
    observations: pd.DataFrame
    ess: float
    samples: int
    fans: pd.DataFrame = field(default_factory=pd.DataFrame)

    def most_informative(self, k: int = 3) -> list[str]:
        """The k signpost indicators whose leave-one-out moved P(world) most."""
        frame = self.influence[self.influence["indicator"] != RECORD]
        return list(frame["indicator"].head(k))

    def to_dict(self) -> dict:
        """JSON-ready: plain Python numbers, None for NaN and infinities."""

        def records(frame: pd.DataFrame) -> list[dict]:
            return [
                {k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
            ]

        obs = self.observations.copy()
        for column in ("start", "end"):
            obs[column] = obs[column].dt.strftime("%Y-%m-%d")
        return dict(
            as_of=self.as_of, target=self.target, samples=self.samples, ess=self.ess,
            probabilities=self.probabilities, prior_probabilities=self.prior_probabilities,
            most_informative=self.most_informative(), switches=records(self.switches),
            parameters=records(self.parameters), influence=records(self.influence),
            watch=records(self.watch), fans=records(self.fans),
            observations=records(obs[["series", "bloc", "start", "end", "value", "unit", "sd",
                                      "bound", "source", "origin"]]),
        )  # fmt: skip


def signposts(
    observations: str | Path | pd.DataFrame | None = None,
    as_of: str | None = None,
    samples: int = 2000,
    seed: int = 0,
    moves: int = 4,
) -> Signposts:
    """Which world the observations by `as_of` point to (see module doc).

    `observations`: a signposts file (default the shipped `data/observations/signposts.csv`) or
    a frame loaded by `load_signposts`; `as_of`: YYYY-MM-DD, default the file's latest date.
    """
    p, when = update(observations, as_of, samples, seed, moves)
    prior_z = p.prior_z
    ahead = next_year_rows(when)
    years = yearly_rows(2025, int(TARGET[:4]))
    values = p.values(pd.concat([ahead, years.drop(columns="year")], ignore_index=True))
    n = len(ahead)
    return Signposts(
        as_of=when,
        target=p.scenario.target,
        probabilities=probabilities(p.world, p.weights),
        prior_probabilities=probabilities(p.prior_world, np.full(len(prior_z), 1 / len(prior_z))),
        switches=switch_table(p),
        parameters=parameter_table(p, prior_z),
        influence=influence(p),
        watch=watch_table(values[:n], ahead, p.world, p.weights, seed),
        observations=p.observations,
        ess=effective_sample_size(p.weights),
        samples=samples,
        fans=fan_table(values[n:], years, p.world, p.weights),
    )


def _plain(value):
    """A NumPy scalar as a Python one; NaN and infinities as None."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and not np.isfinite(value) else value
