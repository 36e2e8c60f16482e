"""Fan charts: bands from the runs, several runs overlaid, PNG and SVG."""

import numpy as np
import pytest

import ailead
from ailead.analysis import plot
from ailead.errors import AileadError


@pytest.fixture(scope="module")
def chart(tmp_path_factory):
    out = tmp_path_factory.mktemp("fan") / "lead.svg"
    runs = [ailead.run(name, samples=32, seed=1) for name in ("status-quo", "us-lead")]
    return plot(runs, "lead_months", out)


def test_fan_chart_is_written_as_png_and_svg(chart):
    png, svg = chart.paths
    assert (png.name, svg.name) == ("lead.png", "lead.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "not a forecast" in text


def test_bands_are_ordered_and_match_the_runs(chart):
    bands = chart.data
    assert set(bands["scenario"]) == {"status-quo", "us-lead"}
    assert len(bands) == 2 * 72
    ordered = bands[["p5", "p25", "p50", "p75", "p95"]].to_numpy()
    assert (np.diff(ordered, axis=1) >= 0).all()
    ds = ailead.run("us-lead", samples=32, seed=1)
    lead = ds["lead_months"].sel(time=np.datetime64("2028-12", "ns")).values
    row = bands[(bands["scenario"] == "us-lead") & (bands["month"] == "2028-12")].iloc[0]
    assert row["p50"] == pytest.approx(np.quantile(lead, 0.5))
    assert row["p95"] == pytest.approx(np.quantile(lead, 0.95))


def test_bloc_series_are_named_with_the_bloc(tmp_path):
    chart = plot({"catch-up": ailead.run("catch-up", samples=8)}, "capability_cn", tmp_path / "cap")
    assert (chart.data["p50"].diff().dropna() >= -1e-9).all()  # capability is best-so-far


def test_runs_of_one_scenario_are_told_apart(tmp_path):
    runs = [ailead.run("status-quo", samples=4, seed=seed) for seed in (0, 1)]
    chart = plot(runs, "lead_months", tmp_path / "x")
    assert list(dict.fromkeys(chart.data["scenario"])) == ["status-quo", "status-quo#2"]


@pytest.mark.parametrize(
    ("runs", "metric", "message"),
    [
        (
            [("status-quo", 4)],
            "lead",
            "metric: value 'lead' is not a monthly series; allowed: .*lead_months",
        ),
        (
            [("status-quo", 1)],
            "lead_months",
            "samples: value 1 is not allowed; allowed: an integer >= 2",
        ),
        ([], "lead_months", "runs: give one or more"),
    ],
)
def test_bad_plot_requests_fail_plainly(runs, metric, message, tmp_path):
    runs = [ailead.run(name, samples=n) for name, n in runs]
    with pytest.raises(AileadError, match=message):
        plot(runs, metric, tmp_path / "x")


def test_fan_colours_and_words_come_from_the_label_table(tmp_path):
    from matplotlib.colors import to_hex

    from ailead.analysis.plots import _colors
    from ailead.outputs import labels

    assert _colors(["us-lead", "catch-up"]) == [
        labels.SCENARIO_COLORS["us-lead"],
        labels.SCENARIO_COLORS["catch-up"],
    ]
    twice = _colors(["status-quo", "status-quo#2", "mine"])
    assert len(set(twice)) == 3 and not set(twice) & set(labels.BLOC_COLORS.values())
    chart = plot({"us-lead": ailead.run("us-lead", samples=4)}, "lead_months", tmp_path / "c")
    svg = chart.paths[1].read_text()
    assert "US lead" in svg and "lead_months" not in svg
    assert to_hex(labels.OUTCOME_COLORS["scenario-one"]) in svg.lower()  # the 12-month line
