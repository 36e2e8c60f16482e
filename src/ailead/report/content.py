"""What a report says, as plain data: built once, then rendered as HTML or as PDF.

Tables hold display text (numbers already formatted), so that both renderers show the same
content; fan charts hold the monthly quantiles they draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import xarray as xr

from ailead._version import __version__
from ailead.analysis import switches
from ailead.inputs.levers import RAMP_PARAMETER, lever_targets
from ailead.inputs.registry import LEVELS, SWITCHES, load_registry
from ailead.inputs.scenario import Scenario
from ailead.outputs import summary
from ailead.outputs.engine import run as run_model
from ailead.outputs.verdict import probabilities

CAVEAT = (
    "Every result in this report holds under these assumptions: it models the essay's argument "
    "and is not a forecast."
)
FAN_LEVELS = {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
OUTCOME_NAMES = {
    "scenario-one": "scenario one",
    "contested": "contested",
    "scenario-two": "scenario two",
}


@dataclass(frozen=True)
class FanSpec:
    """A fan chart: a variable, the cell of its extra dimensions, a title and its scale."""

    variable: str
    title: str
    select: dict[str, str] = field(default_factory=dict)
    log: bool = False


FANS = (
    FanSpec("lead_months", "US lead over the PRC (months)"),
    FanSpec("compute_ratio", "US / PRC accessible compute (x)", log=True),
    FanSpec("capability_eci", "PRC capability (ECI)", {"bloc": "cn"}),
    FanSpec("accessible_compute_h100e", "PRC accessible compute (H100e)", {"bloc": "cn"}, log=True),
    FanSpec("adoption", "PRC domestic adoption (share)", {"bloc": "cn"}),
    FanSpec(
        "market_share",
        "US share of the global-south market",
        {"market": "global-south", "supplier": "us"},
    ),
    FanSpec("safety_margin_months", "Safety margin (months)"),
    FanSpec("cyber_window_months", "Cyber window (months)"),
)


@dataclass(frozen=True)
class Fan:
    """Monthly quantiles (columns p5 ... p95, index month) of one series, per scenario."""

    spec: FanSpec
    unit: str
    bands: dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Section:
    """One part of a report: a heading, paragraphs, and a table or fan charts."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    fans: list[Fan] = field(default_factory=list)


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
) -> Report:
    """Run the scenarios (one seed: shared draws) and gather everything the report shows.

    Sections: the verdict, the four fronts, fan charts, the switch table (around the first
    scenario), the sensitivity ranking (`sensitivity`, a table from
    `ailead.analysis.sensitivity`, when given), the assumptions, the parameters and sources.
    """
    runs: dict[str, xr.Dataset] = {}
    for i, sc in enumerate(scenarios, start=1):
        name = sc.name if sc.name not in runs else f"{sc.name}#{i}"
        runs[name] = run_model(sc, samples=samples, seed=seed)
    names = list(runs)
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    draws = "registry defaults (1 sample)" if samples == 1 else f"{samples} samples, seed {seed}"
    fans = [_fan(spec, runs) for spec in FANS if all(spec.variable in ds for ds in runs.values())]
    switch_table, switch_note = _switch_table(scenarios[0], names, scenarios, samples, seed)
    sections = [
        Section(
            "Verdict",
            [_verdict_sentence(n, ds) for n, ds in runs.items()] + [CAVEAT],
            _verdict_table(runs, samples),
        ),
        *(Section(f"Front: {front}", [], table) for front, table in _fronts(runs, samples).items()),
        Section(
            "Fan charts",
            ["The line is the median over samples; the bands hold 50% and 90% of samples."],
            fans=fans,
        ),
        Section("Switch table", [switch_note], switch_table),
        Section("Sensitivity ranking", [_sensitivity_note(sensitivity)], _ranking(sensitivity)),
        *(
            Section(f"Assumptions: {n}", _assumptions(sc, samples, seed))
            for n, sc in zip(names, scenarios, strict=True)
        ),
        Section(
            "Parameters",
            [
                "Every number the model uses, with its unit, range and source (a key into the "
                "sources below, or an explicit assumption). `ailead params NAME` prints a "
                "parameter's full citation or the reasoning behind its assumption."
            ],
            _parameter_table(scenarios, names),
        ),
        Section("Sources", [], _source_table()),
    ]
    return Report(
        title="ailead report: " + ", ".join(names),
        subtitle=f"{draws}; ailead {__version__}; made {made}. {CAVEAT}",
        scenarios=names,
        sections=sections,
    )


