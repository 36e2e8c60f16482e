"""The switch table: the full factorial on shared draws, and the ANOVA effects of each switch."""

import numpy as np
import pandas as pd
import pytest

import ailead
from ailead.analysis import plot_switch_heatmap, switch_effects, switches
from ailead.errors import AileadError

SAMPLES = 48


@pytest.fixture(scope="module")
def table():
    return switches("status-quo", samples=SAMPLES, seed=1)


def test_one_row_per_cell_with_ordered_quantiles_and_verdict_shares(table):
    assert len(table) == 27
    assert list(table.columns) == [
        "compute",
        "access",
        "distillation",
        "lead_p5",
        "lead_p50",
        "lead_p95",
        "p_scenario_one",
        "p_contested",
        "p_scenario_two",
    ]
    assert not table.duplicated(["compute", "access", "distillation"]).any()
    shares = table[["p_scenario_one", "p_contested", "p_scenario_two"]].sum(axis=1)
    np.testing.assert_allclose(shares, 1.0)


def test_cells_share_the_draws_of_a_plain_run(table):
    cell = table.query("compute == 'status-quo' and access == 'status-quo'")
    cell = cell.query("distillation == 'status-quo'").iloc[0]
    ds = ailead.run("status-quo", samples=SAMPLES, seed=1)
    lead = ds["lead_months"].sel(time=np.datetime64("2028-12", "ns")).values
    assert cell["lead_p50"] == pytest.approx(np.quantile(lead, 0.5))
    assert cell["lead_p5"] == pytest.approx(np.quantile(lead, 0.05))


def test_each_switch_made_stricter_lengthens_the_us_lead_in_status_quo(table):
    effects = switch_effects(table)
    main = effects[effects["term"].isin(["compute", "access", "distillation"])]
    for switch, rows in main.groupby("term"):
        by_level = rows.set_index("levels")["lead_p50"]
        assert by_level["strong"] > by_level["status-quo"] > by_level["off"], switch
        p_one = rows.set_index("levels")["p_scenario_one"]
        assert p_one["strong"] >= p_one["off"], switch


def test_effects_recover_a_known_factorial_exactly():
    levels = ["off", "status-quo", "strong"]
    main = {"compute": [-1.0, 0.0, 1.0], "access": [-2.0, 0.5, 1.5], "distillation": [0, 0, 0]}
    pair = np.array([[0.3, 0.0, -0.3], [0.0, 0.0, 0.0], [-0.3, 0.0, 0.3]])  # compute x access
    rows = []
    for i, c in enumerate(levels):
        for j, a in enumerate(levels):
            for k, d in enumerate(levels):
                y = 10 + main["compute"][i] + main["access"][j] + main["distillation"][k]
                rows.append({"compute": c, "access": a, "distillation": d, "y": y + pair[i, j]})
    effects = switch_effects(pd.DataFrame(rows), outputs=["y"]).set_index(["term", "levels"])["y"]
    for switch, values in main.items():
        for level, value in zip(levels, values, strict=True):
            assert effects[(switch, level)] == pytest.approx(value)
    assert effects[("compute x access", "strong, strong")] == pytest.approx(0.3)
    assert effects[("compute x access", "off, strong")] == pytest.approx(-0.3)
    interactions = effects[effects.index.get_level_values("term") != "compute x access"]
    np.testing.assert_allclose(interactions.filter(like=" x ").to_numpy(), 0.0, atol=1e-12)


def test_real_effects_sum_to_zero_over_each_term(table):
    effects = switch_effects(table)
    assert len(effects) == 9 + 27  # 3 switches x 3 levels, 3 pairs x 9 level pairs
    for _, rows in effects.groupby("term"):
        assert rows["lead_p50"].sum() == pytest.approx(0.0, abs=1e-9)
        assert rows["p_scenario_one"].sum() == pytest.approx(0.0, abs=1e-9)


def test_same_seed_same_table_and_finer_levels():
    first = switches("catch-up", samples=16, seed=3, levels=["off", "strong"])
    again = switches("catch-up", samples=16, seed=3, levels=("off", "strong"))
    pd.testing.assert_frame_equal(first, again)
    assert len(first) == 8
    fine = switches("catch-up", samples=16, seed=3, levels=["0.25", "1"])
    assert len(fine) == 8 and set(fine["compute"]) == {"0.25", "1"}
    same = fine.query("compute == '1' and access == '1' and distillation == '1'")
    strong = first.query("compute == 'strong' and access == 'strong' and distillation == 'strong'")
    assert same["lead_p50"].iloc[0] == pytest.approx(strong["lead_p50"].iloc[0])


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (["off"], "two or more distinct levels"),
        (["off", "0"], "two or more distinct levels"),
        (["off", "max"], "levels: value 'max' is not allowed"),
        (["off", "1.5"], "levels: value '1.5' is not allowed"),
    ],
)
def test_bad_levels_fail_plainly(levels, message):
    with pytest.raises(AileadError, match=message):
        switches("status-quo", samples=4, levels=levels)


def test_effects_need_a_full_factorial(table):
    with pytest.raises(AileadError, match="not a full factorial"):
        switch_effects(table.iloc[:-1])


def test_heat_map_is_written_as_png_and_svg(table, tmp_path):
    chart = plot_switch_heatmap(table, tmp_path / "switches")
    assert [p.suffix for p in chart.paths] == [".png", ".svg"]
    assert all(p.stat().st_size > 1000 for p in chart.paths)
    with pytest.raises(AileadError, match="unknown column 'lead'"):
        plot_switch_heatmap(table, tmp_path / "x", value="lead")
