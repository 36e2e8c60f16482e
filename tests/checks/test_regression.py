"""Version-to-version check: stored release outputs and what changed since."""

import json

import pytest
from typer.testing import CliRunner

from ailead._version import __version__
from ailead.checks import releases as regression
from ailead.cli import app
from ailead.errors import AileadError
from ailead.inputs.scenario import presets

runner = CliRunner()


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("releases")
    path = regression.record(folder, samples=32, seed=1)
    return folder, path


def test_a_release_stores_every_presets_key_outputs(stored):
    folder, path = stored
    assert path.name == f"{__version__}.json"
    data = json.loads(path.read_text())
    assert (data["samples"], data["seed"]) == (32, 1)
    assert set(data["outputs"]) == set(presets())
    entry = data["outputs"]["us-lead"]
    assert {"defaults", "draws", "lead_p50_by_year"} <= set(entry)
    assert set(entry["draws"]["lead_months"]) == {"p5", "p50", "p95"}
    assert "2028-12" in entry["lead_p50_by_year"]


def test_the_same_code_shows_no_change(stored):
    folder, _ = stored
    assert regression.compare(regression.load_release(directory=folder)) == []


def test_a_moved_output_beyond_tolerance_is_reported_and_one_within_is_not(stored):
    folder, _ = stored
    release = regression.load_release(directory=folder)
    current = regression.key_outputs(32, 1)
    outputs = release["outputs"]
    outputs["us-lead"]["draws"]["lead_months"]["p50"] += 1.0  # beyond 0.25 months
    outputs["us-lead"]["draws"]["lead_months"]["p5"] += 0.1  # within
    ratio = outputs["status-quo"]["defaults"]["compute_ratio"]
    outputs["status-quo"]["defaults"]["compute_ratio"] = ratio * 1.01  # within 2%
    del outputs["catch-up"]["lead_p50_by_year"]["2030-12"]
    outputs["catch-up"]["draws"]["retired_metric"] = {"p50": 1.0}
    changes = {c.key: c for c in regression.compare(release, current)}
    assert set(changes) == {
        "us-lead/draws/lead_months/p50",
        "catch-up/lead_p50_by_year/2030-12",
        "catch-up/draws/retired_metric/p50",
    }
    assert changes["us-lead/draws/lead_months/p50"].kind == "changed"
    assert changes["us-lead/draws/lead_months/p50"].allowed == 0.25
    assert changes["catch-up/lead_p50_by_year/2030-12"].kind == "added"
    assert changes["catch-up/draws/retired_metric/p50"].kind == "removed"


def test_tolerances_by_unit():
    assert regression.tolerance("us-lead/draws/lead_months/p50", 20.0) == 0.25
    assert regression.tolerance("us-lead/outcomes/scenario-one", 0.5) == 0.02
    assert regression.tolerance("us-lead/defaults/eci_us", 150.0) == 0.2
    assert regression.tolerance("us-lead/draws/accessible_compute_us/p50", 1e7) == pytest.approx(
        2e5
    )


def test_versions_sort_numerically(tmp_path):
    for version in ("0.10.0", "0.9.1", "0.2.0"):
        (tmp_path / f"{version}.json").write_text("{}")
    assert regression.stored_versions(tmp_path) == ["0.2.0", "0.9.1", "0.10.0"]


def test_an_unknown_version_or_no_release_is_a_plain_error(stored, tmp_path):
    folder, _ = stored
    with pytest.raises(AileadError, match="value '9.9.9' is not a stored release; allowed: "):
        regression.load_release("9.9.9", folder)
    with pytest.raises(AileadError, match="no stored release outputs"):
        regression.load_release(directory=tmp_path)


def test_changes_command_lists_moves_and_sets_the_exit_code(stored, monkeypatch, tmp_path):
    folder, path = stored
    data = json.loads(path.read_text())
    data["outputs"]["status-quo"]["draws"]["lead_months"]["p50"] -= 3.0
    edited = tmp_path / path.name
    edited.write_text(json.dumps(data))
    monkeypatch.setattr(regression, "releases_dir", lambda: tmp_path)
    result = runner.invoke(app, ["changes"])
    assert result.exit_code == 0
    assert "status-quo/draws/lead_months/p50" in result.output
    assert runner.invoke(app, ["changes", "--exit-code"]).exit_code == 1
    monkeypatch.setattr(regression, "releases_dir", lambda: folder)
    clean = runner.invoke(app, ["changes", "--exit-code", "--format", "json"])
    assert clean.exit_code == 0 and json.loads(clean.output)["changes"] == []


def test_changes_command_refuses_an_unknown_version_plainly(stored, monkeypatch):
    folder, _ = stored
    monkeypatch.setattr(regression, "releases_dir", lambda: folder)
    result = runner.invoke(app, ["changes", "--against", "0.0.1"])
    assert result.exit_code == 2 and "error: --against: value '0.0.1'" in result.stderr
