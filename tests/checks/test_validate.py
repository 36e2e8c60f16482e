"""The validation table: its checks, their agreement with the calibration targets, the generated
README and docs tables, and the `ailead validate` command."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import ailead
from ailead.checks.essay import TARGETS
from ailead.checks.validate import (
    CHECKS,
    TABLE_SAMPLES,
    TABLE_SEED,
    Check,
    Result,
    at,
    markdown,
    shown,
    table,
    validate,
)
from ailead.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def results():
    return validate(samples=60, seed=3)


@pytest.mark.parametrize("target", TARGETS, ids=[t.measure for t in TARGETS])
def test_every_calibration_target_is_a_check_with_the_same_measure_and_tolerance(target):
    matches = [
        c for c in CHECKS if (c.scenario, c.measure_text) == (target.scenario, target.measure)
    ]
    assert len(matches) == 1, f"no validation check for the target {target.claim!r}"
    check = matches[0]
    assert (check.low, check.high) == (target.low, target.high)
    ds = ailead.run(target.scenario)  # the registry defaults: one sample
    assert check.measure(ds)[0] == pytest.approx(target.value(ds), rel=1e-9, abs=1e-12)


def test_every_check_gives_one_value_per_sample(results):
    ds = ailead.run("us-lead", samples=7, seed=1)
    for check in CHECKS:
        if check.scenario == "us-lead":
            assert check.measure(ds).shape == (7,)
    assert len(results) == len(CHECKS)


def test_a_check_passes_exactly_when_its_median_is_within_tolerance():
    check = Check(
        "c", "s", "status-quo", "m", 2.0, 4.0, at("lead_months", "2025-06"), "months", "essay"
    )
    assert Result.passes(check, (0.0, 3.0, 9.0))
    assert not Result.passes(check, (2.5, 4.5, 5.0))  # a range overlapping is not enough


def test_the_results_are_reproducible_and_ordered(results):
    again = validate(samples=60, seed=3)
    assert [r.prior for r in again] == [r.prior for r in results]
    for r in results:
        if r.check.statistic == "median":
            assert r.prior[0] <= r.prior[1] <= r.prior[2]
        else:
            assert 0.0 <= r.prior[1] <= 1.0


def test_every_failing_check_says_why_and_which_source_ailead_follows(results):
    for r in results:
        if not (r.prior_passes and r.calibrated_passes):
            assert len(r.check.if_fails) > 80, f"no explanation for {r.check.claim!r}"


def test_the_table_shows_medians_ranges_tolerances_and_verdicts(results):
    frame = table(results)
    assert set(frame["prior pass"]) <= {"pass", "FAIL"}
    text = markdown(results, 60, 3)
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == len(CHECKS) + 1  # the header and one row per check
    first = results[0]
    assert shown(first.check, first.prior) in text


def test_an_infinite_year_reads_after_the_run():
    check = next(c for c in CHECKS if c.unit == "year")
    assert "after the run" in shown(check, (2029.0, 2030.0, np.inf))


def _block(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    found = re.search(r"<!-- validation:start -->\n(.*?)\n?<!-- validation:end -->", text, re.S)
    assert found, f"{path.name} lacks the validation markers"
    return found.group(1).strip()


def test_readme_and_docs_tables_are_the_generated_ones():
    fresh = markdown(validate(TABLE_SAMPLES, TABLE_SEED), TABLE_SAMPLES, TABLE_SEED).strip()
    for path in (ROOT / "README.md", ROOT / "docs" / "validation.md"):
        assert _block(path) == fresh, (
            f"{path.name} is stale: run `python tools/update_validation.py`"
        )


def test_validate_command_prints_the_table_and_a_summary():
    result = runner.invoke(app, ["validate", "--samples", "40"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "the essay's figures:" in text and "published estimates:" in text


def test_validate_command_gives_json():
    result = runner.invoke(app, ["validate", "--samples", "40", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data["checks"]) == len(CHECKS) and data["samples"] == 40


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--samples", "5"], "--samples: value 5"),
        (["--posterior", "no-such-file.csv"], "posterior file no-such-file.csv"),
    ],
)
def test_validate_command_refuses_bad_input_plainly(args, message):
    result = runner.invoke(app, ["validate", *args])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
