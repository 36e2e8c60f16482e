"""Switch levers: every level says what policy it stands for, with a source or an assumption
and a range; lever values move within those ranges; recorded history holds in every scenario."""

import numpy as np
import pytest

from ailead.errors import AileadError
from ailead.inputs.levers import lever_schedules
from ailead.inputs.registry import LEVELS, load_registry, parse_registry
from ailead.inputs.scenario import load_scenario
from ailead.inputs.yaml_files import load_yaml

REGISTRY = load_registry()
LEVERS = [p for p in REGISTRY.parameters.values() if p.switch is not None]


@pytest.mark.parametrize("lever", LEVERS, ids=lambda p: p.name)
def test_every_level_names_its_policy_with_a_source_or_assumption_and_a_range(lever):
    assert set(lever.policies) == set(LEVELS)
    for level, what in lever.policies.items():
        lo, hi = what.range
        assert lever.bounds[0] <= lo <= lever.levels[level] <= hi <= lever.bounds[1]
        assert what.source is not None or what.assumption
        if what.source is not None:
            assert what.source.ref in REGISTRY.sources


@pytest.mark.parametrize("lever", LEVERS, ids=lambda p: p.name)
def test_lever_values_move_within_the_ranges_and_stay_monotone_in_strength(lever):
    strengths = np.linspace(0.0, 1.0, 11)
    for q in (-1.0, -0.4, 0.0, 0.3, 1.0):
        values = np.array([lever.lever_value(s, q) for s in strengths])
        steps = np.diff(values)
        assert (steps <= 1e-12).all() or (steps >= -1e-12).all()
        for level, s in LEVELS.items():
            lo, hi = lever.policies[level].range
            assert lo - 1e-9 <= lever.lever_value(s, q) <= hi + 1e-9
    assert lever.lever_value(0.5) == lever.levels["status-quo"]


def test_a_level_outside_its_range_is_refused():
    raw = load_yaml(
        """
sources: {}
parameters:
  x:
    kind: policy
    switch: compute
    description: test lever
    unit: fraction
    levels: {off: 0.0, status-quo: 0.5, strong: 1.0}
    bounds: [0.0, 1.0]
    distribution: fixed
    assumption: a test
    policies:
      off: {policy: "nothing at all", range: [0.0, 0.1], assumption: a}
      status-quo: {policy: "today's policy", range: [0.6, 0.7], assumption: b}
      strong: {policy: "the strong one", range: [0.9, 1.0], assumption: c}
"""
    )
    with pytest.raises(AileadError, match="must hold the level"):
        parse_registry(raw, "test.yaml")


@pytest.mark.parametrize("preset", ["status-quo", "us-lead", "catch-up"])
def test_recorded_history_holds_before_its_month_in_every_scenario(preset):
    sc = load_scenario(preset)
    params = REGISTRY.sample(2, 0)
    levers = lever_schedules(sc, REGISTRY, params, sc.month(sc.end) + 1)
    for name, p in REGISTRY.parameters.items():
        if p.history is None:
            continue
        until = sc.month(p.history.until)
        assert (levers[name][:until] == p.history.value).all()
        target = p.lever_value(sc.switches[p.switch])
        assert levers[name][-1] == pytest.approx(target)


def test_a_scenario_that_sets_a_lever_replaces_its_history():
    sc = load_scenario(
        {
            "name": "early",
            "policy_start": "2025-01",
            "parameters": {"export_licensed_chips": 1000.0},
        }
    )
    levers = lever_schedules(sc, REGISTRY, REGISTRY.sample(1, 0), 24)
    licensed = levers["export_licensed_chips"][:, 0]
    assert (licensed[:12] > 0).all() and licensed[-1] == pytest.approx(1000.0)


@pytest.mark.parametrize("policy_start", ["2025-06", "2026-01", "2027-01"])
def test_a_lever_set_to_its_recorded_value_stays_there_and_others_ramp_from_it(policy_start):
    def schedule(**parameters):
        sc = load_scenario({"name": "t", "policy_start": policy_start, "parameters": parameters})
        return lever_schedules(sc, REGISTRY, REGISTRY.sample(1, 0), 72)["export_licensed_chips"]

    none = schedule(export_licensed_chips=0.0)[:, 0]
    assert (none[:12] == 0.0).all() and none[-1] == 0.0
    if policy_start <= "2026-01":  # no status-quo licences in between to ramp down from
        assert (none == 0.0).all()
    today = schedule()[:, 0]
    assert (today[:12] == 0.0).all() and (np.diff(today) >= 0).all()
    assert today[-1] == REGISTRY["export_licensed_chips"].levels["status-quo"]


def test_a_switch_reading_moves_its_levers_within_the_ranges_per_sample():
    sc = load_scenario({"name": "t", "switches": {"compute": "strong", "access": "off"}})
    params = REGISTRY.sample(3, 0)
    params["compute_lever_reading"] = np.array([-1.0, 0.0, 1.0])
    params["access_lever_reading"] = np.array([1.0, 0.5, -1.0])
    levers = lever_schedules(sc, REGISTRY, params, 72)
    for name in ("export_threshold_tpp", "sme_control", "smuggling_enforcement"):
        p = REGISTRY[name]
        level = "strong" if p.switch == "compute" else "off"
        lo, hi = p.policies[level].range
        strict, lenient = (hi, lo) if p.levels["strong"] >= p.levels["off"] else (lo, hi)
        reading, v = params[f"{p.switch}_lever_reading"], p.levels[level]
        expected = np.where(reading >= 0, v + reading * (strict - v), v - reading * (lenient - v))
        np.testing.assert_allclose(levers[name][-1], expected)
        sq_lo, sq_hi = p.policies["status-quo"].range
        assert (levers[name][0] >= sq_lo - 1e-9).all() and (levers[name][0] <= sq_hi + 1e-9).all()


@pytest.mark.parametrize("lever", LEVERS, ids=lambda p: p.name)
def test_a_positive_reading_is_never_more_lenient(lever):
    stricter = 1.0 if lever.levels["strong"] >= lever.levels["off"] else -1.0
    for s in np.linspace(0.0, 1.0, 5):
        values = [stricter * lever.lever_value(s, r) for r in (-1.0, -0.5, 0.0, 0.5, 1.0)]
        assert np.all(np.diff(values) >= -1e-9)


LEVELS_OF = ("compute", "access", "distillation")


@pytest.mark.parametrize("strength", [0.0, 0.2, 0.5, 0.7, 1.0])
def test_a_strength_per_sample_gives_the_levers_of_that_scalar_strength(strength):
    """Per-sample strengths (the signposts' uncertain switches) equal a scenario at that
    strength, sample by sample, lever readings included."""
    params = REGISTRY.sample(6, 3)
    params["access_lever_reading"] = np.linspace(-1.0, 1.0, 6)
    base = load_scenario("status-quo")
    at = load_scenario(
        {"name": "x", "extends": "status-quo", "switches": dict.fromkeys(LEVELS_OF, strength)}
    )
    mixed = dict.fromkeys(LEVELS_OF, np.array([strength, 0.0, strength, 1.0, strength, 0.5]))
    got = lever_schedules(base, REGISTRY, params, 60, mixed)
    want = lever_schedules(at, REGISTRY, params, 60)
    for name, value in want.items():
        np.testing.assert_allclose(got[name][:, 0::2], value[:, 0::2], rtol=1e-12)
    strong = lever_schedules(load_scenario("us-lead"), REGISTRY, params, 60)
    np.testing.assert_allclose(got["remote_access_rule"][:, 3], strong["remote_access_rule"][:, 3])
