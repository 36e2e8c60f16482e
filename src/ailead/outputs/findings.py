"""Sentences written from results: the headline of a run, shared by the explorer, the CLI and
the reports, so that all three say the same thing in the same words and numbers."""

from __future__ import annotations

from collections.abc import Mapping

from ailead.outputs.labels import OUTCOMES, month_name, number, percent


def months(value: float | None, digits: int = 1) -> str:
    """A number of months as the headline writes it: one decimal (or `digits`)."""
    if value is None or value != value or abs(value) == float("inf"):
        return "n/a"
    text = f"{value:.{digits}f}"
    return "0" if text.strip("-0.") == "" else text


def verdict_rule_text(lead_at_least: float, lead_at_most: float, window: float) -> str:
    """What the three verdict classes mean, in one sentence."""
    return (
        f"Scenario one: a US lead of at least {number(lead_at_least)} months that is higher than "
        f"{number(window)} months before; scenario two: a lead of {number(lead_at_most)} months "
        "or less (or the PRC ahead); contested: anything between."
    )


def headline(
    name: str,
    target: str,
    lead: Mapping[str, float | None],
    outcomes: Mapping[str, float] | None,
    samples: int,
) -> str:
    """The run's headline: the US lead at the target and where the samples fall.

    With one sample the run is deterministic (registry defaults): the sentence gives its one
    value and its verdict class, and no probabilities.
    """
    when = month_name(target)
    if samples == 1:
        text = (
            f"{name}, one deterministic run at the registry defaults: US lead "
            f"{months(lead['p50'])} months in {when}"
        )
        if outcomes:
            (reached,) = [k for k, v in outcomes.items() if v >= 0.5] or [None]
            if reached is not None:
                text += f"; verdict: {OUTCOMES.get(reached, reached).lower()}"
        return text + ". Under these assumptions; not a forecast."
    text = (
        f"{name}: US lead {months(lead['p50'])} months in {when} (median), 90% range "
        f"{months(lead['p5'], 0)} to {months(lead['p95'], 0)}"
    )
    if outcomes:
        shares = ", ".join(
            f"{OUTCOMES.get(k, k).lower()} in {percent(v)}" for k, v in outcomes.items()
        )
        text += f"; {shares} of {samples:,} samples"
    return text + ". Under these assumptions; not a forecast."
