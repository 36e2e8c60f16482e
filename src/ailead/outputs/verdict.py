"""The verdict: which of the essay's two worlds a sample is in at the target date.

    scenario-one  if L(T) >= L_one and L(T) - L(T - w) > 0   (a large lead that keeps growing)
    scenario-two  if L(T) <= L_two        (within a few months of the frontier, or the PRC ahead)
    contested     otherwise

L is the lead in months, T the target month and w the window over which growth is judged. The
thresholds come from the scenario (`verdict:` in a scenario file), defaults from the essay.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

OUTCOMES = ("scenario-one", "contested", "scenario-two")


class VerdictRule(BaseModel):
    """Thresholds of the verdict [months]."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    lead_at_least: float = Field(12.0, description="scenario-one: lead at the target >= this")
    growth_window_months: int = Field(
        12, ge=1, le=60, description="scenario-one: lead higher than this many months before"
    )
    lead_at_most: float = Field(3.0, description="scenario-two: lead at the target <= this")

    @model_validator(mode="after")
    def _ordered(self) -> VerdictRule:
        if not self.lead_at_most < self.lead_at_least:
            raise ValueError(
                f"lead_at_most {self.lead_at_most} must be below lead_at_least {self.lead_at_least}"
            )
        return self


def classify(lead_at_target, lead_before, rule: VerdictRule) -> np.ndarray:
    """Outcome per sample (strings from OUTCOMES) from the lead at T and at T - w [months]."""
    one = (lead_at_target >= rule.lead_at_least) & (lead_at_target > lead_before)
    two = lead_at_target <= rule.lead_at_most
    return np.where(one, OUTCOMES[0], np.where(two, OUTCOMES[2], OUTCOMES[1])).astype(object)


def probabilities(outcome) -> dict[str, float]:
    """Share of samples in each outcome."""
    outcome = np.asarray(outcome)
    return {name: float(np.mean(outcome == name)) for name in OUTCOMES}
