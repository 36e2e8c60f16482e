"""The run store: round trip, immutability, diff, reproduction, schema versions and safety.

Every store lives under tmp_path. Runs are small (few samples) so that the file stays fast.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import numpy as np
import platformdirs
import pytest
import xarray as xr
from typer.testing import CliRunner

import ailead
from ailead import store
from ailead.cli import app
from ailead.errors import AileadError
from ailead.outputs.engine import run_parameters
from ailead.store import schema as store_schema
from ailead.store.schema import QUANTILES, store_path, transaction

runner = CliRunner()
SAMPLES = 12


@pytest.fixture(scope="module")
def us_lead():
    return ailead.run("us-lead", samples=SAMPLES, seed=5)


@pytest.fixture(scope="module")
def catch_up():
    return ailead.run("catch-up", samples=SAMPLES, seed=5)


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def _target(ds):
    return np.datetime64(ds.attrs["target"], "ns")


def test_a_saved_run_reads_back_with_every_variable_at_the_target_and_monthly_quantiles(
    us_lead, home
):
    run_id = store.save_run(us_lead, name="baseline", home=home)
    run = store.load_run("baseline", home=home)

    assert run.run_id == run_id
    xr.testing.assert_identical(run.at_target, us_lead.sel(time=_target(us_lead)))
    numeric = [n for n, v in us_lead.data_vars.items() if "time" in v.dims]
    expected = us_lead[numeric].quantile(list(QUANTILES.values()), dim="sample", skipna=False)
    xr.testing.assert_equal(run.quantiles, expected)
    assert set(run.quantiles.data_vars) == set(numeric)
    info = run.info
    assert (info["name"], info["scenario"], info["seed"], info["samples"]) == (
        "baseline",
        "us-lead",
        5,
        SAMPLES,
    )
    assert info["ailead_version"] == ailead.__version__
    assert info["scenario_json"] == us_lead.attrs["scenario_json"]
    assert run.scenario == ailead.load_scenario("us-lead")
    assert info["created_at"].endswith("Z")


def test_the_store_keeps_the_resolved_parameters_and_shows_them_in_a_view(us_lead, home):
    run_id = store.save_run(us_lead, home=home)
    with duckdb.connect(str(store_path(home)), read_only=True) as con:
        rows = con.execute(
            "SELECT sample, parameter, value FROM run_parameters WHERE run_id = ? "
            "AND parameter = 'algorithmic_progress' ORDER BY sample",
            [run_id],
        ).fetchall()
    draws = us_lead["parameters"].sel(parameter="algorithmic_progress").values
    assert [r[2] for r in rows] == draws.tolist()
    assert len(set(draws)) == SAMPLES  # real draws, not one default repeated


def test_the_store_location_follows_the_argument_then_ailead_home_then_the_data_dir(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("AILEAD_HOME", str(tmp_path / "env"))
    assert store_path() == tmp_path / "env" / "runs.duckdb"
    assert store_path(tmp_path / "arg") == tmp_path / "arg" / "runs.duckdb"
    monkeypatch.delenv("AILEAD_HOME")
    assert store_path().parent == Path(platformdirs.user_data_dir("ailead"))


def test_reading_an_absent_store_lists_nothing_and_creates_no_file(home):
    assert store.list_runs(home) == []
    assert store.check_store(home) == []
    with pytest.raises(AileadError, match="no runs are saved yet"):
        store.load_run("anything", home)
    assert not store_path(home).exists()


def test_list_gives_runs_oldest_first_with_the_median_lead(us_lead, catch_up, home):
    first = store.save_run(us_lead, name="one", home=home)
    second = store.save_run(catch_up, home=home)
    runs = store.list_runs(home)
    assert [r["run_id"] for r in runs] == [first, second]
    assert [r["name"] for r in runs] == ["one", None]
    lead = catch_up["lead_months"].sel(time=_target(catch_up)).values
    assert runs[1]["lead_p50"] == pytest.approx(np.median(lead), rel=1e-12)
    assert runs[1]["scenario"] == "catch-up" and runs[1]["samples"] == SAMPLES


def test_runs_are_found_by_id_name_or_unique_prefix(us_lead, home):
    run_id = store.save_run(us_lead, name="named", home=home)
    for ref in (run_id, "named", run_id[:6]):
        assert store.load_run(ref, home).run_id == run_id
    with pytest.raises(AileadError, match="'nope': no saved run"):
        store.load_run("nope", home)


def test_a_saved_run_is_never_replaced_and_names_are_checked(us_lead, catch_up, home):
    run_id = store.save_run(us_lead, name="kept", home=home)
    with pytest.raises(AileadError, match="'kept' is already saved"):
        store.save_run(catch_up, name="kept", home=home)
    with pytest.raises(AileadError, match="already saved"):
        store.save_run(catch_up, name=run_id, home=home)  # a name may not shadow an id
    with pytest.raises(AileadError, match="name: value 'has space'"):
        store.save_run(catch_up, name="has space", home=home)
    kept = store.load_run("kept", home)
    assert kept.info["scenario"] == "us-lead"
    xr.testing.assert_identical(kept.at_target, us_lead.sel(time=_target(us_lead)))
    assert len(store.list_runs(home)) == 1


def test_save_refuses_what_is_not_a_run(home):
    with pytest.raises(AileadError, match="expected the xarray.Dataset"):
        store.save_run({"lead": 1}, home=home)
    with pytest.raises(AileadError, match="not a Dataset from ailead.run"):
        store.save_run(xr.Dataset({"x": ("sample", [1.0])}), home=home)


def test_diff_names_only_what_differs(us_lead, home):
    closed = ailead.load_scenario("us-lead").with_overrides({"compute": "off"})
    store.save_run(us_lead, name="a", home=home)
    store.save_run(us_lead, name="a-again", home=home)
    store.save_run(ailead.run(closed, samples=SAMPLES, seed=5), name="b", home=home)

    same = store.diff_runs("a", "a-again", home)
    assert (same["inputs"], same["parameters"], same["outputs"]) == ({}, {}, {})
    assert (same["a"]["name"], same["b"]["name"]) == ("a", "a-again")

    diff = store.diff_runs("a", "b", home)
    assert diff["inputs"] == {"switches.compute": {"a": 1.0, "b": 0.0}}
    lead = diff["outputs"]["lead_months"]
    assert lead["a"]["p50"] > lead["b"]["p50"]  # looser compute controls: a shorter lead
    assert "compute_ratio" in diff["outputs"]


def test_diff_reports_parameter_and_seed_changes(us_lead, home):
    store.save_run(us_lead, name="a", home=home)
    other = ailead.run(
        ailead.load_scenario("us-lead").with_overrides({"algorithmic_progress": "0.3"}),
        samples=SAMPLES,
        seed=6,
    )
    store.save_run(other, name="b", home=home)
    diff = store.diff_runs("a", "b", home)
    assert diff["inputs"]["seed"] == {"a": 5, "b": 6}
    assert diff["inputs"]["parameters.algorithmic_progress"] == {"a": None, "b": 0.3}
    assert diff["parameters"]["algorithmic_progress"]["b"] == {"p5": 0.3, "p50": 0.3, "p95": 0.3}


def test_reproducing_a_run_gives_identical_numbers(us_lead, home):
    store.save_run(us_lead, name="seeded", home=home)
    again = store.reproduce("seeded", home)
    xr.testing.assert_identical(again, us_lead)


def test_a_run_from_given_parameters_reproduces_from_its_stored_parameters(home):
    params = ailead.load_registry().sample(6, seed=9)
    params["algorithmic_progress"] = np.linspace(0.2, 0.8, 6)
    ds = run_parameters("status-quo", params)
    assert ds.attrs["seed"] == -1
    store.save_run(ds, name="given", home=home)
    again = store.reproduce("given", home)
    np.testing.assert_array_equal(again["lead_months"].values, ds["lead_months"].values)


def test_reproduce_says_which_variable_no_longer_matches(us_lead, home):
    run_id = store.save_run(us_lead, name="tampered", home=home)
    with duckdb.connect(str(store_path(home))) as con:
        con.execute(
            "UPDATE results SET value = value + 1 WHERE run_id = ? AND variable = 'lead_months'",
            [run_id],
        )
    with pytest.raises(AileadError, match=r"does not give the stored numbers for lead_months"):
        store.reproduce("tampered", home)


def test_delete_removes_every_row_of_a_run_and_frees_its_name(us_lead, catch_up, home):
    keep = store.save_run(catch_up, home=home)
    store.save_run(us_lead, name="gone", home=home)
    store.delete_run("gone", home)
    assert [r["run_id"] for r in store.list_runs(home)] == [keep]
    with pytest.raises(AileadError, match="no saved run"):
        store.load_run("gone", home)
    assert store.check_store(home) == []
    with duckdb.connect(str(store_path(home)), read_only=True) as con:
        for table in store_schema.DATA_TABLES:
            (n,) = con.execute(f"SELECT count(*) FROM {table} WHERE run_id != ?", [keep]).fetchone()
            assert n == 0, table
    store.save_run(us_lead, name="gone", home=home)


def test_the_consistency_check_finds_missing_and_orphan_rows(us_lead, home):
    run_id = store.save_run(us_lead, home=home)
    with duckdb.connect(str(store_path(home))) as con:
        con.execute("DELETE FROM quantiles WHERE run_id = ? AND variable = 'lead_months'", [run_id])
        con.execute("INSERT INTO results VALUES ('ghost', 'x', '', 0, 1.0, NULL)")
    problems = store.check_store(home)
    assert any(f"run {run_id}: quantiles holds" in p for p in problems)
    assert "results: 1 rows belong to no saved run" in problems


def _set_schema_version(home, version):
    with duckdb.connect(str(store_path(home))) as con:
        con.execute("UPDATE schema_version SET version = ?", [version])


@pytest.mark.parametrize(
    ("version", "message"),
    [(0, "schema version 0 was written by an older ailead"), (2, "written by a newer ailead")],
)
def test_a_store_at_another_schema_version_is_refused_not_misread(us_lead, home, version, message):
    store.save_run(us_lead, name="old", home=home)
    _set_schema_version(home, version)
    for action in (
        lambda: store.list_runs(home),
        lambda: store.load_run("old", home),
        lambda: store.save_run(us_lead, name="new", home=home),
        lambda: store.delete_run("old", home),
    ):
        with pytest.raises(AileadError, match=message):
            action()
    _set_schema_version(home, store_schema.SCHEMA_VERSION)
    assert [r["name"] for r in store.list_runs(home)] == ["old"]  # nothing was touched


def test_a_transaction_keeps_all_of_a_block_or_none_of_it(tmp_path):
    with duckdb.connect(str(tmp_path / "t.duckdb")) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
        with transaction(con):
            con.execute("INSERT INTO t VALUES (1)")
        for error in (AileadError("refused"), KeyboardInterrupt()):
            with pytest.raises(type(error)), transaction(con):
                con.execute("INSERT INTO t VALUES (2)")
                raise error
        assert con.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_a_file_that_is_not_a_run_store_is_refused_plainly(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    with duckdb.connect(str(store_path(other))) as con:
        con.execute("CREATE TABLE runs (x INTEGER)")
    with pytest.raises(AileadError, match="not an ailead run store"):
        store.list_runs(other)
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    store_path(garbage).write_bytes(b"this is not a database" * 200)
    with pytest.raises(AileadError, match="cannot be opened as a DuckDB run store"):
        store.list_runs(garbage)


# --- Two processes -------------------------------------------------------------------------------

SAVE_SCRIPT = """
import sys
import ailead
from ailead import store
ds = ailead.run("status-quo", samples=8, seed=int(sys.argv[2]))
print(store.save_run(ds, name=sys.argv[3], home=sys.argv[1]), flush=True)
"""

HOLD_SCRIPT = """
import sys, time
import duckdb
with duckdb.connect(sys.argv[1]):  # any process writing the file holds its lock
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""

