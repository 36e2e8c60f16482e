"""History matching: the SMC on a conjugate Gaussian model with a known posterior, and the
calibration of ailead itself (prior mapping, screening, the particle file, posterior draws)."""

import numpy as np
import pandas as pd
import pytest

import ailead
from ailead import AileadError
from ailead.calibrate.inference import (
    CALIBRATION_SCENARIO,
    calibrate,
    informed_parameters,
    registry_prior,
    select_observations,
    stale_reason,
)
from ailead.calibrate.smc import (
    effective_sample_size,
    gaussian_log_likelihood,
    normalise,
    smc,
    systematic_resample,
)
from ailead.inputs.posterior import (
    posterior_sample,
    read_posterior,
    shipped_posterior_path,
    weighted_quantiles,
)
from ailead.inputs.scenario import load_scenario


def conjugate(y, s):
    """z ~ N(0, 1) per dimension, y = z + e, e ~ N(0, s^2): posterior N(y/(1+s^2), s^2/(1+s^2))."""
    mean = y / (1 + s**2)
    sd = np.sqrt(s**2 / (1 + s**2))

    def log_lik(z):
        return gaussian_log_likelihood(z.T, y, s)

    return log_lik, mean, sd


def moments(result):
    w = result.weights
    m = (w[:, None] * result.z).sum(axis=0)
    return m, np.sqrt((w[:, None] * (result.z - m) ** 2).sum(axis=0))


def test_tempered_smc_recovers_a_sharp_conjugate_posterior():
    y, s = np.array([1.5, -0.7, 0.3]), np.array([0.08, 0.5, 2.0])
    log_lik, mean, sd = conjugate(y, s)
    result = smc(log_lik, 2000, 3, seed=4)
    got_mean, got_sd = moments(result)
    np.testing.assert_allclose(got_mean, mean, atol=0.06)
    np.testing.assert_allclose(got_sd, sd, rtol=0.15)
    assert len(result.betas) > 2 and result.betas[-1] == 1.0  # it had to temper
    assert result.prior_ess < 200 < result.ess


def test_a_weak_likelihood_is_plain_importance_weighting_of_the_prior_draws():
    y, s = np.array([0.5]), np.array([3.0])
    log_lik, mean, sd = conjugate(y, s)
    result = smc(log_lik, 4000, 1, seed=1)
    assert result.betas == (0.0, 1.0) and result.acceptance == ()
    np.testing.assert_array_equal(result.z, result.prior_z)
    assert result.ess == pytest.approx(result.prior_ess)
    got_mean, got_sd = moments(result)
    assert got_mean[0] == pytest.approx(mean[0], abs=0.02)
    assert got_sd[0] == pytest.approx(sd[0], rel=0.03)


def test_smc_is_reproducible_with_a_seed():
    log_lik, _, _ = conjugate(np.array([1.0]), np.array([0.1]))
    a, b = smc(log_lik, 300, 1, seed=7), smc(log_lik, 300, 1, seed=7)
    np.testing.assert_array_equal(a.z, b.z)


def test_effective_sample_size_bounds():
    assert effective_sample_size(np.full(50, 0.02)) == pytest.approx(50)
    assert effective_sample_size(np.eye(1, 50)[0]) == pytest.approx(1)


def test_impossible_samples_get_zero_weight():
    ll = gaussian_log_likelihood(np.array([[1.0, np.nan, np.inf]]), np.array([1.0]), np.ones(1))
    assert ll[0] == 0 and ll[1] == -np.inf and ll[2] == -np.inf
    w = normalise(ll)
    assert w[0] == 1 and w[1] == 0
    with pytest.raises(ValueError, match="zero likelihood"):
        normalise(np.array([-np.inf, -np.inf]))


def test_weighted_quantiles_follow_the_weights():
    values = np.arange(1000.0)
    equal = np.ones(1000)
    assert weighted_quantiles(values, equal, [0.5])[0] == pytest.approx(499.5, abs=1)
    heavy = np.where(values < 100, 1.0, 1e-9)
    assert weighted_quantiles(values, heavy, [0.95])[0] < 100


def test_systematic_resampling_draws_in_proportion_to_weight():
    idx = systematic_resample(np.array([0.7, 0.2, 0.1]), 1000, np.random.default_rng(0))
    np.testing.assert_allclose(np.bincount(idx) / 1000, [0.7, 0.2, 0.1], atol=0.002)


def test_the_prior_in_z_is_the_registrys_own_sampling():
    from ailead.calibrate.smc import sobol_normal

    prior = registry_prior()
    drawn = prior.parameters(sobol_normal(64, len(prior.names), 5))
    sampled = ailead.load_registry().sample(64, 5)
    for name in ailead.load_registry().parameters:
        np.testing.assert_allclose(drawn[name], sampled[name], rtol=1e-9)


def test_prior_overrides_fix_or_replace_a_distribution_and_unknown_names_fail():
    from ailead.inputs.registry import Distribution

    dist = Distribution(kind="uniform", args={"low": 1.0, "high": 2.0})
    prior = registry_prior({"initial_lead_months": 9.0, "us_compute_stock_2025": dist})
    assert prior.fixed["initial_lead_months"] == 9.0
    values = prior.parameters(np.zeros((1, len(prior.names))))["us_compute_stock_2025"]
    assert values[0] == pytest.approx(1.5)  # not clipped to the registry's bounds
    with pytest.raises(AileadError, match="unknown parameters nonsense"):
        registry_prior({"nonsense": 1.0})


SCENARIO = load_scenario(CALIBRATION_SCENARIO)


