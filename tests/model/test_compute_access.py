"""The compute and access switches' mechanisms: exports as volumes, smuggling bounded by unmet
demand, SME controls on wafer and HBM capacity, and the flows that carry them into the step."""

import numpy as np
import pytest
from draws import UNCERTAIN, spread

from ailead.inputs.registry import load_registry
from ailead.model import access, compute
from ailead.outputs.engine import simulation_inputs
from ailead.sim.flows import abroad, exogenous

CLASSES = (2368.0, 15832.0, 36000.0)  # H20, H200, B200
H100_TPP = 15832.0
rng = np.random.default_rng(0)
DEFAULTS = load_registry().sample(1, 0)


def inputs(scenario):
    """The scenario, its parameters (registry defaults), lever schedules and months."""
    return simulation_inputs(scenario, DEFAULTS)


def test_the_best_class_under_a_limit_sets_the_chip_performance():
    limits = np.array([0.0, 2368.0, 4800.0, 20999.0, 36000.0])
    h = compute.class_h100e(limits, CLASSES, H100_TPP)
    np.testing.assert_allclose(h, [0.0, 2368 / H100_TPP, 2368 / H100_TPP, 1.0, 36000 / H100_TPP])


def random_channels(n=2000):
    demand = rng.uniform(0.0, 3e5, n)
    licensed = rng.choice([0.0, 1e4, 3.3e4, 1e6], n)
    lic_h = compute.class_h100e(rng.choice([0.0, 2368.0, 21000.0, 40000.0], n), CLASSES, H100_TPP)
    free_h = compute.class_h100e(rng.choice([0.0, 4800.0, 21000.0], n), CLASSES, H100_TPP)
    frontier = rng.uniform(2.0, 8.0, n)
    return demand, licensed, lic_h, free_h, frontier


def test_exports_never_exceed_demand_nor_the_licensed_volume_plus_the_free_class():
    demand, licensed, lic_h, free_h, frontier = random_channels()
    e = compute.legal_exports(demand, licensed, lic_h, free_h, frontier)
    assert (e >= 0).all() and (e <= demand * frontier * (1 + 1e-12)).all()
    # chips of the licensed class never exceed the licensed volume: what is above the free class
    extra = e - demand * np.minimum(free_h, frontier)
    assert (extra <= licensed * np.maximum(lic_h - free_h, 0.0) * (1 + 1e-12) + 1e-9).all()
    assert (compute.legal_exports(demand, 0.0, lic_h, 0.0, frontier) == 0.0).all()


def test_exports_rise_with_every_lever_loosened():
    demand, licensed, lic_h, free_h, frontier = random_channels()
    e = compute.legal_exports(demand, licensed, lic_h, free_h, frontier)
    more_volume = compute.legal_exports(demand, licensed * 2 + 1, lic_h, free_h, frontier)
    better_lic = compute.legal_exports(demand, licensed, np.maximum(lic_h, 1.0), free_h, frontier)
    better_free = compute.legal_exports(demand, licensed, lic_h, np.maximum(free_h, 1.0), frontier)
    for looser in (more_volume, better_lic, better_free):
        assert (looser >= e - 1e-9).all()
    assert (compute.legal_exports(demand * 1.5, licensed, lic_h, free_h, frontier) >= e).all()


def test_the_licensed_volume_binds_until_demand_does():
    # 100 chips wanted; 30 licensed H200 (1 H100e) and H20s (0.15) for the rest.
    h20 = 2368.0 / H100_TPP
    e = compute.legal_exports(100.0, np.array([0.0, 30.0, 100.0, 1e6]), 1.0, h20, 2.3)
    np.testing.assert_allclose(e, [100 * h20, 30 + 70 * h20, 100.0, 100.0])


