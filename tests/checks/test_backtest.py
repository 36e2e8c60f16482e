"""The backtest: 2023 initial conditions, held-out selection, error metrics and the chart.

The whole pipeline is exercised on a short 2025-anchored split (calibrated on the first half of
2025, scored on the second), which is quicker than the 2023-2025 backtest itself.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import ailead
from ailead.calibrate.inference import CALIBRATION_SCENARIO, registry_prior
from ailead.calibrate.observations import load_observations
from ailead.checks import backtest
from ailead.inputs.registry import Distribution


def test_every_initial_condition_is_a_registry_parameter_with_a_source():
    registry = ailead.load_registry()
    conditions = backtest.initial_conditions()
    for name, condition in conditions.items():
        assert name in registry.parameters
        assert len(condition.source) > 10
    assert "us_compute_stock_2025" in conditions and "cn_compute_stock_2025" in conditions


def test_2023_conditions_come_from_the_2022_record():
    obs = load_observations()
    installed = obs[(obs["series"] == "us_installed_compute") & (obs["end"] == "2022-12-31")]
    stock = backtest.initial_conditions()["us_compute_stock_2025"].value
    assert isinstance(stock, Distribution)
    assert stock.args["p5"] == pytest.approx(installed["p5"].iloc[0], rel=0.01)
    assert stock.args["p95"] == pytest.approx(installed["p95"].iloc[0], rel=0.01)


def test_the_2023_display_scale_gives_gpt4_its_score():
    intercept, slope = backtest._eci_scale_2023()
    r0 = ailead.load_registry().parameters["algorithmic_progress"].default
    # GPT-4: 2.1e25 FLOP in March 2023, ECI 125.7; capability in 2023-01 algorithms
    capability = np.log10(2.1e25) + r0 * 2.5 / 12
    assert intercept + slope * capability == pytest.approx(125.7, abs=5)


def test_the_prior_carries_the_2023_conditions_unclipped():
    prior = backtest.backtest_prior()
    values = prior.parameters(np.zeros((1, len(prior.names))))
    assert values["us_compute_stock_2025"][0] < 1e6  # below the 2025 bounds
    assert prior.fixed["cn_hbm_stockpile_2025"] == 0.0


def test_held_out_observations_are_those_of_2024_and_2025():
    held = backtest.held_out_observations()
    assert held["end"].min() >= pd.Timestamp("2024-01-01")
    assert held["end"].max() <= pd.Timestamp("2025-12-31")
    assert {"largest_run_flop", "frontier_eci", "lead_months"} <= set(held["series"])


def test_errors_are_bias_rmse_and_coverage_on_the_series_scale():
    obs = pd.DataFrame(
        {
            "series": ["us_production"] * 2,
            "bloc": ["us"] * 2,
            "end": pd.to_datetime(["2024-12-31", "2025-12-31"]),
            "value": [100.0, 1000.0],
            "unit": ["H100e"] * 2,
            "scale": ["log10"] * 2,
        }
    )
    values = np.array([[200.0] * 10, [1000.0] * 5 + [2000.0] * 5])
    pred = backtest.predictions(obs, values, np.ones(10))
    np.testing.assert_allclose(pred["error"], [np.log10(2), np.log10(1500 / 1000)], atol=0.05)
    assert list(pred["covered"]) == [False, True]
    errors = backtest.error_table(pred, pred)
    assert errors.loc[0, "prior_bias"] == pytest.approx(pred["error"].mean())
    assert errors.loc[0, "prior_rmse"] == pytest.approx(np.sqrt(np.mean(pred["error"] ** 2)))
    assert errors.loc[0, "prior_coverage"] == 0.5


@pytest.fixture(scope="module")
def split_2025():
    return backtest.run_backtest(
        samples=100,
        seed=1,
        scenario=CALIBRATION_SCENARIO,
        prior=registry_prior(),
        calibrated_until="2025-06-30",
        held_out=("2025-07-01", "2025-12-31"),
    )


def test_a_backtest_calibrates_only_on_what_comes_before_the_split(split_2025):
    used = split_2025.calibration.observations
    assert used["end"].max() <= pd.Timestamp("2025-06-30")
    scored = split_2025.calibrated_predictions
    assert scored["end"].min() >= pd.Timestamp("2025-07-01")
    assert set(split_2025.errors["series"]) == set(scored["series"])
    assert (split_2025.errors["n"] >= 1).all()


def test_the_chart_is_written_as_png_and_svg(split_2025, tmp_path):
    two = dict(list(split_2025.paths.items())[:2])  # two panels keep the test quick
    written = backtest.chart(replace(split_2025, paths=two), tmp_path / "bt")
    assert [p.suffix for p in written] == [".png", ".svg"]
    assert all(p.stat().st_size > 5_000 for p in written)


def test_the_2023_run_starts_from_the_2023_conditions():
    from ailead.calibrate.inference import select_observations
    from ailead.calibrate.smc import sobol_normal
    from ailead.inputs.scenario import load_scenario
    from ailead.outputs.engine import run_parameters

    scenario = load_scenario(backtest.SCENARIO)
    prior = backtest.backtest_prior()
    ds = run_parameters(scenario, prior.parameters(sobol_normal(8, len(prior.names), 0)))
    assert str(ds["time"].values[0])[:7] == "2023-01"
    stock = ds["compute_stock_h100e"].sel(bloc="us").isel(time=0).values
    assert ((stock > 1.5e5) & (stock < 4e5)).all()
    used = select_observations(scenario, until=backtest.CALIBRATED_UNTIL)
    assert used["end"].min() == pd.Timestamp("2022-12-31")  # the starting stock
    assert used["end"].max() <= pd.Timestamp("2023-12-31")
