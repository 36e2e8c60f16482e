"""Scenario files: presets, `extends`, and plain errors for bad input."""

import numpy as np
import pytest

from ailead.errors import AileadError
from ailead.inputs.registry import load_registry
from ailead.inputs.scenario import load_scenario, presets


def test_presets_load_with_the_essays_switch_settings():
    assert {"status-quo", "us-lead", "catch-up"} <= set(presets())
    assert load_scenario("us-lead").switches == {"compute": 1.0, "access": 1.0, "distillation": 1.0}
    assert load_scenario("catch-up").switches == {
        "compute": 0.0,
        "access": 0.0,
        "distillation": 0.0,
    }
    assert load_scenario("status-quo").target == "2028-12"


def test_presets_differ_only_in_policy_settings():
    registry = load_registry()
    for name in presets():
        sc = load_scenario(name)
        for param in sc.parameters:
            assert registry[param].kind == "policy", f"{name} overrides world parameter {param}"
        assert (sc.start, sc.end, sc.policy_start) == ("2025-01", "2030-12", "2026-01")


def test_extends_changes_only_what_the_file_gives(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("extends: us-lead\nswitches:\n  access: off\nparameters:\n  hbm_control: 0.5\n")
    sc = load_scenario(str(path))
    assert sc.name == "mine"
    assert sc.switches == {"compute": 1.0, "access": 0.0, "distillation": 1.0}
    assert sc.parameters == {"hbm_control": 0.5}


def test_named_values_and_numeric_strengths(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nswitches: {compute: 0.7}\nparameters: {remote_access_rule: partly-closed}\n"
    )
    sc = load_scenario(str(path))
    assert sc.switches["compute"] == 0.7
    assert sc.parameters["remote_access_rule"] == 0.5


def test_extends_cycle_is_reported(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(AileadError, match="cycle"):
        load_scenario(str(tmp_path / "a.yaml"))


BAD = {
    "end before start": ("end: 2024-06\n", ["end", "2024-06"]),
    "unknown field": ("colour: red\n", ["colour", "unknown field"]),
    "wrong type": ("switches: 3\n", ["switches", "3"]),
    "bad switch level": (
        "switches: {compute: strongest}\n",
        ["switches.compute", "strongest", "off, status-quo, strong"],
    ),
    "unknown switch": ("switches: {chips: strong}\n", ["chips", "compute, access, distillation"]),
    "unknown parameter": ("parameters: {nosuch: 1}\n", ["nosuch"]),
    "out of bounds": (
        "parameters: {algorithmic_progress: 9}\n",
        ["algorithmic_progress", "9", "[0.1, 1]"],
    ),
    "not a number": (
        "parameters: {algorithmic_progress: fast}\n",
        ["algorithmic_progress", "fast"],
    ),
    "bad month": ("target: 2028-13\n", ["target", "2028-13", "YYYY-MM"]),
    "target outside": ("target: 2031-06\n", ["target", "2031-06"]),
    "malformed yaml": ("switches: [compute\n", ["malformed YAML", "line"]),
    "not a mapping": ("- a\n- b\n", ["mapping"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_scenario_file_gives_one_plain_message(tmp_path, case):
    text, fragments = BAD[case]
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\n" + text if "mapping" not in case else text)
    with pytest.raises(AileadError) as err:
        load_scenario(str(path))
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_unknown_preset_lists_the_presets():
    with pytest.raises(AileadError, match="status-quo"):
        load_scenario("no-such-preset")


def test_overrides_via_set():
    sc = load_scenario("status-quo").with_overrides({"compute": "strong", "hbm_control": "0.99"})
    assert sc.switches["compute"] == 1.0 and sc.parameters["hbm_control"] == 0.99
    with pytest.raises(AileadError, match="--set compute"):
        sc.with_overrides({"compute": "max"})


def test_the_documented_scenario_example_loads(tmp_path):
    import re
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "usage.md"
    readme = page.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(example)
    sc = load_scenario(str(path))
    assert sc.switches["access"] == 1.0 and sc.parameters["algorithmic_progress"] == 0.6


def test_the_anchor_moves_the_initial_state_and_the_time_axis():
    from ailead import run

    sc = load_scenario(
        {
            "name": "from-2023",
            "anchor": "2023-01",
            "start": "2023-01",
            "end": "2025-12",
            "target": "2025-12",
            "policy_start": "2023-01",
            # a lever with a recorded calendar history (licences from 2026-01) would differ
            "parameters": {"export_licensed_chips": 0.0},
        }
    )
    assert sc.month("2023-01") == 0 and sc.month("2025-12") == 35
    ds = run(sc)
    assert str(ds.time.values[0])[:7] == "2023-01" and ds.sizes["time"] == 36
    # The same initial state from a later anchor gives the same path, shifted in time.
    later = run(
        {
            **sc.model_dump(),
            "anchor": "2025-01",
            "start": "2025-01",
            "end": "2027-12",
            "target": "2027-12",
            "policy_start": "2025-01",
            "name": "x",
        }
    )
    np.testing.assert_allclose(ds["lead_months"].values, later["lead_months"].values)
    with pytest.raises(AileadError, match="before the anchor"):
        load_scenario({"name": "x", "anchor": "2025-01", "start": "2024-12"})


def test_a_scenario_can_run_on_the_calibrated_posterior():
    from ailead import run

    prior = run({"name": "p", "extends": "status-quo"}, samples=16, seed=1)
    post = run(
        {"name": "q", "extends": "status-quo", "calibration": "posterior"}, samples=16, seed=1
    )
    again = run(
        {"name": "q", "extends": "status-quo", "calibration": "posterior"}, samples=16, seed=1
    )
    np.testing.assert_array_equal(post["parameters"].values, again["parameters"].values)
    assert not np.array_equal(prior["parameters"].values, post["parameters"].values)
    one = run({"name": "q", "extends": "status-quo", "calibration": "posterior"})
    assert np.isfinite(one["lead_months"].values).all()
    with pytest.raises(AileadError, match="calibration"):
        load_scenario({"name": "x", "calibration": "fitted"})


def test_an_on_off_parameter_takes_0_or_1_and_no_share_between():
    sc = load_scenario("status-quo")
    assert sc.with_overrides({"revenue_feedback": "off"}).parameters["revenue_feedback"] == 0.0
    assert sc.with_overrides({"prc_responses": "1"}).parameters["prc_responses"] == 1.0
    with pytest.raises(AileadError, match=r"value 0.37 .* allowed: 0 \(off\) or 1 \(on\)"):
        sc.with_overrides({"revenue_feedback": "0.37"})
