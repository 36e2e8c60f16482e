"""The analysis commands: switches, sensitivity, discover, optimize, plot."""

import csv
import io
import json

import pytest
from cli_helpers import invoke, ok


def as_json(*args):
    return json.loads(ok(*args, "--format", "json").stdout)


def as_csv(*args):
    return list(csv.DictReader(io.StringIO(ok(*args, "--format", "csv").stdout)))


def test_switches_json_has_cells_effects_and_settings():
    out = as_json("switches", "us-lead", "--samples", 8, "--seed", 2, "--levels", "off,strong")
    assert (out["scenario"], out["samples"], out["seed"]) == ("us-lead", 8, 2)
    assert out["levels"] == ["off", "strong"] and len(out["cells"]) == 8
    assert {e["term"] for e in out["effects"]} >= {"compute", "access x distillation"}
    cell = out["cells"][0]
    total = cell["p_scenario_one"] + cell["p_contested"] + cell["p_scenario_two"]
    assert total == pytest.approx(1.0)


def test_switches_table_csv_and_heat_map(tmp_path):
    rows = as_csv("switches", "--samples", 4, "--levels", "off,strong")
    assert len(rows) == 8 and rows[0]["compute"] == "off" and float(rows[0]["lead_p50"]) > -100
    heat = tmp_path / "heat"
    text = ok("switches", "--samples", 4, "--levels", "off,strong", "--heatmap", heat).stdout
    assert "Main effects" in text and "Two-way interactions" in text and "not a forecast" in text
    assert (tmp_path / "heat.png").is_file() and (tmp_path / "heat.svg").is_file()


def test_sensitivity_formats_and_tornado(tmp_path):
    out = as_json("sensitivity", "status-quo", "--samples", 4, "--seed", 1)
    assert out["method"] == "sobol" and out["output"] == "lead_months"
    st = [row["ST"] for row in out["indices"]]
    assert st == sorted(st, reverse=True)
    rows = as_csv("sensitivity", "--method", "morris", "--samples", 2)
    assert set(rows[0]) == {"parameter", "mu_star", "mu_star_conf", "mu", "sigma"}
    text = ok("sensitivity", "--samples", 4, "--top", 3, "--chart", tmp_path / "t").stdout
    assert "top 3 of" in text and (tmp_path / "t.svg").is_file()


def test_discover_formats():
    args = ("discover", "catch-up", "--where", "lead_months <= 4", "--samples", 256)
    out = as_json(*args)
    assert out["where"] == "lead_months <= 4" and out["cases"] > 0
    assert {"coverage", "density", "mass", "box", "trajectory"} <= set(out)
    rows = as_csv(*args)
    assert all({"parameter", "lower", "upper", "qp"} <= set(r) for r in rows)
    assert "coverage" in ok(*args).stdout


def test_optimize_formats(tmp_path):
    args = ("optimize", "--samples", 8, "--levels", "off,strong", "--target")
    out = as_json(*args, "P(lead_months >= 8) >= 0.5")
    assert out["target"] == "P(lead_months >= 8) >= 0.5" and len(out["cells"]) == 8
    assert out["pareto"][0]["cost"] == 0.0
    assert len(as_csv(*args, "P(lead_months >= 8) >= 0.5")) == 8
    text = ok(*args, "P(lead_months >= 500) >= 0.5", "--chart", tmp_path / "c").stdout
    assert "No switch setting reaches" in text and (tmp_path / "c.png").is_file()


def test_plot_writes_files_and_gives_bands(tmp_path):
    out = as_json("plot", "status-quo", "catch-up", "--samples", 8, "--out", tmp_path / "fan")
    assert out["files"] == [str(tmp_path / "fan.png"), str(tmp_path / "fan.svg")]
    assert len(out["bands"]) == 2 * 72
    rows = as_csv(
        "plot", "us-lead", "--samples", 8, "--metric", "compute_ratio", "--out", tmp_path / "r"
    )
    assert rows[0]["scenario"] == "us-lead" and float(rows[0]["p5"]) <= float(rows[0]["p95"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("switches", "--samples", 0), "samples: value 0 is not allowed"),
        (("switches", "--set", "compute=strong"), "--set compute: the grid varies every switch"),
        (("switches", "--levels", "off,max"), "levels: value 'max' is not allowed"),
        (("sensitivity", "--samples", 100), "allowed: a power of two"),
        (("sensitivity", "--method", "fast"), "method: value 'fast' is not allowed"),
        (("sensitivity", "--group", "algorithms"), "--group 'algorithms': expected NAME=PARAM"),
        (("discover", "--where", "lead_months = 3"), "where: value 'lead_months = 3'"),
        (("optimize", "--target", "P(x >= 1) >= 0.5"), "target: unknown metric 'x'"),
        (("plot", "status-quo", "--metric", "nope"), "metric: value 'nope' is not a monthly"),
        (("plot", "nowhere"), "scenario 'nowhere': no such preset or file"),
        (("sensitivity", "--set", "algorithmic_progress=9"), "out of bounds"),
    ],
)
def test_bad_input_is_one_plain_line_and_exit_2(args, expected, tmp_path):
    result = invoke(*args, "--samples", 4) if "--samples" not in args else invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error:") and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
