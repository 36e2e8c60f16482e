"""What a fresh interpreter loads to import ailead or start the `ailead` command.

Each check runs `python -X importtime` in a subprocess (on the ailead this test imports) and
names, for every library it should not load, the chain of modules that imported it.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import ailead

HEAVY = ("matplotlib", "scipy", "plotly", "duckdb")
NUMERICAL = ("numpy", "pandas", "xarray", "pydantic", "SALib", *HEAVY)
LINE = re.compile(r"import time:\s+\d+ \|\s+\d+ \|( *)(\S+)")


def imports(code: str) -> list[tuple[str, list[str]]]:
    """Each module `code` imports, with its importers, innermost first (from -X importtime)."""
    src = str(Path(ailead.__file__).parents[1])
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": src},
        check=True,
    )
    rows = [(len(m[1]), m[2]) for m in map(LINE.match, result.stderr.splitlines()) if m]
    found = []
    for i, (depth, name) in enumerate(rows):  # a module is listed after those it imports
        chain = []
        for d, importer in rows[i + 1 :]:
            if d < depth:
                chain.append(importer)
                depth = d
        found.append((name, chain))
    return found


def loaded(code: str, packages: tuple[str, ...]) -> list[str]:
    """'package <- importer <- ...' for each of `packages` that `code` loads, where it enters."""
    entries = {}
    for name, chain in imports(code):
        package = name.split(".")[0]
        inside = [m for m in chain if m.split(".")[0] != package]
        if package in packages and package not in entries:
            entries[package] = " <- ".join([package, *inside])
    return sorted(entries.values())


def test_import_ailead_loads_no_heavy_library():
    found = loaded("import ailead", HEAVY)
    assert not found, "loaded: " + "; ".join(found)


def test_the_public_api_loads_no_heavy_library():
    code = "import ailead\nfor name in ailead.__all__: getattr(ailead, name)"
    found = loaded(code, HEAVY)
    assert not found, "loaded: " + "; ".join(found)


def test_the_cli_starts_without_the_numerical_stack_or_the_engine():
    code = "from ailead.cli import app"
    found = loaded(code, NUMERICAL)
    assert not found, "loaded: " + "; ".join(found)
    modules = {name for name, _ in imports(code) if name.startswith("ailead")}
    assert {m for m in modules if not m.startswith("ailead.cli")} == {
        "ailead",
        "ailead._version",
        "ailead.errors",
    }
