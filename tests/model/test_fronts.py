"""The four fronts, the security measures, the counter-moves and the verdict."""

import numpy as np
import pytest
import xarray as xr
from draws import UNCERTAIN, spread
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ailead
from ailead.inputs.registry import load_registry
from ailead.inputs.scenario import VerdictRule
from ailead.model import adoption, feedback, markets, resilience, responses, security
from ailead.outputs.engine import run_parameters
from ailead.outputs.summary import outcome_probabilities
from ailead.outputs.verdict import OUTCOMES, classify

REGISTRY = load_registry()
GDP_KEYS = ("us", "cn", "developed", "global_south")


@pytest.fixture(scope="module", params=["status-quo", "us-lead", "catch-up"])
def mc(request):
    return ailead.run(request.param, samples=64, seed=3)


unit = st.floats(0.0, 1.0)


def _choice(capability_us, capability_cn, trust, b_cap, log_price=(0.0, 0.0)):
    """The choice shares (us, cn, neither) of one market with only the monthly terms moving."""
    b = {"cap": b_cap, "price": 1.0, "net": 1.0}
    installed = np.array([0.5, 0.2])
    rel_cap = markets.relative_capability(np.array(capability_us), np.array(capability_cn))
    rel_price = markets.relative_log_price(np.array(log_price))
    v = markets.market_utility(rel_cap, rel_price, np.array([1.0, trust]), installed, b)
    return markets.logit_shares(v[0] + 0.3, v[1] - 0.4)


@settings(max_examples=60, deadline=None)
@given(
    gap=st.floats(0.05, 2.0),
    closing=st.floats(0.01, 1.0),
    common=st.floats(-1.0, 3.0),
    trust=st.floats(0.1, 1.0),
    b_cap=st.floats(0.2, 3.0),
)
def test_the_prc_share_abroad_follows_its_capability_relative_to_the_us(
    gap, closing, common, trust, b_cap
):
    """All else equal, the PRC's choice share rises (and the US's falls) when the PRC closes part
    of the gap; both blocs advancing together moves nothing."""
    us0, cn0, _ = _choice(10.0, 10.0 - gap, trust, b_cap)
    us1, cn1, _ = _choice(10.0, 10.0 - gap + closing * gap, trust, b_cap)
    assert cn1 > cn0 and us1 < us0
    moved = _choice(10.0 + common, 10.0 - gap + common, trust, b_cap)
    assert moved == pytest.approx((us0, cn0, 1.0 - us0 - cn0), rel=1e-9)
    # A stack whose inference is dearer than the other's loses share.
    _, cn_dear, _ = _choice(10.0, 10.0 - gap, trust, b_cap, log_price=(0.0, 0.5))
    assert cn_dear < cn0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    u=st.lists(unit, min_size=3 * len(UNCERTAIN), max_size=3 * len(UNCERTAIN)),
    switch=st.sampled_from(["compute", "access", "distillation"]),
    a=unit,
    b=unit,
)
def test_a_stricter_switch_never_raises_the_prc_share_abroad(u, switch, a, b):
    """With the counter-moves off, a stricter switch slows the PRC and never raises its share of
    any third-country market in any month by more than 0.001 (that shares respond at all is
    tested above). The margin is for two second-order channels: a slower PRC adopts less at home,
    which leaves more compute per user and so cheaper inference abroad, and the revenue feedback
    (draws have found increases of about 4e-5)."""
    params = spread(np.array(u).reshape(3, -1))
    lenient, strict = min(a, b), max(a, b)
    runs = [
        run_parameters(
            {
                "name": "p",
                "end": "2030-12",
                "switches": {switch: level},
                "parameters": {"prc_responses": 0},
            },
            params,
        )
        for level in (lenient, strict)
    ]
    cn_lo, cn_hi = (r["market_share"].sel(supplier="cn").values for r in runs)
    assert (cn_hi <= cn_lo + 1e-3).all()


def test_adoption_stays_in_the_unit_interval_and_never_falls(mc):
    a = mc["adoption"].values
    assert ((a >= 0) & (a <= 1)).all()
    assert (np.diff(a, axis=1) >= 0).all()


