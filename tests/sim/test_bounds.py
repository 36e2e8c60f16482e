"""Anywhere within the registry's bounds the model stays finite: no NaN, no inf, no overflow,
in any variable of any preset, at random points of the bounds and at their corners; and the
installed shares abroad stay shares."""

import warnings

import numpy as np
import pytest
from draws import UNCERTAIN, spread

from ailead.outputs.engine import run_parameters

PRESETS = ("status-quo", "us-lead", "catch-up")


def points() -> np.ndarray:
    rng = np.random.default_rng(7)
    corners = np.array([np.zeros(len(UNCERTAIN)), np.ones(len(UNCERTAIN))])
    return np.concatenate([corners, rng.random((254, len(UNCERTAIN)))])


@pytest.fixture(scope="module", params=PRESETS)
def spread_run(request):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # an overflow anywhere fails the test
        return run_parameters(request.param, spread(points()))


def test_every_variable_is_finite_across_the_bounds(spread_run):
    for name, values in spread_run.data_vars.items():
        if values.dtype.kind == "f":
            assert np.isfinite(values.values).all(), name


def test_installed_shares_abroad_stay_shares_across_the_bounds(spread_run):
    """The installed base (the adjusted shares, from the non-equilibrium start on) of each stack is
    in [0, 1] and the two stacks together hold at most the whole market, every month."""
    shares = spread_run["market_share"].sel(supplier=["us", "cn"]).values
    assert ((shares >= 0.0) & (shares <= 1.0)).all()
    assert (shares.sum(axis=-1) <= 1.0 + 1e-12).all()
