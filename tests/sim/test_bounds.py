"""Anywhere within the registry's bounds the model stays finite: no NaN, no inf, no overflow,
in any variable of any preset, at random points of the bounds and at their corners."""

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


@pytest.mark.parametrize("preset", PRESETS)
def test_every_variable_is_finite_across_the_bounds(preset):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # an overflow anywhere fails the test
        ds = run_parameters(preset, spread(points()))
    for name, values in ds.data_vars.items():
        if values.dtype.kind == "f":
            assert np.isfinite(values.values).all(), name
