"""The same step under JAX: `jax.jit(step)` on one month and `jax.lax.scan` over a year give
NumPy's numbers in float64, on every preset; the exogenous inputs and the lead compile too.

The test extra installs JAX for CPU; the GPU backend builds on this.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from ailead.inputs.registry import load_registry
from ailead.model import lead
from ailead.outputs.engine import simulation_inputs
from ailead.sim.drive import simulate
from ailead.sim.flows import Inputs, exogenous
from ailead.sim.step import init, step

jax.config.update("jax_enable_x64", True)

PRESETS = ("status-quo", "us-lead", "catch-up")
SAMPLES = 8
YEAR = 12


def on_device(tree):
    return jax.tree_util.tree_map(jnp.asarray, tree)


def assert_same(jax_tree, numpy_tree, rtol):
    """Equal within rtol, and within rtol x 10 in absolute terms: differences of capabilities
    near 30 OOM that should be zero are a few ulps of 30 (3.6e-15), not relative to zero."""
    leaves = jax.tree_util.tree_leaves_with_path(jax_tree)
    for (path, got), want in zip(leaves, jax.tree_util.tree_leaves(numpy_tree), strict=True):
        assert isinstance(got, jax.Array), jax.tree_util.keystr(path)
        np.testing.assert_allclose(
            np.asarray(got), want, rtol=rtol, atol=10 * rtol, err_msg=jax.tree_util.keystr(path)
        )


@pytest.fixture(scope="module", params=PRESETS)
def numpy_run(request):
    params = load_registry().sample(SAMPLES, 0)
    _sc, params, levers, n_months = simulation_inputs(request.param, params)
    inputs = exogenous(params, levers, n_months)
    constants, state = init(params, inputs.at(0))
    return params, levers, n_months, inputs, constants, state


def test_one_compiled_month_equals_numpy(numpy_run):
    _p, _levers, _n, inputs, constants, state = numpy_run
    want = step(constants, state, inputs.at(0))
    got = jax.jit(step)(on_device(constants), on_device(state), on_device(inputs.at(0)))
    assert_same(got, want, rtol=1e-12)


def test_a_scanned_year_equals_the_numpy_loop(numpy_run):
    params, levers, _n, inputs, constants, state = numpy_run
    year = Inputs(*(v[:YEAR] for v in inputs))

    @jax.jit
    def run_year(constants, state, inputs):
        return jax.lax.scan(lambda s, x: step(constants, s, x), state, inputs)

    final, months = run_year(on_device(constants), on_device(state), on_device(year))
    paths = simulate(params, {k: v[:YEAR] for k, v in levers.items()}, YEAR)
    assert_same(months, paths.monthly, rtol=1e-9)
    for t in range(YEAR):
        state, _ = step(constants, state, inputs.at(t))
    assert_same(final, state, rtol=1e-9)


def test_the_exogenous_inputs_compile(numpy_run):
    params, levers, n_months, inputs, _c, _s = numpy_run
    got = jax.jit(exogenous, static_argnums=2)(on_device(params), on_device(levers), n_months)
    assert_same(got, inputs, rtol=1e-12)


def test_the_lead_compiles_both_ways():
    rng = np.random.default_rng(0)
    us = np.cumsum(rng.uniform(0.0, 0.2, (5, 40)), axis=1)  # non-decreasing paths that cross:
    cn = np.cumsum(rng.uniform(0.0, 0.3, (5, 40)), axis=1) - 1.0  # the PRC ahead later on
    slope = np.full(5, 1.2)
    want = lead.lead_months(us, cn, slope)
    assert (want < 0).any() and (want > 0).any()
    got = jax.jit(lead.lead_months)(jnp.asarray(us), jnp.asarray(cn), jnp.asarray(slope))
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)
