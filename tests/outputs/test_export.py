"""Exports of a run: netCDF reads back equal; Parquet and CSV hold one long-format row per value."""

import duckdb
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import ailead
from ailead import AileadError, store
from ailead.outputs.export import export, long_columns

SAMPLES = 4


@pytest.fixture(scope="module")
def ds():
    return ailead.run("us-lead", samples=SAMPLES, seed=2)


def _count_values(ds):
    return sum(v.size for v in ds.data_vars.values())


def test_netcdf_reads_back_equal_with_units_and_attributes(ds, tmp_path):
    path = export(ds, tmp_path / "run.nc")
    back = xr.open_dataset(path, engine="h5netcdf").load()
    xr.testing.assert_identical(back, ds)
    assert back["lead_months"].attrs["units"] == "months"
    assert back.attrs["scenario_json"] == ds.attrs["scenario_json"]


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_long_format_has_one_row_per_value_with_a_column_per_dimension(ds, tmp_path, suffix):
    path = export(ds, tmp_path / f"run{suffix}")
    source = f"'{path}'"
    with duckdb.connect() as con:
        columns = [d[0] for d in con.execute(f"SELECT * FROM {source} LIMIT 0").description]
        assert columns == list(long_columns(ds))
        assert columns[0] == "variable" and {"sample", "time", "bloc", "value"} <= set(columns)
        (rows,) = con.execute(f"SELECT count(*) FROM {source}").fetchone()
        assert rows == _count_values(ds)

        lead = con.execute(
            f"SELECT sample, value, bloc FROM {source} WHERE variable = 'lead_months' "
            "AND CAST(time AS DATE) = DATE '2028-12-01' ORDER BY sample"
        ).fetchall()
        expected = ds["lead_months"].sel(time=np.datetime64("2028-12-01", "ns")).values
        assert [r[1] for r in lead] == expected.tolist()  # exact: no rounding on the way
        assert all(r[2] is None for r in lead)  # lead_months has no bloc

        (cn,) = con.execute(
            f"SELECT value FROM {source} WHERE variable = 'capability' AND bloc = 'cn' "
            "AND sample = 1 AND CAST(time AS DATE) = DATE '2026-03-01'"
        ).fetchone()
        assert cn == ds["capability"].sel(bloc="cn", sample=1, time="2026-03-01").item()

        draws = con.execute(
            f"SELECT value FROM {source} WHERE variable = 'parameters' "
            "AND parameter = 'algorithmic_progress' ORDER BY sample"
        ).fetchall()
        expected = ds["parameters"].sel(parameter="algorithmic_progress").values
        assert [r[0] for r in draws] == expected.tolist()

        if "outcome" in ds:
            labels = con.execute(
                f"SELECT label FROM {source} WHERE variable = 'outcome' ORDER BY sample"
            ).fetchall()
            assert [r[0] for r in labels] == ds["outcome"].values.astype(str).tolist()


def test_a_stored_run_exports_its_target_values_and_monthly_quantiles(ds, tmp_path):
    home = tmp_path / "home"
    store.save_run(ds, name="r", home=home)
    path = store.export_run("r", tmp_path / "stored.parquet", home=home)
    with duckdb.connect() as con:
        quantiles = con.execute(
            f"SELECT quantile, value FROM '{path}' WHERE variable = 'lead_months_quantiles' "
            "AND CAST(time AS DATE) = DATE '2028-12-01' ORDER BY quantile"
        ).fetchall()
        (at_target,) = con.execute(
            f"SELECT count(*) FROM '{path}' WHERE variable = 'lead_months'"
        ).fetchone()
    lead = ds["lead_months"].sel(time=np.datetime64("2028-12-01", "ns")).values
    levels = [0.05, 0.25, 0.5, 0.75, 0.95]
    assert [q for q, _ in quantiles] == levels
    assert [v for _, v in quantiles] == pytest.approx(np.quantile(lead, levels), rel=1e-12)
    assert at_target == SAMPLES


def test_an_unknown_extension_or_missing_directory_is_a_plain_error(ds, tmp_path):
    with pytest.raises(AileadError, match=r"extension '.xlsx' is not supported; allowed: .nc"):
        export(ds, tmp_path / "run.xlsx")
    with pytest.raises(AileadError, match=r"extension '\(none\)'"):
        export(ds, tmp_path / "run")
    with pytest.raises(AileadError, match="does not exist"):
        export(ds, tmp_path / "missing" / "run.nc")
    assert list(tmp_path.iterdir()) == []


def test_long_exports_are_built_in_chunks_of_samples(ds, tmp_path, monkeypatch):
    """Each frame handed to DuckDB holds about CHUNK_ROWS rows (at least one sample's), and the
    chunks together are the whole table, in order."""
    from ailead.outputs import export as exporting

    monkeypatch.setattr(exporting, "CHUNK_ROWS", 150)
    frames = list(exporting._long_frames("capability", ds["capability"]))
    per_sample = ds["capability"].size // SAMPLES  # 144 rows: one sample a chunk
    assert [len(f) for f in frames] == [per_sample] * SAMPLES
    whole = ds["capability"].to_series().reset_index(name="value")
    joined = pd.concat(frames, ignore_index=True)
    assert joined.drop(columns="variable").equals(whole)
    path = export(ds, tmp_path / "chunked.csv")
    with duckdb.connect() as con:
        (rows,) = con.execute(f"SELECT count(*) FROM '{path}'").fetchone()
    assert rows == _count_values(ds)