KILLED_SCRIPT = """
import sys, time
import ailead
from ailead.store import runs as store
home = sys.argv[1]
store.save_run(ailead.run("us-lead", samples=8, seed=1), name="before", home=home)
insert = store._insert

def insert_then_stall(con, table, frame):
    insert(con, table, frame)
    if table == "results":  # over a row group (122,880 rows): DuckDB writes blocks to the file
        print(f"inside the transaction, {len(frame)} rows in", flush=True)
        time.sleep(60)

store._insert = insert_then_stall
store.save_run(ailead.run("catch-up", samples=1000, seed=1), name="killed", home=home)
"""


def _python(script, *args):
    code = textwrap.dedent(script)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for_line(proc, expected):
    line = proc.stdout.readline()
    assert expected in line, line + proc.stderr.read()


@pytest.mark.slow
def test_two_processes_saving_at_once_both_succeed_or_one_is_told_to_retry(home):
    procs = [_python(SAVE_SCRIPT, home, seed, f"writer-{seed}") for seed in (1, 2)]
    outcomes = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    saved = {}
    for seed, (code, out, err) in zip((1, 2), outcomes, strict=True):
        if code == 0:
            saved[f"writer-{seed}"] = out.strip()
        else:
            assert "store busy" in err and "retry" in err, err
    assert saved, outcomes
    assert {r["name"]: r["run_id"] for r in store.list_runs(home)} == saved
    assert store.check_store(home) == []
    for name in saved:
        run = store.load_run(name, home)
        assert run.at_target.sizes["sample"] == 8


