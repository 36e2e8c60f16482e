"""The command line under abuse (issue 14): exit status 2, one line `error: ...`, no traceback,
and nothing run, saved or written before the refusal."""

import errno
import os

import pytest
from cli_helpers import invoke

from ailead import files
from ailead.outputs import budget


def refused(*args) -> str:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("samples", [10**12, 10**20, 5_000_000])
def test_sample_counts_past_the_cap_are_refused_before_running(samples):
    line = refused("run", "status-quo", "--samples", samples)
    assert f"value {samples} is above the cap; allowed: at most 1000000" in line


def test_the_cap_is_configurable(monkeypatch):
    monkeypatch.setenv("AILEAD_CLI_MAX_SAMPLES", "10")
    assert "allowed: at most 10 " in refused("compare", "status-quo", "us-lead", "-n", 11)
    monkeypatch.setenv("AILEAD_CLI_MAX_SAMPLES", "lots")
    assert "AILEAD_CLI_MAX_SAMPLES: value 'lots'" in refused("run", "status-quo")


def test_a_run_larger_than_memory_is_refused_with_the_estimate(monkeypatch):
    monkeypatch.setattr(budget, "available_bytes", lambda: 2 * 10**9)
    line = refused("run", "status-quo", "-n", 100_000, "--save")  # kept whole: not streamed
    assert "needs about 5.3 GB of memory and 2.0 GB is available" in line
    assert "allowed: at most about 36265 samples here" in line
    # Streamed, the same run needs a chunk's memory and the values at the target.
    monkeypatch.setattr(budget, "available_bytes", lambda: 5 * 10**8)
    line = refused("run", "status-quo", "-n", 1_000_000)
    assert "needs about 1.0 GB of memory streamed in chunks and 0.5 GB is available" in line
    line = refused("compare", "status-quo", "us-lead", "-n", 30_000)  # two runs kept
    assert "needs about 3.2 GB" in line


def test_a_large_run_says_how_much_memory_it_takes(monkeypatch):
    monkeypatch.setattr(budget, "LARGE_BYTES", 0)
    result = invoke("run", "status-quo", "-n", 4, "-f", "json")
    assert result.exit_code == 0
    assert "4 samples: about 0.1 GB of memory" in result.stderr


def test_the_estimate_covers_a_measured_run():
    """tracemalloc's peak of a 2,000-sample run (numpy reports its arrays to it) is within the
    estimate's per-sample part, and not far below it."""
    import tracemalloc

    import ailead

    ailead.run("status-quo", samples=2)  # imports and caches outside the measurement
    tracemalloc.start()
    ailead.run("status-quo", samples=2000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    per_sample = budget.estimate_bytes(2000, 72) - budget.BASE_BYTES
    assert 0.5 * per_sample < peak < per_sample


@pytest.mark.parametrize("seed", [2**63, 2**32, -1])
def test_a_seed_the_store_cannot_hold_is_refused_before_the_run(seed):
    line = refused("run", "status-quo", "--seed", seed, "--save")
    assert f"seed: value {seed} is not allowed; allowed: an integer in [0, 4294967295]" in line
    assert invoke("runs", "list", "-f", "json").stdout.strip() == "[]"


def test_output_to_a_dangling_link_or_a_read_only_folder_is_refused(tmp_path, monkeypatch):
    (tmp_path / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    assert "already exists" in refused("run", "status-quo", "-o", tmp_path / "gone.csv")

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    line = refused("run", "status-quo", "-o", tmp_path / "x.nc")
    assert f"cannot write in '{tmp_path}' (Read-only file system)" in line


def test_a_truncated_store_is_a_plain_error_for_list_and_save(tmp_path, monkeypatch):
    monkeypatch.setenv("AILEAD_HOME", str(tmp_path))
    assert invoke("run", "status-quo", "-n", 3, "--save").exit_code == 0
    store = tmp_path / "runs.duckdb"
    os.truncate(store, store.stat().st_size // 2)
    assert "cannot be opened as a DuckDB run store" in refused("runs", "list")
    result = invoke("run", "status-quo", "-n", 3, "--save")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "lead_months" not in result.stdout  # refused before the run
    (tmp_path / "home").symlink_to(tmp_path / "missing" / "x")
    monkeypatch.setenv("AILEAD_HOME", str(tmp_path / "home"))
    assert "cannot be created" in refused("run", "status-quo", "--save")


def test_plot_never_overwrites_its_charts(tmp_path):
    (tmp_path / "fan.svg").write_text("mine")
    line = refused("plot", "status-quo", "-n", 2, "--out", tmp_path / "fan")
    assert "fan.svg" in line and "already exists" in line
    assert (tmp_path / "fan.svg").read_text() == "mine" and not (tmp_path / "fan.png").exists()


def test_calibrate_out_refuses_an_existing_file_or_a_missing_folder_before_running(tmp_path):
    (tmp_path / "post.csv").write_text("mine")
    assert "already exists" in refused("calibrate", "--out", tmp_path / "post.csv")
    assert (tmp_path / "post.csv").read_text() == "mine"
    line = refused("calibrate", "--out", tmp_path / "new" / "post.csv")
    assert "does not exist" in line and not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "command",
    [
        ("plot", "status-quo", "--out", "fan"),
        ("report", "status-quo", "-o", "r.html"),
        ("compare", "status-quo", "us-lead"),
    ],
)
def test_every_command_that_keeps_runs_has_the_cap(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "above the cap" in refused(*command, "-n", 10**7)
    assert "seed: value" in refused(*command, "--seed", 2**40)
    assert list(tmp_path.iterdir()) == []


def test_a_netcdf_export_counts_in_the_estimate(tmp_path, monkeypatch):
    """A netCDF export is built in memory: 40,000 samples fit 2.5 GB alone, not with it."""
    monkeypatch.setattr(budget, "available_bytes", lambda: 25 * 10**8)
    assert (
        budget.estimate_bytes(40_000, 72) < 25 * 10**8 < budget.estimate_bytes(40_000, 72, 1, True)
    )
    line = refused("run", "status-quo", "-n", 40_000, "-o", tmp_path / "x.nc")
    assert "needs about 3.5 GB of memory and 2.5 GB is available" in line
    assert "at most about 28252 samples" in line and not (tmp_path / "x.nc").exists()


@pytest.mark.parametrize(
    "command",
    [
        ("switches", "status-quo"),
        ("sensitivity", "status-quo"),
        ("discover", "catch-up", "--where", "lead_months <= 3"),
        ("optimize", "status-quo", "--target", "P(lead_months >= 12) >= 0.8"),
        ("validate",),
        ("calibrate",),
        ("backtest",),
    ],
)
def test_analysis_commands_keep_the_cap_and_the_seed_range(command):
    """In 0.2.0 these answered 10**20 samples with 'maximum allowed dimension exceeded'."""
    assert "above the cap" in refused(*command, "-n", 10**20)
    assert "seed: value -1 is not allowed" in refused(*command, "--seed", -1)
