"""Resilience: a stylised index of a bloc's capacity to absorb the AI transition.

What it is: a ratio of two rates, the pace at which AI takes over tasks and the pace at which
the economy can re-allocate workers and adapt institutions,

    pace(t)       = exposure * 12 * (a(t+1) - a(t)) * 10**(k_cap * dI(t))   [share of tasks / year]
    resilience(t) = capacity / (capacity + pace(t))                         [0, 1]

where a is domestic adoption (a share of firms, the BTOS measure, taken as the share of tasks
in adopting workplaces; an assumption, since large firms adopt more), exposure the share of
tasks exposed to AI, dI the capability gain
since the start [OOM] (more capable systems displace more per adopting firm) and capacity the
share of the workforce the bloc can re-allocate per year. 1 means no displacement pressure;
0.5 means displacement as fast as adaptation.

What it is not: a forecast of unemployment, growth or social stability, nor a measure of welfare.
It compares two stylised rates whose parameters are assumptions, so it is useful for comparing
scenarios with each other, not for reading off absolute levels.
"""

from __future__ import annotations

import math

from ailead.model.arrays import namespace

LN10 = math.log(10.0)


def displacement_pace(adoption_change, exposure, capability_gain, k_capability):
    """Tasks displaced per year [share/year] from one month's change in adoption.

    pace = e * 12 * da * 10**(k_cap * dI), with da the month's change in adoption [share], e the
    share of tasks exposed and dI the capability gain since the start [OOM].
    """
    xp = namespace(adoption_change, exposure, capability_gain, k_capability)
    return exposure * 12.0 * adoption_change * xp.exp(LN10 * k_capability * capability_gain)


def resilience_index(adaptation_capacity, pace):
    """capacity / (capacity + pace), in (0, 1]."""
    return adaptation_capacity / (adaptation_capacity + pace)