def test_a_store_held_by_another_process_gives_a_plain_busy_error(us_lead, home, monkeypatch):
    store.save_run(us_lead, name="first", home=home)
    holder = _python(HOLD_SCRIPT, store_path(home), 30)
    try:
        _wait_for_line(holder, "holding")
        monkeypatch.setattr(store_schema, "BUSY_TIMEOUT_S", 0.3)
        start = time.monotonic()
        with pytest.raises(AileadError, match="store busy .*retry"):
            store.save_run(us_lead, name="second", home=home)
        assert time.monotonic() - start < 5
        with pytest.raises(AileadError, match="store busy"):
            store.list_runs(home)
    finally:
        holder.kill()
        holder.wait()
    assert [r["name"] for r in store.list_runs(home)] == ["first"]


@pytest.mark.slow
def test_a_writer_killed_mid_save_leaves_earlier_runs_intact_and_the_store_readable(home):
    writer = _python(KILLED_SCRIPT, home)
    try:
        _wait_for_line(writer, "inside the transaction")
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert writer.returncode == -signal.SIGKILL

    assert store.check_store(home) == []
    runs = store.list_runs(home)
    assert [r["name"] for r in runs] == ["before"]
    before = store.load_run("before", home)
    expected = ailead.run("us-lead", samples=8, seed=1)
    xr.testing.assert_identical(before.at_target, expected.sel(time=_target(expected)))
    with duckdb.connect(str(store_path(home)), read_only=True) as con:
        for table in ("runs", *store_schema.DATA_TABLES):
            (n,) = con.execute(
                f"SELECT count(*) FROM {table} WHERE run_id != ?", [before.run_id]
            ).fetchone()
            assert n == 0, table
    store.save_run(expected, name="after", home=home)  # and it is writable again
    assert [r["name"] for r in store.list_runs(home)] == ["before", "after"]


