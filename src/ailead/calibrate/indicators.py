"""Signpost indicators: quantities ailead computes that the world reports, and their observations.

An indicator is an observed series (`ailead.calibrate.observations.Series`: unit, scale, how a
period is read, model discrepancy) with how the world reports it (cadence, publisher). Six are the
record's own series (the lead at PRC releases, the PRC's largest run, its domestic accelerators,
licensed NVIDIA imports, smuggling, its share of AI use abroad); the others are read here:

- `huawei_vs_nvidia`: PRC domestic production over NVIDIA's over the period, both in H100e
  (so the ratio of their TPP): sum_t P_cn(t) / sum_t P_nvidia(t) [ratio];
- `cn_rented_compute`: the mean over the period of the overseas US-chip capacity rented by PRC
  labs [H100e];
- `compute_ratio`: US-bloc over PRC accessible compute at the period's end [x];
- the four policy levers in force (`export_rule`, `remote_access_rule`, `enforcement_funding`,
  `distillation_deterrence`): the lever's value in the month of `end`, on the lever's own unit,
  read from the run's lever schedules (months x samples).

The signposts file has the columns of the record (`observations.COLUMNS`, plus the optional
`bound` and `note`), with an indicator name in `series`; rows are checked by the record's own
`ObservationRow` and, here, for dates within the months the update simulates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ailead.calibrate.observations import (
    SERIES,
    Series,
    anchor_of,
    load_observations,
    model_values,
    period_positions,
    period_value,
)
from ailead.errors import AileadError, short

Reader = Callable[[xr.Dataset], np.ndarray]  # a run -> (samples, months)


@dataclass(frozen=True)
class Indicator:
    """A signpost: its series, the bloc the model reads, how the world reports it, and (for the
    indicators read here) the run's monthly values or the lever whose value in force is read."""

    series: Series
    bloc: str
    cadence: str
    publisher: str
    read: Reader | None = None
    per: Reader | None = None  # the denominator of a ratio of two flows
    lever: str | None = None


def _variable(name: str, bloc: str | None = None) -> Reader:
    def read(ds: xr.Dataset) -> np.ndarray:
        da = ds[name] if bloc is None else ds[name].sel(bloc=bloc)
        return da.transpose("sample", "time").values

    return read


def _lever(name: str, description: str, unit: str, discrepancy: float, why: str) -> Series:
    return Series(description, unit, "linear", "level", name, discrepancy, why)


NEW_SERIES = {
    "huawei_vs_nvidia": Series(
        "PRC domestic accelerator output over NVIDIA's data-centre output (H100e, i.e. TPP)",
        "ratio",
        "log10",
        "flow",
        "production_h100e",
        0.15,
        "assumption: both outputs are smooth exponentials in the model against annual estimates "
        "that differ by a factor of about 1.4 between sources",
    ),
    "cn_rented_compute": Series(
        "Overseas US-chip capacity rented by PRC labs (mean over the period)",
        "H100e",
        "log10",
        "mean",
        "remote_access_h100e",
        0.3,
        "assumption: remote access is one rate on the US stock; reports are single deals",
    ),
    "compute_ratio": Series(
        "US-bloc over PRC accessible compute",
        "x",
        "log10",
        "level",
        "compute_ratio",
        0.15,
        "assumption: reports count clusters or owners, the model counts all accessible compute",
    ),
    "export_rule": _lever(
        "export_threshold_tpp",
        "Export rule in force: the TPP above which a licence is needed (BIS 3A090)",
        "TPP",
        1000.0,
        "assumption: one threshold stands for a rule with licence exceptions",
    ),
    "remote_access_rule": _lever(
        "remote_access_rule",
        "Remote-access rule in force (0 = none, 1 = licensing of remote access as H.R. 2683)",
        "0-1",
        0.1,
        "assumption: a law's coverage read on a 0-1 scale",
    ),
    "enforcement_funding": _lever(
        "smuggling_enforcement",
        "Smuggling enforcement in force (share of diversion stopped, funded enforcement)",
        "fraction",
        0.1,
        "assumption: a budget read as the share of diversion it stops",
    ),
    "distillation_deterrence": _lever(
        "distillation_deterrence",
        "Distillation deterrence in force (share of distillation attacks deterred)",
        "fraction",
        0.1,
        "assumption: law, detection and sharing read as one share",
    ),
}

