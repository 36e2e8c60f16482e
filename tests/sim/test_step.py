"""The pure monthly step, called directly.

One step from any reachable state, with parameters drawn across the registry's bounds and the
state's free parts (adoption, shares abroad, fired triggers) perturbed, keeps stocks positive,
shares in [0, 1], running maxima non-decreasing and fired triggers latched; the step leaves its
inputs untouched; and the NumPy driver is exactly a loop over it.
"""

import numpy as np
from draws import REGISTRY, UNCERTAIN, spread
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ailead.outputs.engine import simulation_inputs
from ailead.sim.drive import simulate
from ailead.sim.flows import exogenous
from ailead.sim.state import LEADER_MONTHS, State
from ailead.sim.step import init, step

N = 3  # samples per example
PRESETS = ("status-quo", "us-lead", "catch-up")


def start(preset: str, params: dict):
    _sc, params, levers, n_months = simulation_inputs(preset, params)
    inputs = exogenous(params, levers, n_months)
    constants, state = init(params, inputs.at(0))
    return params, levers, n_months, inputs, constants, state


unit = st.lists(st.floats(0.0, 1.0), min_size=N * len(UNCERTAIN), max_size=N * len(UNCERTAIN)).map(
    lambda xs: np.array(xs).reshape(N, len(UNCERTAIN))
)
shares = st.lists(st.floats(0.0, 1.0), min_size=4 * N, max_size=4 * N).map(
    lambda xs: np.array(xs).reshape(2, 2, N) / 2.0  # two stacks' shares sum to at most 1
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    u=unit,
    preset=st.sampled_from(PRESETS),
    month=st.integers(0, 71),
    adoption=st.lists(st.floats(0.0, 1.0), min_size=2 * N, max_size=2 * N),
    installed=shares,
    fired=st.lists(st.sampled_from([np.inf, 0.0, 5.0, 30.0]), min_size=3 * N, max_size=3 * N),
)
def test_one_step_keeps_the_state_valid(u, preset, month, adoption, installed, fired):
    params, _levers, _n, inputs, constants, state = start(preset, spread(u))
    for t in range(month):  # a reachable state in that month
        state, _ = step(constants, state, inputs.at(t))
    fired = np.minimum(np.array(fired).reshape(3, N), month - 1.0)
    fired[fired < 0] = np.inf
    reached = state.adoption  # adoption never falls: anywhere from what was reached up to 1
    adoption = reached + np.array(adoption).reshape(2, N) * (1.0 - reached)
    state = state._replace(adoption=adoption, installed=installed, fired=fired)
    before = State(*(np.array(v, copy=True) for v in state))

    following, recorded = step(constants, state, inputs.at(month))

    for kept, now in zip(before, state, strict=True):  # the step wrote into nothing it was given
        np.testing.assert_array_equal(kept, now)
    assert np.all(np.isfinite(following.stock)) and np.all(following.stock > 0)
    assert np.all(following.best_run >= np.maximum(state.best_run, 0))
    assert np.all(following.best_capability >= state.best_capability)
    for share in (following.adoption, following.installed, recorded.revenue_share):
        assert np.all((share >= 0) & (share <= 1))
    assert np.all(following.adoption >= state.adoption)  # adoption never falls
    assert np.all(following.installed.sum(axis=1) <= 1 + 1e-12)
    latched = np.isfinite(state.fired)
    assert np.array_equal(following.fired[latched], state.fired[latched])
    newly = np.isfinite(following.fired) & ~latched
    assert np.all(following.fired[newly] == month)
    assert np.array_equal(following.leader_path[0], recorded.capability[0])
    assert np.array_equal(following.leader_path[1:], state.leader_path[:-1])


def test_the_driver_is_a_loop_over_the_step():
    params = REGISTRY.sample(16, 3)
    params, levers, n_months, inputs, constants, state = start("status-quo", params)
    paths = simulate(params, levers, n_months)
    for t in range(n_months):
        state, recorded = step(constants, state, inputs.at(t))
        for name, value in recorded._asdict().items():
            np.testing.assert_array_equal(getattr(paths.monthly, name)[t], value, err_msg=name)


def test_the_kept_path_covers_the_longest_lag_the_registry_allows():
    # The lagged ceiling reads I_us(t - d - 1), d = floor(lag): it must lie in the kept path.
    longest = int(np.floor(REGISTRY["distillation_lag_months"].bounds[1]))
    assert longest + 1 <= LEADER_MONTHS


def test_the_longest_lag_reads_the_backward_extension_exactly():
    params = REGISTRY.sample(1, 0)
    params["distillation_lag_months"] = np.array([REGISTRY["distillation_lag_months"].bounds[1]])
    params["distillation_gap_closure"] = np.array([0.9])
    params, _levers, _n, inputs, constants, state = start("catch-up", params)
    slope, cap0 = params["frontier_growth_history"], constants.frontier["capability_us0"]
    # Month -13 on the backward extension: I_us(0) - 13 g / 12.
    np.testing.assert_allclose(state.leader_path[-1], cap0 - slope * 13 / 12, rtol=1e-15)
