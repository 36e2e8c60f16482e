"""Correlated uncertainty: the Gaussian copula of the registry, and the stylised policy costs."""

import numpy as np
import pytest
from scipy import stats

from ailead.errors import AileadError
from ailead.inputs.registry import load_registry, parse_registry

REGISTRY = load_registry()
SOURCES = {"s": {"title": "A source", "publisher": "P", "year": 2024, "url": "https://example.org"}}
REASON = "A stated reason that is long enough to count as reasoning."


def _param(distribution):
    return {
        "description": "d",
        "unit": "u",
        "default": 1.0,
        "bounds": [0.0, 10.0],
        "distribution": distribution,
        "assumption": REASON,
    }


def registry(correlations, **extra):
    params = {
        "a": _param({"uniform": {"low": 0.0, "high": 2.0}}),
        "b": _param({"lognormal": {"p5": 0.5, "p95": 2.0}}),
        "c": _param({"triangular": {"low": 0.5, "mode": 1.0, "high": 3.0}}),
        "fixed": _param("fixed"),
    }
    return parse_registry(
        {"sources": SOURCES, "parameters": params, "correlations": correlations, **extra}, "test"
    )


def pair(a, b, rank):
    return {"between": [a, b], "rank": rank, "assumption": REASON}


@pytest.mark.parametrize("rank", [-0.6, 0.3, 0.8])
def test_the_requested_rank_correlation_is_reproduced(rank):
    draws = registry([pair("a", "b", rank)]).sample(4096, seed=3)
    assert stats.spearmanr(draws["a"], draws["b"])[0] == pytest.approx(rank, abs=0.03)
    assert abs(stats.spearmanr(draws["a"], draws["c"])[0]) < 0.05


def test_marginals_are_unchanged_by_the_copula():
    plain = registry([]).sample(4096, seed=3)
    coupled = registry([pair("a", "b", 0.7), pair("b", "c", -0.4)]).sample(4096, seed=3)
    np.testing.assert_allclose(plain["a"], coupled["a"], rtol=1e-12)  # the first column stays
    assert not np.array_equal(plain["b"], coupled["b"])
    assert not np.array_equal(plain["c"], coupled["c"])
    for name in ("a", "b", "c"):
        result = stats.ks_2samp(plain[name], coupled[name])
        assert result.statistic < 0.03, name
        np.testing.assert_allclose(
            np.quantile(plain[name], [0.05, 0.5, 0.95]),
            np.quantile(coupled[name], [0.05, 0.5, 0.95]),
            rtol=0.03,
        )


def test_coupled_sampling_stays_reproducible_prefix_stable_and_within_bounds():
    reg = registry([pair("a", "b", 0.7)])
    full, prefix = reg.sample(256, seed=5), reg.sample(64, seed=5)
    again, other = reg.sample(256, seed=5), reg.sample(256, seed=6)
    for name in ("a", "b", "c"):
        np.testing.assert_array_equal(full[name][:64], prefix[name])
        np.testing.assert_array_equal(full[name], again[name])
        assert not np.array_equal(full[name], other[name])
        assert (full[name] >= 0.0).all() and (full[name] <= 10.0).all()
    one = reg.sample(1, seed=5)
    assert one["a"][0] == one["b"][0] == 1.0  # one sample is still the defaults


def test_contradictory_correlations_fail_with_a_plain_message():
    bad = [pair("a", "b", 0.9), pair("b", "c", 0.9), pair("a", "c", -0.9)]
    with pytest.raises(AileadError, match="matrix of a, b, c is not positive definite"):
        registry(bad)


@pytest.mark.parametrize(
    ("correlations", "message"),
    [
        ([pair("a", "fixed", 0.5)], "'fixed' is not an uncertain parameter"),
        ([pair("a", "nope", 0.5)], "'nope' is not an uncertain parameter"),
        ([pair("a", "b", 0.5), pair("b", "a", 0.2)], "b and a is given twice"),
        ([pair("a", "a", 0.5)], "cannot be correlated with itself"),
        ([pair("a", "b", 1.0)], "less than 1"),
        ([{"between": ["a", "b"], "rank": 0.5}], "needs a source or an assumption"),
    ],
)
def test_bad_correlations_name_the_pair_and_the_problem(correlations, message):
    with pytest.raises(AileadError, match=message):
        registry(correlations)


def test_shipped_correlations_are_justified_and_reproduced():
    assert REGISTRY.correlations, "the registry declares correlations"
    draws = REGISTRY.sample(4096, seed=0)
    for c in REGISTRY.correlations:
        reason = c.assumption or (c.source and c.source.note) or ""
        assert len(reason) > 30, c.between
        a, b = (draws[name] for name in c.between)
        assert stats.spearmanr(a, b)[0] == pytest.approx(c.rank, abs=0.05), c.between


def test_policy_costs_cover_every_switch_and_rise_from_off_to_strong():
    assert set(REGISTRY.policy_costs) == {"compute", "access", "distillation"}
    for cost in REGISTRY.policy_costs.values():
        assert len(cost.assumption) > 30
        values = [cost.at(s) for s in np.linspace(0, 1, 11)]
        assert values[0] == cost.levels["off"] and values[-1] == cost.levels["strong"]
        assert (np.diff(values) >= 0).all()


def test_policy_costs_must_not_fall_with_strictness():
    costs = {"unit": "u", "levels": {"off": 1.0, "status-quo": 0.5, "strong": 2.0}}
    with pytest.raises(AileadError, match="policy_costs.compute.*non-decreasing"):
        registry([], policy_costs={"compute": {**costs, "assumption": REASON}})
