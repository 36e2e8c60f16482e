"""Schemathesis against the explorer's OpenAPI schema, in process: no 5xx, responses conform."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ailead.web import Limits, create_app

# Bounded work: a small sample cap (the schema states it); the coverage phase (boundary and
# invalid values of every field) on /api/run, whose request model /api/compare and
# /api/switches share; the switch grid (27 engine runs a request) gets two fuzzed examples.
CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {"include-path": "/api/compare", "phases": {"coverage": {"enabled": False}}},
            {"include-path": "/api/signposts", "enabled": False},  # seconds a call: its own test
            {
                "include-path": "/api/switches",
                "phases": {"coverage": {"enabled": False}},
                "generation": {"max-examples": 2},
            },
        ]
    }
)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Limits(max_samples=4)), config=CONFIG
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(checks=CHECKS)
