"""PRIM on synthetic data with a known box, scenario discovery, and the condition parser."""

import numpy as np
import pandas as pd
import pytest

from ailead import load_registry
from ailead.analysis import discover, prim
from ailead.analysis.conditions import parse_condition, parse_target
from ailead.errors import AileadError


def synthetic(n=4000, noise=0.0, dims=5, seed=0):
    """Cases where a > 0.6 and b < 0.3 (12% of a uniform cube); other inputs are irrelevant."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, dims)), columns=list("abcdefghij"[:dims]))
    y = (x["a"] > 0.6) & (x["b"] < 0.3)
    flip = rng.random(n) < noise
    return x, (y ^ flip).to_numpy()


def test_prim_finds_the_known_box():
    x, y = synthetic()
    found = prim(x, y, threshold=0.95)
    assert list(found.box.index) == ["a", "b"]
    assert found.box.loc["a", "lower"] == pytest.approx(0.6, abs=0.03)
    assert found.box.loc["a", "upper"] == found.box.loc["a", "max"]
    assert found.box.loc["b", "upper"] == pytest.approx(0.3, abs=0.03)
    assert found.box.loc["b", "lower"] == found.box.loc["b", "min"]
    assert found.coverage > 0.9 and found.density > 0.95
    assert (found.box["qp"] < 1e-6).all()


def test_pruning_drops_chance_restrictions_in_many_noisy_dimensions():
    x, y = synthetic(n=3000, noise=0.05, dims=10, seed=1)
    pruned = prim(x, y, threshold=0.8)
    kept = prim(x, y, threshold=0.8, max_p=1.0)
    assert set(pruned.box.index) == {"a", "b"}
    assert set(kept.box.index) >= {"a", "b"}
    assert pruned.density > 0.75


def test_trajectory_shrinks_monotonically_and_the_choice_meets_the_threshold():
    x, y = synthetic(noise=0.1)
    found = prim(x, y, threshold=0.75, paste=False, max_p=1.0)
    traj = found.trajectory
    assert traj.loc[0, "mass"] == 1.0 and traj.loc[0, "coverage"] == 1.0
    assert (np.diff(traj["mass"]) < 0).all()
    assert (np.diff(traj["coverage"]) <= 0).all()
    assert traj["mass"].iloc[-1] >= 0.05
    chosen = traj.loc[found.chosen]
    assert chosen["density"] >= 0.75
    assert (traj.loc[: found.chosen - 1, "density"] < 0.75).all()  # the widest such box
    assert found.density == pytest.approx(chosen["density"])
    assert len(found.boxes) == len(traj)


def test_pasting_never_lowers_the_density():
    x, y = synthetic(noise=0.1, seed=4)
    plain = prim(x, y, paste=False, max_p=1.0)
    pasted = prim(x, y, paste=True, max_p=1.0)
    assert pasted.density >= plain.density
    assert pasted.mass >= plain.mass


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alpha": 0.7}, "alpha: value 0.7 is not allowed"),
        ({"min_mass": 0.0}, "min_mass: value 0.0 is not allowed"),
        ({"threshold": 1.5}, "threshold: value 1.5 is not allowed"),
    ],
)
def test_bad_prim_options_fail_plainly(kwargs, message):
    x, y = synthetic(n=200)
    with pytest.raises(AileadError, match=message):
        prim(x, y, **kwargs)


def test_prim_needs_cases():
    x, y = synthetic(n=200)
    with pytest.raises(AileadError, match="no sample is a case of interest"):
        prim(x, np.zeros_like(y))


def test_discover_names_uncertain_parameters_and_is_reproducible():
    first = discover("catch-up", where="lead_months <= 4", samples=512, seed=2)
    again = discover("catch-up", where="lead_months<=4", samples=512, seed=2)
    assert first.to_dict() == again.to_dict()
    data = first.to_dict()
    assert data["where"] == "lead_months <= 4" and data["samples"] == 512
    assert 0 < data["cases"] < 512
    assert set(data["box"]) <= set(load_registry().uncertain)
    assert 0 < data["coverage"] <= 1 and data["density"] >= data["share"]


def test_discover_with_no_case_fails_plainly():
    with pytest.raises(AileadError, match="no sample of 16 meets lead_months <= -100"):
        discover("status-quo", where="lead_months <= -100", samples=16)


@pytest.mark.parametrize(
    ("text", "metric", "op", "value"),
    [
        ("lead_months <= 3", "lead_months", "<=", 3.0),
        ("  compute_ratio>1e1 ", "compute_ratio", ">", 10.0),
        ("lead_months >= -2.5", "lead_months", ">=", -2.5),
    ],
)
def test_conditions_parse_without_eval(text, metric, op, value):
    condition = parse_condition(text)
    assert (condition.metric, condition.op, condition.value) == (metric, op, value)
    assert condition.holds(np.array([value - 1, value, value + 1])).tolist() == [
        op in ("<=", "<"),
        op in ("<=", ">="),
        op in (">=", ">"),
    ]


@pytest.mark.parametrize(
    "text", ["lead_months == 3", "__import__('os') <= 1", "lead_months <= three", "", "<= 3"]
)
def test_bad_conditions_name_the_field_and_the_form(text):
    with pytest.raises(AileadError, match=r"where: value .* is not a condition; allowed: <metric>"):
        parse_condition(text)


def test_verdict_conditions():
    condition = parse_condition("outcome == scenario-two")
    assert str(condition) == "outcome == scenario-two"
    verdicts = np.array(["scenario-one", "scenario-two", "contested"], dtype=object)
    assert condition.holds(verdicts).tolist() == [False, True, False]
    with pytest.raises(AileadError, match="names no verdict; allowed: outcome == one of scenario"):
        parse_condition("outcome == scenario-three")


def test_discover_a_verdict():
    found = discover("catch-up", where="outcome == scenario-two", samples=256, seed=1)
    data = found.to_dict()
    assert data["where"] == "outcome == scenario-two" and data["cases"] > 0


def test_probability_targets():
    target = parse_target("P(lead_months >= 12) >= 0.8")
    assert str(target) == "P(lead_months >= 12) >= 0.8"
    assert target.met(0.8) and not target.met(0.79)
    with pytest.raises(AileadError, match="probability 1.5 is not allowed"):
        parse_target("P(lead_months >= 12) >= 1.5")
    with pytest.raises(AileadError, match="target: value 'lead_months >= 12' is not a prob"):
        parse_target("lead_months >= 12")
