"""Each mechanism against analytic cases and the properties it promises."""

import numpy as np
import pytest

from ailead.model import capability, compute, distillation, lead


def test_us_production_matches_constant_growth_without_decline():
    years = np.array([0.0, 1.0, 2.5])
    p = compute.us_production(np.full(3, 10.0), np.full(3, 2.0), np.zeros(3), years)
    np.testing.assert_allclose(p, 10.0 * 2.0**years)
    slowed = compute.us_production(np.full(3, 10.0), np.full(3, 2.0), np.full(3, 0.2), years)
    assert (slowed <= p + 1e-12).all() and slowed[0] == pytest.approx(10.0)


def test_domestic_chips_take_the_tighter_of_wafers_and_hbm():
    wafer_bound = compute.domestic_chips(1000.0, 1.0, 10.0, 0.5, 1.0, 1e9, 8.0)
    hbm_bound = compute.domestic_chips(1000.0, 1.0, 10.0, 0.5, 1.0, 800.0, 8.0)
    assert wafer_bound == pytest.approx(5000.0)
    assert hbm_bound == pytest.approx(100.0)


def test_stock_depreciates_with_lifetime():
    assert compute.stock_next(1200.0, 0.0, compute.monthly_retention(5.0)) == pytest.approx(
        1200.0 * (1 - 1 / 60)
    )


def test_hbm_stockpile_is_spent_evenly_then_gone():
    months = np.arange(30)
    draw = compute.hbm_stockpile_drawdown(240.0, 24.0, months)
    assert draw[:24].sum() == pytest.approx(240.0) and (draw[24:] == 0).all()


def test_distillation_needs_own_compute_and_falls_with_deterrence():
    ratios = np.array([0.001, 0.005, 0.05, 0.5])
    phi = distillation.gap_closure(0.85, 0.0, ratios, 0.005)
    assert phi[0] == 0.0 and phi[1] == 0.0 and np.all(np.diff(phi[1:]) > 0) and phi[-1] < 0.85
    deterred = distillation.gap_closure(0.85, np.array([0.0, 0.5, 1.0]), 0.5, 0.005)
    assert np.all(np.diff(deterred) < 0) and deterred[-1] == 0.0


def test_distilled_capability_never_passes_the_ceiling_nor_falls_below_own():
    own = np.linspace(20, 32, 25)
    out = distillation.distilled_capability(own, 0.9, 30.0)
    assert (out >= own).all()
    assert (out[own <= 30.0] <= 30.0).all()
    back = distillation.own_capability_for(out, 0.9, 30.0)
    np.testing.assert_allclose(back, own)


def test_ai_rnd_speedup_rises_with_capability_and_saturates():
    caps = np.linspace(20, 60, 200)
    m = capability.ai_rnd_speedup(caps, 1e6, 30.0, 0.7, 3.0, 1.0)
    assert np.all(np.diff(m) >= 0) and m[0] >= 1.0 and m[-1] <= 3.0
    assert m[-1] == pytest.approx(3.0, abs=1e-5)


def test_ai_rnd_speedup_needs_compute_to_run_the_automated_research():
    compute = np.array([0.01, 0.1, 1.0, 10.0, 100.0])  # in units of the US bloc's 2025 compute
    m = capability.ai_rnd_speedup(40.0, compute, 30.0, 0.7, 3.0, 1.0)
    assert np.all(np.diff(m) > 0)  # more compute, more of the loop
    assert m[2] == pytest.approx(2.0)  # R = R_half runs half of what the models could do
    assert m[0] < 1.02 and m[-1] > 2.98


