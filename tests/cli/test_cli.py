"""The `ailead` command line: outputs, reproducibility, and plain errors for bad input."""

import json

import pytest
import typer
from cli_helpers import invoke, ok
from typer.testing import CliRunner

import ailead
from ailead import __version__, load_registry
from ailead.analysis.sensitivity import METHODS
from ailead.analysis.switches import DEFAULT_LEVELS
from ailead.cli import analysis as cli_analysis
from ailead.cli import app
from ailead.cli import runs as cli_runs
from ailead.outputs import labels
from ailead.outputs.summary import FRONTS

runner = CliRunner()
HEADLINE = ("lead_months", "compute_ratio", "capability_us", "capability_cn")
FAST = ["--samples", "32", "--seed", "1"]


def run_json(*args):
    return json.loads(ok("run", *args, "--format", "json").stdout)


def test_run_json_gives_the_librarys_summary_and_the_run_settings():
    out = run_json("status-quo", "--samples", "64", "--seed", "3")
    assert (out["scenario"], out["target"], out["samples"], out["seed"]) == (
        "status-quo",
        "2028-12",
        64,
        3,
    )
    assert out["switches"] == {"compute": 0.5, "access": 0.5, "distillation": 0.5}
    expected = ailead.summarize(ailead.run("status-quo", samples=64, seed=3))
    for metric in HEADLINE:
        for k in ("p5", "p50", "p95"):  # the library's numbers, as printed
            assert out["summary"][metric][k] == pytest.approx(expected[metric][k], rel=1e-6)


def test_run_shows_every_front_and_the_verdict_probabilities():
    out = run_json("us-lead", "--samples", "64")
    for metrics in FRONTS.values():
        for metric in metrics:
            assert metric in out["summary"], metric
    assert set(out["summary"]["outcome"]) == {"scenario-one", "contested", "scenario-two"}
    assert sum(out["summary"]["outcome"].values()) == pytest.approx(1.0)
    table = ok("run", "us-lead", "--samples", "64").stdout
    for front in FRONTS:
        assert labels.FRONTS[front] in table
    for outcome, share in out["summary"]["outcome"].items():
        assert f"{labels.OUTCOMES[outcome]} " in table
        assert labels.percent(share) in table  # one rounding rule: whole percentages


def test_run_json_is_reproducible_with_a_seed_and_varies_with_it():
    first = ok("run", "us-lead", "--samples", "64", "--seed", "3", "--format", "json").stdout
    again = ok("run", "us-lead", "--samples", "64", "--seed", "3", "--format", "json").stdout
    other = ok("run", "us-lead", "--samples", "64", "--seed", "4", "--format", "json").stdout
    assert first == again
    assert json.loads(first)["summary"] != json.loads(other)["summary"]


def test_run_csv_has_one_row_per_month_of_the_run():
    lines = ok("run", "status-quo", *FAST, "--format", "csv").stdout.strip().splitlines()
    header = lines[0].split(",")
    assert header[0] == "month" and "lead_months" in header
    months = [line.split(",")[0] for line in lines[1:]]
    assert len(months) == 72
    assert (months[0], months[-1]) == ("2025-01", "2030-12")
    assert all(len(line.split(",")) == len(header) for line in lines[1:])


def test_run_table_names_the_scenario_its_switches_the_target_and_the_caveat():
    result = runner.invoke(app, ["run", "us-lead", *FAST], env={"COLUMNS": "120"})
    out = result.stdout
    assert "us-lead" in out and "Dec 2028" in out
    assert "compute=strong" in out and "distillation=strong" in out
    for metric in HEADLINE:
        assert labels.METRICS[metric].text in out and metric not in out
    assert "5th pct" in out and "95th pct" in out and "median" in out and "months" in out
    assert "Results under these assumptions; not a forecast." in out


def test_set_switch_changes_the_result_and_is_reported():
    plain = run_json("status-quo", *FAST)
    strong = run_json("status-quo", *FAST, "--set", "compute=strong")
    assert strong["switches"]["compute"] == 1.0 and plain["switches"]["compute"] == 0.5
    assert strong["summary"] != plain["summary"]
    both = run_json("status-quo", *FAST, "--set", "compute=strong", "--set", "access=0.8")
    assert both["switches"] == {"compute": 1.0, "access": 0.8, "distillation": 0.5}


def test_set_parameter_is_recorded_and_changes_the_result():
    plain = run_json("status-quo", "--samples", "1")
    faster = run_json("status-quo", "--samples", "1", "--set", "algorithmic_progress=0.9")
    assert faster["parameters"] == {"algorithmic_progress": 0.9}
    assert faster["summary"] != plain["summary"]


