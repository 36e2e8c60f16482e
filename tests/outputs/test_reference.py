"""The engine against stored outputs: every preset's per-month medians of every variable.

tests/data/medians-<version>.csv.gz holds what this version computed when its model was last
changed on purpose (tools/record_reference.py). Any drift of any variable in any month fails
here; a deliberate change of the model records the file again, and `ailead changes --against`
an earlier release lists what moved since (0.2.0's outputs are in data/releases/0.2.0.json).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from record_reference import medians

from ailead._version import __version__

STORED = Path(__file__).resolve().parents[1] / "data" / f"medians-{__version__}.csv.gz"
KEYS = ["scenario", "samples", "variable", "time", "coord"]


@pytest.fixture(scope="module")
def both():
    stored = pd.read_csv(STORED, keep_default_na=False, dtype={"coord": str})
    stored["value"] = stored["value"].astype(float)
    return stored, medians()


def test_the_same_variables_months_and_coordinates_as_stored(both):
    stored, now = both
    assert len(now) == len(stored)
    assert (now[KEYS].astype(str).values == stored[KEYS].astype(str).values).all()


def test_every_median_equals_the_stored_one(both):
    stored, now = both
    a, b = stored["value"].to_numpy(), now["value"].to_numpy()
    close = np.isclose(b, a, rtol=1e-9, atol=0.0) | (np.isnan(a) & np.isnan(b))
    drifted = stored.loc[~close, KEYS].assign(stored=a[~close], now=b[~close])
    assert close.all(), f"{len(drifted)} values drifted, first:\n{drifted.head(10)}"
