"""Out-of-sample backtest: start in 2023-01 from 2023 conditions, predict 2024-2025.

The model is anchored at 2023-01 (`anchor` in the scenario) and run to 2025-12 under the
policies of the time (today's levers, with no HBM controls before December 2024). The initial
conditions below describe January 2023 (stocks) or 2023 (production levels, per-chip
performance), each from the data with its source; world parameters (growth rates, elasticities)
keep their registry priors. The backtest's calibration (`ailead.inference.calibrate`) sees only
the observations that end by 2023-12-31; every observation of 2024-2025 is held out.

Errors per series, on the series' scale (log10 for quantities, so an error of 0.3 is a factor
of 2; points for ECI; months for the lead), for the model's median prediction m_i against the
observation y_i over the held-out observations i of the series:

    bias = mean(m_i - y_i),    RMSE = sqrt(mean((m_i - y_i)^2)),
    coverage = share of y_i inside the model's 5-95% predictive range,

where a row that only bounds the truth (`bound` lower/upper) counts an error only from its wrong
side (a lower bound: min(0, m_i - y_i)) and is covered unless the whole range is on that side;

once from the 2023 prior alone and once after calibrating on 2023.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ailead.calibrate.eci_scale import eci_models, fit_eci_scale
from ailead.calibrate.inference import Calibration, Prior, calibrate, registry_prior
from ailead.calibrate.observations import (
    SERIES,
    bound_signs,
    load_observations,
    model_values,
    on_scale,
)
from ailead.errors import AileadError
from ailead.files import check_new_file, write_new
from ailead.inputs.posterior import weighted_quantiles
from ailead.inputs.registry import Distribution, load_registry
from ailead.inputs.scenario import load_scenario
from ailead.outputs.engine import run_parameters

ANCHOR = "2023-01"
CALIBRATED_UNTIL = "2023-12-31"
HELD_OUT = ("2024-01-01", "2025-12-31")
SCENARIO = {
    "name": "backtest-2023",
    "description": "The record from 2023-01 to 2025-12 under today's levers throughout, except "
    "HBM: no HBM controls (they began in December 2024; open imports stand in for the "
    "pre-control stockpile drawn in 2025).",
    "extends": "status-quo",
    "anchor": ANCHOR,
    "start": ANCHOR,
    "end": "2025-12",
    "target": "2025-12",
    "policy_start": ANCHOR,  # levers at their values below from the first month
    "parameters": {"hbm_control": 0.0, "compute_policy_ramp_months": 0.0},
}


def _lognormal(p5: float, p95: float) -> Distribution:
    return Distribution(kind="lognormal", args={"p5": p5, "p95": p95})


def _triangular(low: float, mode: float, high: float) -> Distribution:
    return Distribution(kind="triangular", args={"low": low, "mode": mode, "high": high})


def _eci_scale_2023() -> tuple[float, float]:
    """The ECI display line fitted to models released before 2024, in 2023-01 algorithms.

    `fit_eci_scale` measures capability in 2025-01 algorithms; in 2023-01 algorithms every
    capability is 2 r0 higher, so the intercept falls by 2 r0 beta.
    """
    models = eci_models()
    r0 = load_registry().parameters["algorithmic_progress"].default
    alpha, beta = fit_eci_scale(models[models["release_date"] < pd.Timestamp("2024-01-01")], r0)
    return alpha - 2.0 * r0 * beta, beta


@dataclass(frozen=True)
class Condition:
    """A 2023 initial condition: a value or distribution, and where it comes from."""

    value: float | Distribution
    source: str


def initial_conditions() -> dict[str, Condition]:
    """The parameters that describe the anchor, set for January 2023."""
    intercept, slope = _eci_scale_2023()
    return {
        "us_compute_stock_2025": Condition(
            _lognormal(2.07e5, 3.23e5),
            "Epoch AI chip counts: NVIDIA shipments in 2022 less China-owned, 0.26M H100e "
            "(90% 0.21-0.32M); as in the 2025 value, chips before 2022 are not counted.",
        ),
        "cn_compute_stock_2025": Condition(
            _lognormal(3.0e4, 1.0e5),
            "Epoch AI chip counts by owner: 32k H100e of NVIDIA chips owned in China at the end "
            "of 2022 (90% 23-45k), plus early Ascend 910 chips (assumption: up to about 50k).",
        ),
        "us_production_2025": Condition(
            _lognormal(9.5e4, 1.2e5),
            "Epoch AI chip counts: 1.31M H100e shipped in 2023 (NVIDIA 1.10M, TPU 0.21M), about "
            "0.105M a month at mid-year.",
        ),
        "us_production_growth": Condition(
            _lognormal(2.5, 4.5),
            "Epoch AI chip counts: NVIDIA shipments grew 3.8x from 2022 to 2023.",
        ),
        "b200_tpp": Condition(
            15832.0,
            "Epoch ML hardware: the newest US class in mid-2023 is the H100 (TPP 15,832), "
            "which sets the frontier performance the export rule compares with.",
        ),
        "cn_advanced_wafers_2025": Condition(
            _triangular(2.0e4, 2.9e4, 3.8e4),
            "The registry's 45k wafers a month (SemiAnalysis) taken back 1.5 years at its 1.33x "
            "a year (assumption).",
        ),
        "cn_die_yield": Condition(
            _triangular(0.1, 0.15, 0.3),
            "The registry's 2025 yield (SemiAnalysis, 20-40%) less two years of its yield gain "
            "(assumption).",
        ),
        "cn_chip_h100e_2025": Condition(
            _triangular(0.3, 0.38, 0.45),
            "Epoch ML hardware: the Ascend 910B, TPP 6,016, is 0.38 H100e.",
        ),
        "cn_hbm_stockpile_2025": Condition(
            0.0,
            "No HBM controls before December 2024: no stockpile to draw down (imports flow).",
        ),
        "cn_hbm_domestic_2025": Condition(
            _lognormal(3.0e3, 3.0e4),
            "The registry's 2025 domestic HBM (SemiAnalysis, IFP) taken back two years at its 2x "
            "a year (assumption).",
        ),
        "cn_import_demand_2026": Condition(
            _lognormal(6.0e4, 1.2e5),
            "The parameter describes demand a year after the anchor's middle, here mid-2024. "
            "Epoch AI chip counts by owner: 145k H100e of NVIDIA compute newly owned in China in "
            "2024, about 0.96M H20-class chips (TPP 2,368: 0.15 H100e each), 80k a month; "
            "demand is at least that (assumption: up to 1.5x for what was not sold).",
        ),
        "eci_intercept": Condition(
            intercept,
            "ailead.display.fit_eci_scale on the Epoch ECI models released before 2024, "
            "expressed in 2023-01 algorithms.",
        ),
        "eci_slope": Condition(slope, "The same fit."),
    }


def backtest_prior():
    """The registry prior with the 2023 initial conditions in place."""
    return registry_prior({name: c.value for name, c in initial_conditions().items()})


def held_out_observations(
    obs: pd.DataFrame | None = None, held_out: tuple[str, str] = HELD_OUT
) -> pd.DataFrame:
    """Observations that end within the held-out period (by default 2024-2025)."""
    obs = load_observations() if obs is None else obs
    first, last = (pd.Timestamp(d) for d in held_out)
    return obs[(obs["end"] >= first) & (obs["end"] <= last)].reset_index(drop=True)


def _quantiles(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(obs, 3): weighted 5/50/95% of each row."""
    return np.array([weighted_quantiles(row, weights, [0.05, 0.5, 0.95]) for row in values])