# --- CLI -----------------------------------------------------------------------------------------


def cli(home, *args, input=None):
    return runner.invoke(app, [str(a) for a in args], env={"AILEAD_HOME": str(home)}, input=input)


def ok(home, *args, input=None):
    result = cli(home, *args, input=input)
    assert result.exit_code == 0, result.output
    return result


def test_cli_lists_runs_as_a_table_and_as_json(us_lead, catch_up, home):
    first = store.save_run(us_lead, name="one", home=home)
    store.save_run(catch_up, home=home)
    table = ok(home, "runs", "list").stdout
    assert first in table and "one" in table and "catch-up" in table
    listed = json.loads(ok(home, "runs", "list", "--format", "json").stdout)
    assert [r["scenario"] for r in listed] == ["us-lead", "catch-up"]
    assert listed[0]["lead_p50"] == pytest.approx(store.list_runs(home)[0]["lead_p50"])


def test_cli_show_and_diff_give_the_stored_outputs(us_lead, catch_up, home):
    store.save_run(us_lead, name="a", home=home)
    store.save_run(catch_up, name="b", home=home)
    shown = json.loads(ok(home, "runs", "show", "a", "--format", "json").stdout)
    assert shown["info"]["name"] == "a"
    assert shown["outputs"] == store.target_summary(store.load_run("a", home))
    assert "lead_months" in ok(home, "runs", "show", "a").stdout
    diff = json.loads(ok(home, "runs", "diff", "a", "b", "--format", "json").stdout)
    assert diff["inputs"]["switches.access"] == {"a": 1.0, "b": 0.0}
    text = ok(home, "runs", "diff", "a", "b").stdout
    assert "switches.access" in text and "lead_months" in text


def test_cli_exports_reproduces_and_deletes(us_lead, home, tmp_path):
    store.save_run(us_lead, name="a", home=home)
    out = tmp_path / "a.nc"
    ok(home, "runs", "export", "a", out)
    back = xr.open_dataset(out, engine="h5netcdf").load()
    np.testing.assert_array_equal(
        back["lead_months"].values, us_lead["lead_months"].sel(time=_target(us_lead)).values
    )
    assert back["lead_months_quantiles"].sizes == {"quantile": 5, "time": 72}
    assert "identical" in ok(home, "runs", "reproduce", "a").stdout
    refused = cli(home, "runs", "delete", "a", input="n\n")
    assert refused.exit_code != 0 and store.list_runs(home)
    ok(home, "runs", "delete", "a", "--yes")
    assert store.list_runs(home) == []


def test_cli_errors_exit_2_with_one_line(home):
    for args in (("runs", "show", "missing"), ("runs", "export", "missing", "x.nc")):
        result = cli(home, *args)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.output
