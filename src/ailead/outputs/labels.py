"""Human labels, units, number formats and colours: one table for the page, the CLI and reports.

Every variable of a run's Dataset, every headline metric (`ailead.outputs.summary`), every
coordinate label (bloc, market, supplier, counter-move, outcome) and every column the CLI or a
report prints has an entry here, so that no reader meets `lead_months` or `eci_cn`. A test checks
that every variable `ailead.run` returns has a label: a new variable must get one here.

Numbers follow one rule everywhere (`number`, `percent`): probabilities as whole percentages
(with "<1%" and ">99%" for shares that are not exactly 0 or 1), large values with a word for the
power (135 million), the rest to three significant figures at most.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A name as readers see it, and its unit in words ('' when it has none)."""

    text: str
    unit: str = ""


# Units in words, by the Dataset's unit attributes.
UNITS = {
    "months": "months",
    "H100e": "H100 equivalents",
    "H100e/month": "H100 equivalents per month",
    "TPP": "TPP (total processing performance)",
    "TPP/month": "TPP per month",
    "FLOP": "FLOP",
    "FLOP (2025-01 algorithms)": "FLOP at 2025 algorithms",
    "x": "times",
    "x (US 2025-01 = 1)": "times (US in Jan 2025 = 1)",
    "OOM": "orders of magnitude",
    "ECI": "ECI points",
    "share": "share, 0 to 1",
    "fraction": "share, 0 to 1",
    "index": "index, 0 to 1",
    "index (0-1)": "index, 0 to 1",
    "1 = in force": "1 = in force",
    "dimensionless": "",
}

# Every variable of a run's Dataset (with lead_ooms and lead_at_release_months, on main).
VARIABLES = {
    "production_h100e": Label("Accelerator production", "H100 equivalents per month"),
    "production_tpp": Label("Accelerator production (processing performance)", "TPP per month"),
    "nvidia_production_h100e": Label("NVIDIA production", "H100 equivalents per month"),
    "exports_h100e": Label("Legal US chip exports to the PRC", "H100 equivalents per month"),
    "smuggled_h100e": Label("Chips smuggled into the PRC", "H100 equivalents per month"),
    "remote_access_h100e": Label("US chips rented remotely by PRC labs", "H100 equivalents"),
    "compute_stock_h100e": Label("Installed compute owned", "H100 equivalents"),
    "accessible_compute_h100e": Label("Accessible compute", "H100 equivalents"),
    "largest_run_flop": Label("Largest training run so far", "FLOP"),
    "algorithmic_efficiency": Label("Algorithmic efficiency", "times (US in Jan 2025 = 1)"),
    "ai_rnd_speedup": Label("Speed-up of algorithmic progress from AI research", "times"),
    "distillation_gain_ooms": Label("Capability gained by distillation", "orders of magnitude"),
    "effective_compute": Label("Effective compute", "FLOP at 2025 algorithms"),
    "capability": Label("Capability", "orders of magnitude"),
    "capability_eci": Label("Capability (ECI scale)", "ECI points"),
    "lead_months": Label("US lead", "months"),
    "lead_ooms": Label("US lead in capability", "orders of magnitude"),
    "lead_at_release_months": Label("US lead as read at the PRC's releases", "months"),
    "compute_ratio": Label("US to PRC accessible compute", "times"),
    "adoption": Label("Domestic AI adoption", "share of the economy, 0 to 1"),
    "market_share": Label("Share of third-country AI use", "share, 0 to 1"),
    "market_choice": Label("Third-country buyers' choice", "share, 0 to 1"),
    "revenue_share": Label("Share of world AI revenue", "share, 0 to 1"),
    "open_weight_share": Label("Frontier released as open weights", "share, 0 to 1"),
    "resilience": Label("Resilience (stylised index)", "index, 0 to 1"),
    "safety_margin_months": Label("Safety margin", "months"),
    "misuse_exposure": Label("Misuse exposure", "index, 0 to 1"),
    "cyber_window_months": Label("Cyber window", "months"),
    "response_active": Label("PRC counter-moves in force", "1 = in force"),
    "outcome": Label("Verdict at the target date"),
    "parameters": Label("Parameter values of each sample"),
}

BLOCS = {"us": "US bloc", "cn": "PRC"}
MARKETS = {"developed": "developed economies", "global-south": "Global South"}
SUPPLIERS = {"us": "US stack", "cn": "PRC stack", "neither": "neither stack"}
RESPONSES = {
    "stockpiling": "stockpiling",
    "buildout": "faster domestic build-out",
    "open-weights": "open-weight push",
    "retaliation": "critical-mineral retaliation",
}
OUTCOMES = {
    "scenario-one": "Scenario one",
    "contested": "Contested",
    "scenario-two": "Scenario two",
}
OUTCOME_MEANING = {
    "scenario-one": "a US lead of at least 12 months that is still growing",
    "contested": "anything between the two",
    "scenario-two": "a US lead of 3 months or less, or the PRC ahead",
}
SWITCH_NAMES = {"compute": "Compute", "access": "Access", "distillation": "Distillation"}
LEVEL_NAMES = {"off": "off", "status-quo": "status quo", "strong": "strong"}
FRONTS = {
    "model intelligence": "Model intelligence",
    "domestic adoption": "Domestic adoption",
    "global distribution": "Global distribution",
    "resilience": "Resilience",
    "safety and security": "Safety and security",
}

