"""Sweeps: the sweep file's checks, chunking, and runs on a 2-worker LocalCluster (resume after an
interruption, a retried chunk, a chunk whose worker dies)."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import cloudpickle
import numpy as np
import pandas as pd
import pytest
from cli_helpers import invoke

from ailead.analysis import sweep_dask
from ailead.analysis.sweep import Chunk, compute_chunk, content_hash, plan, target_rows
from ailead.analysis.sweep_dask import cluster, run_sweep
from ailead.analysis.sweep_save import save_cells
from ailead.errors import AileadError
from ailead.inputs import sweep as inputs_sweep
from ailead.inputs.scenario import load_scenario
from ailead.inputs.sweep import cell_scenario, load_sweep
from ailead.outputs import budget
from ailead.outputs.engine import draws, run
from ailead.store import load_run

cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests

SWEEP = """\
name: small
scenario: status-quo
grid:
  compute: [off, strong]
  remote_access_rule: [open, 0.5]
samples: 24
chunk: 10
seed: 3
targets: [lead_months, capability]
"""


TARGET = np.datetime64("2028-12", "ns")


def write(tmp_path, text, name="sweep.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client():
    with cluster(workers=2) as c:
        yield c


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("  compute:", "  computer:"),
            "field 'grid.computer': unknown switch or parameter 'computer'",
        ),
        (
            ("[off, strong]", "[off, max]"),
            "field 'grid.compute': value 'max' is not allowed; allowed: off",
        ),
        (("[open, 0.5]", "[open, 7]"), "value 7 is out of bounds for remote_access_rule"),
        (("samples: 24", "samples: -5"), "field 'samples': value -5: Input should be greater"),
        (("chunk: 10", "chunk: ten"), "field 'chunk': value 'ten'"),
        (
            ("seed: 3", "seed: 3\nworkers: 2"),
            "field 'workers': unknown field; allowed fields: name",
        ),
        (("[off, strong]", "[off, strong"), "malformed YAML at line 5"),
        (("[open, 0.5]", "[open, closed, 1]"), "repeats a value; allowed: distinct values"),
        (("status-quo\n", "nowhere\n"), "field 'scenario': scenario 'nowhere': no such preset"),
        (("lead_months,", "lead_month,"), "field 'targets': unknown variable 'lead_month'"),
        (("chunk: 10", "chunk: 1"), "is 96 tasks; allowed: at most 50 (a larger chunk"),
        (("chunk: 10", "chunk: 100000"), "chunk: value 100000 needs about"),
    ],
)
def test_a_bad_sweep_file_is_one_plain_line_before_anything_runs(
    change, expected, tmp_path, monkeypatch
):
    monkeypatch.setattr(inputs_sweep, "MAX_TASKS", 50)
    monkeypatch.setattr(budget, "available_bytes", lambda: 10**9)
    path = write(tmp_path, SWEEP.replace(*change))
    result = invoke("sweep", path, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    in_file = "targets" not in expected and "needs about" not in expected
    assert result.stderr.startswith(f"error: sweep file {path}: ") or not in_file
    assert expected in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_cells_are_the_grid_and_the_file_order():
    sweep, base = load_sweep(Path(__file__).parents[2] / "examples" / "sweep.yaml")
    cells = sweep.cells()
    assert len(cells) == 6 and cells[0] == {"compute": 0.0, "remote_access_rule": 0.0}
    assert cells[1] == {"compute": 0.0, "remote_access_rule": 1.0}  # the last axis varies fastest
    strong_closed = cell_scenario(base, cells[-1])
    assert strong_closed.switches["compute"] == 1.0
    assert strong_closed.parameters["remote_access_rule"] == 1.0


def test_a_cell_is_the_run_of_its_settings_whatever_the_chunking(tmp_path):
    sweep, base = load_sweep(write(tmp_path, SWEEP))
    one = sweep.model_copy(update={"chunk": 24})
    by_cell = {}
    for s in (sweep, one):
        for chunk in plan(s, base):
            by_cell.setdefault((s.chunk, chunk.cell), []).append(compute_chunk(chunk))
    for cell, settings in enumerate(sweep.cells()):
        chunked = pd.concat(by_cell[(10, cell)], ignore_index=True)
        whole = pd.concat(by_cell[(24, cell)], ignore_index=True)
        assert len(by_cell[(10, cell)]) == 3 and list(chunked["sample"]) == list(range(24))
        pd.testing.assert_frame_equal(chunked, whole)
        direct = target_rows(run(cell_scenario(base, settings), samples=24, seed=3))
        pd.testing.assert_frame_equal(chunked, direct[chunked.columns])
    assert not by_cell[(10, 0)][0].equals(by_cell[(10, 3)][0])  # the cells differ


@pytest.mark.parametrize("calibration", ["prior", "posterior"])
def test_a_chunk_draws_its_samples_alone(calibration):
    sc = load_scenario({"name": "x", "calibration": calibration})
    whole = draws(sc, 50, 7, 0, 50)
    for start, stop in ((0, 1), (13, 29), (49, 50)):
        part = draws(sc, 50, 7, start, stop)
        assert part.keys() == whole.keys()
        for name, values in whole.items():
            np.testing.assert_array_equal(part[name], values[start:stop], err_msg=name)
    assert len(set(whole["frontier_growth_history"])) > 25  # drawn, not the defaults


def test_chunk_ids_change_with_the_sweep(tmp_path):
    sweep, base = load_sweep(write(tmp_path, SWEEP))
    ids = {c.id for c in plan(sweep, base)}
    assert len(ids) == 4 * 3
    other = sweep.model_copy(update={"seed": 4})
    assert content_hash(other, base) != content_hash(sweep, base)
    assert ids.isdisjoint(c.id for c in plan(other, base))


@dataclass(frozen=True)
class Recorded:
    """compute_chunk, leaving a file per try (chunk id, try, worker pid) in `log`; it raises on
    the tries listed in `fail` ({(cell, index): tries}) and kills its worker on those in `kill`."""

    log: str
    fail: tuple = ()
    kill: tuple = ()

    def __call__(self, chunk: Chunk):
        tries = len(list(Path(self.log).glob(f"{chunk.id}-*")))
        Path(self.log, f"{chunk.id}-{tries}-{os.getpid()}").touch()
        where = (chunk.cell, chunk.index, tries)
        if where in self.kill:
            os._exit(1)
        if where in self.fail:
            raise RuntimeError("chunk failed on purpose")
        return compute_chunk(chunk)


def tries(log):
    """Chunk id -> the worker pids of its tries."""
    out = {}
    for path in Path(log).iterdir():
        chunk, _, pid = path.name.split("-")
        out.setdefault(chunk, []).append(int(pid))
    return out


@pytest.mark.slow
def test_a_sweep_on_two_workers_resumes_after_an_interruption(client, tmp_path):
    sweep, base = load_sweep(write(tmp_path, SWEEP))
    out, first, second, third = (tmp_path / n for n in ("out", "log1", "log2", "log3"))
    for log in (first, second, third):
        log.mkdir()
    interrupted = Recorded(str(first), fail=((1, 2, 0),))
    with pytest.raises(AileadError, match="1 of 12 chunks failed .* run the sweep again"):
        run_sweep(sweep, base, out, client, compute=interrupted, retries=0)
    files = sorted(out.glob("rows/cell=*/chunk-*.parquet"))
    assert len(files) == 11 and not (out / "summary.csv").exists()
    assert len({pid for pids in tries(first).values() for pid in pids}) == 2  # both workers ran

    seen = []
    result = run_sweep(
        sweep, base, out, client, lambda d, n: seen.append((d, n)), Recorded(str(second))
    )
    missing = next(c for c in plan(sweep, base) if (c.cell, c.index) == (1, 2))
    assert list(tries(second)) == [missing.id]  # only the missing chunk ran
    assert (result.ran, result.skipped) == (1, 11) and seen == [(11, 12), (12, 12)]

    files[0].unlink()
    again = run_sweep(sweep, base, out, client, compute=Recorded(str(third)))
    assert len(tries(third)) == 1 and again.ran == 1
    pd.testing.assert_frame_equal(again.table, result.table)
    dataset = pd.read_parquet(out / "rows")  # every row, with its cell from the partition
    assert len(dataset) == 4 * 24 and sorted(dataset["cell"].astype(int).unique()) == [0, 1, 2, 3]
    stored = pd.read_csv(out / "summary.csv")
    assert list(stored["samples"]) == [24] * 4
    direct = run(cell_scenario(base, sweep.cells()[2]), samples=24, seed=3)
    lead = direct["lead_months"].sel(time=TARGET).values
    assert stored.loc[2, "lead_months_p50"] == pytest.approx(np.quantile(lead, 0.5), rel=1e-12)
    assert stored.loc[2, "compute"] == "strong" and stored.loc[2, "remote_access_rule"] == "open"

    changed = write(tmp_path, SWEEP.replace("seed: 3", "seed: 4"), "changed.yaml")
    with pytest.raises(AileadError, match="holds another sweep, or this one changed"):
        run_sweep(*load_sweep(changed), out, client)


@pytest.mark.slow
def test_a_failed_chunk_is_retried_and_a_lost_workers_chunk_rerun(client, tmp_path):
    sweep, base = load_sweep(write(tmp_path, SWEEP.replace("samples: 24", "samples: 10")))
    log = tmp_path / "log"
    log.mkdir()
    flaky = Recorded(str(log), fail=((0, 0, 0), (3, 0, 0)), kill=((2, 0, 0),))
    result = run_sweep(sweep, base, tmp_path / "out", client, compute=flaky, retries=1)
    assert result.ran == 4 and len(result.table) == 4
    chunks = plan(sweep, base)
    by_cell = {c.cell: len(tries(log)[c.id]) for c in chunks}
    # the failed and the killed chunks ran again; a result held by the worker that died may be
    # computed again too (dask recomputes lost results), so the others ran at least once
    assert by_cell[0] >= 2 and by_cell[2] >= 2 and by_cell[3] >= 2 and by_cell[1] >= 1
    killed = next(c for c in chunks if c.cell == 2)
    pid = {int(p.name.split("-")[1]): p.name.split("-")[2] for p in log.glob(f"{killed.id}-*")}
    assert pid[0] != pid[1]  # rerun in another process
    for chunk in chunks:  # retried or not, each file holds the chunk's rows
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "out" / chunk.path), compute_chunk(chunk)
        )
    client.wait_for_workers(2, timeout=60)  # the nanny restarted the worker that died


@pytest.mark.slow
def test_workers_of_another_ailead_version_are_refused(client, tmp_path, monkeypatch):
    sweep, base = load_sweep(write(tmp_path, SWEEP))
    monkeypatch.setattr(sweep_dask, "__version__", "0.0.other")
    with pytest.raises(AileadError, match="workers must run ailead 0.0.other; found tcp://"):
        run_sweep(sweep, base, tmp_path / "out", client)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_the_cli_runs_resumes_and_saves_the_cells(client, tmp_path, monkeypatch):
    path = write(tmp_path, SWEEP.replace("samples: 24", "samples: 8"))
    out = tmp_path / "out"
    result = invoke("sweep", path, "--workers", 1, "--out", out, "--save")
    assert result.exit_code == 0, result.output
    assert "4 chunks run, 0 already done" in result.stderr
    assert "strong" in result.stdout and "lead_months" in result.stdout
    run_ids = result.stderr.split("saved 4 cells as runs ")[1].split()[0:4]
    saved = load_run(run_ids[3].rstrip(","))
    rows = pd.read_parquet(next((out / "rows" / "cell=0003").glob("*.parquet")))
    np.testing.assert_array_equal(saved.at_target["lead_months"].values, rows["lead_months"])
    assert saved.info["samples"] == 8 and saved.info["seed"] == 3
    assert saved.info["scenario"] == "small-cell0003" and saved.scenario.switches["compute"] == 1
    assert saved.at_target["parameters"].sel(parameter="remote_access_rule").values[0] == 0.5
    (out / "summary.csv").unlink()
    again = invoke("sweep", path, "--scheduler", client.scheduler.address, "--out", out)
    assert again.exit_code == 0 and "0 chunks run, 4 already done" in again.stderr
    assert (out / "summary.csv").is_file()
    both = invoke("sweep", path, "--scheduler", client.scheduler.address, "--workers", 2)
    assert both.exit_code == 2 and "--workers: not with --scheduler" in both.stderr
    monkeypatch.setattr(sweep_dask, "CONNECT_TIMEOUT_S", 1)
    bad = invoke("sweep", path, "--scheduler", "tcp://127.0.0.1:9", "--out", tmp_path / "o2")
    assert bad.exit_code == 2 and "--scheduler 'tcp://127.0.0.1:9': cannot connect" in bad.stderr


def test_save_cells_keeps_each_cell_with_its_samples(tmp_path):
    sweep, base = load_sweep(write(tmp_path, SWEEP.replace("samples: 24", "samples: 3")))
    out = tmp_path / "out"
    from ailead.analysis.sweep import open_output, write_chunk

    open_output(out, sweep, base)
    chunks = plan(sweep, base)
    for chunk in chunks:
        write_chunk(out, chunk, compute_chunk(chunk))
    ids = save_cells(out, sweep, chunks)
    direct = run(cell_scenario(base, sweep.cells()[1]), samples=3, seed=3)
    stored = load_run(ids[1]).at_target
    np.testing.assert_array_equal(stored["parameters"].values, direct["parameters"].values)
    np.testing.assert_array_equal(
        stored["capability"].values, direct["capability"].sel(time=TARGET).values
    )