def test_compare_us_lead_and_catch_up():
    out = json.loads(ok("compare", "us-lead", "catch-up", *FAST, "--format", "json").stdout)
    scenarios = out["scenarios"]
    assert list(scenarios) == ["us-lead", "catch-up"]
    lead = {name: s["summary"]["lead_months"]["p50"] for name, s in scenarios.items()}
    assert lead["us-lead"] > lead["catch-up"]
    assert scenarios["catch-up"]["switches"]["compute"] == 0.0
    assert scenarios["us-lead"]["target"] == "2028-12"
    table = ok("compare", "us-lead", "catch-up", *FAST).stdout
    assert "us-lead" in table and "catch-up" in table and "US lead" in table
    assert "lead_months" not in table and "Scenario one: a US lead of at least 12" in table
    assert "not a forecast" in table


def test_compare_csv_has_a_row_per_scenario_and_metric():
    lines = ok("compare", "status-quo", "us-lead", *FAST, "-f", "csv").stdout.strip().splitlines()
    assert lines[0] == "scenario,metric,p5,p50,p95"
    rows = [line.split(",") for line in lines[1:]]
    assert {r[0] for r in rows} == {"status-quo", "us-lead"}
    assert len(rows) == 2 * len({r[1] for r in rows}) and "lead_months" in {r[1] for r in rows}
    metrics = [r for r in rows if not r[1].startswith("P(")]
    assert all(float(r[2]) <= float(r[3]) <= float(r[4]) for r in metrics)
    verdict = [r for r in rows if r[1].startswith("P(")]
    assert len(verdict) == 6 and all(r[2] == r[4] == "" for r in verdict)
    for name in ("status-quo", "us-lead"):
        assert sum(float(r[3]) for r in verdict if r[0] == name) == pytest.approx(1.0)


def test_scenarios_lists_the_presets():
    table = ok("scenarios").stdout
    listed = json.loads(ok("scenarios", "--format", "json").stdout)
    for name in ("status-quo", "us-lead", "catch-up"):
        assert name in table and listed[name]


def test_params_lists_every_parameter_with_its_source():
    assert "algorithmic_progress" in ok("params").stdout
    rows = json.loads(ok("params", "--format", "json").stdout)
    row = rows["algorithmic_progress"]
    assert row["unit"] == "OOM/year" and row["bounds"][0] <= row["default"] <= row["bounds"][1]
    assert all(r["source"] for r in rows.values())


def test_params_name_shows_the_unit_and_the_full_citation():
    out = ok("params", "algorithmic_progress").stdout
    assert "OOM/year" in out and "https://" in out
    detail = json.loads(ok("params", "algorithmic_progress", "-f", "json").stdout)
    assert detail["unit"] == "OOM/year" and "https://" in detail["citation"]
    lever = json.loads(ok("params", "export_threshold_tpp", "-f", "json").stdout)
    assert set(lever["levels"]) == {"off", "status-quo", "strong"}


def test_version():
    assert ok("--version").stdout.strip() == f"ailead {__version__}"


def test_progress_bar_never_touches_stdout(monkeypatch):
    from ailead.cli import large

    calls = []
    monkeypatch.setattr(large, "PROGRESS_WORK", 0)
    monkeypatch.setattr(large.Progress, "advance", lambda self, task, advance=1: calls.append(task))
    out = run_json("status-quo", *FAST)
    assert out["summary"]["lead_months"]["p50"] is not None
    assert len(calls) == 72  # one tick per simulated month


def test_progress_only_for_long_runs():
    from ailead.cli.large import month_progress

    with month_progress("x", samples=100, months=72) as on_month:
        assert on_month is None
    with month_progress("x", samples=30_000, months=72) as on_month:
        assert callable(on_month)


def assert_plain_error(result):
    assert result.exit_code == 2
    assert result.stderr.startswith("error:")
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["run", "nosuch"],
        ["run", "status-quo", "--set", "nosuch=1"],
        ["run", "status-quo", "--set", "algorithmic_progress=abc"],
        ["run", "status-quo", "--set", "compute=strongest"],
        ["run", "status-quo", "--set", "compute"],
        ["run", "status-quo", "--samples", "0"],
        ["compare", "status-quo", "nosuch"],
        ["compare", "status-quo"],
        ["params", "nosuch"],
    ],
    ids=" ".join,
)
def test_bad_input_is_one_plain_line_and_status_2(args):
    assert_plain_error(invoke(*args))


