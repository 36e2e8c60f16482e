"""The engine pool: queued requests answered in batches that share one engine pass."""

import asyncio
import json

import httpx
import pytest

from ailead import run
from ailead.web import answers, results
from ailead.web.app import create_app
from ailead.web.limits import Limits
from ailead.web.models import RunRequest


def _run(switch: float, samples: int = 3) -> RunRequest:
    return RunRequest(scenario="catch-up", switches={"compute": switch}, samples=samples, seed=2)


def test_a_batch_answers_each_request_as_a_separate_run_would():
    requests = [_run(0.1 * i) for i in range(4)]
    replies = answers.answer([("run", r.model_dump_json()) for r in requests])
    for request, (status, content) in zip(requests, replies, strict=True):
        assert status == "ok"
        got = json.loads(content)
        alone = run(results.resolve(request), samples=3, seed=2)
        expected = float(alone["lead_months"].sel(time=alone.attrs["target"]).median())
        assert got["summary"]["lead_months"]["p50"] == pytest.approx(expected, rel=1e-12)
        assert got["switches"]["compute"] == request.switches["compute"]


def test_a_refused_request_does_not_spoil_its_batch():
    bad = json.dumps(
        {"scenarios": [{"scenario": "us-lead"}, {"scenario": "no-such-preset"}], "samples": 2}
    )
    jobs = [
        ("run", _run(0.3).model_dump_json()),
        ("compare", bad),
        ("run", _run(0.7).model_dump_json()),
    ]
    replies = answers.answer(jobs)
    assert [status for status, _ in replies] == ["ok", "refused", "ok"]
    assert replies[1][1].startswith("scenarios[1]: field 'scenario': value 'no-such-preset'")


def test_concurrent_requests_share_engine_passes():
    app = create_app(Limits(engine_threads=1))
    bodies = [
        {"scenario": "status-quo", "switches": {"access": i / 20}, "samples": 5} for i in range(12)
    ]

    async def burst():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60) as c:
            await c.get("/api/scenarios")
            replies = await asyncio.gather(*(c.post("/api/run", json=b) for b in bodies))
        return replies

    replies = asyncio.run(burst())
    assert all(r.status_code == 200 for r in replies)
    assert [r.json()["switches"]["access"] for r in replies] == [i / 20 for i in range(12)]
    assert app.state.pool.batches < len(bodies)  # one engine thread: the queue fills, batches form


def test_a_fault_in_one_run_fails_that_request_alone(monkeypatch):
    real = results.describe

    def describe(scenario, ds, samples, seed):
        if scenario.switches["compute"] == 0.5:
            raise ValueError("boom")
        return real(scenario, ds, samples, seed)

    monkeypatch.setattr(results, "describe", describe)
    jobs = [("run", _run(level, samples=2).model_dump_json()) for level in (0.4, 0.5, 0.6)]
    replies = answers.answer(jobs)
    assert [status for status, _ in replies] == ["ok", "failed", "ok"]
    assert "boom" in replies[1][1]
