"""What a report says, as plain data: built once, then rendered as HTML or as PDF.

Tables hold display text (numbers already formatted), so that both renderers show the same
content; fan charts hold the monthly quantiles they draw.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import xarray as xr

from ailead._version import __version__
from ailead.analysis import switches
from ailead.inputs.levers import RAMP_PARAMETER, lever_targets
from ailead.inputs.registry import LEVELS, SWITCHES, load_registry
from ailead.inputs.scenario import Scenario, VerdictRule
from ailead.outputs import labels, summary
from ailead.outputs.engine import run as run_model
from ailead.outputs.findings import headline, months, verdict_rule_text
from ailead.outputs.labels import number, percent
from ailead.outputs.verdict import probabilities
from ailead.report.findings import run_findings, signposts_section, switch_findings

CAVEAT = (
    "Every result in this report holds under these assumptions: it models the essay's argument "
    "and is not a forecast."
)
FAN_LEVELS = {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
SPAN_NOTE = "Cells give the median and, in brackets, the range that holds 90% of samples."
Step = Callable[[str], None]  # called with what the report has just finished


@dataclass(frozen=True)
class FanSpec:
    """A fan chart: a variable, the cell of its extra dimensions, a title and its scale."""

    variable: str
    title: str
    select: dict[str, str] = field(default_factory=dict)
    log: bool = False
    thresholds: bool = False  # the verdict's lines (the lead's chart)


FANS = (
    FanSpec("lead_months", "US lead over the PRC (months)", thresholds=True),
    FanSpec("compute_ratio", "US to PRC accessible compute (times)", log=True),
    FanSpec("capability_eci", "PRC capability (ECI scale)", {"bloc": "cn"}),
    FanSpec(
        "accessible_compute_h100e",
        "PRC accessible compute (H100 equivalents)",
        {"bloc": "cn"},
        log=True,
    ),
    FanSpec("adoption", "PRC domestic adoption (share of the economy)", {"bloc": "cn"}),
    FanSpec(
        "market_share",
        "US stack share of AI use in the Global South",
        {"market": "global-south", "supplier": "us"},
    ),
    FanSpec("safety_margin_months", "Safety margin (months)"),
    FanSpec("cyber_window_months", "Cyber window (months)"),
)


@dataclass(frozen=True)
class Fan:
    """Monthly quantiles (columns p5 ... p95, index month) of one series, per scenario; the
    target month and the verdict's thresholds (months) the chart marks."""

    spec: FanSpec
    unit: str
    bands: dict[str, pd.DataFrame]
    target: str = ""
    thresholds: tuple[float, ...] = ()

    def color(self, name: str) -> str:
        """A scenario's colour: its preset's, else the next of the extra colours."""
        base = name.removesuffix(" (modified)").split("#")[0]
        extra = [n for n in self.bands if n.split("#")[0] not in labels.SCENARIO_COLORS]
        return labels.scenario_color(base, extra.index(name) if name in extra else 0)


@dataclass(frozen=True)
class Section:
    """One part of a report: a heading, paragraphs, and a table or fan charts."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    fans: list[Fan] = field(default_factory=list)
    bullets: bool = False  # the paragraphs are a list (the key findings)


@dataclass(frozen=True)
class Report:
    """A report's title, the scenarios it covers and its sections, in reading order."""

    title: str
    subtitle: str
    scenarios: list[str]
    sections: list[Section]


