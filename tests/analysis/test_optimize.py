"""Policy search: least costly settings reaching a target, and the cost-probability trade-off."""

import numpy as np
import pandas as pd
import pytest

from ailead import load_registry
from ailead.analysis import optimize, plot_tradeoff
from ailead.analysis.optimize import pareto_front
from ailead.errors import AileadError

LEVELS = ["off", "strong"]


@pytest.fixture(scope="module")
def search():
    return optimize("status-quo", "P(lead_months >= 10) >= 0.5", samples=32, seed=0, levels=LEVELS)


def test_every_cell_is_costed_from_the_registry(search):
    costs = load_registry().policy_costs
    assert len(search.table) == 8
    for row in search.table.itertuples():
        expected = sum(
            costs[s].levels[getattr(row, s)] for s in ("compute", "access", "distillation")
        )
        assert row.cost == pytest.approx(expected)
        assert 0.0 <= row.probability <= 1.0
        assert row.meets == (row.probability >= 0.5)


def test_the_choice_is_the_cheapest_cell_meeting_the_target(search):
    assert search.chosen is not None
    meeting = search.table[search.table["meets"]]
    assert search.chosen["cost"] == meeting["cost"].min()
    assert search.chosen["probability"] >= 0.5
    cheaper = search.table[search.table["cost"] < search.chosen["cost"]]
    assert not cheaper["meets"].any()


def test_pareto_front_is_non_dominated_and_rises_with_cost(search):
    front = search.pareto
    assert (np.diff(front["cost"]) > 0).all()
    assert (np.diff(front["probability"]) > 0).all()
    for row in search.table.itertuples():
        dominated_by = front[
            (front["cost"] <= row.cost) & (front["probability"] >= row.probability)
        ]
        assert len(dominated_by) >= 1  # every cell is matched or beaten by a point on the curve
    assert search.chosen["cost"] in set(front["cost"])


def test_pareto_front_on_a_small_table():
    table = pd.DataFrame(
        {"cost": [0.0, 1.0, 1.0, 2.0, 3.0], "probability": [0.1, 0.5, 0.4, 0.45, 0.9]}
    )
    front = pareto_front(table)
    assert front[["cost", "probability"]].values.tolist() == [[0.0, 0.1], [1.0, 0.5], [3.0, 0.9]]


def test_an_unreachable_target_gives_no_choice_but_a_curve():
    found = optimize("status-quo", "P(lead_months >= 200) >= 0.5", samples=8, levels=LEVELS)
    assert found.chosen is None
    assert not found.table["meets"].any()
    assert len(found.pareto) >= 1


def test_a_verdict_target_counts_the_samples_in_that_world(search):
    found = optimize(
        "status-quo", "P(outcome == scenario-one) >= 0.5", samples=32, seed=0, levels=LEVELS
    )
    assert found.target == "P(outcome == scenario-one) >= 0.5"
    strict = found.table.set_index(["compute", "access", "distillation"])["probability"]
    assert strict[("strong", "strong", "strong")] >= strict[("off", "off", "off")]
    # scenario-one needs a lead of at least 12 months, so it is rarer than a lead of 10
    lead_10 = search.table.set_index(["compute", "access", "distillation"])["probability"]
    assert (strict <= lead_10 + 1e-12).all()


def test_same_seed_same_search():
    first = optimize("catch-up", samples=16, seed=4, levels=LEVELS).to_dict()
    again = optimize("catch-up", samples=16, seed=4, levels=LEVELS).to_dict()
    assert first == again


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("lead_months >= 12", "target: value 'lead_months >= 12' is not a probability target"),
        ("P(lead >= 12) >= 0.8", "target: unknown metric 'lead'"),
        ("P(lead_months >= 12) >= 2", "probability 2 is not allowed"),
    ],
)
def test_bad_targets_fail_plainly(target, message):
    with pytest.raises(AileadError, match=message):
        optimize("status-quo", target, samples=4, levels=LEVELS)


def test_trade_off_chart(search, tmp_path):
    chart = plot_tradeoff(search, tmp_path / "tradeoff")
    assert [p.name for p in chart.paths] == ["tradeoff.png", "tradeoff.svg"]
    assert chart.paths[0].read_bytes()[:4] == b"\x89PNG"
    assert chart.data.equals(search.pareto)
