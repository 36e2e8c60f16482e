"""Every writer goes through `ailead.files.new_file`: a full disk leaves no file, nothing is ever
overwritten (not even by a race), and every failure is one plain message naming the file."""

import errno
import os
import subprocess
from pathlib import Path

import pytest

import ailead
from ailead import files
from ailead.analysis import plot
from ailead.checks import releases
from ailead.errors import AileadError
from ailead.outputs.export import export
from ailead.report import build_report, write_report


@pytest.fixture(scope="module")
def ds():
    return ailead.run("status-quo", samples=40, seed=1)


@pytest.fixture(scope="module")
def report():
    return build_report([ailead.load_scenario("us-lead")], samples=8)


MOUNTED: set[Path] = set()  # the `full` folders that are real full file systems


@pytest.fixture
def full(tmp_path, monkeypatch):
    """A folder on a 1 MiB tmpfs filled to the last byte; where mounting is not allowed, a
    folder where each finished file's flush fails with ENOSPC (a monkeypatched os.fsync)."""
    folder = tmp_path / "full"
    folder.mkdir()
    try:
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
            ).returncode
            == 0
        )
    except OSError:  # no mount command
        mounted = False
    if mounted:
        MOUNTED.add(folder)
        with (folder / "filler").open("wb", buffering=0) as f, pytest.raises(OSError):
            while True:
                f.write(b"\0" * 4096)
    else:

        def no_space(_fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(files.os, "fsync", no_space)
    before = set(os.listdir(folder))
    try:
        yield folder
        assert set(os.listdir(folder)) == before, "a writer left a file behind"
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


WRITERS = {
    "export .nc": lambda ds, report, folder: export(ds, folder / "x.nc"),
    "export .csv": lambda ds, report, folder: export(ds, folder / "x.csv"),
    "export .parquet": lambda ds, report, folder: export(ds, folder / "x.parquet"),
    "report .html": lambda ds, report, folder: write_report(report, folder / "r.html"),
    "report .pdf": lambda ds, report, folder: write_report(report, folder / "r.pdf"),
    "plot": lambda ds, report, folder: plot([ds], "lead_months", folder / "fan"),
    "release": lambda ds, report, folder: releases.record(folder, samples=2),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_full_disk_leaves_no_partial_file_and_one_plain_message(ds, report, full, writer):
    with pytest.raises(AileadError) as info:
        WRITERS[writer](ds, report, full)
    message = str(info.value)
    assert "No space left on device" in message and "\n" not in message
    assert str(full) in message


@pytest.mark.parametrize("writer", WRITERS)
def test_a_retry_after_a_failure_is_not_refused_as_existing(ds, report, tmp_path, writer):
    calls = []

    def fail_once(fd):
        calls.append(fd)
        if len(calls) == 1:
            raise OSError(errno.EIO, "Input/output error")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files.os, "fsync", fail_once)
        with pytest.raises(AileadError, match="not written"):
            WRITERS[writer](ds, report, tmp_path)
        assert [p.name for p in tmp_path.iterdir() if p.suffix != ".png"] == []
        written = WRITERS[writer](ds, report, tmp_path)
    assert written


def test_an_existing_file_or_a_dangling_link_is_never_overwritten(tmp_path):
    (tmp_path / "x.csv").write_text("mine")
    (tmp_path / "gone.csv").symlink_to(tmp_path / "nowhere")
    for name in ("x.csv", "gone.csv"):
        with pytest.raises(AileadError, match="already exists; allowed: a new file name"):
            files.write_new_text(tmp_path / name, "theirs")
    assert (tmp_path / "x.csv").read_text() == "mine" and not (tmp_path / "nowhere").exists()


def test_a_file_created_by_someone_else_while_writing_is_kept(ds, tmp_path):
    target = tmp_path / "x.csv"

    def race(tmp):
        Path(tmp).write_text("ailead's")
        target.write_text("another process's")  # appears after the checks, before the move

    with pytest.raises(AileadError, match="created by something else while ailead wrote it"):
        files.write_new(target, race)
    assert target.read_text() == "another process's"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_without_hard_links_an_exclusive_create_still_refuses_a_taken_name(tmp_path, monkeypatch):
    def no_links(_src, _dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    path = files.write_new_text(tmp_path / "a.txt", "text")
    assert path.read_text() == "text" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]

    def race(tmp):
        Path(tmp).write_text("ailead's")
        (tmp_path / "b.txt").write_text("theirs")

    with pytest.raises(AileadError, match="created by something else"):
        files.write_new(tmp_path / "b.txt", race)
    assert (tmp_path / "b.txt").read_text() == "theirs"


def test_missing_and_unwritable_folders_are_refused_before_writing(tmp_path, monkeypatch):
    with pytest.raises(AileadError, match="folder .* does not exist"):
        files.check_new_file(tmp_path / "missing" / "x.csv")

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(AileadError, match="cannot write in .*Read-only file system"):
        files.check_new_file(tmp_path / "x.csv")


def test_new_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = files.write_new_text(tmp_path / "a.txt", "text")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("suffix", [".nc", ".csv"])
def test_the_command_line_on_a_full_disk_exits_2_without_crashing(full, suffix):
    """In 0.2.0, `-o x.nc` printed a line, then HDF5 crashed the process at exit (status 139):
    run as a separate process on a real full file system (in-process where none can be mounted,
    as the monkeypatched flush reaches no other process)."""
    import sys

    args = ["run", "status-quo", "-n", "50", "-o", str(full / f"x{suffix}")]
    if full in MOUNTED:
        ailead_cli = Path(sys.executable).with_name("ailead")
        done = subprocess.run([str(ailead_cli), *args], capture_output=True, text=True, timeout=120)
        status, stderr = done.returncode, done.stderr
    else:
        from cli_helpers import invoke

        result = invoke(*args)
        status, stderr = result.exit_code, result.stderr
    assert status == 2, stderr[-2000:]
    expected = f"error: output file '{full}/x{suffix}': not written (No space left on device)"
    assert stderr.strip() == expected
