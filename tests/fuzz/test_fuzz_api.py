"""Fuzzing the API (issue 14): a generated payload, queued with valid requests, is answered 200,
413 or 422 (never 500), and every valid request in the same batch is answered 200."""

import asyncio
import json
import math

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ailead.web.app import create_app
from ailead.web.limits import Limits

KEYS = ["scenario", "switches", "parameters", "samples", "seed", "levels", "scenarios", "x"]
SPEC_KEYS = [
    "name",
    "description",
    "extends",
    "start",
    "end",
    "target",
    "policy_start",
    "switches",
    "parameters",
    "verdict",
    "anchor",
]
NAMES = [
    "compute",
    "access",
    "distillation",
    "algorithmic_progress",
    "lead_at_least",
    "growth_window_months",
    "nope",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, 1, 0.5, 2**63, math.nan, math.inf, -math.inf])
    | st.text(max_size=200)
    | st.sampled_from(["status-quo", "us-lead", "off", "strong", "2028-12", "9999-12", "../x"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(SPEC_KEYS + NAMES) | st.text(max_size=20), inner, max_size=5
        )
    ),
    max_leaves=15,
)
PAYLOADS = st.dictionaries(st.sampled_from(KEYS), JSON, max_size=5) | st.fixed_dictionaries(
    {"scenario": st.dictionaries(st.sampled_from(SPEC_KEYS), JSON, max_size=5)},
    optional={"samples": SCALARS, "parameters": st.dictionaries(st.sampled_from(NAMES), SCALARS)},
)
DEEP = st.integers(1, 5000).map(lambda d: '{"scenario": ' + "[" * d + "]" * d + "}")
VALID = [
    {"scenario": "status-quo", "samples": 3},
    {"scenario": "us-lead", "switches": {"access": 0.3}, "samples": 2, "seed": 4},
    {"scenario": {"extends": "catch-up", "target": "2029-06"}, "samples": 2},
]
PATHS = ["/api/run", "/api/compare", "/api/switches"]


@pytest.fixture(scope="module")
def batch():
    """Send one body to a path together with the valid requests, all at once; the statuses."""
    app = create_app(Limits(max_samples=20, max_body_bytes=20_000))
    loop = asyncio.new_event_loop()
    transport = httpx.ASGITransport(app=app)
    client = httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60)

    def send(path: str, body: str) -> tuple[int, str, list[int]]:
        async def together():
            headers = {"content-type": "application/json"}
            sent = [client.post("/api/run", json=v) for v in VALID]
            sent.insert(1, client.post(path, content=body, headers=headers))
            return await asyncio.gather(*sent)

        replies = loop.run_until_complete(together())
        fuzzed = replies.pop(1)
        return fuzzed.status_code, fuzzed.text, [r.status_code for r in replies]

    yield send
    loop.run_until_complete(app.state.pool.stop())
    loop.run_until_complete(client.aclose())
    loop.close()


def answered(batch, path: str, body: str) -> None:
    status, text, others = batch(path, body)
    assert status in (200, 413, 422), (status, text[:500])
    if status != 200:
        detail = json.loads(text)["detail"]
        assert isinstance(detail, str) and "\n" not in detail and len(detail) < 1000
    assert others == [200] * len(VALID), (others, body[:300])


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(payload=PAYLOADS, path=st.sampled_from(PATHS))
def test_generated_payloads_fail_alone(batch, payload, path):
    answered(batch, path, json.dumps(payload))  # NaN and Infinity as JSON allows them


@SETTINGS
@given(
    body=DEEP | st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1"))
)
def test_generated_bodies_fail_alone(batch, body):
    answered(batch, "/api/run", body)
