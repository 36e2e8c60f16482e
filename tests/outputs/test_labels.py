"""The label table: every variable a run returns, every headline metric and every coordinate
label has a human label; numbers and probabilities follow one rule."""

import pytest

import ailead
from ailead.outputs import labels
from ailead.outputs.findings import headline
from ailead.outputs.summary import FRONTS, summarize


@pytest.fixture(scope="module")
def ds():
    return ailead.run("status-quo", samples=4, seed=0)


def test_every_variable_of_a_run_has_a_label(ds):
    missing = [name for name in ds.data_vars if name not in labels.VARIABLES]
    assert missing == [], f"add these to ailead.outputs.labels.VARIABLES: {missing}"


def test_every_headline_metric_and_front_has_a_label(ds):
    assert [m for m in summarize(ds) if m not in labels.METRICS] == []
    assert [f for f in FRONTS if f not in labels.FRONTS] == []
    assert set(labels.BLOCS) == {str(b) for b in ds["bloc"].values}
    assert set(labels.MARKETS) == {str(m) for m in ds["market"].values}
    assert set(labels.SUPPLIERS) == {str(s) for s in ds["supplier"].values}
    assert set(labels.RESPONSES) == {str(r) for r in ds["response"].values}
    assert set(labels.OUTCOMES) == set(labels.OUTCOME_COLORS)


def test_labels_are_words_not_identifiers():
    for table in (labels.VARIABLES, labels.METRICS):
        for name, label in table.items():
            assert "_" not in label.text and label.text != name, name
            assert "_" not in label.unit, name


def test_series_names_read_as_variable_and_coordinates():
    assert labels.series("adoption_cn").text == "Domestic AI adoption: PRC"
    market = labels.series("market_share_global-south_us").text
    assert "Global South" in market and "US stack" in market
    assert labels.series("capability_eci_us").text.startswith("Capability (ECI scale)")


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0, "0%"),
        (0.001, "<1%"),
        (0.015, "2%"),
        (0.025, "3%"),
        (0.5, "50%"),
        (0.996, ">99%"),
        (1, "100%"),
        (None, "n/a"),
    ],
)
def test_one_rounding_rule_for_probabilities(p, text):
    assert labels.percent(p) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.35e8, "135 million"),
        (2.5e9, "2.5 billion"),
        (12_345, "12,300"),
        (6.62, "6.62"),
        (10.44, "10.4"),
        (-3.0, "-3"),
        (0.004, "0.004"),
        (0.000123, "0.00012"),
        (float("nan"), "n/a"),
    ],
)
def test_numbers_read_without_notation(value, text):
    assert labels.number(value) == text


def test_colours_mean_one_thing_each():
    blocs = set(labels.BLOC_COLORS.values())
    assert not blocs & set(labels.OUTCOME_COLORS.values())
    assert not blocs & set(labels.SCENARIO_COLORS.values())
    assert not blocs & set(labels.EXTRA_COLORS)
    assert labels.SCENARIO_COLORS["us-lead"] == labels.OUTCOME_COLORS["scenario-one"]


def test_the_headline_gives_probabilities_only_for_many_samples():
    lead = {"p5": 4.0, "p50": 6.6, "p95": 11.0}
    shares = {"scenario-one": 0.02, "contested": 0.9, "scenario-two": 0.08}
    many = headline("status-quo", "2028-12", lead, shares, 100)
    assert "6.6 months in Dec 2028" in many and "90% range 4 to 11" in many
    assert "scenario one in 2%" in many and "of 100 samples" in many
    one = headline(
        "status-quo", "2028-12", lead, {"scenario-one": 0, "contested": 1, "scenario-two": 0}, 1
    )
    assert "deterministic" in one and "%" not in one and "verdict: contested" in one


def test_compact_numbers_fit_a_narrow_column():
    assert labels.compact(1_500_000) == "1.5M" and labels.compact(9.89e14) == "989T"
    assert labels.compact(300_000) == "300k" and labels.compact(4800) == "4,800"
    assert labels.compact(0.45) == "0.45"
