"""The web explorer's API: results equal the library's, limits hold, refusals name the field."""

import asyncio
import re
import time

import httpx
import numpy as np
import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import ailead
from ailead.cli import app as cli_app
from ailead.inputs.registry import SWITCHES
from ailead.web import Limits, create_app
from ailead.web.results import BAND_LEVELS


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Limits(max_samples=200))) as c:
        yield c


def run(client, **body):
    response = client.post("/api/run", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def refused(client, path, body, status=422):
    response = client.post(path, json=body)
    assert response.status_code == status, response.text
    return response.json()["detail"]


def test_run_equals_the_library(client):
    got = run(client, scenario="us-lead", samples=16, seed=3)
    ds = ailead.run("us-lead", samples=16, seed=3)
    expected = ailead.summarize(ds)
    for metric, q in expected.items():
        assert got["summary"][metric] == pytest.approx(q, nan_ok=True)
    assert got["months"][0] == "2025-01" and len(got["months"]) == ds.sizes["time"]
    assert got["switches"] == {s: 1.0 for s in SWITCHES}
    lead = ds["lead_months"].values
    assert got["series"]["lead_months"]["p50"] == pytest.approx(np.median(lead, axis=0).tolist())


def test_bands_are_ordered_and_cover_the_drawn_series(client):
    got = run(client, scenario="status-quo", samples=30)
    assert {"lead_months", "accessible_compute_h100e_us", "capability_eci_cn"} <= set(got["series"])
    for name, band in got["series"].items():
        rows = np.array([band[q] for q in BAND_LEVELS], dtype=float)
        assert rows.shape == (5, len(got["months"])), name
        finite = np.isfinite(rows).all(axis=0)
        assert (np.diff(rows[:, finite], axis=0) >= -1e-9).all(), name


def test_overrides_act_like_the_cli_settings(client):
    got = run(
        client,
        scenario="status-quo",
        switches={"compute": "strong", "access": 0.75},
        parameters={"remote_access_rule": "closed", "algorithmic_progress": 0.6},
        samples=8,
        seed=1,
    )
    sc = ailead.load_scenario("status-quo").with_overrides(
        {"compute": "strong", "access": "0.75", "remote_access_rule": "closed"}
        | {"algorithmic_progress": "0.6"}
    )
    expected = ailead.summarize(ailead.run(sc, samples=8, seed=1))
    assert got["summary"]["lead_months"] == pytest.approx(expected["lead_months"])
    assert got["switches"] == {"compute": 1.0, "access": 0.75, "distillation": 0.5}
    assert got["parameters"] == {"remote_access_rule": 1.0, "algorithmic_progress": 0.6}


def test_cached_draws_are_not_changed_by_overrides(client):
    run(client, parameters={"algorithmic_progress": 0.9, "cn_die_yield": 0.8}, samples=10, seed=7)
    got = run(client, switches={"access": 0.3}, samples=10, seed=7)
    sc = ailead.load_scenario("status-quo").with_overrides({"access": "0.3"})
    expected = ailead.summarize(ailead.run(sc, samples=10, seed=7))
    assert got["summary"]["lead_months"] == pytest.approx(expected["lead_months"])


def test_stronger_switches_never_shrink_the_lead(client):
    leads = [
        run(client, switches={"compute": level, "access": level, "distillation": level})["summary"][
            "lead_months"
        ]["p50"]
        for level in (0.0, 0.5, 1.0)
    ]
    assert leads == sorted(leads) and leads[0] < leads[-1]


def test_inline_scenario_with_extends(client):
    spec = {
        "name": "mine",
        "extends": "us-lead",
        "target": "2027-06",
        "switches": {"distillation": "off"},
        "parameters": {"smuggling_enforcement": 0.5},
    }
    got = run(client, scenario=spec, samples=4)
    sc = ailead.load_scenario(spec)
    assert got["scenario"] == "mine" and got["target"] == "2027-06"
    assert got["switches"] == sc.switches and got["parameters"] == sc.parameters
    expected = ailead.summarize(ailead.run(sc, samples=4))
    assert got["summary"]["lead_months"] == pytest.approx(expected["lead_months"])


def test_requests_never_read_files(client, tmp_path, monkeypatch):
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(yaml.safe_dump({"name": "mine", "switches": {"compute": "strong"}}))
    monkeypatch.chdir(tmp_path)
    for ref in (str(scenario), "mine.yaml", "mine", "../mine.yaml"):
        detail = refused(client, "/api/run", {"scenario": ref})
        assert detail.startswith("field 'scenario':") and "not a preset" in detail
        detail = refused(client, "/api/run", {"scenario": {"extends": ref}})
        assert detail.startswith("field 'scenario.extends':")


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"samples": 201}, "samples", "less than or equal to 200"),
        ({"samples": 0}, "samples", "greater than or equal to 1"),
        ({"seed": -1}, "seed", "greater than or equal to 0"),
        ({"switches": {"compute": "strongest"}}, "switches.compute", "allowed: off, status-quo"),
        ({"switches": {"compute": 1.5}}, "switches.compute", "allowed: off, status-quo"),
        ({"switches": {"speed": 1}}, "switches.speed", "'compute', 'access' or"),
        ({"parameters": {"sme_control": 9}}, "parameters.sme_control", "allowed: [0, 2]"),
        ({"parameters": {"algorithmic_progres": 1}}, "parameters.algorithmic_progres", "mean"),
        ({"scenario": 5}, "scenario", "valid string"),
        ({"scenario": {"end": "2099-12"}}, "scenario.end", "allowed: up to 2044-12"),
        ({"scenario": {"colour": "red"}}, "scenario.colour", "extra inputs"),
        ({"samples": "many"}, "samples", "valid integer"),
    ],
)
def test_invalid_input_is_one_plain_message_naming_the_field(client, body, field, words):
    detail = refused(client, "/api/run", body)
    assert f"field '{field}'" in detail and words in detail


