"""Version-to-version check: the presets' key outputs stored per release, and what changed since.

`key_outputs()` runs every preset once at the registry defaults and once with Monte Carlo draws
(fixed samples and seed) and collects, per preset: the headline metrics at the target (defaults,
and p5/p50/p95 of the draws), the median lead at the end of each year, and the verdict's outcome
shares. `record()` stores them as ``data/releases/<version>.json``; `compare()` recomputes them
with the current code and lists every output that moved by more than its tolerance, so that a
change of the model's behaviour is never silent.

Tolerances (|current - stored| allowed): 0.25 for outputs in months, 0.02 for outcome shares
and for OOM, 0.2 for ECI points, otherwise 2% of the stored value (relative).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from ailead._version import __version__
from ailead.errors import AileadError, short
from ailead.files import check_new_file, write_new_text
from ailead.inputs.scenario import presets
from ailead.outputs.engine import run
from ailead.outputs.summary import UNITS, summarize
from ailead.outputs.verdict import probabilities

SAMPLES = 1000
SEED = 0
ABSOLUTE = {"months": 0.25, "share": 0.02, "OOM": 0.02, "ECI": 0.2}
RELATIVE = 0.02


def releases_dir() -> Path:
    """Where release outputs are stored in the package."""
    return Path(str(resources.files("ailead").joinpath("data/releases")))


def _flat(tree: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Nested dicts as {'a/b/c': value}."""
    out: dict[str, float] = {}
    for key, value in tree.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_flat(value, path))
        else:
            out[path] = value
    return out


def _number(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def key_outputs(samples: int = SAMPLES, seed: int = SEED) -> dict[str, Any]:
    """Every preset's key outputs with the current code (see module doc)."""
    out: dict[str, Any] = {}
    for name in presets():
        defaults = run(name)
        draws = run(name, samples=samples, seed=seed)
        lead = draws["lead_months"].median("sample")
        years = {
            str(t)[:7]: _number(lead.sel(time=t))
            for t in lead["time"].values
            if str(t)[5:7] == "12"
        }
        entry: dict[str, Any] = {
            "defaults": {m: _number(q["p50"]) for m, q in summarize(defaults).items()},
            "draws": {
                m: {k: _number(v) for k, v in q.items()} for m, q in summarize(draws).items()
            },
            "lead_p50_by_year": years,
        }
        if "outcome" in draws:
            entry["outcomes"] = probabilities(draws["outcome"].values)
        out[name] = entry
    return out


def record(directory: str | Path | None = None, samples: int = SAMPLES, seed: int = SEED) -> Path:
    """Store the current key outputs as the new file <directory>/<version>.json (a version is
    recorded once: delete its file to record it again)."""
    folder = Path(directory) if directory is not None else releases_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = check_new_file(folder / f"{__version__}.json")
    payload = {
        "version": __version__,
        "recorded": date.today().isoformat(),
        "samples": samples,
        "seed": seed,
        "outputs": key_outputs(samples, seed),
    }
    return write_new_text(path, json.dumps(payload, indent=1, sort_keys=True) + "\n")


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def stored_versions(directory: str | Path | None = None) -> list[str]:
    """Versions with stored outputs, oldest first."""
    folder = Path(directory) if directory is not None else releases_dir()
    found = [p.stem for p in folder.glob("*.json")] if folder.is_dir() else []
    return sorted(found, key=_version_key)


def load_release(version: str | None = None, directory: str | Path | None = None) -> dict:
    """A stored release (the latest when `version` is None)."""
    versions = stored_versions(directory)
    if not versions:
        raise AileadError("changes: no stored release outputs; record some with --record")
    version = version or versions[-1]
    if version not in versions:
        raise AileadError(
            f"--against: value {short(version)} is not a stored release; "
            f"allowed: {', '.join(versions)}"
        )
    folder = Path(directory) if directory is not None else releases_dir()
    return json.loads((folder / f"{version}.json").read_text(encoding="utf-8"))


def tolerance(key: str, stored: float) -> float:
    """Allowed |current - stored| for an output key 'preset/group/metric[/quantile]'."""
    parts = key.split("/")
    if parts[1] in ("outcomes",):
        return ABSOLUTE["share"]
    if parts[1] == "lead_p50_by_year":
        return ABSOLUTE["months"]
    unit = UNITS.get(parts[2], "")
    if unit in ABSOLUTE:
        return ABSOLUTE[unit]
    return RELATIVE * abs(stored)


@dataclass(frozen=True)
class Change:
    """One output that moved beyond its tolerance, appeared or disappeared."""

    key: str
    kind: str  # changed, added, removed
    stored: float | None
    current: float | None
    allowed: float | None


def compare(release: dict, current: dict[str, Any] | None = None) -> list[Change]:
    """Outputs that differ between a stored release and the current code, beyond tolerance.

    The current outputs are computed with the release's own samples and seed. A value that is
    not finite (stored as null) differs from any number.
    """
    now = current if current is not None else key_outputs(release["samples"], release["seed"])
    old, new = _flat(release["outputs"]), _flat(now)
    changes = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            changes.append(Change(key, "removed", old[key], None, None))
        elif key not in old:
            changes.append(Change(key, "added", None, new[key], None))
        elif old[key] is None or new[key] is None:
            if old[key] is not new[key]:
                changes.append(Change(key, "changed", old[key], new[key], None))
        else:
            allowed = tolerance(key, old[key])
            if abs(new[key] - old[key]) > allowed:
                changes.append(Change(key, "changed", old[key], new[key], allowed))
    return changes
