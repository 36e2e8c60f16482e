"""Record the reference outputs that tests/outputs/test_reference.py holds the engine to.

For every preset, at 1 sample (the registry defaults) and at 200 samples (seed 0), the median
over samples of every monthly variable, one row per (scenario, samples, variable, month,
coordinate), written as tests/data/medians-<version>.csv.gz with full float precision.

Run after a deliberate change of the model's numbers (with a new version), then point the test
at the new file: python tools/record_reference.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import ailead

SAMPLES = (1, 200)
SEED = 0


def medians() -> pd.DataFrame:
    """Per-month medians of every monthly variable of every preset (see module doc)."""
    frames = []
    for preset in ailead.presets():
        for n in SAMPLES:
            ds = ailead.run(preset, samples=n, seed=SEED)
            for name, da in ds.data_vars.items():
                if "time" not in da.dims:
                    continue
                med = da.median("sample")
                df = med.to_dataframe(name="value").reset_index()
                other = [d for d in med.dims if d != "time"]
                df["coord"] = df[other].astype(str).agg("/".join, axis=1) if other else ""
                df["time"] = df["time"].dt.strftime("%Y-%m")
                df = df[["time", "coord", "value"]]
                df.insert(0, "variable", name)
                df.insert(0, "samples", n)
                df.insert(0, "scenario", preset)
                frames.append(df)
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    out = Path(__file__).resolve().parents[1] / f"tests/data/medians-{ailead.__version__}.csv.gz"
    table = medians()
    table["value"] = [repr(float(v)) for v in table["value"]]
    table.to_csv(out, index=False, compression="gzip")
    print(f"wrote {out} ({len(table)} rows)")


if __name__ == "__main__":
    main()
