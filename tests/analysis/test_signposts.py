"""Signposts (issue 18): the update points to the world the observations came from, its
probabilities are calibrated, bad observation files are refused plainly, and the shipped file
gives a result with every part."""

import numpy as np
import pandas as pd
import pytest
from cli_helpers import invoke, ok
from scipy import stats

from ailead.analysis.signposts import (
    SWITCHES,
    _values,
    _worlds,
    row_log_likelihood,
    scenario_for,
    signposts,
    update,
)
from ailead.analysis.watch import yearly_rows
from ailead.calibrate.indicators import INDICATORS, load_signposts, signposts_path
from ailead.calibrate.inference import registry_prior
from ailead.calibrate.observations import on_scale
from ailead.calibrate.smc import normalise, sobol_normal
from ailead.inputs.registry import LEVELS
from ailead.outputs.verdict import OUTCOMES

PRIOR = registry_prior()
DIM = len(SWITCHES) + len(PRIOR.names)


def synthetic(truth_values: np.ndarray, rows: pd.DataFrame, rng) -> pd.DataFrame:
    """Rows observed from one known run: its values plus the noise the likelihood assumes,
    N(0, sd^2 + discrepancy^2) on their scale."""
    out = rows.copy()
    sd = np.hypot(out["sd"], out["series"].map(lambda s: INDICATORS[s].series.discrepancy))
    values = []
    for value, scale, s in zip(truth_values, out["scale"], sd, strict=True):
        noisy = on_scale(np.array([value]), scale)[0] + rng.normal(0.0, s)
        values.append(10**noisy if scale == "log10" else noisy)
    out["value"] = values
    out["source"] = "synthetic"
    out["citation"] = "a known run"
    return out.drop(columns="year")


def observed_rows(last_year: int) -> pd.DataFrame:
    rows = yearly_rows(2025, last_year)
    rows = rows[rows["series"] != "cn_share_abroad"]  # a GDP-weighted share: read like the rest
    return rows.assign(sd=rows["series"].map(lambda s: INDICATORS[s].series.discrepancy))


def truths(preset_strength: float, n: int, seed: int) -> np.ndarray:
    """z of n known runs: the preset's switch strengths and world parameters from the prior."""
    z = sobol_normal(n, DIM, seed + 100)
    z[:, : len(SWITCHES)] = stats.norm.ppf(np.clip(preset_strength, 1e-6, 1 - 1e-6))
    return z


@pytest.mark.slow
@pytest.mark.parametrize("preset", ["us-lead", "status-quo", "catch-up"])
def test_observations_from_a_known_run_point_to_its_world(preset):
    """Observations through 2027 drawn from a run of the preset (with noise) give the run's own
    world the highest probability in most draws."""
    strength = LEVELS[{"us-lead": "strong", "status-quo": "status-quo", "catch-up": "off"}[preset]]
    rows = observed_rows(2027)
    sc = scenario_for("2027-12-31")
    z = truths(strength, 6, seed=1)
    values, ds = _values(sc, z, PRIOR, rows.drop(columns="year"))
    world = _worlds(ds, sc)
    rng = np.random.default_rng(7)
    hits = 0
    for j in range(len(z)):
        reported = np.isfinite([on_scale(np.array([v]), sc_)[0] for v, sc_ in
                                zip(values[:, j], rows["scale"], strict=True)])  # fmt: skip
        obs = synthetic(values[reported, j], rows[reported], rng)
        p, _ = update(obs, "2027-12-31", samples=400, seed=j, moves=3, record=False)
        probs = {k: float(np.sum(p.weights[p.world == k])) for k in OUTCOMES}
        hits += max(probs, key=probs.get) == world[j]
    assert hits >= 4, f"{preset}: the true world came first in {hits} of {len(z)} draws"