def test_smuggling_falls_with_enforcement_and_with_legal_supply_and_stays_within_unmet_demand():
    demand, licensed, lic_h, free_h, frontier = random_channels()
    e = compute.legal_exports(demand, licensed, lic_h, free_h, frontier)
    unmet = access.unmet_demand(demand, frontier, e)
    levels = np.linspace(0.0, 1.0, 5)
    s = np.array([access.smuggled(unmet, 0.3, level) for level in levels])
    assert (np.diff(s, axis=0) <= 0).all() and (s[-1] == 0).all()
    assert (access.smuggled(unmet, 1.0, 0.0) <= demand * frontier + 1e-9).all()
    looser = compute.legal_exports(
        demand, licensed * 2 + 1, np.maximum(lic_h, 1.0), free_h, frontier
    )
    s_looser = access.smuggled(access.unmet_demand(demand, frontier, looser), 0.3, 0.2)
    s_base = access.smuggled(unmet, 0.3, 0.2)
    assert (s_looser <= s_base + 1e-9).all()
    # ... but more legal supply never lowers what reaches the PRC in all (share <= 1)
    assert (looser + s_looser >= e + s_base - 1e-6).all()


def test_smuggling_does_not_scale_with_us_output():
    p, levers, n = inputs("status-quo")[1:]
    x = exogenous(p, levers, n)
    doubled = exogenous({**p, "us_production_2025": p["us_production_2025"] * 2}, levers, n)
    np.testing.assert_allclose(abroad(doubled, 1.0, 1.0)[1], abroad(x, 1.0, 1.0)[1])
    np.testing.assert_allclose(doubled.exports, x.exports)


def test_controlled_growth_is_todays_growth_at_one_and_slows_only_after_the_control():
    months = 36
    control = np.ones((months, 1))
    base = compute.controlled_growth(np.array([100.0]), np.array([1.5]), control)
    np.testing.assert_allclose(base[:, 0], 100.0 * 1.5 ** (np.arange(months) / 12))
    tight = control.copy()
    tight[12:] = 0.4
    slowed = compute.controlled_growth(np.array([100.0]), np.array([1.5]), tight)
    np.testing.assert_allclose(slowed[:13], base[:13])  # a month's control acts from the next
    assert (slowed[13:] < base[13:]).all() and (np.diff(slowed[:, 0]) > 0).all()
    old = 5e4 * 2.0 ** ((np.arange(months) - 5.5) / 12)  # the former closed form at c = 1
    np.testing.assert_allclose(compute.domestic_hbm(5e4, 2.0, control)[:, 0], old)


def production(preset, **overrides):
    _sc, p, levers, n = inputs({"name": "t", "extends": preset, "parameters": overrides})
    return exogenous(p, levers, n).production_cn


def test_sme_controls_bind_from_the_policy_start_through_wafers_or_hbm():
    # the PRC's output is HBM-bound: SME controls act on domestic HBM as on wafers
    start = 12  # policy_start 2026-01
    for extra in ({}, {"hbm_control": 0.0}):  # HBM-bound, then wafer-bound with open HBM imports
        loose = production("status-quo", sme_control=1.3, **extra)
        today = production("status-quo", **extra)
        tight = production("status-quo", sme_control=0.4, **extra)
        np.testing.assert_allclose(tight[: start + 1], today[: start + 1])
        assert (tight <= today * (1 + 1e-12)).all() and (today <= loose * (1 + 1e-12)).all()
        assert tight[-1, 0] < 0.9 * today[-1, 0], extra


def test_abroad_with_factors_keeps_the_caps():
    _sc, p, levers, n = inputs("status-quo")
    x = exogenous(p, levers, n)
    for factor, surge in ((1.0, 1.0), (1.3, 1.0), (0.7, 1.5)):
        e, s = abroad(x, factor, surge)
        assert (e <= x.demand * factor * surge * x.frontier_h100e * (1 + 1e-12)).all()
        assert (s <= x.demand * factor * x.frontier_h100e).all() and (s >= 0).all()
    e, s = abroad(x, 1.0, 1.0)
    np.testing.assert_allclose(e, x.exports)
    unmet = access.unmet_demand(x.demand, x.frontier_h100e, e)
    np.testing.assert_allclose(s, access.smuggled(unmet, x.smuggling_share, x.enforcement))


@pytest.mark.parametrize("preset", ["status-quo", "us-lead", "catch-up"])
def test_case_by_case_licences_start_in_january_2026_in_every_preset(preset):
    sc, _p, levers, _n = inputs(preset)
    licensed = levers["export_licensed_chips"]
    assert (licensed[: sc.month("2026-01")] == 0.0).all()


