"""Fuzzing the command line (issue 14): generated scenario files and --set values either run or
are refused with exit status 2 and one line `error: ...`, never a traceback."""

import math

import yaml
from cli_helpers import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ailead.inputs.scenario import Scenario

FIELDS = [*Scenario.model_fields, "extends", "unknown"]
NAMES = ["compute", "access", "distillation", "algorithmic_progress", "hbm_control", "nope"]
ODD_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
) | st.sampled_from(["", "off", "strong", "status-quo", "2028-12", "9999-12", "0001-01", "~"])
NUMBERS = (
    st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, 1, 0.5, -1, 2**63, 1e308, math.nan, math.inf])
)
SCALARS = st.none() | st.booleans() | NUMBERS | ODD_TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(ODD_TEXT | st.sampled_from(NAMES), inner, max_size=4)
    ),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6) | st.dictionaries(
    st.sampled_from(FIELDS),
    st.dictionaries(st.sampled_from(NAMES), SCALARS, max_size=3) | VALUES,
    max_size=4,
)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def answered_plainly(result) -> None:
    """Exit 0, or exit 2 with one line `error: ...`; never a traceback."""
    assert "Traceback" not in result.output, result.output[-2000:]
    assert result.exit_code in (0, 2), (result.exit_code, result.output[-2000:])
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr[-2000:]
        assert len(lines[0]) < 1000


@SETTINGS
@given(document=DOCUMENTS)
def test_generated_scenario_documents(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("fuzz") / "s.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    answered_plainly(invoke("run", path, "-f", "json"))


@SETTINGS
@given(
    text=st.binary(max_size=400)
    | st.integers(1, 3000).map(lambda d: b"parameters: " + b"[" * d + b"]" * d)
    | st.integers(1, 3000).map(lambda d: b"switches: " + b"{a: " * d + b"1" + b"}" * d)
    | st.text(max_size=400).map(str.encode)
)
def test_generated_bytes_as_a_scenario_file(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "s.yaml"
    path.write_bytes(text)
    answered_plainly(invoke("run", path, "-f", "json"))


@SETTINGS
@given(
    name=st.sampled_from(NAMES) | ODD_TEXT,
    value=ODD_TEXT | NUMBERS.map(str),
    samples=st.integers(-5, 3) | st.sampled_from([10**12, 10**20, 5_000_000]),
    seed=st.integers(-(2**70), 2**70),
)
def test_generated_options(name, value, samples, seed):
    args = ["run", "status-quo", "--set", f"{name}={value}", "-n", samples, "--seed", seed]
    answered_plainly(invoke(*args, "-f", "json"))