def build_report(
    scenarios: list[Scenario],
    samples: int = 1000,
    seed: int = 0,
    sensitivity: pd.DataFrame | None = None,
    on_step: Step | None = None,
) -> Report:
    """Run the scenarios (one seed: shared draws) and gather everything the report shows.

    Sections: the verdict, the four fronts, fan charts, the switch table (around the first
    scenario), the sensitivity ranking (`sensitivity`, a table from
    `ailead.analysis.sensitivity`, when given), the assumptions, the parameters and sources.
    `on_step(what)` is called after each run and each cell of the switch table (see
    `report_steps` for how many calls to expect).
    """
    step = on_step or (lambda _what: None)
    runs: dict[str, xr.Dataset] = {}
    for i, sc in enumerate(scenarios, start=1):
        name = sc.name if sc.name not in runs else f"{sc.name}#{i}"
        runs[name] = run_model(sc, samples=samples, seed=seed)
        step(f"ran {name}")
    names = list(runs)
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    draws = "one deterministic run" if samples == 1 else f"{samples:,} samples, seed {seed}"
    fans = [
        _fan(spec, runs, scenarios[0].verdict)
        for spec in FANS
        if all(spec.variable in ds for ds in runs.values())
    ]
    raw, switch_table, switch_note = _switch_table(
        scenarios[0], names, scenarios, samples, seed, step
    )
    leads = {n: _lead_values(ds) for n, ds in runs.items()}
    first = scenarios[0].verdict
    sections = [
        Section(
            "Key findings",
            [
                *(_headline(n, ds, samples) for n, ds in runs.items()),
                *switch_findings(raw, names[0], samples),
                *run_findings(leads, samples),
                CAVEAT,
            ],
            bullets=True,
        ),
        Section(
            "Verdict",
            [
                verdict_rule_text(
                    first.lead_at_least, first.lead_at_most, first.growth_window_months
                ),
                SPAN_NOTE,
            ],
            _verdict_table(runs, samples),
        ),
        *(
            Section(f"Front: {labels.FRONTS.get(front, front)}", [], table)
            for front, table in _fronts(runs, samples).items()
        ),
        Section(
            "Fan charts",
            [
                "The line is the median over samples; the darker band holds the middle 50% of "
                "samples and the lighter band 90%. The dotted vertical line marks the target "
                "date; on the lead's chart the dashed lines mark the verdict's thresholds."
            ],
            fans=fans,
        ),
        Section("Switch table", [switch_note, SPAN_NOTE], switch_table),
        Section("Signposts: which world the latest observations point to", *signposts_section()),
        *(
            [
                Section(
                    "Sensitivity ranking", [_sensitivity_note(sensitivity)], _ranking(sensitivity)
                )
            ]
            if sensitivity is not None
            else []
        ),
        *(
            Section(f"Assumptions: {n}", _assumptions(sc, samples, seed))
            for n, sc in zip(names, scenarios, strict=True)
        ),
        Section(
            "Parameters",
            [
                "Every number the model uses, with its unit, range and source (a key into the "
                "sources below, or an explicit assumption). In scenario files and on the command "
                "line a parameter's key is its name in lower case with underscores for spaces; "
                "the command 'ailead params' followed by the key prints its full citation."
            ],
            _parameter_table(scenarios, names),
        ),
        Section("Sources", [], _source_table()),
    ]
    return Report(
        title="ailead report: " + ", ".join(names),
        subtitle=f"{draws}; ailead {__version__}; made {made}.",
        scenarios=names,
        sections=sections,
    )


def report_steps(scenarios: int, levels: int = 3) -> int:
    """How many times `build_report` calls `on_step`: each run and each switch-table cell."""
    return scenarios + levels ** len(SWITCHES)


def _span(q: dict[str, float], samples: int, lead: bool = False) -> str:
    """The median and the 90% range; the lead in months as the headline gives it."""
    fmt = months if lead else number
    if samples == 1:
        return fmt(q["p50"])
    return f"{fmt(q['p50'])} [{fmt(q['p5'])} to {fmt(q['p95'])}]"


def _lead_values(ds: xr.Dataset) -> np.ndarray:
    return ds["lead_months"].sel(time=np.datetime64(ds.attrs["target"], "ns")).values


def _target_lead(ds: xr.Dataset) -> dict[str, float]:
    q = np.quantile(_lead_values(ds), [0.05, 0.5, 0.95])
    return dict(zip(("p5", "p50", "p95"), q, strict=True))


def _headline(name: str, ds: xr.Dataset, samples: int) -> str:
    shares = probabilities(ds["outcome"].values) if "outcome" in ds else None
    return headline(name, ds.attrs["target"], _target_lead(ds), shares, samples)


def _verdict_table(runs: dict[str, xr.Dataset], samples: int) -> pd.DataFrame:
    rows = {}
    for name, ds in runs.items():
        row = {
            "Target": labels.month_name(ds.attrs["target"]),
            "US lead (months)": _span(_target_lead(ds), samples, lead=True),
        }
        if "outcome" in ds:
            shares = probabilities(ds["outcome"].values)
            if samples == 1:  # one deterministic run: its class, not a probability
                row["Verdict"] = labels.OUTCOMES[max(shares, key=shares.get)]
            else:
                row |= {labels.OUTCOMES[k]: percent(p) for k, p in shares.items()}
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("Scenario").reset_index()