PRESETS = ("status-quo", "us-lead", "catch-up")


def spread_inputs(preset, n=64):
    """The preset's exogenous inputs for parameters spread over the registry's bounds (corners
    first), and random demand factors and stockpiling surges of the step's kind."""
    u = np.concatenate([np.zeros((1, len(UNCERTAIN))), np.ones((1, len(UNCERTAIN)))])
    u = np.concatenate([u, np.random.default_rng(3).random((n - 2, len(UNCERTAIN)))])
    _sc, p, levers, months = simulation_inputs(preset, spread(u))
    factor = rng.uniform(0.3, 3.0, (months, n))
    surge = rng.uniform(1.0, 2.0, (months, n))
    return p, exogenous(p, levers, months), factor, surge


@pytest.mark.parametrize("preset", PRESETS)
def test_smuggling_stays_within_its_bound_across_the_registry_bounds(preset):
    p, x, factor, surge = spread_inputs(preset)
    with np.errstate(all="raise"):
        e, s = abroad(x, factor, surge)
    wanted = x.demand * factor * x.frontier_h100e  # what the PRC would buy with no controls
    bound = p["smuggling_share_unenforced"] * (1.0 - x.enforcement) * wanted
    assert np.isfinite(s).all() and (s >= 0).all()
    assert (s <= bound * (1 + 1e-12)).all()  # sigma0 (1 - enforcement) N h_f
    # legal and smuggled imports together never exceed the uncontrolled demand (x the surge)
    assert (e + s <= wanted * surge * (1 + 1e-12)).all()
    # smuggling fills only what legal exports leave: with no surge, E + S <= N h_f
    e1, s1 = abroad(x, factor, 1.0)
    assert (e1 + s1 <= wanted * (1 + 1e-12)).all()


@pytest.mark.parametrize("preset", PRESETS)
def test_smuggling_falls_month_by_month_as_enforcement_rises_on_every_preset(preset):
    _sc, p, levers, n = inputs(preset)
    enforcement = levers["smuggling_enforcement"]
    levels = (0.0 * enforcement, enforcement, (1.0 + enforcement) / 2, 1.0 + 0.0 * enforcement)
    paths = [
        abroad(exogenous(p, {**levers, "smuggling_enforcement": level}, n), 1.0, 1.0)[1]
        for level in levels
    ]
    for weaker, stronger in zip(paths, paths[1:], strict=False):
        assert (stronger <= weaker).all()
    assert (paths[0] > 0).all() and (paths[-1] == 0).all()


def test_smuggling_falls_with_each_preset_s_legal_supply():
    # the compute switch alone: more legal exports, less smuggling, month by month
    runs = {}
    for level in ("strong", "status-quo", "off"):
        sc = {"name": "t", "extends": "status-quo", "switches": {"compute": level}}
        _sc, p, levers, n = inputs(sc)
        runs[level] = abroad(exogenous(p, levers, n), 1.0, 1.0)
    (e_strong, s_strong), (e_sq, s_sq), (e_off, s_off) = runs.values()
    assert (e_strong <= e_sq).all() and (e_sq <= e_off).all()
    assert (s_strong >= s_sq).all() and (s_sq >= s_off).all()
    assert s_off[-1, 0] < s_strong[-1, 0]


def test_the_smuggling_bound_grows_as_demand_in_chips_times_the_newest_class():
    # with enforcement constant (status-quo), sigma0 (1 - e) N h_f grows g_N x g_perf a year
    _sc, p, levers, n = inputs("status-quo")
    x = exogenous(p, levers, n)
    bound = x.smuggling_share * (1.0 - x.enforcement) * x.demand * x.frontier_h100e
    growth = bound[12:] / bound[:-12]
    expected = p["cn_import_demand_growth"] * p["us_chip_perf_growth"]
    np.testing.assert_allclose(growth, np.broadcast_to(expected, growth.shape), rtol=1e-9)
    s = abroad(x, 1.0, 1.0)[1]
    assert (s <= bound * (1 + 1e-12)).all()
