"""The historical record (2022-2025) and what each observation corresponds to in a model run.

`load_observations()` reads the shipped, attributed extract (``data/observations/
observations.csv``; sources and licences in the README beside it). Each row is one observation:
a series, a bloc, a period (`start` to `end`), a value with its unit, and its uncertainty as a
standard deviation on the series' scale (log10 for quantities, linear for ECI points and months).
An optional `bound` column marks a row that bounds the truth rather than measuring it: "lower"
(the true value is at least `value`, e.g. the best *scored* model when a larger model has no
score) or "upper"; empty for an ordinary measurement.

`model_values(ds, obs)` reads the matching model output for every observation and sample:

- level series (largest run, frontier ECI, lead): the variable in the month of `end`;
- flow series (production, imports, smuggling): the sum of a monthly flow over the months from
  `start` to `end`;
- installed compute: cumulative shipments, as the Epoch counts define it (no retirements): the
  stock in the run's first month plus the production of every month up to `end`;
- mean series (the PRC's share abroad): the average of a monthly level from `start` to `end`;
  the share abroad is the PRC stack's share of the two third-country markets weighted by their
  GDP shares.

An observation outside the run's months gets NaN. Each series also carries a model discrepancy
(an assumption, stated below): the spread expected between a stylised model and the record even
at the right parameters. The inference adds it to the observation's own uncertainty.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ailead.errors import AileadError, short
from ailead.inputs.scenario import FIRST_MONTH, LAST_MONTH, plain_errors

COLUMNS = ("series", "bloc", "start", "end", "value", "unit", "scale", "sd", "source", "citation")
SCALES = ("log10", "linear")
BOUNDS = {"": 0, "lower": 1, "upper": -1}  # the sign the likelihood gives each kind of row


@dataclass(frozen=True)
class Series:
    """How one observed series maps onto the model, and how far the model may stray from it."""

    description: str
    unit: str
    scale: Literal["log10", "linear"]
    kind: Literal["level", "flow", "installed", "mean"]
    variable: str
    discrepancy: float
    why: str


SERIES = {
    "us_installed_compute": Series(
        "US-bloc installed AI compute (cumulative shipments since 2022, less China-owned)",
        "H100e",
        "log10",
        "installed",
        "production_h100e",
        0.05,
        "the counts start in 2022 and retire nothing; the model's initial stock follows them",
    ),
    "us_production": Series(
        "US-bloc accelerator production (NVIDIA, TPU, AMD, Trainium)",
        "H100e",
        "log10",
        "flow",
        "production_h100e",
        0.05,
        "smooth exponential production against quarterly ramps",
    ),
    "nvidia_production": Series(
        "NVIDIA data-centre shipments",
        "H100e",
        "log10",
        "flow",
        "nvidia_production_h100e",
        0.05,
        "NVIDIA as a fixed share of US-bloc production",
    ),
    "cn_nvidia_imports": Series(
        "NVIDIA compute newly owned in China (legal sales)",
        "H100e",
        "log10",
        "flow",
        "exports_h100e",
        0.2,
        "exports follow one threshold rule; the A800/H800 sales of 2023 and the H20 pause of "
        "2025 are not modelled month by month",
    ),
    "cn_smuggled": Series(
        "AI chips smuggled into China",
        "H100e",
        "log10",
        "flow",
        "smuggled_h100e",
        0.2,
        "smuggling as a fixed share of unmet demand valued at the newest class; the counts are "
        "of chips of mixed classes",
    ),
    "cn_domestic_accelerators": Series(
        "PRC domestic AI accelerators produced (Huawei Ascend and others)",
        "chips",
        "log10",
        "flow",
        "production_h100e",
        0.1,
        "chips counted from H100e at the modelled performance per chip",
    ),
    "largest_run_flop": Series(
        "Largest training run so far (a new record at the release date)",
        "FLOP",
        "log10",
        "level",
        "largest_run_flop",
        0.3,
        "records arrive in steps at releases; the model's largest run grows smoothly with compute",
    ),
    "frontier_eci": Series(
        "Best Epoch Capabilities Index score so far",
        "ECI",
        "linear",
        "level",
        "capability_eci",
        3.0,
        "the display scale is one line fitted to all models, frontier models scatter about it",
    ),
    "lead_months": Series(
        "Months by which a new best PRC model trails the first US model as good",
        "months",
        "linear",
        "level",
        "lead_at_release_months",
        2.0,
        "single releases against a smooth capability path read at an average release",
    ),
    "firm_ai_use": Series(
        "Share of firms using AI in producing goods or services (Census BTOS; PRC mapped)",
        "share",
        "linear",
        "level",
        "adoption",
        0.01,
        "a smooth diffusion path against a biweekly survey that wobbles by about a point",
    ),
    "cn_share_abroad": Series(
        "PRC models' share of AI choice outside the PRC (OpenRouter tokens)",
        "share",
        "linear",
        "mean",
        "market_choice",
        0.05,
        "tokens routed through one developer platform (open-weight and price-sensitive uses "
        "over-represented, US users included) against the GDP-weighted choice of buyers in the "
        "two third-country markets",
    ),
}


def observations_path() -> Path:
    """The shipped observations file."""
    return Path(str(resources.files("ailead").joinpath("data/observations/observations.csv")))


def load_observations(
    path: str | Path | None = None, series: Mapping[str, Series] | None = None
) -> pd.DataFrame:
    """The observations as a DataFrame (dates parsed), checked row by row.

    `series` is the set of known series (default `SERIES`; the signposts add their indicators).
    Raises AileadError naming the file, row and field of the first bad value.
    """
    where = Path(path) if path is not None else observations_path()
    known = SERIES if series is None else series
    try:
        frame = pd.read_csv(where, keep_default_na=False, na_values={"p5": [""], "p95": [""]})
    except (OSError, ValueError) as exc:  # ParserError, UnicodeDecodeError, EmptyDataError
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise AileadError(f"observations file {where}: cannot be read ({reason})") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise AileadError(
            f"observations file {where}: missing columns {', '.join(missing)}; "
            f"required: {', '.join(COLUMNS)}"
        )
    if "bound" not in frame.columns:
        frame["bound"] = ""
    for i, row in enumerate(frame[[*COLUMNS, "bound"]].to_dict(orient="records")):
        try:
            ObservationRow.model_validate(row, context={"series": known})
        except ValidationError as exc:
            raise AileadError(
                f"observations file {where}, row {i + 2}: {plain_errors(exc)}"
            ) from None
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["value"] = frame["value"].astype(float)
    frame["sd"] = frame["sd"].astype(float)
    return frame.reset_index(drop=True)


class ObservationRow(BaseModel):
    """One row of an observations file, validated at the edge like scenario files and requests:
    a known series on its scale, a bloc, finite numbers (positive on a log scale and for the sd),
    dates from 2000-01 to 2100-12 with the end not before the start, and a source. The known
    series are the validation context's `series` (default `SERIES`)."""

    model_config = ConfigDict(extra="ignore")
    series: str
    bloc: str
    start: str
    end: str
    value: float
    sd: float
    scale: str
    source: str
    bound: str = ""

    @field_validator("source", mode="before")
    @classmethod
    def _source(cls, raw: object) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(f"value {short(raw)} is not allowed; allowed: a non-empty source id")
        return raw

    @field_validator("bound", mode="before")
    @classmethod
    def _bound(cls, raw: object) -> str:
        if raw not in BOUNDS:
            raise ValueError(f"value {short(raw)} is not allowed; allowed: lower, upper or empty")
        return str(raw)

    @field_validator("series", mode="before")
    @classmethod
    def _series(cls, raw: object, info: ValidationInfo) -> str:
        known = _known(info)
        if raw not in known:
            raise ValueError(f"value {short(raw)} is not allowed; allowed: {', '.join(known)}")
        return str(raw)

    @field_validator("bloc", mode="before")
    @classmethod
    def _bloc(cls, raw: object) -> str:
        if raw not in ("us", "cn", ""):
            raise ValueError(f"value {short(raw)} is not allowed; allowed: us, cn or empty")
        return str(raw)

    @field_validator("value", "sd", mode="before")
    @classmethod
    def _finite(cls, raw: object) -> float:
        try:
            number = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            number = float("nan")
        if not np.isfinite(number):
            raise ValueError(f"value {short(raw)} is not allowed; allowed: a finite number")
        return number

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date(cls, raw: object) -> str:
        try:
            ok = FIRST_MONTH <= pd.Timestamp(raw).strftime("%Y-%m") <= LAST_MONTH
        except (TypeError, ValueError, OverflowError):
            ok = False
        if not ok:
            raise ValueError(
                f"value {short(raw)} is not allowed; allowed: a date YYYY-MM-DD from "
                f"{FIRST_MONTH}-01 to {LAST_MONTH}-31"
            )
        return str(raw)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> ObservationRow:
        spec = _known(info)[self.series]
        if self.scale != spec.scale:
            raise ValueError(
                f"field 'scale': value {short(self.scale)} is not allowed for {self.series}; "
                f"allowed: {spec.scale}"
            )
        if self.sd <= 0:
            raise ValueError(f"field 'sd': value {self.sd:g}; allowed: a positive number")
        if spec.scale == "log10" and self.value <= 0:
            raise ValueError(f"field 'value': value {self.value:g}; allowed: a positive number")
        if pd.Timestamp(self.end) < pd.Timestamp(self.start):
            raise ValueError(f"field 'end': value {short(self.end)} is before start")
        return self