def _fronts(runs: dict[str, xr.Dataset], samples: int) -> dict[str, pd.DataFrame]:
    """One table per front (metric, unit, one column per scenario); all metrics if no fronts."""
    summaries = {name: summary.summarize(ds) for name, ds in runs.items()}
    metrics = list(next(iter(summaries.values())))
    fronts = getattr(summary, "FRONTS", None) or {"Headline metrics": metrics}
    tables = {}
    for front, members in fronts.items():
        rows = [
            {
                "Metric": labels.metric(m).text,
                "Unit": labels.metric(m).unit,
                **{name: _span(s[m], samples) for name, s in summaries.items()},
            }
            for m in members
            if m in metrics
        ]
        if rows:
            tables[front] = pd.DataFrame(rows)
    return tables


def _fan(spec: FanSpec, runs: dict[str, xr.Dataset], rule: VerdictRule) -> Fan:
    bands = {}
    for name, ds in runs.items():
        series = ds[spec.variable].sel(spec.select)
        q = series.quantile(list(FAN_LEVELS.values()), dim="sample", skipna=False)
        bands[name] = pd.DataFrame(
            q.transpose("time", "quantile").values,
            index=pd.DatetimeIndex(series["time"].values, name="month"),
            columns=list(FAN_LEVELS),
        )
    ds = next(iter(runs.values()))
    unit = labels.unit(ds[spec.variable].attrs.get("units", ""))
    thresholds = (rule.lead_at_least, rule.lead_at_most)
    return Fan(
        spec=spec,
        unit=unit,
        bands=bands,
        target=ds.attrs["target"],
        thresholds=thresholds if spec.thresholds else (),
    )