def test_stated_probabilities_match_frequencies_in_bins():
    """Calibration: truths drawn from the update's own prior (uniform switches, registry
    world), observed in 2026 with noise; P(world) by importance weighting of shared prior
    particles; in each bin of stated probability the truth's frequency is within three standard
    errors of the mean stated probability."""
    rows = observed_rows(2026)
    rows = rows[rows["year"] == 2026].drop(columns="year")
    sc = scenario_for("2026-12-31")
    particles = sobol_normal(3000, DIM, 11)
    truth_z = sobol_normal(300, DIM, 12)
    values, ds = _values(sc, np.vstack([particles, truth_z]), PRIOR, rows)
    world = _worlds(ds, sc)
    n = len(particles)
    rng = np.random.default_rng(3)
    stated, happened = [], []
    for m in range(len(truth_z)):
        obs = synthetic(values[:, n + m], rows.assign(year=0), rng)
        ll = row_log_likelihood(values[:, :n], obs).sum(axis=0)
        if not np.isfinite(ll).any():
            continue
        w = normalise(ll)
        for k in OUTCOMES:
            stated.append(np.sum(w[world[:n] == k]))
            happened.append(world[n + m] == k)
    stated, happened = np.array(stated), np.array(happened, float)
    bins = np.digitize(stated, [0.2, 0.4, 0.6, 0.8])
    checked = 0
    for b in range(5):
        inside = bins == b
        if inside.sum() < 30:
            continue
        p, f = stated[inside].mean(), happened[inside].mean()
        se = np.sqrt(max(p * (1 - p), 0.01) / inside.sum())
        assert abs(f - p) <= 3 * se + 0.02, f"bin {b}: stated {p:.2f}, frequency {f:.2f}"
        checked += 1
    assert checked >= 3


def test_the_shipped_observations_give_every_part_of_the_answer():
    result = signposts(samples=200, moves=1)
    assert result.as_of == load_signposts()["end"].max().strftime("%Y-%m-%d")
    assert set(result.probabilities) == set(OUTCOMES)
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    assert len(result.most_informative()) == 3
    assert set(result.most_informative()) <= set(INDICATORS)
    assert set(result.watch["indicator"]) == set(INDICATORS)
    assert set(result.switches["switch"]) == set(SWITCHES)
    assert ((result.switches["post_p5"] >= 0) & (result.switches["post_p95"] <= 1)).all()
    assert {"indicator", "year", "world", "p50"} <= set(result.fans.columns)
    assert (result.influence["influence"] >= 0).all()


def test_a_lower_lead_observed_raises_the_chance_of_scenario_two():
    """The same particles' leave-one-out and the update agree in direction: a PRC release at
    no lag in late 2026 makes scenario two likelier than one a year behind."""
    base = load_signposts()
    p = {}
    for lead in (0.0, 14.0):
        obs = pd.concat([base, base.iloc[[0]].assign(value=lead, sd=1.0,
                                                     start=pd.Timestamp("2026-11-30"),
                                                     end=pd.Timestamp("2026-11-30"))])  # fmt: skip
        part, _ = update(obs, samples=300, seed=2, moves=2)
        p[lead] = {k: np.sum(part.weights[part.world == k]) for k in OUTCOMES}
    assert p[0.0]["scenario-two"] > p[14.0]["scenario-two"]
    assert p[0.0]["scenario-one"] < p[14.0]["scenario-one"]


BAD = [
    ("series", "huawei_share", "row 2: field 'series': value 'huawei_share' is not allowed"),
    ("end", "2031-06-30", "row 2: field 'end': value '2031-06-30' is out of range"),
    ("value", "about 8", "row 2: field 'value': value 'about 8' is not allowed"),
    ("source", "", "row 2: field 'source': value '' is not allowed"),
]


@pytest.mark.parametrize(("column", "bad", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_observations_file_gets_one_plain_message_and_status_2(tmp_path, column, bad,
                                                                      message):  # fmt: skip
    frame = pd.read_csv(signposts_path(), dtype=str, keep_default_na=False)
    frame.loc[0, column] = bad
    path = tmp_path / "mine.csv"
    frame.to_csv(path, index=False)
    result = invoke("signposts", "--observations", path, "-n", 50)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines


def test_a_bad_as_of_date_is_refused():
    result = invoke("signposts", "--as-of", "2031-01-01", "-n", 50)
    assert result.exit_code == 2 and "--as-of: value '2031-01-01'" in result.stderr


def test_the_command_prints_json_and_csv():
    data = __import__("json").loads(ok("signposts", "-n", 60, "-f", "json").stdout)
    assert set(data["probabilities"]) == set(OUTCOMES) and len(data["most_informative"]) == 3
    head = ok("signposts", "-n", 60, "-f", "csv").stdout.splitlines()[0]
    assert "expected_shift_two" in head and "p_scenario-two" in head