def _num(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if abs(value) >= 1e5 or (value != 0 and abs(value) < 1e-2):
        return f"{value:.3g}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _span(q: dict[str, float], samples: int) -> str:
    if samples == 1:
        return _num(q["p50"])
    return f"{_num(q['p50'])} [{_num(q['p5'])}, {_num(q['p95'])}]"


def _percent(p: float) -> str:
    return f"{100 * p:.0f}%"


def _target_lead(ds: xr.Dataset) -> dict[str, float]:
    lead = ds["lead_months"].sel(time=np.datetime64(ds.attrs["target"], "ns")).values
    return dict(zip(("p5", "p50", "p95"), np.quantile(lead, [0.05, 0.5, 0.95]), strict=True))


def _verdict_sentence(name: str, ds: xr.Dataset) -> str:
    q = _target_lead(ds)
    text = (
        f"{name}, at {ds.attrs['target']}: the US lead is {_num(q['p50'])} months (median; "
        f"90% of samples from {_num(q['p5'])} to {_num(q['p95'])})"
    )
    if "outcome" not in ds:
        return text + "."
    shares = probabilities(ds["outcome"].values)
    parts = ", ".join(f"{OUTCOME_NAMES.get(k, k)} {_percent(p)}" for k, p in shares.items())
    return f"{text}; share of samples in each outcome: {parts}."


def _verdict_table(runs: dict[str, xr.Dataset], samples: int) -> pd.DataFrame:
    rows = {}
    for name, ds in runs.items():
        row = {"target": ds.attrs["target"], "lead (months)": _span(_target_lead(ds), samples)}
        if "outcome" in ds:
            shares = probabilities(ds["outcome"].values)
            row |= {f"P({OUTCOME_NAMES.get(k, k)})": _percent(p) for k, p in shares.items()}
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("scenario").reset_index()


def _fronts(runs: dict[str, xr.Dataset], samples: int) -> dict[str, pd.DataFrame]:
    """One table per front (metric, unit, one column per scenario); all metrics if no fronts."""
    summaries = {name: summary.summarize(ds) for name, ds in runs.items()}
    metrics = list(next(iter(summaries.values())))
    fronts = getattr(summary, "FRONTS", None) or {"Headline metrics": metrics}
    tables = {}
    for front, members in fronts.items():
        rows = [
            {
                "metric": m,
                "unit": summary.UNITS.get(m, ""),
                **{name: _span(s[m], samples) for name, s in summaries.items()},
            }
            for m in members
            if m in metrics
        ]
        if rows:
            tables[front] = pd.DataFrame(rows)
    return tables


def _fan(spec: FanSpec, runs: dict[str, xr.Dataset]) -> Fan:
    bands = {}
    for name, ds in runs.items():
        series = ds[spec.variable].sel(spec.select)
        q = series.quantile(list(FAN_LEVELS.values()), dim="sample", skipna=False)
        bands[name] = pd.DataFrame(
            q.transpose("time", "quantile").values,
            index=pd.DatetimeIndex(series["time"].values, name="month"),
            columns=list(FAN_LEVELS),
        )
    unit = next(iter(runs.values()))[spec.variable].attrs.get("units", "")
    return Fan(spec=spec, unit=unit, bands=bands)


def _switch_table(
    base: Scenario, names: list[str], scenarios: list[Scenario], samples: int, seed: int
) -> tuple[pd.DataFrame, str]:
    """The 27-cell switch table around the first scenario, with the report's scenarios marked."""
    table = switches(base, samples=samples, seed=seed)

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
    shown = table[list(SWITCHES)].copy()
    shown["lead (months)"] = [
        _span({"p5": r.lead_p5, "p50": r.lead_p50, "p95": r.lead_p95}, samples)
        for r in table.itertuples()
    ]
    for col, label in (
        ("p_scenario_one", "P(scenario one)"),
        ("p_contested", "P(contested)"),
        ("p_scenario_two", "P(scenario two)"),
    ):
        shown[label] = table[col].map(_percent)
    shown["scenarios here"] = marks
    note = (
        f"Every combination of the three switches (off, status-quo, strong), other settings "
        f"from {base.name}, at {base.target}; every cell uses the same parameter draws."
    )
    return shown, note


def _ranking(table: pd.DataFrame | None, rows: int = 20) -> pd.DataFrame | None:
    if table is None:
        return None
    shown = table.head(rows).map(lambda v: f"{v:.3g}" if isinstance(v, float) else str(v))
    return shown.rename_axis("parameter").reset_index()


def _sensitivity_note(table: pd.DataFrame | None) -> str:
    if table is None:
        return "Not computed for this report (`ailead report ... --sensitivity sobol` adds it)."
    a = table.attrs
    about = f" on {a['output']} at {a['target']} in {a['scenario']}" if "output" in a else ""
    return f"Parameters ranked by their influence{about} (SALib); the top {min(20, len(table))}."


def _parameter_table(scenarios: list[Scenario], names: list[str]) -> pd.DataFrame:
    rows = []
    for pname, p in load_registry().parameters.items():
        set_by = [
            f"{n}: {sc.parameters[pname]:g}"
            for n, sc in zip(names, scenarios, strict=True)
            if pname in sc.parameters
        ]
        rows.append(
            {
                "parameter": pname,
                "unit": p.unit,
                "default": f"{p.default:g}",
                "range": f"{p.bounds[0]:g} to {p.bounds[1]:g}",
                "distribution": p.distribution.describe()
                if p.switch is None
                else f"set by the {p.switch} switch",
                "set by scenario": "; ".join(set_by),
                "source": p.source.ref if p.source else "assumption",
            }
        )
    return pd.DataFrame(rows)


def _source_table() -> pd.DataFrame:
    sources = load_registry().sources
    return pd.DataFrame(
        [
            {"key": k, "title": s.title, "publisher": s.publisher, "year": s.year, "url": s.url}
            for k, s in sources.items()
        ]
    )


def _quantity(value: float, unit: str) -> str:
    return f"{value:g}" if unit == "dimensionless" else f"{value:g} {unit}"


def _level_name(strength: float) -> str:
    named = {v: k for k, v in LEVELS.items()}
    return named.get(strength, f"strength {strength:g}")


def _assumptions(sc: Scenario, samples: int, seed: int) -> list[str]:
    """The scenario's settings in plain words."""
    registry = load_registry()
    lines = [sc.description.strip()] if sc.description.strip() else []
    targets = lever_targets(sc, registry)
    for switch in SWITCHES:
        levers = ", ".join(
            f"{p.name} = {_quantity(targets[p.name], p.unit)}" for p in registry.levers(switch)
        )
        lines.append(f"The {switch} switch is at {_level_name(sc.switches[switch])}: {levers}.")
    for pname, value in sc.parameters.items():
        p = registry.parameters[pname]
        role = (
            "a policy lever, replacing the value its switch would set"
            if p.kind == "policy"
            else f"a world parameter, instead of its default {p.default:g}"
        )
        lines.append(f"Override: {pname} = {_quantity(value, p.unit)} ({role}).")
    ramps = ", ".join(
        f"{sc.parameters.get(name, registry.parameters[name].default):g} months ({switch})"
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
        "Parameters at the registry defaults (one sample)."
        if samples == 1
        else f"{samples} quasi-random draws (scrambled Sobol, seed {seed}) of every uncertain "
        "parameter from its registry distribution."
    )
    return lines
