"""Global distribution on the record: buyers abroad chose PRC models faster than the installed base
of use could follow (OpenRouter, 2025), so the PRC's installed share abroad starts below its choice
and rises."""

import numpy as np
import pytest

import ailead
from ailead.inputs.registry import load_registry
from ailead.outputs.engine import run_parameters

REGISTRY = load_registry()
MARKETS = {"developed": "developed", "global-south": "global_south"}


@pytest.fixture(scope="module")
def defaults():
    return ailead.run(
        {"name": "d", "extends": "status-quo", "end": "2025-12", "target": "2025-12"}, samples=1
    )


def test_the_prc_share_abroad_rises_through_2025_under_status_quo(defaults):
    """The record: Chinese models rose from about 1% of OpenRouter tokens in late 2024 to about
    13% on average over 2025. At the defaults the PRC's installed share of each market rises every
    month of 2025 and the US stack's falls."""
    cn = defaults["market_share"].sel(supplier="cn").values[0]  # (months, market)
    us = defaults["market_share"].sel(supplier="us").values[0]
    assert (np.diff(cn, axis=0) > 0).all()
    assert (np.diff(us, axis=0) < 0).all()


def test_the_start_is_the_sourced_choice_with_the_installed_base_behind_it(defaults):
    """Month 0: buyers' choice is the registry's 2025 shares (the constants abroad reproduce it
    with the network term at the installed shares), the PRC's installed share is the fraction f of
    its choice, and the US stack holds the rest."""
    f = REGISTRY["market_cn_installed_fraction_2025"].default
    for market, key in MARKETS.items():
        us0 = REGISTRY[f"market_share_us_{key}_2025"].default
        cn0 = REGISTRY[f"market_share_cn_{key}_2025"].default
        choice = defaults["market_choice"].sel(market=market).values[0, 0]
        installed = defaults["market_share"].sel(market=market).values[0, 0]
        assert choice == pytest.approx([us0, cn0, 1.0 - us0 - cn0], abs=1e-9)
        assert installed == pytest.approx([us0 + (1.0 - f) * cn0, f * cn0, 1.0 - us0 - cn0])


@pytest.mark.parametrize("switch", ["compute", "distillation"])
def test_a_stricter_switch_raises_the_prc_share_abroad_only_through_its_open_weights(switch):
    """With the counter-moves on, a stricter switch can raise the PRC's 2028 share abroad: the
    wider lead sets off its open-weight release sooner, which buyers abroad value (on-premises use,
    lower price). In every draw where the share rises by more than 0.001, that counter-move is in
    force for more months under the stricter switch."""
    params = REGISTRY.sample(64, 5)
    runs = [
        run_parameters(
            {"name": "p", "extends": "status-quo", "end": "2028-12", "switches": {switch: level}},
            params,
        )
        for level in ("off", "status-quo", "strong")
    ]
    for lenient, strict in zip(runs, runs[1:], strict=False):
        rise = (
            strict["market_share"].sel(supplier="cn").values[:, -1]
            - lenient["market_share"].sel(supplier="cn").values[:, -1]
        ).max(axis=1)
        months_in_force = [
            r["response_active"].sel(response="open-weights").sum("time").values
            for r in (lenient, strict)
        ]
        rose = rise > 1e-3
        assert (months_in_force[1][rose] > months_in_force[0][rose]).all()