def _switch_table(
    base: Scenario,
    names: list[str],
    scenarios: list[Scenario],
    samples: int,
    seed: int,
    step: Step,
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The 27-cell switch table around the first scenario (as computed, and as shown with the
    report's scenarios marked) and its note."""
    table = switches(
        base, samples=samples, seed=seed, on_progress=lambda i, n: step(f"switch cell {i}/{n}")
    )

    def same_settings(sc: Scenario) -> dict:
        return sc.model_dump(exclude={"name", "description", "extends", "switches"})

    marks = []
    for _, row in table.iterrows():
        cell = [LEVELS.get(row[s]) for s in SWITCHES]
        here = [
            n
            for n, sc in zip(names, scenarios, strict=True)
            if cell == [sc.switches[s] for s in SWITCHES]
            and same_settings(sc) == same_settings(base)
        ]
        marks.append(", ".join(here))
    shown = pd.DataFrame(
        {
            labels.SWITCH_NAMES[s]: table[s].map(lambda v: labels.LEVEL_NAMES.get(v, v))
            for s in SWITCHES
        }
    )
    shown["US lead (months)"] = [
        _span({"p5": r.lead_p5, "p50": r.lead_p50, "p95": r.lead_p95}, samples, lead=True)
        for r in table.itertuples()
    ]
    classes = {"p_scenario_one": "scenario-one", "p_contested": "contested"}
    classes["p_scenario_two"] = "scenario-two"
    if samples == 1:  # one deterministic run per cell: its class
        shown["Verdict"] = [
            labels.OUTCOMES[classes[max(classes, key=lambda c, r=r: r[c])]]
            for _, r in table.iterrows()
        ]
    else:
        for col in classes:
            shown[labels.COLUMNS[col].text] = table[col].map(percent)
    shown["Scenarios here"] = marks
    note = (
        f"Every combination of the three switches (off, status quo, strong), other settings "
        f"from {base.name}, at {labels.month_name(base.target)}; every cell uses the same "
        "parameter draws. The verdict columns give the share of samples in each class."
    )
    return table, shown, note


def _ranking(table: pd.DataFrame | None, rows: int = 20) -> pd.DataFrame | None:
    if table is None:
        return None
    shown = table.head(rows).map(lambda v: f"{v:.3g}" if isinstance(v, float) else str(v))
    shown.index = [labels.parameter(str(n)) for n in shown.index]
    shown = shown.rename(columns=lambda c: labels.COLUMNS[c].text if c in labels.COLUMNS else c)
    return shown.rename_axis("Parameter").reset_index()


def _sensitivity_note(table: pd.DataFrame) -> str:
    a = table.attrs
    about = ""
    if "output" in a:
        what = labels.metric(a["output"]).text
        about = f" on {what} at {a['target']} in {a['scenario']}"
    return f"Parameters ranked by their influence{about} (SALib); the top {min(20, len(table))}."


def _parameter_table(scenarios: list[Scenario], names: list[str]) -> pd.DataFrame:
    rows = []
    for pname, p in load_registry().parameters.items():
        set_by = [
            f"{n}: {number(sc.parameters[pname])}"
            for n, sc in zip(names, scenarios, strict=True)
            if pname in sc.parameters
        ]
        rows.append(
            {
                "Parameter": labels.parameter(pname, p.unit),
                "Unit": "" if p.unit == "dimensionless" else p.unit,
                "Default": number(p.default),
                "Range": f"{number(p.bounds[0])} to {number(p.bounds[1])}",
                "Uncertainty": _plain_numbers(p.distribution.describe())
                if p.switch is None
                else f"set by the {p.switch} switch",
                "Set by scenario": "; ".join(set_by),
                "Source": p.source.ref if p.source else "assumption",
            }
        )
    return pd.DataFrame(rows)


def _source_table() -> pd.DataFrame:
    sources = load_registry().sources
    return pd.DataFrame(
        [
            {"Key": k, "Title": s.title, "Publisher": s.publisher, "Year": s.year, "Address": s.url}
            for k, s in sources.items()
        ]
    )


def _plain_numbers(text: str) -> str:
    """A distribution's description for a table: numbers in e-notation written out as the
    label table writes them (1.25e+06 -> 1.25 million), spaces after commas and before '('."""
    text = re.sub(r"-?\d+(?:\.\d+)?e[+-]?\d+", lambda m: number(float(m.group())), text)
    return re.sub(r"\s*,\s*", ", ", text.replace("(", " ("))  # words a column can wrap


def _inline(label: str) -> str:
    """A label inside a sentence: 'Smuggling enforcement' -> 'smuggling enforcement', 'SME
    control' unchanged."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _quantity(value: float, unit: str) -> str:
    """A value with its unit in a sentence; a fraction as a percentage (0.95 -> 95%)."""
    if unit in ("fraction", "share"):
        return f"{number(100 * value)}%"
    return number(value) if unit == "dimensionless" else f"{number(value)} {unit}"


def _level_name(strength: float) -> str:
    named = {v: labels.LEVEL_NAMES[k] for k, v in LEVELS.items()}
    return named.get(strength, f"strength {number(strength)}")


def _assumptions(sc: Scenario, samples: int, seed: int) -> list[str]:
    """The scenario's settings in plain words."""
    registry = load_registry()
    lines = [sc.description.strip()] if sc.description.strip() else []
    targets = lever_targets(sc, registry)
    for switch in SWITCHES:
        levers = ", ".join(
            f"{_inline(labels.parameter(p.name, p.unit))} = {_quantity(targets[p.name], p.unit)}"
            for p in registry.levers(switch)
        )
        lines.append(f"The {switch} switch is at {_level_name(sc.switches[switch])}: {levers}.")
    for pname, value in sc.parameters.items():
        p = registry.parameters[pname]
        role = (
            "a policy lever, replacing the value its switch would set"
            if p.kind == "policy"
            else f"a world parameter, instead of its default {number(p.default)}"
        )
        label = labels.parameter(pname, p.unit)
        lines.append(f"Override: {label} = {_quantity(value, p.unit)} ({role}).")
    ramps = ", ".join(
        f"{number(sc.parameters.get(name, registry.parameters[name].default))} months ({switch})"
        for switch, name in RAMP_PARAMETER.items()
    )
    lines.append(
        f"Policies take effect from {sc.policy_start} and ramp in over {ramps}; the run covers "
        f"{sc.start} to {sc.end}; results are read at {sc.target}."
    )
    rule = getattr(sc, "verdict", None)
    if rule is not None:
        lines.append(
            f"Verdict: scenario one when the lead at the target is at least "
            f"{rule.lead_at_least:g} months and higher than {rule.growth_window_months} months "
            f"before; scenario two when it is at most {rule.lead_at_most:g} months; contested "
            "otherwise."
        )
    lines.append(
        "One deterministic run with every parameter at its registry default."
        if samples == 1
        else f"{samples} quasi-random draws (scrambled Sobol, seed {seed}) of every uncertain "
        "parameter from its registry distribution."
    )
    return lines
