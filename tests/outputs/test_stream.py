"""Streamed runs: chunks give the run's own samples, and the monthly sketch keeps its bound."""

import numpy as np
import pytest

import ailead
from ailead.outputs import stream
from ailead.outputs.stream import Sketch, run_streamed
from ailead.outputs.summary import HEADLINE_VARIABLES, outcome_probabilities, summarize

N = 600


@pytest.fixture(scope="module")
def whole():
    return ailead.run("status-quo", samples=N, seed=1)


@pytest.mark.parametrize("chunk", [N, 137])
def test_at_the_target_a_streamed_run_is_the_run_sample_for_sample(whole, chunk):
    got = run_streamed("status-quo", N, seed=1, chunk=chunk).at_target
    want = whole.sel(time=[np.datetime64(whole.attrs["target"], "ns")])
    for name in (*HEADLINE_VARIABLES, "outcome"):
        np.testing.assert_array_equal(got[name].values, want[name].values, err_msg=name)
    assert summarize(got) == summarize(whole)
    assert outcome_probabilities(got) == outcome_probabilities(whole)
    assert got.attrs["samples"] == N and got.sizes["sample"] == N


def test_no_chunk_holds_more_samples_than_asked(monkeypatch):
    sizes = []
    real = stream.run_parameters

    def counting(sc, params, **kw):
        sizes.append(len(params["algorithmic_progress"]))
        return real(sc, params, **kw)

    monkeypatch.setattr(stream, "run_parameters", counting)
    done = []
    run_streamed("catch-up", 250, seed=2, chunk=100, on_chunk=lambda k, n: done.append((k, n)))
    assert sizes == [100, 100, 50] and done == [(100, 250), (200, 250), (250, 250)]


def test_monthly_quantiles_are_within_one_bin_of_the_runs(whole):
    monthly = run_streamed("status-quo", N, seed=1, chunk=150).monthly
    for name in ("lead_months", "adoption", "capability", "accessible_compute_h100e"):
        exact = whole[name].quantile([0.05, 0.5, 0.95], dim="sample", method="inverted_cdf")
        exact = exact.transpose("quantile", "time", ...).values
        values = whole[name].transpose("sample", "time", ...).values
        first = values[:150].reshape(150, values.shape[1], -1)
        sketch = Sketch(first)
        width = sketch.width.reshape(values.shape[1:])
        log = np.broadcast_to(sketch.log, sketch.width.shape).reshape(values.shape[1:])
        got = monthly[name].values
        error = np.where(log, np.abs(np.log10(got / exact)), np.abs(got - exact))
        assert np.all(error <= width * (1 + 1e-9)), name


def test_the_sketch_on_a_known_distribution():
    rng = np.random.default_rng(0)
    values = rng.normal(3.0, 2.0, size=(40_000, 1, 1))
    sketch = Sketch(values[:5_000])
    for start in range(0, 40_000, 5_000):
        sketch.add(values[start : start + 5_000])
    got = sketch.quantiles([0.05, 0.5, 0.95])[:, 0, 0]
    exact = np.quantile(values[:, 0, 0], [0.05, 0.5, 0.95], method="inverted_cdf")
    assert np.all(np.abs(got - exact) <= sketch.width[0, 0])
    assert not sketch.log[0]
    # Counts add up, and a value far outside the first chunk's range lands in an end bin.
    sketch.add(np.array([[[1e6]]]))
    assert sketch.counts.sum() == 40_001 and sketch.counts[0, 0, -1] >= 1


def test_one_sample_streams_the_defaults():
    got = run_streamed("us-lead", 1).at_target
    want = ailead.run("us-lead")
    k = int(np.searchsorted(want["time"].values, np.datetime64(want.attrs["target"], "ns")))
    assert float(got["lead_months"].values[0, 0]) == float(want["lead_months"].values[0, k])


def test_posterior_runs_stream_the_posterior_draws():
    sc = {"name": "calibrated", "extends": "status-quo", "calibration": "posterior"}
    got = run_streamed(sc, 300, seed=4, chunk=70).at_target
    want = ailead.run(sc, samples=300, seed=4)
    assert summarize(got) == summarize(want)


def test_a_first_chunk_of_one_sample_is_the_runs_first_draw_not_the_defaults():
    one = run_streamed("status-quo", 3, seed=1, chunk=1).at_target
    want = ailead.run("status-quo", samples=3, seed=1)
    k = int(np.searchsorted(want["time"].values, np.datetime64(want.attrs["target"], "ns")))
    np.testing.assert_array_equal(one["lead_months"].values[:, 0], want["lead_months"].values[:, k])