INDICATORS = {
    "lead_months": Indicator(
        SERIES["lead_months"],
        "",
        "at each new best PRC model (about every 4 months)",
        "Epoch AI (ECI); NIST CAISI evaluations",
    ),
    "largest_run_flop": Indicator(
        SERIES["largest_run_flop"],
        "cn",
        "at each PRC frontier release",
        "Epoch AI, Notable AI Models",
    ),
    "huawei_vs_nvidia": Indicator(
        NEW_SERIES["huawei_vs_nvidia"],
        "cn",
        "yearly",
        "CFR; SemiAnalysis; BIS testimony",
        read=_variable("production_h100e", "cn"),
        per=_variable("nvidia_production_h100e"),
    ),
    "cn_domestic_accelerators": Indicator(
        SERIES["cn_domestic_accelerators"],
        "cn",
        "yearly",
        "BIS testimony; CFR; Bloomberg; SemiAnalysis",
    ),
    "cn_nvidia_imports": Indicator(
        SERIES["cn_nvidia_imports"],
        "cn",
        "yearly (quarterly filings)",
        "Epoch AI, AI chip counts; NVIDIA filings",
    ),
    "cn_smuggled": Indicator(
        SERIES["cn_smuggled"],
        "cn",
        "yearly estimates; cases as they are charged",
        "CNAS; Epoch AI; US Department of Justice",
    ),
    "cn_rented_compute": Indicator(
        NEW_SERIES["cn_rented_compute"],
        "cn",
        "as deals are reported",
        "FT; WSJ; Epoch AI",
        read=_variable("remote_access_h100e"),
    ),
    "compute_ratio": Indicator(
        NEW_SERIES["compute_ratio"],
        "",
        "yearly",
        "Epoch AI (GPU clusters, chip owners)",
        read=_variable("compute_ratio"),
    ),
    "cn_share_abroad": Indicator(
        SERIES["cn_share_abroad"],
        "cn",
        "weekly tokens, read per year",
        "OpenRouter and a16z; Hugging Face downloads",
    ),
    **{
        name: Indicator(NEW_SERIES[name], "", cadence, publisher, lever=NEW_SERIES[name].variable)
        for name, cadence, publisher in (
            ("export_rule", "at each rule", "BIS, Federal Register"),
            ("remote_access_rule", "at each vote", "US Congress (congress.gov)"),
            ("enforcement_funding", "yearly appropriations", "BIS budget; US Congress"),
            ("distillation_deterrence", "at each law or policy", "OSTP; AI labs' reports"),
        )
    },
}


INDICATORS_SERIES = {name: ind.series for name, ind in INDICATORS.items()}


def spec_of(series: str) -> Series:
    """The series spec of an indicator or of a record series."""
    return INDICATORS_SERIES[series] if series in INDICATORS_SERIES else SERIES[series]


def signposts_path() -> Path:
    """The shipped signposts observations (the latest reported values, each with its source)."""
    return Path(str(resources.files("ailead").joinpath("data/observations/signposts.csv")))


def load_signposts(
    path: str | Path | None = None, first: str = "2025-01", last: str = "2028-12"
) -> pd.DataFrame:
    """The signposts observations, checked row by row as the record is (`load_observations`
    with the indicators as the known series) and for periods within `first`..`last` (YYYY-MM),
    the months the update simulates. One plain message naming the row and field."""
    where = Path(path) if path is not None else signposts_path()
    obs = load_observations(where, series=INDICATORS_SERIES)
    lo, hi = pd.Timestamp(f"{first}-01"), pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0)
    for i, row in enumerate(obs.itertuples(index=False)):
        for field in ("start", "end"):
            when = getattr(row, field)
            if not lo <= when <= hi:
                raise AileadError(
                    f"observations file {where}, row {i + 2}: field '{field}': value "
                    f"{short(when.strftime('%Y-%m-%d'))} is out of range; allowed: "
                    f"{lo:%Y-%m-%d} to {hi:%Y-%m-%d} (the months the update simulates)"
                )
    return obs


def indicator_values(
    ds: xr.Dataset, obs: pd.DataFrame, levers: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    """The model's value of every observation (rows) for every sample (columns); NaN outside
    the run. The record's series are read by `model_values`; the lever indicators need the
    run's lever schedules `levers` (months from the anchor x samples), NaN without them."""
    out = np.full((len(obs), ds.sizes["sample"]), np.nan)
    anchor = pd.Timestamp(anchor_of(ds) + "-01")
    shift = -period_positions(ds, anchor, anchor)[0]  # months from the anchor to the run's start
    for i, row in enumerate(obs.itertuples(index=False)):
        spec = INDICATORS.get(row.series)
        if spec is None or (spec.read is None and spec.lever is None):
            out[i] = model_values(ds, obs.iloc[[i]])[0]
            continue
        k0, k1 = period_positions(ds, row.start, row.end)
        if spec.lever is not None:
            if levers is not None:
                lever = levers[spec.lever].T[:, shift:]  # (samples, months of the run)
                value = period_value(lever, "level", k0, k1)
                out[i] = np.nan if value is None else value
            continue
        value = period_value(spec.read(ds), spec.series.kind, k0, k1)
        if value is not None and spec.per is not None:
            denominator = period_value(spec.per(ds), spec.series.kind, k0, k1)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = value / denominator
        out[i] = np.nan if value is None else value
    return out


def indicator_table() -> pd.DataFrame:
    """Each indicator: what it is, its unit and scale, how it is observed and by whom."""
    return pd.DataFrame(
        [
            dict(
                indicator=name,
                description=ind.series.description,
                unit=ind.series.unit,
                scale=ind.series.scale,
                cadence=ind.cadence,
                publisher=ind.publisher,
                discrepancy=ind.series.discrepancy,
            )
            for name, ind in INDICATORS.items()
        ]
    )
