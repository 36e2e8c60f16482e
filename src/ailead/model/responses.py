"""The PRC's counter-moves: responses that fire when a state variable crosses a threshold.

A trigger latches: it fires in the first month its condition holds and stays fired. The month it
fired is kept as a number (NEVER = inf until then). Every response's strength is multiplied by
`on` in {0, 1}, so all counter-moves can be switched off together.

- Stockpiling: while a fall of legal imports of at least theta is announced (imports h months
  ahead <= (1 - theta) x imports now), import demand rises by a surge factor: (1 + u * on).
  Not latched: it lasts as long as the announcement window.
- Domestic build-out: once the US/PRC compute ratio reaches theta_b, domestic chip output grows
  b faster per year after a construction delay d: (1 + b * on) ** ((t - t_fire - d) / 12).
- Open weights: once the estimated lead reaches theta_o months, the share of the PRC frontier
  released as open weights rises from its base to its maximum.
- Retaliation: once legal imports fall below theta_r of their starting level, export limits on
  critical minerals raise US-bloc chip costs: US output x (1 - c * on).
"""

from __future__ import annotations

import math

from ailead.model.arrays import namespace

NEVER = math.inf


def latch(fired_at, condition, month):
    """The month a trigger fired: unchanged once fired, else `month` where `condition` holds.

    t_fire' = t if t_fire == inf and condition else t_fire
    """
    xp = namespace(fired_at, condition, month)
    return xp.where((fired_at == NEVER) & condition, month, fired_at)


def announced_fall(imports, horizon_months, threshold):
    """(months, samples) bool: imports `h` months ahead are at most (1 - theta) of today's (> 0).

    announced(t) = M(min(t + round(h), T)) <= (1 - theta) * M(t) and M(t) > 0
    with M the legal imports and T the last month (a horizon past it reads the last month).
    """
    xp = namespace(imports, horizon_months, threshold)
    n_months = imports.shape[0]
    shift = xp.round(horizon_months).astype(int)[None, :]
    ahead = xp.minimum(xp.arange(n_months)[:, None] + shift, n_months - 1)
    future = xp.take_along_axis(imports, ahead, axis=0)
    return (future <= (1.0 - threshold) * imports) & (imports > 0.0)


def stockpile_factor(announced, surge, on):
    """Import demand multiplier: 1 + u * on while a fall is announced, else 1.

    F = 1 + u * on if announced else 1
    """
    xp = namespace(announced, surge, on)
    return xp.where(announced, 1.0 + surge * on, 1.0)


def buildout_factor(fired_at, month, boost, delay_months, on):
    """Domestic output multiplier (1 + b * on) ** (max(0, t - t_fire - d) / 12); 1 if not fired.

    F = (1 + b * on)**(max(0, t - t_fire - d) / 12) if t_fire < inf else 1
    """
    xp = namespace(fired_at, month, boost, delay_months, on)
    years = xp.maximum(0.0, month - fired_at - delay_months) / 12.0
    return xp.where(fired_at == NEVER, 1.0, xp.exp(xp.log1p(boost * on) * years))


def open_weight_share(fired_at, base, maximum, on):
    """Share of the PRC frontier released as open weights: base, or max once fired (if on).

    o = o_base + (o_max - o_base) * on if t_fire < inf else o_base
    """
    xp = namespace(fired_at, base, maximum, on)
    return xp.where(fired_at == NEVER, base, base + (maximum - base) * on)


def retaliation_factor(fired_at, cost, on):
    """US-bloc output multiplier: 1 - c * on once fired, else 1.

    F = 1 - c * on if t_fire < inf else 1
    """
    xp = namespace(fired_at, cost, on)
    return xp.where(fired_at == NEVER, 1.0, 1.0 - cost * on)