def test_indices_and_months_are_in_range(mc):
    for name in ("resilience", "revenue_share", "open_weight_share"):
        v = mc[name].values
        assert ((v >= 0) & (v <= 1)).all(), name
    assert (mc["safety_margin_months"] >= 0).all()
    assert (
        mc["safety_margin_months"] <= mc["parameters"].sel(parameter="safety_testing_max_months")
    ).all()
    assert (mc["cyber_window_months"] >= 0).all()
    assert set(np.unique(mc["outcome"].values)) <= set(OUTCOMES)
    assert sum(outcome_probabilities(mc).values()) == pytest.approx(1.0)


def test_market_choice_reproduces_the_starting_shares():
    k_us, k_cn = markets.calibrated_constants(0.6, 0.1, 0.3, -0.2)
    us, cn, neither = markets.logit_shares(k_us + 0.3, k_cn - 0.2)
    assert (us, cn, neither) == pytest.approx((0.6, 0.1, 0.3))
    # Overflow-safe for large utilities, and a convex step stays on the simplex.
    assert sum(markets.logit_shares(np.array(800.0), np.array(-800.0))) == pytest.approx(1.0)
    assert markets.adjust(0.2, 0.8, 0.25) == pytest.approx(0.35)


def test_bass_diffusion_never_overshoots():
    a = np.array([0.0, 0.5, 0.99, 1.0])
    nxt = adoption.bass_step(a, 0.03, 0.38, np.array([1.0, 1e6, 1e6, 1.0]))
    assert ((nxt >= a) & (nxt <= 1.0)).all() and nxt[1] == 1.0


def test_revenue_feedback_off_means_no_change_in_investment():
    assert feedback.investment_multiplier(np.array(0.3), 0.2, 1.5, 0.0) == 1.0
    assert feedback.investment_multiplier(np.array(0.3), 0.2, 1.0, 1.0) == pytest.approx(1.5)


def test_resilience_and_security_formulas():
    assert resilience.resilience_index(0.03, resilience.displacement_pace(0.0, 0.3, 1.0, 0.1)) == 1
    assert resilience.resilience_index(0.03, 0.03) == 0.5
    assert security.safety_margin(np.array([-3.0, 4.0, 40.0]), 0.5, 6.0).tolist() == [0, 2, 6]
    assert security.cyber_window(np.array([-1.0, 10.0]), 0.5).tolist() == [0.0, 5.0]
    near, far = security.misuse_term(0.5, 1.0, 0.94, np.array([0.0, 24.0]), 12.0)
    assert near == pytest.approx(0.47) and far < near


@settings(max_examples=60, deadline=None)
@given(
    reach=st.tuples(unit, unit),
    open_share=unit,
    compliance=unit,
    lag=st.tuples(st.floats(0.0, 36.0), st.floats(0.0, 36.0)),
    decay=st.floats(1.0, 48.0),
)
def test_misuse_exposure_grows_with_reach_and_shrinks_with_distance(
    reach, open_share, compliance, lag, decay
):
    """More reach abroad never lowers a stack's misuse term; a longer lag behind the frontier
    never raises it, and it halves by e every `decay` months of lag."""
    near, far = min(lag), max(lag)
    low, high = min(reach), max(reach)
    term = security.misuse_term
    assert term(high, open_share, compliance, near, decay) >= term(
        low, open_share, compliance, near, decay
    )
    assert (
        term(high, open_share, compliance, far, decay)
        <= term(high, open_share, compliance, near, decay) + 1e-15
    )
    ratio = term(1.0, 1.0, 1.0, near + decay, decay) / term(1.0, 1.0, 1.0, near, decay)
    assert ratio == pytest.approx(np.exp(-1.0))


def test_a_trigger_fires_exactly_when_its_threshold_is_crossed():
    state = np.array([1.0, 4.0, 9.9, 10.0, 3.0, 12.0])
    fired = np.array([responses.NEVER])
    for t, value in enumerate(state):
        fired = responses.latch(fired, np.array([value >= 10.0]), t)
    assert fired[0] == 3  # the first month at the threshold, and it stays latched after


