"""The engine end to end: labelled output, reproducibility, physical sanity."""

import json

import numpy as np
import pytest
import xarray as xr

import ailead
from ailead.errors import AileadError

REQUIRED = (
    "production_h100e",
    "compute_stock_h100e",
    "accessible_compute_h100e",
    "largest_run_flop",
    "algorithmic_efficiency",
    "effective_compute",
    "capability",
    "lead_months",
)


@pytest.fixture(scope="module")
def sq():
    return ailead.run("status-quo", samples=32, seed=4)


def test_dataset_has_the_promised_variables_dims_units_and_provenance(sq):
    for name in REQUIRED:
        assert name in sq and sq[name].attrs["units"]
    assert sq["capability"].dims == ("sample", "time", "bloc")
    assert sq["lead_months"].dims == ("sample", "time")
    assert sq.sizes == {
        "sample": 32,
        "time": 72,
        "bloc": 2,
        "market": 2,
        "supplier": 3,
        "response": 4,
        "parameter": sq.sizes["parameter"],
    }
    assert str(sq.time.values[0])[:7] == "2025-01" and str(sq.time.values[-1])[:7] == "2030-12"
    assert sq.attrs["scenario"] == "status-quo" and sq.attrs["seed"] == 4
    assert json.loads(sq.attrs["switches"]) == {"compute": 0.5, "access": 0.5, "distillation": 0.5}
    assert "under the stated assumptions" in sq.attrs["caveat"]


def test_same_seed_same_numbers_and_prefix_property(sq):
    again = ailead.run("status-quo", samples=32, seed=4)
    short = ailead.run("status-quo", samples=8, seed=4)
    np.testing.assert_array_equal(sq["lead_months"].values, again["lead_months"].values)
    np.testing.assert_array_equal(sq["lead_months"].values[:8], short["lead_months"].values)
    other = ailead.run("status-quo", samples=32, seed=5)
    assert not np.array_equal(sq["lead_months"].values, other["lead_months"].values)


def test_stocks_production_and_ratios_are_physical(sq):
    for name in (
        "production_h100e",
        "compute_stock_h100e",
        "accessible_compute_h100e",
        "largest_run_flop",
        "effective_compute",
    ):
        assert np.isfinite(sq[name].values).all() and (sq[name].values >= 0).all(), name
    assert (sq["compute_ratio"].values > 0).all()
    # Best-so-far capability never falls.
    assert (np.diff(sq["capability"].values, axis=1) >= -1e-12).all()


def test_deterministic_run_uses_the_defaults():
    ds = ailead.run("status-quo")
    registry = ailead.load_registry()
    used = ds["parameters"].isel(sample=0)
    for name in ("algorithmic_progress", "us_production_growth"):
        assert float(used.sel(parameter=name)) == registry[name].default


def test_scenario_start_and_end_trim_the_output(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text("extends: status-quo\nstart: 2026-01\nend: 2027-06\ntarget: 2027-01\n")
    ds = ailead.run(str(path))
    full = ailead.run("status-quo")
    assert ds.sizes["time"] == 18
    np.testing.assert_allclose(
        ds["lead_months"].values, full["lead_months"].sel(time=ds.time).values
    )


def test_policies_act_from_the_policy_start():
    a, b = ailead.run("us-lead"), ailead.run("catch-up")
    before = a.time < np.datetime64("2026-01", "ns")
    np.testing.assert_allclose(
        a["lead_months"].values[:, before], b["lead_months"].values[:, before]
    )
    assert float(a["lead_months"][0, -1]) > float(b["lead_months"][0, -1])


def test_summary_reads_each_metric_at_the_target_date(sq):
    summary = ailead.summarize(sq)
    at = sq.sel(time=sq.attrs["target"])
    samples = {
        "lead_months": at["lead_months"],
        "compute_ratio": at["compute_ratio"],
        "capability_us": at["capability"].sel(bloc="us"),
        "capability_cn": at["capability"].sel(bloc="cn"),
    }
    for metric, values in samples.items():
        expected = np.quantile(values.values.ravel(), [0.05, 0.5, 0.95])
        got = [summary[metric][k] for k in ("p5", "p50", "p95")]
        np.testing.assert_allclose(got, expected, rtol=1e-12, err_msg=metric)


@pytest.mark.parametrize("kwargs", [{"samples": 0}, {"samples": 2.5}, {"seed": -1}])
def test_bad_run_arguments(kwargs):
    with pytest.raises(AileadError):
        ailead.run("status-quo", **kwargs)


def test_a_batch_of_runs_gives_the_same_datasets_as_separate_runs():
    """`run_batch` joins runs along the sample axis: valid only because no sample reads
    another's state. Different scenarios, sample counts and periods in one batch."""
    from ailead.inputs.registry import load_registry
    from ailead.inputs.scenario import load_scenario
    from ailead.outputs.engine import run_batch, run_parameters

    registry = load_registry()
    short = load_scenario("us-lead").model_copy(update={"end": "2029-06", "target": "2029-06"})
    jobs = [
        (load_scenario("catch-up"), registry.sample(7, 1)),
        (short, registry.sample(1, 0)),
        (
            load_scenario("status-quo").with_overrides({"distillation_lag_months": 3}),
            registry.sample(20, 2),
        ),
    ]
    for (scenario, params), batched in zip(jobs, run_batch(jobs), strict=True):
        separate = run_parameters(scenario, params)
        assert batched.sizes == separate.sizes
        xr.testing.assert_allclose(batched, separate, rtol=1e-12)
        assert batched.attrs == separate.attrs


def test_variables_keeps_only_the_named_outputs_with_the_same_values():
    from ailead.inputs.registry import load_registry
    from ailead.outputs.engine import run_parameters

    params = load_registry().sample(6, 3)
    full = run_parameters("catch-up", params)
    kept = run_parameters("catch-up", params, variables=["lead_months", "misuse_exposure"])
    assert set(kept.data_vars) == {"lead_months", "misuse_exposure", "outcome", "parameters"}
    for name in kept.data_vars:
        xr.testing.assert_identical(kept[name], full[name])
