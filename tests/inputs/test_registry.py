"""The registry: every parameter sourced, within bounds, with a usable distribution."""

import subprocess
import sys

import numpy as np
import pytest

from ailead.calibrate.eci_scale import eci_models, fit_eci_scale
from ailead.errors import AileadError
from ailead.inputs.registry import LEVELS, Z95, load_registry

REGISTRY = load_registry()


@pytest.mark.parametrize("name", list(REGISTRY.parameters))
def test_every_parameter_has_unit_description_and_a_source_or_assumption(name):
    p = REGISTRY[name]
    assert p.unit and p.description
    if p.source is not None:
        src = REGISTRY.sources[p.source.ref]
        assert src.title and src.publisher and src.year >= 1950 and src.url.startswith("http")
    else:
        assert len(p.assumption) > 30, "an assumption must give its reasoning"


@pytest.mark.parametrize("name", REGISTRY.uncertain)
def test_distribution_quantiles_lie_within_bounds_and_near_the_default(name):
    p = REGISTRY[name]
    draws = p.distribution.ppf(np.array([0.05, 0.5, 0.95]))
    lo, hi = p.bounds
    assert lo <= draws[0] <= draws[1] <= draws[2] <= hi
    assert draws[0] <= p.default <= draws[2], "the default should be a central value"


def test_switch_levers_cover_all_three_switches_and_are_monotone():
    for switch in ("compute", "access", "distillation"):
        levers = REGISTRY.levers(switch)
        assert levers, switch
        for p in levers:
            values = [p.lever_value(s) for s in np.linspace(0, 1, 11)]
            diffs = np.diff(values)
            assert (diffs >= 0).all() or (diffs <= 0).all()
            assert p.lever_value(LEVELS["status-quo"]) == p.default


def test_sampling_is_reproducible_and_prefix_stable():
    a = REGISTRY.sample(64, seed=5)
    b = REGISTRY.sample(16, seed=5)
    c = REGISTRY.sample(64, seed=6)
    for name in REGISTRY.uncertain:
        np.testing.assert_array_equal(a[name][:16], b[name])
        assert not np.array_equal(a[name], c[name])
        assert (a[name] >= REGISTRY[name].bounds[0]).all()
        assert (a[name] <= REGISTRY[name].bounds[1]).all()


def test_one_sample_is_the_defaults_and_overrides_are_applied():
    one = REGISTRY.sample(1, seed=9, overrides={"algorithmic_progress": 0.3})
    assert one["algorithmic_progress"][0] == 0.3
    assert one["us_production_growth"][0] == REGISTRY["us_production_growth"].default


def test_lognormal_sampling_matches_its_quantiles():
    p = REGISTRY["us_production_growth"]
    draws = REGISTRY.sample(4096, seed=1)["us_production_growth"]
    p5, p95 = np.quantile(draws, [0.05, 0.95])
    assert p5 == pytest.approx(p.distribution.args["p5"], rel=0.03)
    assert p95 == pytest.approx(p.distribution.args["p95"], rel=0.03)


def test_unknown_parameter_suggests_the_closest_name():
    with pytest.raises(AileadError, match="did you mean 'algorithmic_progress'"):
        REGISTRY.get("algorithmic_progres")


def test_out_of_bounds_value_names_parameter_and_range():
    with pytest.raises(AileadError, match=r"algorithmic_progress.*\[0.1, 1\]"):
        REGISTRY["algorithmic_progress"].parse("5", "--set algorithmic_progress")


def test_eci_display_scale_is_the_fit_to_the_shipped_epoch_extract():
    alpha, beta = fit_eci_scale(eci_models(), REGISTRY["algorithmic_progress"].default)
    assert REGISTRY["eci_intercept"].default == pytest.approx(alpha, abs=0.01)
    assert REGISTRY["eci_slope"].default == pytest.approx(beta, abs=0.01)


def test_loading_the_registry_does_not_import_scipy():
    code = (
        "import sys; from ailead.inputs.registry import load_registry; load_registry(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_z95_is_the_normal_95th_percentile():
    from scipy import stats

    assert stats.norm.ppf(0.95) == Z95


def test_a_chunk_of_draws_equals_the_same_draws_of_the_whole_run():
    # Streamed runs and sweeps draw samples start..stop-1 without drawing those before.
    whole = REGISTRY.sample(1000, 3)
    for start, n in ((700, 300), (1, 2), (999, 1)):
        chunk = REGISTRY.sample(n, 3, start=start)
        for name, values in whole.items():
            np.testing.assert_allclose(chunk[name], values[start : start + n], rtol=1e-14)
    assert not np.array_equal(
        REGISTRY.sample(2, 3, start=10)["algorithmic_progress"], whole["algorithmic_progress"][:2]
    )
