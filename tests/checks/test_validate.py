"""The validation table: its checks, the essay's calibration targets among them, the generated
README and docs tables, and the `ailead validate` command.

Whether the model meets a check is reported in the tables, not asserted here: these tests hold
the tables in step with the model and the checks to what they say they compute."""

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import ailead
from ailead.checks.measures import at
from ailead.checks.validate import (
    CHECKS,
    TABLE_SAMPLES,
    TABLE_SEED,
    Check,
    Result,
    at_defaults,
    markdown,
    shown,
    table,
    targets_markdown,
    validate,
)
from ailead.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def results():
    return validate(samples=60, seed=3)


def test_the_calibration_targets_are_essay_checks_read_at_the_registry_defaults():
    targets = [c for c in CHECKS if c.target]
    assert len(targets) == 7 and all(c.kind == "essay" for c in targets)
    found = at_defaults()
    assert [c for c, _ in found] == targets
    ds = ailead.run("us-lead")  # the registry defaults: one sample
    lead = next(value for c, value in found if c.measure_text == "lead in 2028-12")
    assert lead == float(ds["lead_months"].sel(time="2028-12").item())


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
    assert Result(check, (0.0, 3.0, 9.0), (2.5, 4.5, 5.0)).prior_passes
    assert not Result(check, (0.0, 3.0, 9.0), (2.5, 4.5, 5.0)).calibrated_passes  # overlap: no
    assert check.passes(2.0) and check.passes(4.0) and not check.passes(4.01)


def test_the_results_are_reproducible_and_ordered(results):
    again = validate(samples=60, seed=3)
    assert [r.prior for r in again] == [r.prior for r in results]
    for r in results:
        if r.check.statistic == "median":
            assert r.prior[0] <= r.prior[1] <= r.prior[2]
        else:
            assert 0.0 <= r.prior[1] <= 1.0


def test_a_failing_check_is_listed_with_its_values_and_reason_and_a_passing_one_is_not(results):
    # Whether a check passes is the model's answer, reported as it comes out; the table must
    # list each failure with what ailead gives and why (or say that no reason is recorded).
    first = results[0]
    outside = first.check.high + 1.0 if np.isfinite(first.check.high) else first.check.low - 1.0
    beyond = (outside, outside, outside)
    failing = Result(first.check, beyond, first.calibrated)
    text = markdown([failing, *results[1:]], 60, 3)
    assert "Where ailead disagrees" in text
    line = next(x for x in text.splitlines() if x.startswith(f"- *{first.check.claim}*"))
    assert shown(first.check, beyond) in line
    assert (first.check.if_fails or "No explanation recorded.") in line
    prior = sum(r.prior_passes for r in [failing, *results[1:]])
    assert f"{prior} of {len(results)} checks pass with prior draws" in text
    passing = [r for r in results[1:] if r.prior_passes and r.calibrated_passes]
    listed = [x for x in text.splitlines() if x.startswith("- *")]
    assert not any(x.startswith(f"- *{r.check.claim}*") for r in passing for x in listed)


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


def _block(path: Path, marker: str = "validation") -> str:
    text = path.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker}:start -->\n(.*?)\n?<!-- {marker}:end -->", text, re.S)
    assert found, f"{path.name} lacks the {marker} markers"
    return found.group(1).strip()


def test_the_validation_page_table_is_the_generated_one():
    fresh = markdown(validate(TABLE_SAMPLES, TABLE_SEED), TABLE_SAMPLES, TABLE_SEED).strip()
    assert _block(ROOT / "docs" / "validation.md") == fresh, (
        "docs/validation.md is stale: run `python tools/update_validation.py`"
    )


def test_the_model_pages_targets_table_is_the_generated_one():
    assert _block(ROOT / "docs" / "model.md", "targets") == targets_markdown().strip(), (
        "docs/model.md's calibration targets are stale: run `python tools/update_validation.py`"
    )


def test_a_failing_target_is_shown_as_failing_not_dropped(monkeypatch):
    import ailead.checks.validate as validation

    first = next(c for c in CHECKS if c.target)
    impossible = dataclasses.replace(first, low=1e9, high=2e9)
    monkeypatch.setattr(validation, "CHECKS", (impossible, *CHECKS[1:]))
    rows = targets_markdown().splitlines()[2:]
    assert len(rows) == 7 and rows[0].endswith("| FAIL |")


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