# The headline metrics of `ailead.outputs.summary.headline`.
METRICS = {
    "lead_months": Label("US lead", "months"),
    "compute_ratio": Label("US to PRC accessible compute", "times"),
    "capability_us": Label("US capability", "orders of magnitude"),
    "capability_cn": Label("PRC capability", "orders of magnitude"),
    "eci_us": Label("US capability (ECI scale)", "ECI points"),
    "eci_cn": Label("PRC capability (ECI scale)", "ECI points"),
    "accessible_compute_us": Label("US accessible compute", "H100 equivalents"),
    "accessible_compute_cn": Label("PRC accessible compute", "H100 equivalents"),
    "adoption_us": Label("US domestic adoption", "share, 0 to 1"),
    "adoption_cn": Label("PRC domestic adoption", "share, 0 to 1"),
    "market_share_us": Label("US stack share abroad (GDP-weighted)", "share, 0 to 1"),
    "market_share_cn": Label("PRC stack share abroad (GDP-weighted)", "share, 0 to 1"),
    "global_south_share_us": Label("US stack share in the Global South", "share, 0 to 1"),
    "global_south_share_cn": Label("PRC stack share in the Global South", "share, 0 to 1"),
    "resilience_us": Label("US resilience", "index, 0 to 1"),
    "resilience_cn": Label("PRC resilience", "index, 0 to 1"),
    "safety_margin_months": Label("Safety margin", "months"),
    "misuse_exposure": Label("Misuse exposure", "index, 0 to 1"),
    "cyber_window_months": Label("Cyber window", "months"),
}

# Columns the CLI and the reports print.
COLUMNS = {
    "p5": Label("5th percentile"),
    "p25": Label("25th percentile"),
    "p50": Label("median"),
    "p75": Label("75th percentile"),
    "p95": Label("95th percentile"),
    "lead_p5": Label("US lead, 5th percentile", "months"),
    "lead_p50": Label("US lead, median", "months"),
    "lead_p95": Label("US lead, 95th percentile", "months"),
    "p_scenario_one": Label("Scenario one", "share of samples"),
    "p_contested": Label("Contested", "share of samples"),
    "p_scenario_two": Label("Scenario two", "share of samples"),
    "mu_star": Label("Mean absolute elementary effect (Morris mu*): how much the output moves"),
    "mu_star_conf": Label("Half-width of the 95% bootstrap interval of mu*"),
    "mu": Label("Mean signed elementary effect (Morris mu): the direction of the effect"),
    "sigma": Label("Spread of the elementary effects (Morris sigma): interactions, non-linearity"),
    "S1": Label("First-order Sobol index (share of variance alone)"),
    "S1_conf": Label("Half-width of the 95% bootstrap interval of S1"),
    "ST": Label("Total Sobol index (share of variance with interactions)"),
    "ST_conf": Label("Half-width of the 95% bootstrap interval of ST"),
    "delta": Label("Borgonovo's delta: how much the output's distribution shifts with the input"),
    "delta_conf": Label("Half-width of the 95% bootstrap interval of delta"),
}

# Colours: one per bloc, one per verdict class, one per preset scenario, never reused for
# another meaning (Okabe-Ito, safe for colour-blind readers). Other runs take EXTRA in order.
BLOC_COLORS = {"us": "#0072B2", "cn": "#D55E00"}
OUTCOME_COLORS = {"scenario-one": "#009E73", "contested": "#999999", "scenario-two": "#CC79A7"}
SCENARIO_COLORS = {"status-quo": "#333333", "us-lead": "#009E73", "catch-up": "#CC79A7"}
EXTRA_COLORS = ("#E69F00", "#56B4E9", "#8C6D31", "#6A3D9A")
LEAD_COLOR = "#333333"  # a US-minus-PRC quantity: neither bloc's colour
BASELINE_COLOR = "#8A8A8A"


def pretty(name: str) -> str:
    """A name with no entry: words, with US and PRC spelled out (never shown if tests pass)."""
    words = name.replace("-", " ").split("_")
    return " ".join({"us": "US", "cn": "PRC"}.get(w, w) for w in words).capitalize()


ACRONYMS = {
    "us": "US",
    "cn": "PRC",
    "tpp": "TPP",
    "hbm": "HBM",
    "sme": "SME",
    "gdp": "GDP",
    "ai": "AI",
    "rnd": "R&D",
    "eci": "ECI",
    "h100": "H100",
    "h20": "H20",
    "h200": "H200",
    "b200": "B200",
    "oom": "OOM",
    "ooms": "OOM",
    "prc": "PRC",
    "bass": "Bass",
    "nvidia": "NVIDIA",
}


