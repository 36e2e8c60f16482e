"""The measures of the validation checks compute what their names and docstrings say.

Each is applied to a small hand-made run (two samples, monthly from 2025-01 to 2030-12) whose
answers are known in closed form.
"""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from ailead.checks.measures import (
    at,
    change,
    change_per_year,
    domestic_share_of_nvidia,
    growth_per_year,
    lowest,
    overtaken,
    prc_inflow_share,
    share_of_total,
    year_reached,
)

TIME = pd.date_range("2025-01-01", "2030-12-01", freq="MS")
MONTHS = np.arange(len(TIME), dtype=float)  # months since 2025-01


def _run() -> xr.Dataset:
    """Sample 0: a lead of 6 + 0.5 t months (t months since 2025-01); sample 1: 6 - 0.25 t,
    negative from 2027-01 on. Capability: US 10 + t/12 (+1 OOM a year); PRC 10 + t/24 in sample
    0, 10 + t/6 in sample 1. Compute stocks: US 100 * 2^(t/12) (doubling yearly), PRC 25 +
    12.5 t (growing by 150 a year). Yearly production: PRC 1 TPP a month in 2026 and 3 in
    2027; NVIDIA 10 H100e a month at 2 TPP each (sample 1: 4 TPP)."""
    lead = np.stack([6 + 0.5 * MONTHS, 6 - 0.25 * MONTHS])
    us_cap = np.stack([10 + MONTHS / 12] * 2)
    cn_cap = np.stack([10 + MONTHS / 24, 10 + MONTHS / 6])
    us_stock = 100 * 2 ** (MONTHS / 12)
    cn_stock = 25 + 12.5 * MONTHS
    stock = np.stack([np.stack([us_stock, cn_stock], axis=-1)] * 2)
    cn_tpp = np.where(TIME.year == 2026, 1.0, np.where(TIME.year == 2027, 3.0, 0.0))
    production = np.stack([np.stack([np.zeros_like(cn_tpp), cn_tpp], axis=-1)] * 2)
    dims = ("sample", "time", "bloc")
    return xr.Dataset(
        {
            "lead_months": (("sample", "time"), lead),
            "compute_ratio": (("sample", "time"), 20 - np.abs(MONTHS - 36) / 6 + [[0], [1]]),
            "capability": (dims, np.stack([us_cap, cn_cap], axis=-1)),
            "compute_stock_h100e": (dims, stock),
            "production_tpp": (dims, production),
            "nvidia_production_h100e": (("sample", "time"), np.full((2, len(TIME)), 10.0)),
            "parameters": (("sample", "parameter"), [[2.0], [4.0]]),
        },
        coords={"time": TIME, "bloc": ["us", "cn"], "parameter": ["h100_tpp"]},
    )


RUN = _run()


def test_at_reads_one_month_per_sample():
    np.testing.assert_allclose(at("lead_months", "2025-07")(RUN), [9.0, 4.5])
    np.testing.assert_allclose(at("capability", "2026-01", "us")(RUN), [11.0, 11.0])


def test_change_is_the_later_month_less_the_earlier():
    np.testing.assert_allclose(change("lead_months", "2027-12", "2028-12")(RUN), [6.0, -3.0])


def test_lowest_is_the_minimum_over_the_months_given():
    # 20 - |t - 36| / 6 over 2027-01 (t = 24) to 2028-12 (t = 47): lowest at t = 24
    np.testing.assert_allclose(lowest("compute_ratio", "2027-01", "2028-12")(RUN), [18.0, 19.0])


def test_growth_and_change_per_year():
    grow = growth_per_year("compute_stock_h100e", "us", "2025-01", "2027-01")(RUN)
    years = 730 / 365.25  # 2025-01-01 to 2027-01-01 in years of 365.25 days
    np.testing.assert_allclose(grow, [4.0 ** (1 / years)] * 2)  # about 2 a year
    step = change_per_year("compute_stock_h100e", "cn", "2025-01", "2026-01")(RUN)
    np.testing.assert_allclose(step, [150.0 * 365.25 / 365] * 2)


def test_share_of_total_is_one_blocs_part_of_both():
    np.testing.assert_allclose(share_of_total("compute_stock_h100e", "cn", "2025-01")(RUN), 0.2)


def test_domestic_share_of_nvidia_is_yearly_tpp_over_nvidia_tpp():
    # 2026: 12 TPP against 120 H100e at 2 (or 4) TPP each; 2027: three times as much
    np.testing.assert_allclose(domestic_share_of_nvidia(2026)(RUN), [0.05, 0.025])
    np.testing.assert_allclose(domestic_share_of_nvidia(2027)(RUN), [0.15, 0.075])


def test_prc_inflow_share_is_a_channel_over_the_prc_s_three_inflows_in_one_year():
    # PRC production 1 H100e a month in 2026 (0 in 2025); exports 2 a month throughout;
    # smuggling t months since 2025-01 (sample 1: twice that)
    smuggled = np.stack([MONTHS, 2 * MONTHS])
    run = RUN.assign(
        production_h100e=RUN["production_tpp"],
        exports_h100e=(("sample", "time"), np.full((2, len(TIME)), 2.0)),
        smuggled_h100e=(("sample", "time"), smuggled),
    )
    s25, s26 = MONTHS[:12].sum(), MONTHS[12:24].sum()  # 66 and 210
    np.testing.assert_allclose(
        prc_inflow_share("smuggled_h100e", 2025)(run), [s25 / (24 + s25), 2 * s25 / (24 + 2 * s25)]
    )
    np.testing.assert_allclose(
        prc_inflow_share("exports_h100e", 2026)(run),
        [24 / (12 + 24 + s26), 24 / (12 + 24 + 2 * s26)],
    )


def test_year_reached_is_when_the_prc_matches_a_us_capability():
    # US 2026-01 capability is 11: sample 1 reaches it at t = 6 (2025-07); sample 0 at t = 24
    years = year_reached("2026-01")(RUN)
    assert years[0] == pytest.approx(2027.0) and years[1] == pytest.approx(2025.5)
    assert year_reached("2030-12")(RUN)[0] == np.inf  # 10 + 71/24 < 10 + 71/12: never


def test_overtaken_flags_samples_with_the_prc_ahead_in_the_span():
    np.testing.assert_array_equal(overtaken("2028-01", "2030-12")(RUN), [0.0, 1.0])
    np.testing.assert_array_equal(overtaken("2025-01", "2026-12")(RUN), [0.0, 0.0])
