"""The verdict: which of the essay's two worlds a sample is in at the target date.

    scenario-one  if L(T) >= L_one and L(T) - L(T - w) > 0   (a large lead that keeps growing)
    scenario-two  if L(T) <= L_two        (within a few months of the frontier, or the PRC ahead)
    contested     otherwise

L is the lead in months, T the target month and w the window over which growth is judged. The
thresholds come from the scenario (`verdict:` in a scenario file, a `VerdictRule`), defaults
from the essay.
"""

from __future__ import annotations

import numpy as np

from ailead.inputs.scenario import VerdictRule

OUTCOMES = ("scenario-one", "contested", "scenario-two")


def classify(lead_at_target, lead_before, rule: VerdictRule) -> np.ndarray:
    """Outcome per sample (strings from OUTCOMES) from the lead at T and at T - w [months]."""
    one = (lead_at_target >= rule.lead_at_least) & (lead_at_target > lead_before)
    two = lead_at_target <= rule.lead_at_most
    return np.where(one, OUTCOMES[0], np.where(two, OUTCOMES[2], OUTCOMES[1])).astype(object)


def probabilities(outcome) -> dict[str, float]:
    """Share of samples in each outcome."""
    outcome = np.asarray(outcome)
    return {name: float(np.mean(outcome == name)) for name in OUTCOMES}