def _known(info: ValidationInfo) -> Mapping[str, Series]:
    """The series a row may name: the validation context's, else `SERIES`."""
    return (info.context or {}).get("series", SERIES)


def on_scale(values: np.ndarray, scale: str) -> np.ndarray:
    """Values on a series' scale: log10 for quantities, unchanged for linear series."""
    if scale == "log10":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(values)
    return np.asarray(values, dtype=float)


def bound_signs(obs: pd.DataFrame) -> np.ndarray:
    """+1 for a lower bound, -1 for an upper bound, 0 for a measurement; (obs,)."""
    column = obs["bound"] if "bound" in obs.columns else pd.Series("", index=obs.index)
    return column.fillna("").map(BOUNDS).to_numpy(int)


def total_sd(obs: pd.DataFrame) -> np.ndarray:
    """Observation sd combined with the series' model discrepancy: sqrt(sd^2 + d^2)."""
    discrepancy = obs["series"].map(lambda s: SERIES[s].discrepancy).to_numpy(float)
    return np.sqrt(obs["sd"].to_numpy(float) ** 2 + discrepancy**2)


def anchor_of(ds: xr.Dataset) -> str:
    """The month the run's initial state describes (the scenario's `anchor`, default 2025-01)."""
    return json.loads(ds.attrs.get("scenario_json", "{}")).get("anchor", "2025-01")


