"""The ECI-like display scale: from capability (OOM of effective compute) to Epoch's ECI points.

Each model in the shipped Epoch extract gets a capability I = log10(C) + r0 * (t - 2025-01) in
years: its training compute in units of January-2025 algorithms, with algorithmic progress at the
registry's base rate r0 [OOM/year]. A least-squares line ECI = alpha + beta * I gives the scale
stored in the registry as `eci_intercept` and `eci_slope`.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd


def eci_models() -> pd.DataFrame:
    """The shipped Epoch AI extract (models with a release date, ECI and training compute)."""
    with resources.files("ailead").joinpath("data/eci_models.csv").open() as f:
        return pd.read_csv(f, parse_dates=["release_date"])


def fit_eci_scale(models: pd.DataFrame, algorithmic_progress: float) -> tuple[float, float]:
    """Least-squares (alpha, beta) of ECI = alpha + beta * I over the given models."""
    years = (models["release_date"] - pd.Timestamp("2025-01-01")).dt.days / 365.25
    capability = np.log10(models["training_compute_flop"]) + algorithmic_progress * years
    beta, alpha = np.polyfit(capability, models["eci"], 1)
    return float(alpha), float(beta)