def predictions(obs: pd.DataFrame, values: np.ndarray, weights: np.ndarray) -> pd.DataFrame:
    """Each observation beside the model's weighted 5/50/95% and the error of the median."""
    q = _quantiles(values, weights)
    frame = obs[["series", "bloc", "end", "value", "unit", "scale"]].copy()
    frame["p5"], frame["p50"], frame["p95"] = q[:, 0], q[:, 1], q[:, 2]
    error = np.array(
        [
            float(on_scale(m, s) - on_scale(y, s))
            for m, y, s in zip(frame["p50"], frame["value"], frame["scale"], strict=True)
        ]
    )
    sign = bound_signs(obs)  # a bound is missed only from its wrong side
    frame["error"] = np.where(sign == 0, error, np.minimum(sign * error, 0.0) * sign)
    frame["covered"] = ((sign > 0) | (frame["value"] >= frame["p5"])) & (
        (sign < 0) | (frame["value"] <= frame["p95"])
    )
    return frame


def error_table(prior: pd.DataFrame, calibrated: pd.DataFrame) -> pd.DataFrame:
    """Bias, RMSE and coverage per series and bloc, from the prior and after calibration."""
    rows = []
    keys = ["series", "bloc"]
    for (series, bloc), a in prior.groupby(keys, sort=False):
        b = calibrated[(calibrated["series"] == series) & (calibrated["bloc"] == bloc)]
        rows.append(
            dict(
                series=series,
                bloc=bloc,
                n=len(a),
                scale=SERIES[series].scale,
                prior_bias=a["error"].mean(),
                prior_rmse=float(np.sqrt(np.mean(a["error"] ** 2))),
                prior_coverage=a["covered"].mean(),
                calibrated_bias=b["error"].mean(),
                calibrated_rmse=float(np.sqrt(np.mean(b["error"] ** 2))),
                calibrated_coverage=b["covered"].mean(),
            )
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Backtest:
    """The backtest's calibration, its predictions of the held-out years and their errors."""

    calibration: Calibration
    prior_predictions: pd.DataFrame
    calibrated_predictions: pd.DataFrame
    errors: pd.DataFrame
    paths: dict[str, pd.DataFrame]  # per series and bloc: the model's monthly 5/50/95%
    calibrated_until: str


def run_backtest(
    samples: int = 1000,
    seed: int = 0,
    scenario: dict | None = None,
    prior: Prior | None = None,
    calibrated_until: str = CALIBRATED_UNTIL,
    held_out: tuple[str, str] = HELD_OUT,
) -> Backtest:
    """Calibrate on the record up to `calibrated_until` and score the predictions of the
    held-out period. Defaults: from 2023-01 conditions, calibrated on 2023, 2024-2025 held out.
    """
    scenario = load_scenario(scenario or SCENARIO)
    prior = prior or backtest_prior()
    cal = calibrate(samples, seed, scenario, prior, until=calibrated_until)
    held = held_out_observations(held_out=held_out)
    if held.empty:
        raise AileadError(f"backtest: no observations in the held-out period {held_out}")
    prior_params, post_params = cal.prior_parameters(), cal.posterior_parameters()
    prior_ds = run_parameters(scenario, prior_params)
    post_ds = run_parameters(scenario, post_params)
    equal = np.full(prior_ds.sizes["sample"], 1.0)
    prior_pred = predictions(held, model_values(prior_ds, held), equal)
    post_pred = predictions(held, model_values(post_ds, held), cal.result.weights)
    paths = monthly_paths(post_ds, cal.result.weights, load_observations())
    errors = error_table(prior_pred, post_pred)
    return Backtest(cal, prior_pred, post_pred, errors, paths, calibrated_until)


def monthly_paths(ds, weights: np.ndarray, obs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per (series, bloc) with observations: the model's monthly 5/50/95% of what is observed.

    Flows are shown as trailing 12-month sums (the observed flows are calendar years), levels
    and installed compute as they are, all by evaluating `model_values` on a monthly grid.
    """
    months = pd.DatetimeIndex(ds["time"].values) + pd.offsets.MonthEnd(0)
    out = {}
    for (series, bloc), _ in obs.groupby(["series", "bloc"], sort=False):
        grid = pd.DataFrame(
            {
                "series": series,
                "bloc": bloc,
                "start": months - pd.DateOffset(months=11) - pd.offsets.MonthBegin(1),
                "end": months,
                "value": 1.0,
                "sd": 1.0,
                "scale": SERIES[series].scale,
            }
        )
        if SERIES[series].kind != "flow":
            grid["start"] = grid["end"]
        q = _quantiles(model_values(ds, grid), weights)
        path = pd.DataFrame({"p5": q[:, 0], "p50": q[:, 1], "p95": q[:, 2]}, index=months)
        out[f"{series}/{bloc}" if bloc else series] = path.dropna()
    return out


def chart(backtest: Backtest, path: str | Path) -> list[Path]:
    """Small multiples of every observed series: the calibrated model's median and 90% band
    (monthly) against the observations with their 90% error bars; the calibration window
    shaded. Writes the new files PATH.png and PATH.svg (checked before the figure is drawn)."""
    targets = [check_new_file(f"{path}{suffix}") for suffix in (".png", ".svg")]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    obs = load_observations()
    keys = list(backtest.paths)
    sc = backtest.calibration.scenario
    first = pd.Timestamp(sc.start)
    last = pd.Timestamp(sc.end) + pd.offsets.MonthEnd(0)
    cols = 3
    rows = int(np.ceil(len(keys) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.9 * rows), squeeze=False)
    for ax, key in zip(axes.flat, keys, strict=False):
        series, _, bloc = key.partition("/")
        spec = SERIES[series]
        band = backtest.paths[key]
        ax.fill_between(band.index, band["p5"], band["p95"], alpha=0.25, color="tab:blue")
        ax.plot(band.index, band["p50"], color="tab:blue", lw=1.5, label="ailead (calibrated)")
        seen = obs[(obs["series"] == series) & (obs["bloc"] == bloc)]
        seen = seen[(seen["end"] >= first) & (seen["end"] <= last)]
        low, high = _error_bars(seen)
        ax.errorbar(seen["end"], seen["value"], yerr=[low, high], fmt="o", color="black", ms=3)
        ax.axvspan(first, pd.Timestamp(backtest.calibrated_until), color="0.9", zorder=0)
        ax.set_xlim(first - pd.Timedelta(days=20), last + pd.Timedelta(days=20))
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        if spec.scale == "log10":
            ax.set_yscale("log")
        ax.set_title(f"{series} {bloc}".strip(), fontsize=9)
        ax.set_ylabel(spec.unit, fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(keys) :]:
        ax.axis("off")
    fig.suptitle(
        f"Backtest from {sc.start}: calibrated up to {backtest.calibrated_until} (shaded), "
        "later observations held out. Model output under stated assumptions.",
        fontsize=10,
    )
    fig.tight_layout()
    written = [write_new(target, lambda tmp: fig.savefig(tmp, dpi=110)) for target in targets]
    plt.close(fig)
    return written


def _error_bars(seen: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Distances from each value to its 90% range (from the sd on the series' scale)."""
    half = 1.6449 * seen["sd"].to_numpy(float)
    value = seen["value"].to_numpy(float)
    if len(seen) and seen["scale"].iloc[0] == "log10":
        return value - value / 10**half, value * 10**half - value
    return half, half