def test_the_2025_run_sees_only_2025_observations_and_the_start_stock():
    obs = select_observations(SCENARIO)
    assert obs["end"].min() == pd.Timestamp("2024-12-31")
    assert obs["end"].max() <= pd.Timestamp("2025-12-31")
    assert len(obs) >= 15


def test_screening_keeps_what_moves_the_record_and_drops_what_cannot():
    obs = select_observations(SCENARIO)
    informed = informed_parameters(SCENARIO, obs, registry_prior())
    for name in ("us_compute_stock_2025", "initial_lead_months", "largest_run_share_cn"):
        assert name in informed
    assert "remote_closure_leakage" not in informed  # acts only once the loophole is closed


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    cal = calibrate(samples=120, seed=2)
    path = cal.write(tmp_path_factory.mktemp("post") / "posterior.csv")
    return cal, path


def test_calibration_narrows_what_the_record_pins_down(small):
    cal, _ = small
    table = cal.parameter_table().set_index("parameter")
    assert table.loc["initial_lead_months", "narrowing"] > 0.2
    assert table.loc["largest_run_share_us", "narrowing"] > 0.2
    fit = cal.fit_table()
    assert len(fit) == len(cal.observations)
    assert np.isfinite(fit["z"]).all()
    # the posterior sits closer to the record than the prior did, on the whole
    prior_error = np.abs(np.log10(fit["prior_p50"] / fit["observed"]))
    post_error = np.abs(np.log10(fit["post_p50"] / fit["observed"]))
    assert post_error.sum() < prior_error.sum()


def test_the_particle_file_round_trips_and_checks_itself(small, tmp_path):
    cal, path = small
    meta, frame = read_posterior(path)
    assert int(meta["particles"]) == 120 and meta["likelihood"].startswith("Gaussian")
    assert frame["weight"].sum() == pytest.approx(1.0)
    assert stale_reason(path) is None
    lines = path.read_text().splitlines()
    header = [i for i, line in enumerate(lines) if line.startswith("weight,")][0]
    row = lines[header + 1].split(",")
    row[-1] = str(float(row[-1]) + 5.0)
    lines[header + 1] = ",".join(row)
    tampered = tmp_path / "tampered.csv"
    tampered.write_text("\n".join(lines) + "\n")
    assert stale_reason(tampered) == "the model's outputs changed"


def test_posterior_samples_cover_every_registry_parameter_and_follow_the_file(small):
    _, path = small
    draws = posterior_sample(300, seed=1, path=path)
    registry = ailead.load_registry()
    assert set(draws) == set(registry.parameters)
    assert all(len(v) == 300 for v in draws.values())
    _, frame = read_posterior(path)
    assert set(np.unique(draws["initial_lead_months"])) <= set(frame["initial_lead_months"])
    # parameters the record cannot inform keep their prior draws
    np.testing.assert_array_equal(
        draws["remote_closure_leakage"], registry.sample(300, 1)["remote_closure_leakage"]
    )
    fewer = posterior_sample(40, seed=1, path=path)  # the first k of n draws are a draw of k
    for name in ("initial_lead_months", "remote_closure_leakage"):
        np.testing.assert_array_equal(draws[name][:40], fewer[name])


def test_posterior_draws_follow_the_weights(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("# toy\nweight,initial_lead_months\n0.9,5.0\n0.1,10.0\n")
    draws = posterior_sample(1000, seed=0, path=path)["initial_lead_months"]
    assert np.mean(draws == 5.0) == pytest.approx(0.9, abs=0.03)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("weight,nonsense\n1.0,2.0\n", "parameter 'nonsense' is not in the registry"),
        ("weight,initial_lead_months\n-1.0,2.0\n", "weights must be non-negative"),
        ("nothing here\n", "no particles"),
    ],
)
def test_a_bad_posterior_file_gets_one_plain_message(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(AileadError, match=message):
        posterior_sample(10, path=path)
    with pytest.raises(AileadError, match="cannot be read"):
        posterior_sample(10, path=tmp_path / "missing.csv")


def test_the_shipped_posterior_matches_the_current_model_registry_and_record():
    assert shipped_posterior_path().is_file()
    reason = stale_reason()
    assert reason is None, f"data/posterior.csv is stale ({reason}): run tools/update_validation.py"


def test_calibrate_refuses_too_few_samples():
    with pytest.raises(AileadError, match="samples: value 10"):
        calibrate(samples=10)


def test_a_bound_costs_nothing_from_its_side_and_a_gaussian_tail_from_the_other():
    m = np.array([[-3.0, -1.0, 0.0, 1.0, 3.0, 30.0]])
    lower = gaussian_log_likelihood(m, np.array([0.0]), np.ones(1), np.array([1]))
    upper = gaussian_log_likelihood(m, np.array([0.0]), np.ones(1), np.array([-1]))
    assert np.all(np.diff(lower) > 0) and np.all(np.diff(upper) < 0)  # monotone, never flat
    assert lower[-1] == pytest.approx(0.0, abs=1e-12) and upper[0] > -0.01
    assert lower[2] == pytest.approx(np.log(0.5))  # at the bound: half the mass on each side
    mirrored = gaussian_log_likelihood(-m, np.array([0.0]), np.ones(1), np.array([-1]))
    np.testing.assert_allclose(lower, mirrored)
    # Far on the wrong side the bound is as costly as a measurement, up to log z terms.
    point = gaussian_log_likelihood(m, np.array([0.0]), np.ones(1))
    assert lower[0] < point[0] < lower[0] + 3.0
