"""The run store: saved runs in one DuckDB file (schema, row frames, runs)."""

from ailead.store.runs import (
    StoredRun,
    check_name,
    check_store,
    check_writable,
    delete_run,
    diff_runs,
    export_run,
    list_runs,
    load_run,
    reproduce,
    run_inputs,
    save_run,
    target_summary,
)

__all__ = [
    "StoredRun",
    "check_name",
    "check_store",
    "check_writable",
    "delete_run",
    "diff_runs",
    "export_run",
    "list_runs",
    "load_run",
    "reproduce",
    "run_inputs",
    "save_run",
    "target_summary",
]