def test_retaliation_fires_in_the_month_imports_cross_its_threshold():
    sc = ailead.load_scenario("us-lead").with_overrides({"cn_retaliation_trigger": "0.5"})
    ds = ailead.run(sc)
    exports = ds["exports_h100e"].isel(sample=0).values
    crossed = int(np.argmax(exports < 0.5 * exports[0]))
    active = ds["response_active"].sel(response="retaliation").isel(sample=0).values
    assert crossed > 0 and active[: crossed + 1].sum() == 0 and active[crossed + 1 :].all()


def test_buildout_fires_when_the_compute_ratio_crosses_its_threshold():
    sc = ailead.load_scenario("us-lead").with_overrides(
        {"cn_buildout_trigger_ratio": "20", "cn_buildout_delay_months": "0"}
    )
    ds = ailead.run(sc).isel(sample=0)
    crossed = int(np.argmax(ds["compute_ratio"].values >= 20))
    active = ds["response_active"].sel(response="buildout").values
    assert crossed > 0 and active[: crossed + 1].sum() == 0 and active[crossed + 1 :].all()


def test_counter_moves_off_means_none_in_force():
    sc = ailead.load_scenario("us-lead").with_overrides({"prc_responses": "0"})
    assert ailead.run(sc, samples=16)["response_active"].sum() == 0


def _params(u):
    params = {name: np.full(len(u), p.default) for name, p in REGISTRY.parameters.items()}
    for j, name in enumerate(REGISTRY.uncertain):
        lo, hi = REGISTRY[name].bounds
        params[name] = lo + u[:, j] * (hi - lo)
    return params


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    u=st.lists(
        st.floats(0, 1), min_size=3 * len(REGISTRY.uncertain), max_size=3 * len(REGISTRY.uncertain)
    ),
    a=st.floats(0, 1),
    b=st.floats(0, 1),
    preset=st.sampled_from(["status-quo", "us-lead", "catch-up"]),
)
def test_more_us_export_promotion_never_lowers_the_us_share(u, a, b, preset):
    params = _params(np.array(u).reshape(3, -1))
    low, high = min(a, b), max(a, b)
    sc = ailead.load_scenario(preset)
    lo = run_parameters(sc.with_overrides({"us_export_promotion": str(low)}), params)
    hi = run_parameters(sc.with_overrides({"us_export_promotion": str(high)}), params)
    us_lo = lo["market_share"].sel(supplier="us").values
    us_hi = hi["market_share"].sel(supplier="us").values
    assert (us_hi >= us_lo - 1e-9).all()
    if high - low > 0.1:  # and it acts: the last month differs wherever the weight is not zero
        weight = params["market_promotion_weight"] > 0.01
        assert (us_hi[weight, -1] > us_lo[weight, -1]).all()


def test_the_revenue_feedback_rewards_the_stack_that_gains_share():
    """Where the US stack's revenue share runs above the 2025 outlook in us-lead (on average over
    the months, weighted by production), it builds more compute with the feedback on than off;
    where below, less (counter-moves off, to isolate the feedback). The outlook is the revenue
    share at month 0's adoption and buyers' choice abroad (the installed base lags the choice)."""
    base = ailead.load_scenario("us-lead").with_overrides({"prc_responses": "0"})
    on = ailead.run(base, samples=32, seed=2)
    off = ailead.run(base.with_overrides({"revenue_feedback": "0"}), samples=32, seed=2)
    at = np.datetime64(on.attrs["target"], "ns")
    share = on["revenue_share"].sel(bloc="us")
    gdp = {k: on["parameters"].sel(parameter=f"gdp_share_{k}").values for k in GDP_KEYS}
    weights = {
        "home": np.stack([gdp["us"], gdp["cn"]]),
        "home_total": gdp["us"] + gdp["cn"],
        "markets": np.stack([gdp["developed"], gdp["global_south"]]),
    }
    outlook = feedback.revenue_shares(
        on["adoption"].isel(time=0).transpose("bloc", "sample").values,
        weights,
        on["market_choice"].isel(time=0).sel(supplier=["us", "cn"]).transpose(..., "sample").values,
    )[0]
    # Investment follows (pi / pi0)^eta month by month and production grows, so what counts is
    # the path's average weighted by each month's production.
    months = slice(None, at)
    path = np.log(share.sel(time=months) / xr.DataArray(outlook, dims="sample"))
    output = off["production_h100e"].sel(bloc="us", time=months)
    gained = ((path * output).sum("time") > 0).values
    more = (
        on["accessible_compute_h100e"].sel(time=at, bloc="us")
        > off["accessible_compute_h100e"].sel(time=at, bloc="us")
    ).values
    assert 0.1 < gained.mean() < 1.0  # both cases occur among the draws
    assert more[gained].mean() > 0.9
    assert more[~gained].mean() < 0.1
    # With the feedback off the two runs' investment multipliers are 1: the US path does not
    # depend on the PRC's fortunes at all.
    off_strict = ailead.run(
        base.with_overrides({"revenue_feedback": "0", "compute": "off"}), samples=32, seed=2
    )
    np.testing.assert_allclose(
        off["capability"].sel(bloc="us"), off_strict["capability"].sel(bloc="us")
    )