def test_scenario_errors_from_the_library_are_422(client):
    detail = refused(client, "/api/run", {"scenario": {"target": "2031-05"}})
    assert "target 2031-05 is outside the run" in detail


def test_malformed_json_is_422(client):
    response = client.post(
        "/api/run", content=b"{samples: 3", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("request body: malformed JSON")


def test_compare_shares_draws_and_names_the_failing_scenario(client):
    body = {"scenarios": [{"scenario": "us-lead"}, {"scenario": "catch-up"}], "samples": 12}
    response = client.post("/api/compare", json=body)
    assert response.status_code == 200, response.text
    one, two = response.json()["results"]
    for got, name in ((one, "us-lead"), (two, "catch-up")):
        expected = ailead.summarize(ailead.run(name, samples=12))["lead_months"]
        assert got["scenario"] == name and got["summary"]["lead_months"] == pytest.approx(expected)
    assert one["summary"]["lead_months"]["p50"] > two["summary"]["lead_months"]["p50"]
    body["scenarios"][1]["switches"] = {"access": 7}
    detail = refused(client, "/api/compare", body)
    assert detail.startswith("scenarios[1]: field 'switches.access'")
    assert "between 2 and 4" not in refused(client, "/api/compare", {"scenarios": [{}]})


def test_reference_endpoints(client):
    presets = {p["name"]: p for p in client.get("/api/scenarios").json()}
    assert set(presets) == set(ailead.presets())
    assert presets["catch-up"]["switches"] == {s: 0.0 for s in SWITCHES}
    params = {p["name"]: p for p in client.get("/api/parameters").json()}
    registry = ailead.load_registry()
    assert set(params) == set(registry.parameters)
    for name, p in params.items():
        assert p["unit"] == registry[name].unit and p["citation"] == registry.citation(name)
        assert p["bounds"][0] <= p["default"] <= p["bounds"][1]
        assert p["group"] == registry[name].switch or p["group"] in (
            "timing",
            "other levers",
            "world",
            "model",
        )
    assert params["hbm_control"]["levels"] == {"off": 0.0, "status-quo": 0.95, "strong": 0.99}


def test_switch_grid(client):
    body = {"scenario": "status-quo", "samples": 4, "levels": ["off", "strong"]}
    response = client.post("/api/switches", json=body)
    assert response.status_code == 200, response.text
    cells = response.json()["cells"]
    assert len(cells) == 8
    assert {(c["compute"], c["access"], c["distillation"]) for c in cells} == {
        (a, b, c) for a in (0.0, 1.0) for b in (0.0, 1.0) for c in (0.0, 1.0)
    }
    for cell in cells:
        assert cell["lead_p5"] <= cell["lead_p50"] <= cell["lead_p95"]
        shares = [cell["p_scenario_one"], cell["p_contested"], cell["p_scenario_two"]]
        assert sum(shares) == pytest.approx(1.0)
    detail = refused(client, "/api/switches", {"samples": 200, "levels": [0, 0.25, 0.5, 1]})
    assert detail.startswith("field 'samples'") and "cells" in detail


def test_openapi_documents_the_api_and_its_refusals(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    documented = {"/api/run", "/api/compare", "/api/switches", "/api/scenarios", "/api/parameters"}
    assert documented <= set(paths)
    run_op = paths["/api/run"]["post"]
    assert {"200", "413", "422", "503"} <= set(run_op["responses"])
    error = run_op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert error.endswith("/ErrorMessage")
    request = schema["components"]["schemas"]["RunRequest"]["properties"]["samples"]
    assert request["maximum"] == 200


def test_page_and_plotly_are_served_by_the_app(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'src="/vendor/plotly.min.js"' in page.text
    assert re.findall(r'src="https?://', page.text) == []  # no CDN: every script is served here
    assert re.findall(r'<link[^>]*href="https?://', page.text) == []  # nor any stylesheet
    static = (
        "app.js",
        "state.js",
        "charts.js",
        "controls.js",
        "format.js",
        "style.css",
        "guide.html",
    )
    for path in (f"/static/{name}" for name in static):
        assert client.get(path).status_code == 200, path
    plotly = client.get("/vendor/plotly.min.js")
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    assert "javascript" in plotly.headers["content-type"]


def test_body_size_limit():
    with TestClient(create_app(Limits(max_body_bytes=200))) as small:
        detail = refused(small, "/api/run", {"scenario": {"description": "x" * 300}}, 413)
        assert "allowed: at most 200 bytes" in detail
        chunks = (b" " * 50 for _ in range(10))  # no Content-Length: streamed
        response = small.post(
            "/api/run", content=chunks, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert small.post("/api/run", json={"samples": 2}).status_code == 200


def test_time_limit_answers_503():
    with TestClient(create_app(Limits(timeout_s=1e-4))) as hurried:
        detail = refused(hurried, "/api/run", {"samples": 50}, 503)
        assert "limit" in detail


def test_sample_cap_from_the_environment(monkeypatch):
    monkeypatch.setenv("AILEAD_MAX_SAMPLES", "5")
    with TestClient(create_app()) as capped:
        assert "less than or equal to 5" in refused(capped, "/api/run", {"samples": 6})
    monkeypatch.setenv("AILEAD_MAX_SAMPLES", "many")
    with pytest.raises(ailead.AileadError, match="AILEAD_MAX_SAMPLES: value 'many'"):
        create_app()
    with pytest.raises(ailead.AileadError, match="max_samples: value 0"):
        Limits(max_samples=0)


def test_a_slow_run_does_not_block_other_requests():
    app = create_app(Limits(max_samples=5000))

    async def race() -> list[str]:
        finished = []
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:

            async def slow():
                await c.post("/api/run", json={"samples": 5000})
                finished.append("slow")

            async def quick():
                await asyncio.sleep(0.05)
                await c.get("/api/scenarios")
                await c.post("/api/run", json={"samples": 1})
                finished.append("quick")

            await asyncio.gather(slow(), quick())
        return finished

    started = time.perf_counter()
    assert asyncio.run(race()) == ["quick", "slow"]
    assert time.perf_counter() - started < 60


def test_serve_command_refuses_bad_options_plainly(monkeypatch):
    result = CliRunner().invoke(cli_app, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "65535" in result.output
    monkeypatch.setenv("AILEAD_TIMEOUT_S", "soon")
    result = CliRunner().invoke(cli_app, ["serve"])
    assert result.exit_code == 2
    assert "error: AILEAD_TIMEOUT_S: value 'soon' is not allowed" in result.output


def test_runs_carry_the_headline_and_overrides_are_named(client):
    body = {"scenario": "status-quo", "switches": {"compute": "strong"}, "samples": 12}
    got = client.post("/api/run", json=body).json()
    assert got["scenario"] == "status-quo (modified)"
    assert got["headline"].startswith("status-quo (modified): US lead ")
    assert "of 12 samples" in got["headline"] and "not a forecast" in got["headline"]
    assert "Scenario one" in got["verdict_text"]
    plain = client.post("/api/run", json={"scenario": "status-quo", "samples": 1}).json()
    assert plain["scenario"] == "status-quo" and "deterministic" in plain["headline"]
    assert "%" not in plain["headline"]


def test_labels_and_limits_are_served(client):
    labels = client.get("/api/labels").json()
    ds = ailead.run("status-quo", samples=1)
    assert set(ds.data_vars) <= set(labels["variables"])
    assert labels["colors"]["blocs"]["us"] != labels["colors"]["outcomes"]["scenario-one"]
    assert client.get("/api/limits").json() == {"max_samples": 200}


def test_an_on_off_lever_refuses_a_share_between(client):
    body = {"scenario": "status-quo", "parameters": {"revenue_feedback": 0.37}, "samples": 2}
    detail = refused(client, "/api/run", body)
    assert detail.startswith("field 'parameters.revenue_feedback': value 0.37")
    assert "allowed: 0 (off) or 1 (on)" in detail
    body["parameters"] = {"revenue_feedback": "off"}
    assert client.post("/api/run", json=body).json()["parameters"]["revenue_feedback"] == 0
