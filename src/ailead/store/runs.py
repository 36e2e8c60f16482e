"""The run store: save runs, then list, load, compare, delete, export and reproduce them.

A saved run keeps what is needed to cite, compare and rerun it months later: the scenario (JSON),
the resolved parameters of every sample, the seed, the number of samples, the ailead version, the
time it was saved (UTC), every variable per sample at the target month, and the monthly quantiles
(p5, p25, p50, p75, p95 over samples) of every numeric variable. A saved run is never updated;
names are unique. `reproduce` reruns a run and checks that it gives the stored numbers.

>>> run_id = save_run(ailead.run("us-lead", samples=100, seed=1), name="baseline")
>>> load_run("baseline").at_target["lead_months"].median()
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from pydantic import ValidationError

from ailead._version import __version__
from ailead.errors import AileadError, short
from ailead.inputs.scenario import Scenario
from ailead.outputs.engine import run as run_model
from ailead.outputs.engine import run_parameters
from ailead.store.frames import (
    at_target,
    cell_labels,
    from_rows,
    monthly_quantiles,
    to_json,
    to_rows,
)
from ailead.store.schema import (
    DATA_TABLES,
    QUANTILES,
    open_store,
    store_path,
    transaction,
    utc_now,
)

Home = str | os.PathLike[str] | None
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
REQUIRED_ATTRS = ("scenario", "scenario_json", "seed", "target", "ailead_version")
SUMMARY_LEVELS = {"p5": 0.05, "p50": 0.5, "p95": 0.95}
INFO_COLUMNS = (
    "run_id, name, scenario, description, scenario_json, seed, samples, target, "
    "ailead_version, created_at, attrs"
)


@dataclass(frozen=True)
class StoredRun:
    """A saved run as read back: its record, and its results as two labelled Datasets.

    `at_target` equals `ds.sel(time=target)` of the saved Dataset (every variable, per sample);
    `quantiles` equals its monthly quantiles over samples (dim `quantile`; numeric variables).
    """

    info: dict[str, Any]
    at_target: xr.Dataset
    quantiles: xr.Dataset

    @property
    def run_id(self) -> str:
        return self.info["run_id"]

    @property
    def scenario(self) -> Scenario:
        """The scenario as it was run (resolved: no `extends` is looked up again)."""
        try:
            return Scenario.model_validate_json(self.info["scenario_json"])
        except (ValidationError, AileadError) as exc:
            raise AileadError(
                f"run {self.run_id}: its scenario no longer validates with ailead "
                f"{__version__} (saved with {self.info['ailead_version']}): {exc}"
            ) from None

    def to_dataset(self) -> xr.Dataset:
        """One Dataset: each variable per sample at the target, and `<name>_quantiles` by month."""
        monthly = self.quantiles.rename({v: f"{v}_quantiles" for v in self.quantiles.data_vars})
        merged = xr.merge([self.at_target.drop_vars("time"), monthly], combine_attrs="override")
        merged.attrs.update(run_id=self.run_id, saved_at=self.info["created_at"])
        return merged


def check_name(name: str | None) -> None:
    """A run name is 1 to 64 letters, digits, '.', '_' or '-' (check it before a long run)."""
    if name is not None and not NAME_PATTERN.match(name):
        raise AileadError(
            f"name: value {short(name)} is not allowed; allowed: 1 to 64 letters, digits, '.', '_' "
            "or '-', starting with a letter or digit"
        )


def check_writable(home: Home = None) -> None:
    """Open the store for writing (creating it on first use) and read its runs, so that a store
    that cannot take a run is refused before a long run."""
    with open_store(home, write=True) as con:
        con.execute("SELECT count(*), max(seq) FROM runs").fetchone()


def save_run(ds: xr.Dataset, name: str | None = None, home: Home = None) -> str:
    """Save a run (the Dataset from `ailead.run`) in one transaction; return its new run id."""
    _check_result(ds)
    check_name(name)
    frames = to_rows(ds)
    run_id = uuid.uuid4().hex[:12]
    attrs = ds.attrs
    record = {
        "run_id": run_id,
        "name": name,
        "scenario": str(attrs["scenario"]),
        "description": str(attrs.get("description", "")),
        "scenario_json": str(attrs["scenario_json"]),
        "seed": int(attrs["seed"]),
        "samples": ds.sizes["sample"],
        "target": str(attrs["target"]),
        "ailead_version": str(attrs["ailead_version"]),
        "created_at": utc_now(),
        "attrs": to_json(dict(attrs)),
        **{f"n_{t}": len(frames[t]) for t in DATA_TABLES},
    }
    with open_store(home, write=True) as con, transaction(con):
        taken = con.execute(
            "SELECT run_id FROM runs WHERE name = ? OR run_id = ?", [name, name]
        ).fetchone()
        if name is not None and taken:
            raise AileadError(
                f"name: a run named {short(name)} is already saved in {store_path(home)} "
                f"(run {taken[0]}); saved runs are never replaced: choose another name"
            )
        (record["seq"],) = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM runs").fetchone()
        con.execute(
            f"INSERT INTO runs ({', '.join(record)}) VALUES ({', '.join('?' * len(record))})",
            list(record.values()),
        )
        for table in DATA_TABLES:
            _insert(con, table, frames[table].assign(run_id=run_id))
    return run_id


def list_runs(home: Home = None) -> list[dict[str, Any]]:
    """Every saved run, oldest first, with its median lead at the target month."""
    with open_store(home, write=False) as con:
        if con is None:
            return []
        rows = con.execute(
            """SELECT r.run_id, r.name, r.scenario, r.samples, r.seed, r.target,
                      l.lead_p50, r.ailead_version, r.created_at
               FROM runs r LEFT JOIN (
                   SELECT run_id, quantile_cont(value, 0.5) AS lead_p50 FROM results
                   WHERE variable = 'lead_months' AND coord = '' GROUP BY run_id
               ) l USING (run_id)
               ORDER BY r.seq"""
        )
        columns = [d[0] for d in rows.description]
        found = [dict(zip(columns, row, strict=True)) for row in rows.fetchall()]
    for run in found:
        run["created_at"] = _iso(run["created_at"])
    return found


def load_run(ref: str, home: Home = None) -> StoredRun:
    """A saved run by id, name or a unique id prefix (4 characters or more)."""
    with open_store(home, write=False) as con:
        if con is None:
            raise AileadError(f"run {short(ref)}: no runs are saved yet in {store_path(home)}")
        run_id = _resolve(con, ref, home)
        info = con.execute(f"SELECT {INFO_COLUMNS} FROM runs WHERE run_id = ?", [run_id])
        columns = [d[0] for d in info.description]
        record = dict(zip(columns, info.fetchone(), strict=True))
        variables = con.execute(
            "SELECT variable, kind, monthly, dims, coords, attrs FROM variables WHERE run_id = ? "
            "ORDER BY position",
            [run_id],
        ).df()
        results = con.execute(
            "SELECT variable, coord, sample, value, label FROM results WHERE run_id = ?", [run_id]
        ).df()
        quantiles = con.execute(
            f"SELECT variable, coord, month, {', '.join(QUANTILES)} FROM quantiles "
            "WHERE run_id = ?",
            [run_id],
        ).df()
    record["created_at"] = _iso(record["created_at"])
    snapshot, monthly = from_rows(variables, results, quantiles, json.loads(record.pop("attrs")))
    return StoredRun(info=record, at_target=snapshot, quantiles=monthly)


def delete_run(ref: str, home: Home = None) -> str:
    """Delete a saved run (all of its rows, in one transaction); return its id."""
    with open_store(home, write=True) as con:
        run_id = _resolve(con, ref, home)
        with transaction(con):
            for table in (*DATA_TABLES, "runs"):
                con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
    return run_id


def export_run(ref: str, path: str | os.PathLike[str], home: Home = None) -> Path:
    """Write a saved run (`StoredRun.to_dataset`) to .nc, .parquet or .csv, by extension."""
    from ailead.outputs.export import export

    return export(load_run(ref, home).to_dataset(), path)


def check_store(home: Home = None) -> list[str]:
    """Problems found in the store (an empty list when it is consistent).

    Every run's rows are all there (the counts recorded when it was saved) and no row belongs to
    a run that is not in the `runs` table.
    """
    problems = []
    with open_store(home, write=False) as con:
        if con is None:
            return []
        for table in DATA_TABLES:
            (orphans,) = con.execute(
                f"SELECT count(*) FROM {table} WHERE run_id NOT IN (SELECT run_id FROM runs)"
            ).fetchone()
            if orphans:
                problems.append(f"{table}: {orphans} rows belong to no saved run")
            mismatched = con.execute(
                f"""SELECT r.run_id, r.n_{table}, coalesce(c.n, 0) FROM runs r
                    LEFT JOIN (SELECT run_id, count(*) AS n FROM {table} GROUP BY run_id) c
                    USING (run_id) WHERE r.n_{table} != coalesce(c.n, 0)"""
            ).fetchall()
            problems += [f"run {r}: {table} holds {n} rows, expected {e}" for r, e, n in mismatched]
    return problems


def target_summary(run: StoredRun) -> dict[str, dict[str, float | None]]:
    """Outputs at the target: p5, p50, p95 of each numeric cell; the share of each text label.

    Keys are `variable` or `variable[label]` (e.g. `capability[us]`); text variables such as
    `outcome` give `outcome=contested` -> {"share": ...}.
    """
    out: dict[str, dict[str, float | None]] = {}
    for name, da in run.at_target.data_vars.items():
        if name == "parameters":
            continue
        extra = [d for d in da.dims if d != "sample"]
        values = da.transpose("sample", *extra).values.reshape(da.sizes["sample"], -1)
        coords = {d: da[d].values.tolist() for d in extra}
        for j, label in enumerate(cell_labels(coords, extra)):
            key = f"{name}[{label}]" if label else name
            column = values[:, j]
            if da.dtype.kind in "fiu":
                levels = np.quantile(column, list(SUMMARY_LEVELS.values()))
                out[key] = {q: _finite(v) for q, v in zip(SUMMARY_LEVELS, levels, strict=True)}
            else:
                categories, counts = np.unique(column.astype(str), return_counts=True)
                for category, count in zip(categories, counts, strict=True):
                    out[f"{key}={category}"] = {"share": float(count) / len(column)}
    return out


def run_inputs(run: StoredRun) -> dict[str, Any]:
    """What went into a run, flat: scenario fields, switches, overrides, seed, samples, version."""
    scenario = json.loads(run.info["scenario_json"])
    flat: dict[str, Any] = {}
    for key, value in scenario.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        elif key != "extends":
            flat[key] = value
    return {**flat, **{k: run.info[k] for k in ("seed", "samples", "ailead_version")}}


def diff_runs(a: str, b: str, home: Home = None) -> dict[str, Any]:
    """What differs between two saved runs: inputs, parameter draws and outputs at the target.

    Each section maps a key to {"a": value in run a, "b": value in run b}, for keys that differ.
    """
    ra, rb = load_run(a, home), load_run(b, home)
    return {
        "a": _header(ra),
        "b": _header(rb),
        "inputs": _changed(run_inputs(ra), run_inputs(rb)),
        "parameters": _changed(_parameter_summary(ra), _parameter_summary(rb)),
        "outputs": _changed(target_summary(ra), target_summary(rb)),
    }


def reproduce(ref: str, home: Home = None) -> xr.Dataset:
    """Rerun a saved run and check that it gives the stored numbers; return the new Dataset.

    A run with a seed reruns `ailead.run(scenario, samples, seed)`. A run made from given
    parameter arrays (seed -1, `run_parameters`) reruns on its stored parameters.
    """
    run = load_run(ref, home)
    seed, samples = run.info["seed"], run.info["samples"]
    if seed >= 0:
        ds = run_model(run.scenario, samples=samples, seed=seed)
    else:
        params = run.at_target["parameters"]
        ds = run_parameters(
            run.scenario, {str(p): params.sel(parameter=p).values for p in params.parameter.values}
        )
    differing = _differing(run, ds)
    if differing:
        raise AileadError(
            f"run {run.run_id}: rerunning does not give the stored numbers for "
            f"{', '.join(differing)}; it was saved by ailead {run.info['ailead_version']}, "
            f"this is ailead {__version__}"
        )
    return ds


def _check_result(ds: Any) -> None:
    if not isinstance(ds, xr.Dataset):
        raise AileadError(
            f"save_run: expected the xarray.Dataset of a run, got {type(ds).__name__}"
        )
    missing = [a for a in REQUIRED_ATTRS if a not in ds.attrs]
    if missing or "time" not in ds.dims:
        raise AileadError(
            f"save_run: not a Dataset from ailead.run (missing {', '.join(missing) or 'time'})"
        )
    lacking = [n for n, v in ds.data_vars.items() if "sample" not in v.dims]
    if lacking:
        raise AileadError(f"save_run: variables without a sample dimension: {', '.join(lacking)}")


def _insert(con: Any, table: str, frame: pd.DataFrame) -> None:
    con.register("frame", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
    finally:
        con.unregister("frame")


def _resolve(con: Any, ref: str, home: Home) -> str:
    """A run id from an id, a name or a unique id prefix."""
    for query in (
        "SELECT run_id FROM runs WHERE run_id = ?",
        "SELECT run_id FROM runs WHERE name = ?",
    ):
        found = con.execute(query, [ref]).fetchall()
        if found:
            return found[0][0]
    found = []
    if len(ref) >= 4:
        found = con.execute(
            "SELECT run_id FROM runs WHERE starts_with(run_id, ?) ORDER BY run_id", [ref]
        ).fetchall()
    if len(found) == 1:
        return found[0][0]
    if found:
        ids = ", ".join(r for (r,) in found)
        raise AileadError(f"run {short(ref)}: ambiguous id prefix, matching {ids}; give more of it")
    raise AileadError(
        f"run {short(ref)}: no saved run has this id or name in {store_path(home)}; "
        "`ailead runs list` shows them"
    )


def _header(run: StoredRun) -> dict[str, Any]:
    keys = ("run_id", "name", "scenario", "samples", "seed", "ailead_version", "created_at")
    return {k: run.info[k] for k in keys}


def _parameter_summary(run: StoredRun) -> dict[str, dict[str, float | None]]:
    params = run.at_target["parameters"]
    levels = np.quantile(params.values, list(SUMMARY_LEVELS.values()), axis=0)
    return {
        str(name): {q: _finite(levels[k, j]) for k, q in enumerate(SUMMARY_LEVELS)}
        for j, name in enumerate(params["parameter"].values)
    }


def _changed(a: dict[str, Any], b: dict[str, Any]) -> dict[str, dict[str, Any]]:
    keys = list(a) + [k for k in b if k not in a]
    return {k: {"a": a.get(k), "b": b.get(k)} for k in keys if a.get(k) != b.get(k)}


def _differing(run: StoredRun, ds: xr.Dataset) -> list[str]:
    """Variables whose stored values differ from those of a fresh Dataset."""
    out = []
    for stored, fresh in ((run.at_target, at_target(ds)), (run.quantiles, monthly_quantiles(ds))):
        for name in dict.fromkeys([*stored.data_vars, *fresh.data_vars]):
            if name not in stored or name not in fresh or not stored[name].equals(fresh[name]):
                out.append(name)
    return list(dict.fromkeys(out))


def _finite(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def _iso(moment: Any) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