def _month_number(stamp: pd.Timestamp | np.datetime64) -> int:
    stamp = pd.Timestamp(stamp)
    return stamp.year * 12 + stamp.month - 1


def _series_of(ds: xr.Dataset, variable: str, bloc: str) -> np.ndarray:
    """(samples, months) of a variable, for one bloc when it has the bloc dimension."""
    da = ds[variable]
    if "bloc" in da.dims:
        da = da.sel(bloc=bloc or "us")
    return da.transpose("sample", "time").values


def _chips_per_h100e(ds: xr.Dataset) -> np.ndarray:
    """(samples, months): PRC chips per H100e, c0 * g**((month since anchor - 5.5) / 12), inverted.

    The engine sets each PRC chip's performance from the anchor year's mid-point at the
    registry's `cn_chip_h100e_2025` and `cn_chip_perf_growth`.
    """
    params = ds["parameters"]
    c0 = params.sel(parameter="cn_chip_h100e_2025").values[:, None]
    growth = params.sel(parameter="cn_chip_perf_growth").values[:, None]
    first = _month_number(ds["time"].values[0]) - _month_number(pd.Timestamp(anchor_of(ds)))
    years = (first + np.arange(ds.sizes["time"]) - 5.5) / 12.0
    return 1.0 / (c0 * growth ** years[None, :])


def _share_abroad(ds: xr.Dataset, variable: str, supplier: str) -> np.ndarray:
    """(samples, months): a stack's share of the third-country markets, GDP-weighted.

    sum_m w_m x[m, supplier] / sum_m w_m, x the installed share (`market_share`) or buyers'
    choice (`market_choice`), w_m the markets' shares of world GDP.
    """
    params = ds["parameters"]
    w = np.stack(
        [params.sel(parameter=f"gdp_share_{k}").values for k in ("developed", "global_south")],
        axis=1,
    )  # (samples, market)
    shares = ds[variable].sel(supplier=supplier).transpose("sample", "time", "market").values
    return (shares * w[:, None, :]).sum(axis=2) / w.sum(axis=1)[:, None]


def period_positions(ds: xr.Dataset, start, end) -> tuple[int, int]:
    """The run's month positions (k0, k1) of a period's first and last months."""
    first = _month_number(ds["time"].values[0])
    return _month_number(start) - first, _month_number(end) - first


def period_value(values: np.ndarray, kind: str, k0: int, k1: int) -> np.ndarray | None:
    """A monthly series (samples, months) read over months k0..k1: the level in month k1, the
    sum of a flow or the mean of a level over the months; None when the period is outside the
    run (installed compute, which needs the stock, is read by `model_values`)."""
    n_months = values.shape[1]
    if kind == "level" and 0 <= k1 < n_months:
        return values[:, k1]
    if kind == "flow" and k0 >= 0 and k1 < n_months:
        return values[:, k0 : k1 + 1].sum(axis=1)
    if kind == "mean" and k0 >= 0 and k1 < n_months:
        return values[:, k0 : k1 + 1].mean(axis=1)
    return None


def model_values(ds: xr.Dataset, obs: pd.DataFrame) -> np.ndarray:
    """The model's value for every observation (rows) and sample (columns); NaN outside the run."""
    n_months = ds.sizes["time"]
    out = np.full((len(obs), ds.sizes["sample"]), np.nan)
    for i, row in enumerate(obs.itertuples(index=False)):
        spec = SERIES[row.series]
        if row.series == "cn_share_abroad":
            values = _share_abroad(ds, spec.variable, "cn")
        else:
            values = _series_of(ds, spec.variable, row.bloc)
        if row.series == "cn_domestic_accelerators":
            values = values * _chips_per_h100e(ds)
        k0, k1 = period_positions(ds, row.start, row.end)
        value = period_value(values, spec.kind, k0, k1)
        if value is not None:
            out[i] = value
        elif spec.kind == "installed" and -1 <= k1 < n_months:
            stock = ds["compute_stock_h100e"].sel(bloc=row.bloc or "us").values[:, 0]
            out[i] = stock + values[:, : k1 + 1].sum(axis=1)
    return out