def parameter(name: str, unit: str = "") -> str:
    """A registry parameter's key in words ('sme_control' -> 'SME control'), without a last
    word that only repeats its unit ('export_threshold_tpp', TPP -> 'Export threshold'). The key
    itself, with underscores, is what `--set` and scenario files take."""
    words = [ACRONYMS.get(w, w) for w in name.split("_")]
    if len(words) > 1 and unit and words[-1].lower() == unit.lower():
        words = words[:-1]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def metric(name: str) -> Label:
    """A headline metric's (or a column's) label."""
    return METRICS.get(name) or COLUMNS.get(name) or VARIABLES.get(name) or Label(pretty(name))


def unit(raw: str) -> str:
    """A unit in words."""
    return UNITS.get(raw, raw)


def series(name: str) -> Label:
    """A monthly series named as the explorer names them: variable plus labels (adoption_cn,
    market_share_global-south_us), e.g. 'PRC: Domestic AI adoption'."""
    for var in sorted(VARIABLES, key=len, reverse=True):
        if name == var:
            return VARIABLES[var]
        if name.startswith(var + "_"):
            parts = name[len(var) + 1 :].split("_")
            tables = _COORDINATES.get(var, (BLOCS,) * len(parts))
            named = [t.get(p, p) for t, p in zip(tables, parts, strict=False)]
            return Label(f"{VARIABLES[var].text}: {', '.join(named)}", VARIABLES[var].unit)
    return Label(pretty(name))


_COORDINATES = {
    "market_share": (MARKETS, SUPPLIERS),
    "market_choice": (MARKETS, SUPPLIERS),
    "response_active": (RESPONSES,),
}


def scenario_color(name: str, index: int = 0) -> str:
    """A run's colour: its preset's, else the index-th of EXTRA_COLORS."""
    return SCENARIO_COLORS.get(name) or EXTRA_COLORS[index % len(EXTRA_COLORS)]


def percent(p: float | None) -> str:
    """A share of samples as a whole percentage: 0%, <1%, 2%, ..., >99%, 100%."""
    if p is None or not math.isfinite(p):
        return "n/a"
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{math.floor(100 * p + 0.5):.0f}%"


def number(value: float | None) -> str:
    """A value for reading: 3 significant figures at most (2 below 0.01), thousands separated,
    words for millions and up (1.35e8 -> '135 million'), never e-notation; n/a when missing or
    not finite."""
    if value is None or not math.isfinite(value):
        return "n/a"
    size = abs(value)
    for power, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if size >= power:
            return f"{_sig(value / power)} {word}"
    if size >= 1000:
        return f"{round(value, -int(math.floor(math.log10(size))) + 2):,.0f}"
    return _sig(value)


def compact(value: float | None) -> str:
    """A value for a narrow column: as `number`, with k, M, bn, T for the powers (1.5M)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    for power, suffix in ((1e12, "T"), (1e9, "bn"), (1e6, "M")):
        if abs(value) >= power:
            return f"{_sig(value / power)}{suffix}"
    return f"{_sig(value / 1e3)}k" if abs(value) >= 1e4 else number(value)


def _sig(value: float) -> str:
    size = abs(value)
    if size >= 100:
        return f"{value:.0f}"
    if size >= 10:
        return f"{value:.1f}".removesuffix(".0")
    if size >= 0.01 or size == 0:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    digits = -math.floor(math.log10(size)) + 1  # two significant figures, no e-notation
    return f"{value:.{digits}f}".rstrip("0")


def month_name(month: str) -> str:
    """'2028-12' as 'Dec 2028'."""
    year, mm = month.split("-")[:2]
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[int(mm) - 1]} {year}"


def table() -> dict[str, object]:
    """The whole table as plain data (the explorer reads it from GET /api/labels)."""

    def plain(labels: dict[str, Label]) -> dict[str, dict[str, str]]:
        return {k: {"text": v.text, "unit": v.unit} for k, v in labels.items()}

    return {
        "variables": plain(VARIABLES),
        "metrics": plain(METRICS),
        "columns": plain(COLUMNS),
        "units": dict(UNITS),
        "blocs": dict(BLOCS),
        "markets": dict(MARKETS),
        "suppliers": dict(SUPPLIERS),
        "outcomes": dict(OUTCOMES),
        "outcome_meaning": dict(OUTCOME_MEANING),
        "fronts": dict(FRONTS),
        "switches": dict(SWITCH_NAMES),
        "colors": {
            "blocs": dict(BLOC_COLORS),
            "outcomes": dict(OUTCOME_COLORS),
            "scenarios": dict(SCENARIO_COLORS),
            "extra": list(EXTRA_COLORS),
            "lead": LEAD_COLOR,
            "baseline": BASELINE_COLOR,
        },
    }