def test_out_of_bounds_value_names_the_parameter_and_the_allowed_range():
    lo, hi = load_registry().parameters["algorithmic_progress"].bounds
    assert not lo <= 99 <= hi
    result = invoke("run", "status-quo", "--set", "algorithmic_progress=99")
    assert_plain_error(result)
    assert "algorithmic_progress" in result.stderr and f"[{lo:g}, {hi:g}]" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\nswitches: [compute: strong\n", "malformed YAML"),
        ("name: x\nend: 2024-06\n", "2024-06"),
        ("name: x\ncolour: blue\n", "colour"),
        ("name: x\nswitches: 3\n", "switches"),
    ],
    ids=["malformed", "end before start", "unknown field", "wrong type"],
)
def test_bad_scenario_file_is_one_plain_line_saying_what_is_wrong(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    for command in (["run", path], ["compare", "status-quo", path]):
        result = invoke(*command)
        assert_plain_error(result)
        assert expected in result.stderr


def test_bad_format_is_a_usage_error():
    result = invoke("run", "status-quo", "--format", "xml")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_run_saves_to_the_store_and_exports_without_overwriting(tmp_path, monkeypatch):
    monkeypatch.setenv("AILEAD_HOME", str(tmp_path))
    out = tmp_path / "run.nc"
    ok("run", "us-lead", "-n", "8", "--save", "--name", "first", "-o", str(out))
    listed = json.loads(ok("runs", "list", "-f", "json").stdout)
    assert [r["name"] for r in listed] == ["first"]
    assert out.stat().st_size > 0
    before = out.read_bytes()
    again = invoke("run", "us-lead", "-o", str(out))
    assert again.exit_code == 2 and "already exists" in again.output
    assert out.read_bytes() == before
    taken = invoke("run", "us-lead", "--save", "--name", "first")
    assert taken.exit_code == 2 and "Traceback" not in taken.output
    assert invoke("run", "us-lead", "--name", "x").exit_code == 2


def test_help_lists_every_command_with_its_help():
    text = " ".join(ok("--help").stdout.split())
    commands = typer.main.get_command(app).commands
    assert len(commands) == 18
    for name, command in commands.items():
        first_words = " ".join(command.help.split()[:3])
        assert f"{name} {first_words}" in text


def test_the_cli_offers_the_analysis_choices():
    """The CLI spells them out, so that it starts without importing the analysis."""
    assert ",".join(DEFAULT_LEVELS) == cli_analysis.LEVELS_TEXT
    assert tuple(cli_runs.Method) == METHODS


def test_one_sample_is_one_deterministic_run_without_probabilities():
    out = ok("run", "us-lead").stdout
    assert "one deterministic run at the registry defaults; no probabilities" in " ".join(
        out.split()
    )
    (verdict,) = [line for line in out.splitlines() if line.startswith("Verdict of this one run")]
    shares = run_json("us-lead")["summary"]["outcome"]
    reached = max(shares, key=shares.get)
    assert labels.OUTCOMES[reached].lower() in verdict
    assert "%" not in out and "1.00" not in out
    both = ok("compare", "us-lead", "catch-up").stdout
    assert (
        "Verdict of each run" in both
        and "%" not in both.split("Verdict of each run")[1].split("Scenario one:")[0]
    )


def test_params_is_a_compact_table_within_100_columns():
    result = runner.invoke(app, ["params"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").splitlines()
    names = list(load_registry().parameters)
    rows = [line for line in lines if line.split() and line.split()[0] in names]
    assert len(rows) == len(names)  # every parameter once, its name never cut
    assert len(lines) <= len(names) + 3 + 5  # only a long unit may take a second line
    assert max(len(line.rstrip()) for line in lines) <= 100
    assert "…" not in result.stdout
    assert "ailead params NAME" in lines[0]


def test_flags_show_no_type_and_analysis_columns_are_explained():
    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "100"})
    assert "--save" in result.stdout and "<bool>" not in result.stdout
    out = ok("sensitivity", "status-quo", "--method", "morris", "-n", "4", "--top", "2").stdout
    assert "mu_star: Mean absolute elementary effect" in out and "sigma: Spread" in out
    grid = ok("switches", "status-quo", "-n", "2").stdout
    assert "P(one), P(contested), P(two): the share of samples" in " ".join(grid.split())


def test_a_large_run_streams_with_the_same_summary(monkeypatch):
    from ailead.cli import large

    held = run_json("catch-up", "--samples", "300", "--seed", "2")
    monkeypatch.setattr(large, "STREAM_ABOVE", 100)
    chunks = []
    real = large.run_in_chunks

    def counted(*args):
        chunks.append(args)
        return real(*args)

    monkeypatch.setattr(large, "run_in_chunks", counted)
    streamed = run_json("catch-up", "--samples", "300", "--seed", "2")
    assert len(chunks) == 1 and streamed == held
    csv = ok("run", "catch-up", "--samples", "300", "--seed", "2", "--format", "csv").stdout
    header = csv.splitlines()[0].split(",")
    assert len(csv.splitlines()) == 73 and "lead_months" in header
    # Saved or exported runs keep every month of every sample: they are not streamed.
    assert not large.streams(300, keeps_all=True, backend="numpy")
    assert not large.streams(300, keeps_all=False, backend="jax")
