"""The run store's file: where it lives, its tables, its schema version and safe connections.

The store is one embedded DuckDB file, ``$AILEAD_HOME/runs.duckdb`` (by default in the user's
data directory). DuckDB lets one process write a file at a time: a second process that finds the
file locked retries for a few seconds and then gets a plain "store busy, retry" error. Every
write happens in one transaction (`transaction`), so a writer killed mid-save leaves the earlier
runs intact.

The tables carry a schema version. A store written at another version is refused with a message
that says what to do; it is never read as if it had this version's layout.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from ailead._version import __version__
from ailead.errors import AileadError

if TYPE_CHECKING:
    import duckdb

SCHEMA_VERSION = 1
STORE_FILE = "runs.duckdb"
BUSY_TIMEOUT_S = 10.0  # how long to wait for another process's lock before giving up

# Quantile levels kept per month for every numeric variable (column name -> level).
QUANTILES = {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}

_QUANTILE_COLUMNS = ", ".join(f"{name} DOUBLE" for name in QUANTILES)
SCHEMA = (
    """CREATE TABLE schema_version (
        version INTEGER NOT NULL,
        ailead_version VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
    )""",
    # One row per saved run, numbered in the order saved (seq). n_* count its rows in the other
    # tables (the consistency check).
    """CREATE TABLE runs (
        run_id VARCHAR PRIMARY KEY,
        seq BIGINT NOT NULL UNIQUE,
        name VARCHAR UNIQUE,
        scenario VARCHAR NOT NULL,
        description VARCHAR NOT NULL,
        scenario_json VARCHAR NOT NULL,
        seed BIGINT NOT NULL,
        samples INTEGER NOT NULL,
        target VARCHAR NOT NULL,
        ailead_version VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        attrs VARCHAR NOT NULL,
        n_variables INTEGER NOT NULL,
        n_results BIGINT NOT NULL,
        n_quantiles BIGINT NOT NULL
    )""",
    # Each variable's extra dimensions (besides sample and time), their labels and attributes;
    # kind is 'number' or 'text'; monthly says whether it has rows in `quantiles`.
    """CREATE TABLE variables (
        run_id VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        variable VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        monthly BOOLEAN NOT NULL,
        dims VARCHAR NOT NULL,
        coords VARCHAR NOT NULL,
        attrs VARCHAR NOT NULL
    )""",
    # Per-sample values at the target month; coord joins the extra labels with '/' (e.g. 'us').
    """CREATE TABLE results (
        run_id VARCHAR NOT NULL,
        variable VARCHAR NOT NULL,
        coord VARCHAR NOT NULL,
        sample INTEGER NOT NULL,
        value DOUBLE,
        label VARCHAR
    )""",
    f"""CREATE TABLE quantiles (
        run_id VARCHAR NOT NULL,
        variable VARCHAR NOT NULL,
        coord VARCHAR NOT NULL,
        month DATE NOT NULL,
        {_QUANTILE_COLUMNS}
    )""",
    """CREATE VIEW run_parameters AS
        SELECT run_id, sample, coord AS parameter, value FROM results
        WHERE variable = 'parameters'""",
)
DATA_TABLES = ("variables", "results", "quantiles")


def utc_now() -> datetime:
    """The current time in UTC, without a time zone (the store's TIMESTAMP columns are UTC)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def store_path(home: str | os.PathLike[str] | None = None) -> Path:
    """The store file: `home`, else $AILEAD_HOME, else the user's data directory for ailead."""
    base = home or os.environ.get("AILEAD_HOME") or platformdirs.user_data_dir("ailead")
    return Path(base).expanduser() / STORE_FILE


@contextmanager
def open_store(
    home: str | os.PathLike[str] | None, write: bool
) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A connection to the store, checked for its schema version; None if there is no store yet.

    Reading never creates a file. Writing creates the file and its tables on first use. A
    DuckDB error inside the block (a truncated or damaged file) is raised as an AileadError.
    """
    import duckdb

    path = store_path(home)
    if not write and not path.is_file():
        yield None
        return
    if write:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AileadError(
                f"run store {path}: folder {path.parent} cannot be created "
                f"({exc.strerror or exc}); set AILEAD_HOME to a folder ailead can write"
            ) from None
    con = _connect(path, read_only=not write)
    try:
        yield con if _ready(con, path, write) else None
    except duckdb.Error as exc:
        raise _unreadable(path, exc) from None
    finally:
        con.close()


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds its lock, then failing plainly."""
    import duckdb

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise _unreadable(path, exc) from None
            if time.monotonic() >= deadline:
                raise AileadError(
                    f"run store {path}: store busy (another process is using it), retry in a moment"
                ) from None
            time.sleep(delay * (1.0 + random.random()))
            delay = min(2.0 * delay, 0.25)
        except duckdb.Error as exc:
            raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: Exception) -> AileadError:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return AileadError(
        f"run store {path}: cannot be opened as a DuckDB run store ({first}); "
        "set AILEAD_HOME to another directory or move the file away"
    )


def _ready(con: duckdb.DuckDBPyConnection, path: Path, write: bool) -> bool:
    """True when the store holds this schema version; create it if empty and writing."""
    tables = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }
    if not tables:
        if write:
            _create(con)
        return write
    if "schema_version" not in tables:
        raise AileadError(
            f"run store {path}: not an ailead run store (it has no schema_version table); "
            "set AILEAD_HOME to another directory"
        )
    (version,) = con.execute("SELECT max(version) FROM schema_version").fetchone()
    if version == SCHEMA_VERSION:
        return True
    if version is not None and version > SCHEMA_VERSION:
        raise AileadError(
            f"run store {path}: schema version {version} was written by a newer ailead; "
            f"this ailead ({__version__}) reads schema version {SCHEMA_VERSION}; "
            "upgrade ailead to read it"
        )
    raise AileadError(
        f"run store {path}: schema version {version} was written by an older ailead; "
        f"this ailead ({__version__}) reads schema version {SCHEMA_VERSION} and has no "
        f"migration from version {version}; read it with the ailead version that wrote it "
        "(`ailead runs export`), or set AILEAD_HOME to start a new store"
    )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction: committed if it ends normally, else rolled back.

    Any exception (KeyboardInterrupt too) rolls back and is raised again, so the store holds all
    of the block's writes or none of them.
    """
    con.begin()
    try:
        yield con
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _create(con: duckdb.DuckDBPyConnection) -> None:
    with transaction(con):
        for statement in SCHEMA:
            con.execute(statement)
        con.execute(
            "INSERT INTO schema_version VALUES (?, ?, ?)", [SCHEMA_VERSION, __version__, utc_now()]
        )
