"""Scenario files under abuse (issue 14): each refused with one plain message, quickly."""

import errno
import time
from pathlib import Path

import pytest

from ailead.errors import AileadError, short
from ailead.inputs.scenario import load_scenario
from ailead.inputs.yaml_files import MAX_BYTES, MAX_NODES


def refusal(tmp_path, text: str | bytes, name: str = "s.yaml") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(AileadError) as info:
        load_scenario(str(path))
    message = str(info.value)
    assert "\n" not in message and len(message) < 600, message
    return message


def test_a_400_digit_integer_is_refused_as_a_parameter_and_as_a_switch(tmp_path):
    digits = "9" * 400
    msg = refusal(tmp_path, f"parameters:\n  algorithmic_progress: {digits}\n")
    assert "parameters.algorithmic_progress" in msg and "401 digits" not in msg
    assert "an integer of 400 digits" in msg and "allowed: a number in [0.1, 1]" in msg
    msg = refusal(tmp_path, f"switches:\n  compute: {digits}\n")
    assert "switches.compute" in msg and "an integer of 400 digits" in msg


def test_bytes_that_are_not_utf8_name_the_file_and_the_byte(tmp_path):
    msg = refusal(tmp_path, b'name: x\ndescription: "\xff\xfe"\n')
    assert "s.yaml" in msg and "byte 22 is not UTF-8" in msg and "allowed: a UTF-8" in msg


@pytest.mark.parametrize(
    "text",
    [
        "parameters: " + "[" * 20_000 + "]" * 20_000,
        "parameters: " + "{a: " * 1_500 + "1" + "}" * 1_500,
    ],
)
def test_deep_nesting_is_refused_before_python_recurses(tmp_path, text):
    assert "nested deeper than 64 levels" in refusal(tmp_path, "name: x\n" + text + "\n")


def test_extends_through_a_growing_path_is_seen_as_a_cycle(tmp_path):
    (tmp_path / "sub").mkdir()
    msg = refusal(tmp_path, "extends: ../sub/self.yaml\n", "sub/self.yaml")
    assert "forms a cycle" in msg and msg.count("self.yaml") == 3


def test_a_billion_laughs_is_refused_quickly_as_a_value_and_as_a_description(tmp_path):
    lines, prev = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'], "a0"
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = f"a{i}"
    for field in ("description", "parameters"):
        began = time.perf_counter()
        text = "\n".join([*lines, f"{field}: *{prev}"])
        assert f"more than {MAX_NODES} values" in refusal(tmp_path, text + "\n")
        assert time.perf_counter() - began < 2


def test_anchors_used_a_few_times_are_fine(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("switches: &s\n  compute: strong\nverdict: {lead_at_least: 10}\nx: *s\n")
    msg = refusal(tmp_path, path.read_text())
    assert "field 'x': unknown field" in msg  # parsed; refused only for the unknown field


def test_an_oversized_file_is_refused_unread(tmp_path):
    msg = refusal(tmp_path, "name: x\n" + "#" * MAX_BYTES + "\n")
    assert f"larger than {MAX_BYTES} bytes" in msg


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("end", "9999-12"),
        ("end", "2300-12"),
        ("target", "2270-01"),
        ("anchor", "0001-01"),
        ("start", "1999-12"),
        ("target", "2101-01"),
        ("end", True),
        ("end", 202812),
    ],
)
def test_dates_outside_2000_to_2100_are_refused(tmp_path, field, value):
    msg = refusal(tmp_path, f"{field}: {value}\n")
    assert f"field '{field}'" in msg and "from 2000-01 to 2100-12" in msg


def test_a_target_outside_the_run_is_refused(tmp_path):
    msg = refusal(tmp_path, "target: 2031-01\n")
    assert "target 2031-01 is outside the run; allowed: 2025-01 to 2030-12" in msg


def test_runs_up_to_2100_work_without_warnings(tmp_path, recwarn):
    import ailead

    path = tmp_path / "long.yaml"
    path.write_text("end: 2100-12\ntarget: 2100-12\n")
    ds = ailead.run(str(path), samples=4)
    assert str(ds["time"].values[-1])[:7] == "2100-12" and not recwarn.list


def test_an_unreadable_file_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\n")

    def fail(*_args, **_kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(Path, "open", fail)
    with pytest.raises(AileadError) as info:
        load_scenario(str(path))
    assert str(info.value) == f"scenario file {path}: cannot be read (Input/output error)"


def test_messages_quote_at_most_about_80_characters_of_a_value(tmp_path):
    msg = refusal(tmp_path, "switches:\n  compute: " + "x" * 5000 + "\n")
    assert msg.count("x") <= 80 and "..." in msg
    assert len(short(list(range(10**5)))) <= 80
