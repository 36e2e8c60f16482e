"""The compiled backend (`ailead.sim.scan`, `backend="jax"`) against the NumPy loop.

float64 on a CPU: every variable of the Dataset of every preset equals NumPy's within 1e-9
relative (1e-9 absolute for values that should be zero). float32 (the GPU default), run here on
the CPU: the lead within 0.05 months of float64, the verdicts the same. A new sample count in
the same bucket, or new parameter values, do not compile again.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import jax
import numpy as np
import pytest
from cli_helpers import invoke, ok

import ailead
from ailead.errors import AileadError
from ailead.outputs.engine import run, run_batch, run_parameters, summary_run
from ailead.sim import scan

PRESETS = ailead.presets()
FLOAT32_LEAD_MONTHS = 0.05  # the stated float32 tolerance on the lead [months]


def assert_same_dataset(got, want, rtol):
    assert list(got.data_vars) == list(want.data_vars)
    for name, variable in want.data_vars.items():
        if variable.dtype.kind == "f":
            np.testing.assert_allclose(
                got[name].values, variable.values, rtol=rtol, atol=rtol, err_msg=name
            )
        else:
            np.testing.assert_array_equal(got[name].values, variable.values, err_msg=name)


@pytest.mark.parametrize("samples", [1, 64])
@pytest.mark.parametrize("scenario", PRESETS)
def test_every_variable_equals_numpy_in_float64(scenario, samples, monkeypatch):
    monkeypatch.setenv(scan.PRECISION_ENV, "float64")
    want = run(scenario, samples=samples, seed=3)
    got = run(scenario, samples=samples, seed=3, backend="jax")
    assert got.lead_months.dtype == np.float64
    assert_same_dataset(got, want, rtol=1e-9)


def test_float32_keeps_the_lead_within_its_tolerance(monkeypatch):
    monkeypatch.setenv(scan.PRECISION_ENV, "float32")
    for scenario in PRESETS:
        want = run(scenario, samples=64, seed=5)
        got = run(scenario, samples=64, seed=5, backend="jax")
        assert got.lead_months.dtype == np.float32
        worst = np.abs(got.lead_months.values - want.lead_months.values).max()
        assert worst < FLOAT32_LEAD_MONTHS, (scenario, worst)
        np.testing.assert_array_equal(got.outcome.values, want.outcome.values)


def test_a_new_sample_count_or_new_values_in_the_same_bucket_do_not_compile(monkeypatch):
    monkeypatch.setenv(scan.PRECISION_ENV, "float64")
    assert scan.bucket(5) == scan.bucket(16) == 16 < scan.bucket(17)
    jax.clear_caches()  # nothing compiled in this process yet
    before = scan.traces
    run("status-quo", samples=5, backend="jax")
    assert scan.traces == before + 1
    run("status-quo", samples=16, seed=9, backend="jax")
    moved = {"name": "m", "extends": "status-quo", "parameters": {"cn_compute_stock_2025": 1e6}}
    run(moved, samples=11, backend="jax")
    assert scan.traces == before + 1
    run("status-quo", samples=17, backend="jax")  # the next bucket: one compilation
    assert scan.traces == before + 2


def test_buckets_cover_every_count_and_waste_little_at_scale():
    for n in [1, 2, 3, 4, 5, 64, 65, 4**8, 4**8 + 1, 100_000, 10**6]:
        size = scan.bucket(n)
        assert n <= size < (4 * n if n <= 4**8 else n + 4**8)
    assert scan.bucket(100_000) / 100_000 < 1.5 and scan.bucket(10**6) / 10**6 < 1.05
    assert len({scan.bucket(n) for n in range(1, 4**8 + 1)}) == scan.POWER_BUCKETS + 1


def test_batches_and_the_summary_match_numpy(monkeypatch):
    monkeypatch.setenv(scan.PRECISION_ENV, "float64")
    draws = ailead.load_registry().sample(40, 2)
    halves = [
        ("us-lead", {k: v[:24] for k, v in draws.items()}),
        ("catch-up", {k: v[24:] for k, v in draws.items()}),
    ]
    for got, (scenario, params) in zip(run_batch(halves, backend="jax"), halves, strict=True):
        assert_same_dataset(got, run_parameters(scenario, params), rtol=1e-9)
    want = summary_run("us-lead", samples=40, seed=2, backend="numpy")
    got = summary_run("us-lead", samples=40, seed=2, backend="jax")
    full = run("us-lead", samples=40, seed=2)
    for name in want.data_vars:
        np.testing.assert_allclose(got[name].values, want[name].values, rtol=1e-9, err_msg=name)
    quantiles = full.lead_months.quantile(list(got["quantile"].values), dim="sample")
    np.testing.assert_allclose(got.lead_months.values, quantiles.values, rtol=1e-9)
    shares = [np.mean(full.outcome.values == o) for o in got.outcome.values]
    np.testing.assert_allclose(got.outcome_share.values, shares)


def test_bad_backends_are_refused_plainly(monkeypatch):
    with pytest.raises(AileadError, match="backend: 'torch' is not allowed; allowed: numpy, jax"):
        run("status-quo", backend="torch")
    with monkeypatch.context() as patched:
        patched.setitem(sys.modules, "jax", None)  # as if JAX were not installed
        scan._jax.cache_clear()
        with pytest.raises(AileadError, match=r"JAX is not installed.*ailead\[gpu\]"):
            run("status-quo", backend="jax")
    scan._jax.cache_clear()


def test_a_fresh_process_keeps_numpy_precision_and_fills_the_cache(tmp_path):
    code = (
        "import jax, jax.numpy as jnp, ailead\n"
        "ds = ailead.run('status-quo', backend='jax')\n"
        "print(ds.lead_months.dtype, jnp.zeros(1).dtype, jax.config.jax_enable_x64)"
    )
    src = str(Path(ailead.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": src, scan.CACHE_ENV: str(tmp_path), "JAX_PLATFORMS": "cpu"}
    env.pop(scan.PRECISION_ENV, None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.split() == ["float64", "float32", "False"]
    assert any(tmp_path.iterdir()), "no compiled run in the persistent cache"


def test_the_command_line_runs_either_backend(monkeypatch):
    monkeypatch.setenv(scan.PRECISION_ENV, "float64")
    args = ("run", "us-lead", "--samples", "64", "--seed", "3", "--format", "json")
    numpy_out = json.loads(ok(*args).stdout)
    jax_out = json.loads(ok(*args, "--backend", "jax").stdout)
    assert jax_out.keys() == numpy_out.keys()
    assert jax_out["summary"].keys() == numpy_out["summary"].keys()
    for metric, values in numpy_out["summary"].items():
        assert jax_out["summary"][metric] == pytest.approx(values, rel=1e-9, abs=1e-9), metric
    refused = invoke("run", "us-lead", "--backend", "torch")
    assert refused.exit_code == 2 and "Traceback" not in refused.output
