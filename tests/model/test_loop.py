"""The self-reinforcing loop on the shipped configuration (feedback and counter-moves on).

The loop runs on compute: automated research needs compute to run, so export and access
controls slow the PRC's loop, and a stronger loop widens the US lead in orders of magnitude.
The follower's own research is not capped at the leader's pace: where compute and talent allow
it, the PRC overtakes.
"""

import numpy as np
import pytest

from ailead.inputs.registry import load_registry
from ailead.outputs.engine import run_parameters

TARGET = np.datetime64("2028-12-01")
N = 48
STRENGTHS = (1.0, 3.0, 8.0, 20.0)  # ai_rnd_speedup_max across its bounds


def at_target(preset: str, params: dict, variable: str) -> np.ndarray:
    ds = run_parameters(preset, params, variables=[variable])
    return ds[variable].sel(time=TARGET).values


def with_value(params: dict, name: str, value: float) -> dict:
    return {**params, name: np.full(len(params[name]), value)}


@pytest.fixture(scope="module")
def draws():
    return load_registry().sample(N, 2)


def test_a_stronger_loop_never_shortens_us_leads_lead_in_ooms(draws):
    # With the loopholes closed the PRC runs less of the loop than the US in every sample.
    # (Where its research is more productive and its share of compute grows, as in some samples
    # of `catch-up`, a stronger loop can help it more: docs/model.md says how often.)
    leads = [
        at_target("us-lead", with_value(draws, "ai_rnd_speedup_max", m), "lead_ooms")
        for m in STRENGTHS
    ]
    assert np.all(np.diff(leads, axis=0) >= 0.0), "a sample's lead in OOM fell as m_max rose"


def test_controls_slow_the_prcs_loop(draws):
    # Same world, same AI-R&D parameters: the PRC's speed-up is lower where it has less compute.
    strong = dict(draws, ai_rnd_speedup_max=np.full(N, 8.0))
    ds = {
        preset: run_parameters(preset, strong, variables=["ai_rnd_speedup"])["ai_rnd_speedup"]
        for preset in ("us-lead", "catch-up")
    }
    cn = {k: v.sel(bloc="cn", time=TARGET).values for k, v in ds.items()}
    us = ds["us-lead"].sel(bloc="us", time=TARGET).values
    assert np.all(cn["us-lead"] <= cn["catch-up"]) and np.all(cn["us-lead"] < us)


def test_the_prc_overtakes_where_compute_and_talent_allow_it(draws):
    shares = []
    for q in (1.0, 2.0, 3.0):  # cn_research_productivity across its range
        lead = run_parameters(
            "catch-up", with_value(draws, "cn_research_productivity", q), variables=["lead_months"]
        )["lead_months"]
        shares.append(float((lead.min("time") < 0).mean()))
    assert shares == sorted(shares) and shares[-1] > 0.5 > shares[0]
