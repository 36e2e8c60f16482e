"""The explorer's micro-batching: concurrent runs share engine passes and get their own results."""

import threading

import numpy as np
import xarray as xr

from ailead.engine import run_parameters
from ailead.errors import AileadError
from ailead.registry import load_registry
from ailead.scenario import load_scenario
from ailead.web.batching import EngineBatcher


def _jobs(n):
    registry = load_registry()
    jobs = []
    for i in range(n):
        scenario = load_scenario(("status-quo", "us-lead", "catch-up")[i % 3])
        scenario = scenario.model_copy(
            update={"switches": {**scenario.switches, "compute": round(0.1 * i, 2)}}
        )
        jobs.append((scenario, registry.sample(1 + i % 4, i)))
    return jobs


def _run_concurrently(batcher, jobs):
    results: list = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def one(i):
        start.wait()
        try:
            results[i] = batcher.run(*jobs[i])
        except AileadError as exc:
            results[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_concurrent_runs_are_batched_and_each_gets_its_own_dataset():
    batcher = EngineBatcher(max_samples=2000)
    jobs = _jobs(12)
    try:
        results = _run_concurrently(batcher, jobs)
    finally:
        batcher.shutdown()
    assert batcher.batches < len(jobs)  # some runs shared a pass
    for (scenario, params), ds in zip(jobs, results, strict=True):
        xr.testing.assert_allclose(ds, run_parameters(scenario, params), rtol=1e-12)


def test_a_batch_never_exceeds_its_sample_budget():
    batcher = EngineBatcher(max_samples=3)  # jobs of 1 to 4 samples: mostly alone
    jobs = _jobs(8)
    try:
        results = _run_concurrently(batcher, jobs)
    finally:
        batcher.shutdown()
    assert batcher.batches >= 4
    assert [ds.sizes["sample"] for ds in results] == [1 + i % 4 for i in range(8)]


def test_a_failing_run_gets_its_error_and_the_others_their_results():
    jobs = _jobs(6)
    scenario, params = jobs[2]
    broken = {k: v for k, v in params.items() if k != "initial_lead_months"}
    jobs[2] = (scenario, broken)
    batcher = EngineBatcher(max_samples=2000)
    try:
        results = _run_concurrently(batcher, jobs)
    finally:
        batcher.shutdown()
    assert isinstance(results[2], AileadError)
    assert "initial_lead_months" in str(results[2])
    for i in (0, 1, 3, 4, 5):
        assert np.isfinite(results[i]["lead_months"].values).all()


def test_a_stopped_batcher_starts_again_on_the_next_run():
    batcher = EngineBatcher(max_samples=100)
    scenario, params = _jobs(1)[0]
    first = batcher.run(scenario, params)
    batcher.shutdown()
    second = batcher.run(scenario, params)
    batcher.shutdown()
    xr.testing.assert_identical(first, second)
