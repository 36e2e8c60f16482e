"""What the monthly step carries: the state, the constants fixed at the start and its outputs.

All three are NamedTuples of arrays (NumPy or JAX), so they are pytrees that `jax.lax.scan` can
carry. Shapes use `samples` for the sample axis (always last), `bloc` = (us, cn),
`stack` = (us, cn), `market` = (developed, global-south) and `trigger` = TRIGGERS.
"""

from __future__ import annotations

from typing import NamedTuple

from ailead.model.arrays import Array

TRIGGERS = ("buildout", "open", "retaliation")
LEADER_MONTHS = 13
"""Months of the leader's past capability the state keeps: the lagged ceiling reads I_us(t - d)
and I_us(t - d - 1) for a distillation lag d of up to 12 months (the registry's upper bound), and
the triggers' lead estimate reads I_us(t - 12)."""


class State(NamedTuple):
    """The model's state at the start of a month.

    stock            (bloc, samples)   installed compute owned [H100e]
    best_run         (bloc, samples)   largest training run so far [FLOP]; -inf before month 0
    log_eff          (bloc, samples)   log10 algorithmic efficiency [OOM] (US in 2025-01 = 0)
    best_capability  (samples,)        the PRC's best capability so far [OOM]; -inf before
    adoption         (bloc, samples)   share of firms using AI in production (BTOS) [0, 1]
    installed        (market, stack, samples)  installed shares of third-country AI use [0, 1]
    fired            (trigger, samples)  month each counter-move's trigger fired; inf until then
    leader_path      (LEADER_MONTHS, samples)  I_us(t - 1), ..., I_us(t - 13) [OOM]; before month 0
                     the backward extension at the historical frontier growth rate
    """

    stock: Array
    best_run: Array
    log_eff: Array
    best_capability: Array
    adoption: Array
    installed: Array
    fired: Array
    leader_path: Array


class Constants(NamedTuple):
    """Per-sample constants, fixed by `init` (dicts of arrays, grouped by mechanism).

    frontier   training runs, algorithmic progress, distillation and the AI-R&D speed-up
    home       domestic adoption (Bass diffusion)
    markets    third-country markets, revenue weights and the revenue feedback
    responses  the PRC's counter-moves: trigger levels and strengths
    """

    frontier: dict
    home: dict
    markets: dict
    responses: dict


class Monthly(NamedTuple):
    """What one month records (arrays as in State; a run stacks them along a leading months axis).

    capability         (bloc, samples)  I_us and the PRC's best capability [OOM]
    stock              (bloc, samples)  installed compute owned [H100e]
    remote             (samples,)       overseas US-chip capacity rented by PRC labs [H100e]
    run                (bloc, samples)  largest training run so far [FLOP]
    log_eff            (bloc, samples)  log10 algorithmic efficiency [OOM]
    speedup            (bloc, samples)  AI-R&D multiplier on algorithmic progress [x]
    distillation_gain  (samples,)       capability gained by distillation this month [OOM]
    gain_since_start   (bloc, samples)  capability gain since month 0 [OOM]
    adoption           (bloc, samples)  share of firms using AI (BTOS) [0, 1]
    market_share       (market, stack, samples)  installed shares abroad [0, 1]
    market_choice      (market, stack, samples)  buyers' choice abroad, softmax(V) [0, 1]
    revenue_share      (stack, samples)  share of world AI revenue [0, 1]
    open_weight_share  (bloc, samples)  share of the frontier released as open weights
    production         (bloc, samples)  accelerator production [H100e/month]
    exports            (samples,)       legal US exports to the PRC [H100e/month]
    smuggled           (samples,)       chips smuggled into the PRC [H100e/month]
    """

    capability: Array
    stock: Array
    remote: Array
    run: Array
    log_eff: Array
    speedup: Array
    distillation_gain: Array
    gain_since_start: Array
    adoption: Array
    market_share: Array
    market_choice: Array
    revenue_share: Array
    open_weight_share: Array
    production: Array
    exports: Array
    smuggled: Array