def test_algorithmic_growth_is_bounded_and_not_capped_at_the_leaders_pace():
    # Even with maximal speed-up the leader's rate is r0 * m_max: no blow-up.
    assert capability.algorithmic_growth(0.45, 1.0, 1.0, 0.3, 3.0, 2.0) == pytest.approx(0.45 * 3.0)
    # A follower whose share of compute has grown, or whose research is more productive, goes
    # faster than the base rate; one whose share has shrunk goes slower.
    more_compute = capability.algorithmic_growth(0.45, 1.0, 4.0, 0.3, 1.0, 2.0)
    more_talent = capability.algorithmic_growth(0.45, 1.3, 1.0, 0.3, 1.0, 2.0)
    less_compute = capability.algorithmic_growth(0.45, 1.0, 0.1, 0.3, 1.0, 2.0)
    assert less_compute < 0.45 < min(more_compute, more_talent)
    assert more_compute == pytest.approx(0.45 * 4**0.3)
    # ... but by no more than the bounded fast-follower advantage.
    overwhelming = capability.algorithmic_growth(0.45, 3.0, 1e6, 1.0, 2.0, 2.0)
    assert overwhelming == pytest.approx(0.45 * 2.0 * 2.0)


def test_spillover_grows_with_the_gap_up_to_its_ceiling():
    gaps = np.linspace(-1.0, 5.0, 61)
    out = capability.spillover(gaps, 0.0, 0.4, 0.5)
    assert np.all(out[gaps <= 0] == 0.0)
    assert np.all(np.diff(out) >= 0) and out.max() == pytest.approx(0.5)
    linear = (gaps > 0) & (gaps < 1.25)
    np.testing.assert_allclose(out[linear], 0.4 * gaps[linear])


def test_largest_run_flop_at_2025_scale():
    flop = capability.largest_run_flop(6.2e6, 0.02, 0.4, 3.5, 9.89e14)
    assert 2e26 < flop < 1e27  # Epoch: Grok 3 about 3.5e26, Grok 4 about 5e26 FLOP


def test_lead_of_parallel_linear_paths_is_their_offset():
    months = np.arange(24.0)
    us = 30.0 + months / 12.0  # 1 OOM/year
    cn = us - 0.5  # half a year behind
    out = lead.lead_months(us[None, :], cn[None, :], np.array([1.0]))
    np.testing.assert_allclose(out[0], 6.0, atol=1e-9)
    np.testing.assert_allclose(lead.lead_ooms(us, cn), 0.5)  # the same lead in OOM


def test_the_lead_at_releases_sits_half_an_interval_below_the_continuous_lead():
    # A sawtooth that rises a month a month and drops at releases every 4 months, from 5 months
    # at each release, averages 7: the continuous lead; read at releases it is 5.
    sawtooth = 5.0 + np.arange(0.0, 400.0, 0.001) % 4.0
    assert sawtooth.mean() == pytest.approx(7.0, abs=0.01)
    assert lead.lead_at_release(sawtooth.mean(), 4.0) == pytest.approx(5.0, abs=0.01)


def test_lead_uses_history_before_the_start_and_goes_negative_when_the_follower_leads():
    months = np.arange(12.0)
    us = 30.0 + months / 12.0
    cn_behind = us - 2.0  # two years behind: reached only in the history before month 0
    cn_ahead = us + 0.25
    slope = np.array([1.0])
    np.testing.assert_allclose(lead.lead_months(us[None], cn_behind[None], slope)[0], 24.0)
    np.testing.assert_allclose(lead.lead_months(us[None], cn_ahead[None], slope)[0], -3.0)


def test_lead_handles_many_samples_independently():
    months = np.arange(36.0)
    offsets = np.array([0.0, 0.25, 1.0, 3.0])
    us = np.tile(30.0 + months / 12.0, (4, 1))
    out = lead.lead_months(us, us - offsets[:, None], np.ones(4))
    np.testing.assert_allclose(out, np.broadcast_to(offsets[:, None] * 12.0, out.shape), atol=1e-9)


def test_wafer_capacity_grows_at_the_controlled_rate():
    months = 25
    today = compute.wafer_capacity(100.0, 1.5, np.ones((months, 1)))
    strict = compute.wafer_capacity(100.0, 1.5, np.full((months, 1), 0.4))
    assert today[0, 0] == 100.0 and today[12, 0] == pytest.approx(150.0)
    assert strict[12, 0] == pytest.approx(100.0 * 1.5**0.4) and (strict <= today).all()
