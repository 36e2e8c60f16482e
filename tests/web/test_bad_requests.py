"""Bad API requests under abuse (issue 14): each fails alone with 422, never spoiling a batch."""

import asyncio
import json

import httpx
import pytest

from ailead.web import answers
from ailead.web.app import create_app
from ailead.web.limits import Limits

VALID = [
    {"scenario": "status-quo", "switches": {"compute": i / 10}, "samples": 3} for i in range(10)
]


@pytest.mark.parametrize(
    "bad",
    [
        {"parameters": {"algorithmic_progress": float("nan")}},
        {"parameters": {"algorithmic_progress": float("inf")}},
        {"scenario": {"verdict": {"lead_at_least": float("-inf")}}},
        {"switches": {"compute": float("nan")}},
    ],
)
def test_a_non_finite_number_queued_with_ten_valid_requests_fails_alone(bad):
    app = create_app(Limits(max_samples=50))

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            await app.state.pool.start()
            bodies = [json.dumps(b) for b in (*VALID[:5], bad, *VALID[5:])]  # NaN as JSON NaN
            headers = {"content-type": "application/json"}
            sent = [c.post("/api/run", content=b, headers=headers) for b in bodies]
            replies = await asyncio.gather(*sent)
            await app.state.pool.stop()
            return replies

    replies = asyncio.run(burst())
    statuses = [r.status_code for r in replies]
    assert statuses == [200] * 5 + [422] + [200] * 5, [r.text for r in replies]
    detail = replies[5].json()["detail"]
    assert "finite number" in detail and "field '" in detail


def test_the_engine_worker_refuses_a_bad_request_in_a_batch_alone():
    """What reached the worker in 0.2.0 (NaN re-serialised as null) now fails only itself."""
    jobs = [("run", json.dumps(b)) for b in VALID]
    jobs.insert(3, ("run", '{"parameters": {"algorithmic_progress": null}, "samples": 3}'))
    jobs.insert(7, ("run", '{"parameters": {"algorithmic_progress": NaN}, "samples": 3}'))
    jobs.insert(9, ("compare", '{"scenarios": [1, '))
    replies = answers.answer(jobs)
    assert [status for status, _ in replies].count("ok") == 10
    assert replies[3][0] == replies[7][0] == replies[9][0] == "refused"
    assert replies[9][1].startswith("request body: malformed JSON")
    assert "field 'parameters.algorithmic_progress'" in replies[7][1]


def test_a_fault_resolving_one_request_fails_only_that_request(monkeypatch):
    from ailead.web import results

    resolve = results.resolve

    def faulty(request):
        if request.switches.get("compute") == 0.5:
            raise OverflowError("a fault")
        return resolve(request)

    monkeypatch.setattr(results, "resolve", faulty)
    replies = answers.answer([("run", json.dumps(b)) for b in VALID])
    assert [status for status, _ in replies] == ["ok"] * 5 + ["failed"] + ["ok"] * 4
    assert replies[5][1] == "OverflowError: a fault"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"samples": True}, "samples"),
        ({"seed": False}, "seed"),
        ({"samples": 10**400}, "samples"),
        ({"switches": {"compute": True}}, "switches.compute"),
        ({"parameters": {"algorithmic_progress": 10**400}}, "parameters.algorithmic_progress"),
        ({"scenario": {"end": "9999-12"}}, "scenario: field 'end'"),
        ({"scenario": {"target": "2031-01"}}, "scenario"),
        ({"scenario": {"verdict": {"growth_window_months": True}}}, "scenario.verdict"),
    ],
)
def test_booleans_huge_numbers_and_bad_dates_are_refused_naming_the_field(body, field):
    from fastapi.testclient import TestClient

    with TestClient(create_app(Limits(max_samples=50))) as client:
        response = client.post("/api/run", json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert field in detail and len(detail) < 400 and "\n" not in detail
