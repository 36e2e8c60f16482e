"""Global sensitivity: the analytic Ishigami indices through the same core as the scenario path."""

import importlib
import math

import numpy as np
import pytest

from ailead import load_registry
from ailead.analysis import indices, plot_tornado, sensitivity
from ailead.errors import AileadError

sensitivity_module = importlib.import_module("ailead.analysis.sensitivity")
A, B = 7.0, 0.1
ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}


def ishigami(x):
    """Y = sin x1 + a sin^2 x2 + b x3^4 sin x1, inputs uniform on [-pi, pi]."""
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def analytic():
    """Ishigami's first-order and total indices (Sobol' and Levitan 1999)."""
    v1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * math.pi**8 * 8 / 225
    v = v1 + v2 + v13
    return {"S1": [v1 / v, v2 / v, 0.0], "ST": [(v1 + v13) / v, v2 / v, v13 / v]}


def test_ishigami_sobol_indices_match_the_analytic_values(monkeypatch):
    calls = []
    spy = sensitivity_module.analyse

    def recording(*args, **kwargs):
        calls.append(args[1])
        return spy(*args, **kwargs)

    monkeypatch.setattr(sensitivity_module, "analyse", recording)
    table = indices(ISHIGAMI, ishigami, "sobol", samples=2**12, seed=1, chunk=5000)
    assert calls == ["sobol"]
    assert table.attrs["runs"] == 2**12 * 5
    truth = analytic()
    for i, name in enumerate(ISHIGAMI["names"]):
        for index in ("S1", "ST"):
            assert table.loc[name, index] == pytest.approx(truth[index][i], abs=0.03), (name, index)
            assert (
                abs(table.loc[name, index] - truth[index][i]) < 3 * table.loc[name, f"{index}_conf"]
            )
    assert list(table.index) == ["x1", "x2", "x3"]  # ranked by ST: 0.56, 0.44, 0.24


def test_the_scenario_path_runs_the_same_core_as_the_ishigami_test(monkeypatch):
    seen = {}
    core = sensitivity_module.indices

    def recording(problem, model, *args, **kwargs):
        seen["problem"], seen["model"] = problem, model
        return core(problem, model, *args, **kwargs)

    monkeypatch.setattr(sensitivity_module, "indices", recording)
    table = sensitivity("status-quo", samples=8, seed=0)
    registry = load_registry()
    assert seen["problem"]["names"] == registry.uncertain
    assert sorted(table.index) == sorted(registry.uncertain)
    u = np.full((2, len(registry.uncertain)), 0.5)
    leads = seen["model"](u)  # quantile 0.5 of every parameter: the medians
    assert leads.shape == (2,) and leads[0] == leads[1] and np.isfinite(leads).all()


def test_morris_and_delta_rank_the_ishigami_inputs():
    morris = indices(ISHIGAMI, ishigami, "morris", samples=64, seed=0)
    assert {"mu_star", "mu_star_conf", "mu", "sigma"} <= set(morris.columns)
    assert set(morris.index[:2]) == {"x1", "x2"}
    assert morris.loc["x3", "mu"] == pytest.approx(0.0, abs=1.0)  # symmetric in x3
    delta = indices(ISHIGAMI, ishigami, "delta", samples=512, seed=0)
    assert list(delta.columns) == ["delta", "delta_conf", "S1", "S1_conf"]
    assert delta.index[-1] == "x3"  # no first-order effect
    assert delta.loc["x3", "S1"] == pytest.approx(0.0, abs=0.05)
    assert (delta["delta"] > 0).all() and (delta["delta"] < 1).all()


def test_scenario_sensitivity_is_ranked_and_reproducible():
    first = sensitivity("status-quo", samples=16, seed=2)
    again = sensitivity("status-quo", samples=16, seed=2)
    assert list(first.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    assert (np.diff(first["ST"].to_numpy()) <= 0).all()
    assert first.equals(again)
    assert first.attrs["output"] == "lead_months"
    assert first.attrs["runs"] == 16 * (len(load_registry().uncertain) + 2)


def test_groups_are_analysed_together_and_overridden_parameters_left_out():
    scenario = {"name": "fixed-progress", "parameters": {"algorithmic_progress": 0.5}}
    groups = {"algorithms": ["algorithmic_spillover", "ai_rnd_speedup_max"]}
    table = sensitivity(scenario, method="morris", samples=4, seed=0, groups=groups)
    assert "algorithms" in table.index and "algorithmic_spillover" not in table.index
    assert "algorithmic_progress" not in table.index
    assert len(table) == len(load_registry().uncertain) - 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"samples": 100}, "samples: value 100 is not allowed for sobol; allowed: a power of two"),
        ({"method": "fast"}, "method: value 'fast' is not allowed; allowed: sobol, morris, delta"),
        ({"output": "lead"}, "output: unknown metric 'lead'; allowed: lead_months"),
        ({"groups": {"g": ["nope"]}}, "groups.g: 'nope' is not a free uncertain parameter"),
        (
            {"method": "delta", "groups": {"g": ["algorithmic_progress"]}},
            "not supported by the delta method",
        ),
    ],
)
def test_bad_requests_fail_plainly(kwargs, message):
    with pytest.raises(AileadError, match=message):
        sensitivity("status-quo", **{"samples": 8, **kwargs})


def test_tornado_chart_is_written_as_png_and_svg(tmp_path):
    table = indices(ISHIGAMI, ishigami, "sobol", samples=256, seed=0)
    chart = plot_tornado(table, tmp_path / "tornado.png", top=2)
    assert [p.name for p in chart.paths] == ["tornado.png", "tornado.svg"]
    assert chart.paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in chart.paths[1].read_text()
    assert list(chart.data.index) == list(table.index[:2])


def test_lever_readings_join_the_inputs_when_asked_and_move_the_lead():
    plain = sensitivity("us-lead", method="morris", samples=6, seed=2)
    table = sensitivity("us-lead", method="morris", samples=6, seed=2, readings=True)
    readings = [f"{s}_lever_reading" for s in ("compute", "access", "distillation")]
    assert not set(readings) & set(plain.index)
    assert set(readings) <= set(table.index) and len(table) == len(plain) + 3
    # How strictly deterrence's levels are read moves us-lead's lead (its strong level is an
    # assumption with a range): the index is not zero.
    assert table.loc["distillation_lever_reading", "mu_star"] > 0.1
