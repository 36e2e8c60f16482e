"""The shipped observations and how each one is read from a model run."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ailead
from ailead import AileadError
from ailead.calibrate.observations import (
    SERIES,
    load_observations,
    model_values,
    observations_path,
    on_scale,
    total_sd,
)
from ailead.outputs.engine import run_parameters

OBS = load_observations()
FOLDER = observations_path().parent


def test_every_row_is_a_known_series_with_a_source_and_a_positive_sd():
    assert set(OBS["series"]) <= set(SERIES)
    assert (OBS["sd"] > 0).all()
    assert OBS["citation"].str.len().gt(10).all()
    assert OBS["source"].str.len().gt(0).all()
    logged = OBS[OBS["scale"] == "log10"]
    assert (logged["value"] > 0).all()
    assert (OBS["end"] >= OBS["start"]).all()


def test_the_record_spans_2022_to_2025_and_every_series_the_brief_names():
    assert OBS["end"].min().year == 2022 and OBS["end"].max().year == 2025
    for series in ("us_installed_compute", "largest_run_flop", "frontier_eci", "lead_months"):
        assert series in set(OBS["series"])
    for bloc in ("us", "cn"):
        assert ((OBS["series"] == "largest_run_flop") & (OBS["bloc"] == bloc)).sum() >= 3
        assert ((OBS["series"] == "frontier_eci") & (OBS["bloc"] == bloc)).sum() >= 3


def test_stocks_and_best_scores_never_fall():
    installed = OBS[OBS["series"] == "us_installed_compute"].sort_values("end")
    assert installed["value"].is_monotonic_increasing
    for bloc in ("us", "cn"):
        best = OBS[(OBS["series"] == "frontier_eci") & (OBS["bloc"] == bloc)].sort_values("end")
        assert best["value"].is_monotonic_increasing
        runs = OBS[(OBS["series"] == "largest_run_flop") & (OBS["bloc"] == bloc)]
        assert runs.sort_values("end")["value"].is_monotonic_increasing


def test_a_source_range_brackets_its_value():
    ranged = OBS.dropna(subset=["p5", "p95"])
    assert len(ranged) > 5
    assert (ranged["p5"] <= ranged["value"]).all() and (ranged["value"] <= ranged["p95"]).all()


def test_licence_and_attribution_ship_beside_the_data():
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "CC-BY 4.0" in readme and "Epoch AI" in readme
    assert "Copyright (c) 2025 Epoch AI" in (FOLDER / "LICENSE-epoch-ai.txt").read_text()


def _write(tmp_path: Path, **change) -> Path:
    frame = pd.read_csv(observations_path(), keep_default_na=False, dtype=str).head(3)
    for column, value in change.items():
        frame.loc[0, column] = value
    path = tmp_path / "obs.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"series": "gdp"}, "field 'series': value 'gdp'"),
        ({"sd": "-1"}, "field 'sd'"),
        ({"end": "sometime"}, "field 'end'"),
        ({"scale": "linear"}, "field 'scale'"),
        ({"end": "2300-01-01"}, "field 'end': value '2300-01-01' is not allowed; allowed: a date"),
        ({"start": "0001-01-01"}, "field 'start'"),
        ({"value": "9" * 400}, "field 'value': value <an integer of 400 digits>"),
        ({"value": "nan"}, "field 'value'"),
        ({"sd": "inf"}, "field 'sd'"),
        ({"bound": "sideways"}, "field 'bound': value 'sideways' is not allowed; allowed: lower"),
    ],
)
def test_a_bad_row_gets_one_plain_message_naming_row_and_field(tmp_path, change, named):
    with pytest.raises(AileadError, match="row 2") as err:
        load_observations(_write(tmp_path, **change))
    assert named in str(err.value)


def test_a_file_that_is_not_utf8_is_refused_plainly(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_bytes(b"series,value\n\xff\xfe,1\n")
    with pytest.raises(AileadError, match=r"obs.csv: cannot be read \('utf-8' codec"):
        load_observations(path)


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("series,value\nus_production,1\n")
    with pytest.raises(AileadError, match="missing columns"):
        load_observations(path)


@pytest.fixture(scope="module")
def run():
    params = ailead.load_registry().sample(4, 3)
    params["cn_chip_perf_growth"] = np.full(4, 1.0)
    sc = {"name": "t", "extends": "status-quo", "end": "2026-06", "target": "2026-06"}
    return run_parameters(sc, params)


def _obs(series, bloc, start, end):
    return pd.DataFrame(
        {
            "series": [series],
            "bloc": [bloc],
            "start": [pd.Timestamp(start)],
            "end": [pd.Timestamp(end)],
            "value": [1.0],
            "sd": [1.0],
            "scale": [SERIES[series].scale],
        }
    )


def test_a_level_is_the_variable_in_the_month_of_its_end(run):
    got = model_values(run, _obs("largest_run_flop", "cn", "2025-04-11", "2025-04-11"))[0]
    want = run["largest_run_flop"].sel(bloc="cn", time=np.datetime64("2025-04", "ns")).values
    np.testing.assert_allclose(got, want)


def test_a_flow_is_the_sum_over_its_months(run):
    got = model_values(run, _obs("cn_nvidia_imports", "cn", "2025-01-01", "2025-12-31"))[0]
    want = run["exports_h100e"].isel(time=slice(0, 12)).sum("time").values
    np.testing.assert_allclose(got, want)


def test_installed_compute_is_the_first_stock_plus_production_without_retirements(run):
    stock = run["compute_stock_h100e"].sel(bloc="us").isel(time=0).values
    at_start = model_values(run, _obs("us_installed_compute", "us", "2024-12-31", "2024-12-31"))
    np.testing.assert_allclose(at_start[0], stock)
    later = model_values(run, _obs("us_installed_compute", "us", "2025-03-31", "2025-03-31"))[0]
    made = run["production_h100e"].sel(bloc="us").isel(time=slice(0, 3)).sum("time").values
    np.testing.assert_allclose(later, stock + made)


def test_domestic_chips_are_h100e_over_the_performance_per_chip(run):
    got = model_values(run, _obs("cn_domestic_accelerators", "cn", "2025-01-01", "2025-12-31"))
    h100e = run["production_h100e"].sel(bloc="cn").isel(time=slice(0, 12)).sum("time").values
    per_chip = run["parameters"].sel(parameter="cn_chip_h100e_2025").values
    np.testing.assert_allclose(got[0], h100e / per_chip)


def test_an_observation_outside_the_run_is_nan(run):
    before = model_values(run, _obs("us_production", "us", "2024-01-01", "2024-12-31"))
    after = model_values(run, _obs("frontier_eci", "us", "2027-03-31", "2027-03-31"))
    assert np.isnan(before).all() and np.isnan(after).all()


def test_total_sd_adds_the_series_discrepancy_in_quadrature():
    row = OBS[OBS["series"] == "frontier_eci"].head(1)
    assert total_sd(row)[0] == pytest.approx(np.hypot(row["sd"].iloc[0], 3.0))
    assert on_scale(np.array([100.0]), "log10")[0] == pytest.approx(2.0)


def test_a_best_score_is_a_lower_bound_exactly_where_a_larger_model_has_no_score():
    # Rows are bounds by a rule on the index, not by choice: the note names the unscored model.
    eci = OBS[OBS["series"] == "frontier_eci"]
    bounded = eci[eci["bound"] == "lower"]
    assert len(bounded) and bounded["note"].str.contains("used more training compute").all()
    assert not eci.loc[eci["bound"] == "", "note"].str.contains("Lower bound").any()
    # Qwen-14B was the best scored PRC model of 2023, but DeepSeek-LLM-67B (Nov 2023) is not scored.
    at = eci[(eci["bloc"] == "cn") & (eci["end"] == "2023-12-31")].iloc[0]
    assert at["bound"] == "lower" and "deepseek-llm-67b" in at["note"]
    assert set(OBS["bound"]) <= {"", "lower", "upper"}