def test_verdict_classes_follow_the_thresholds():
    rule = VerdictRule()
    lead = np.array([20.0, 20.0, 8.0, 3.0, -2.0])
    before = np.array([15.0, 25.0, 6.0, 5.0, 1.0])
    assert classify(lead, before, rule).tolist() == [
        "scenario-one",
        "contested",
        "contested",
        "scenario-two",
        "scenario-two",
    ]
    with pytest.raises(ValueError):
        VerdictRule(lead_at_least=3, lead_at_most=5)


def test_verdict_thresholds_are_set_per_scenario():
    def longest(name):
        ds = ailead.run(name, samples=16)
        return float(ds["lead_months"].sel(time=ds.attrs["target"]).max())

    above = longest("us-lead") + 1.0  # no sample reaches it
    strict = {"name": "strict", "extends": "us-lead", "verdict": {"lead_at_least": above}}
    assert ailead.run(strict, samples=16)["outcome"].values.tolist().count("scenario-one") == 0
    ceiling = longest("catch-up") + 1.0  # every sample is within it
    loose = {
        "name": "loose",
        "extends": "catch-up",
        "verdict": {"lead_at_most": ceiling, "lead_at_least": ceiling + 1.0},
    }
    assert set(ailead.run(loose, samples=16)["outcome"].values) == {"scenario-two"}


@settings(max_examples=40, deadline=None)
@given(
    gain=st.tuples(st.floats(0.0, 5.0), st.floats(0.0, 5.0)),
    k_cap=st.floats(0.01, 0.3),
    log_price=st.floats(-2.0, 2.0),
    k_price=st.floats(0.0, 2.0),
)
def test_adoption_speeds_up_with_capability_and_slows_with_price(gain, k_cap, log_price, k_price):
    low, high = min(gain), max(gain)
    faster = adoption.diffusion_multiplier(1.0, high, k_cap, log_price, k_price)
    slower = adoption.diffusion_multiplier(1.0, low, k_cap, log_price, k_price)
    assert faster >= slower and (high - low < 1e-3 or faster > slower)
    dearer = adoption.diffusion_multiplier(1.0, low, k_cap, log_price + 0.5, k_price)
    assert dearer <= slower and (k_price < 1e-3 or dearer < slower)


def test_us_adoption_responds_to_us_levers_and_us_capability():
    """Paired draws: a stronger US adoption push, more US export promotion (share abroad ->
    revenue -> compute -> cheaper inference) and faster US capability each raise US adoption by
    2028; none of them moves it down in any draw."""
    base = ailead.load_scenario("status-quo")
    ref = ailead.run(base, samples=32, seed=4)["adoption"].sel(bloc="us").isel(time=47).values
    for change in (
        {"us_adoption_push": "1.5"},
        {"us_export_promotion": "1"},
        {"adoption_capability_elasticity": "0.2"},
    ):
        ds = ailead.run(base.with_overrides(change), samples=32, seed=4)
        moved = ds["adoption"].sel(bloc="us").isel(time=47).values - ref
        assert (moved >= -1e-12).all() and np.median(moved) > 0, change
