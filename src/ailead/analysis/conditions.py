"""Conditions on metrics, parsed without eval: `lead_months <= 3`, `P(lead_months >= 12) >= 0.8`.

A condition is `<metric> <op> <number>` with op one of <=, <, >=, >, or `outcome == <verdict>`
(scenario-one, contested, scenario-two); a probability target wraps one in `P(...)` and compares
the share of samples meeting it with a probability in [0, 1].
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np

from ailead.errors import AileadError, short
from ailead.outputs.verdict import OUTCOMES

OPERATORS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_OP = r"<=|>=|<|>"
_CONDITION = re.compile(rf"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*({_OP})\s*({_NUMBER})\s*$")
_VERDICT = re.compile(r"^\s*outcome\s*==\s*(\S+)\s*$")
_TARGET = re.compile(rf"^\s*P\s*\((.*)\)\s*({_OP})\s*({_NUMBER})\s*$")


@dataclass(frozen=True)
class Condition:
    """`metric op value`, e.g. lead_months <= 3, or `outcome == verdict`."""

    metric: str
    op: str
    value: float | str

    def holds(self, values: np.ndarray) -> np.ndarray:
        """Boolean per sample (NaN never meets a condition)."""
        if self.op == "==":
            return np.asarray(values) == self.value
        return np.asarray(OPERATORS[self.op](np.asarray(values, dtype=float), self.value))

    def __str__(self) -> str:
        value = self.value if isinstance(self.value, str) else f"{self.value:g}"
        return f"{self.metric} {self.op} {value}"


@dataclass(frozen=True)
class ProbabilityTarget:
    """`P(condition) op probability`, e.g. P(lead_months >= 12) >= 0.8."""

    condition: Condition
    op: str
    probability: float

    def met(self, probability: float | np.ndarray) -> bool | np.ndarray:
        return OPERATORS[self.op](probability, self.probability)

    def __str__(self) -> str:
        return f"P({self.condition}) {self.op} {self.probability:g}"


def parse_condition(text: str, field: str = "where") -> Condition:
    """`<metric> <op> <number>` or `outcome == <verdict>` as a Condition, or one error."""
    verdict = _VERDICT.match(text or "")
    if verdict:
        if verdict.group(1) not in OUTCOMES:
            raise AileadError(
                f"{field}: value {short(text)} names no verdict; allowed: outcome == one of "
                + ", ".join(OUTCOMES)
            )
        return Condition("outcome", "==", verdict.group(1))
    found = _CONDITION.match(text or "")
    if not found:
        raise AileadError(
            f"{field}: value {short(text)} is not a condition; allowed: <metric> <op> <number> "
            "with op one of <=, <, >=, >, e.g. 'lead_months <= 3', or 'outcome == scenario-two'"
        )
    metric, op, number = found.groups()
    return Condition(metric, op, float(number))


def parse_target(text: str, field: str = "target") -> ProbabilityTarget:
    """`P(<condition>) <op> <probability>` as a ProbabilityTarget, or one error."""
    found = _TARGET.match(text or "")
    if not found:
        raise AileadError(
            f"{field}: value {short(text)} is not a probability target; allowed: "
            "P(<metric> <op> <number>) <op> <probability>, e.g. 'P(lead_months >= 12) >= 0.8'"
        )
    inner, op, number = found.groups()
    probability = float(number)
    if not 0.0 <= probability <= 1.0:
        raise AileadError(
            f"{field}: probability {probability:g} is not allowed; allowed: a number in [0, 1]"
        )
    return ProbabilityTarget(parse_condition(inner, field), op, probability)
