"""ailead: a scenario engine for "2028: Two scenarios for global AI leadership".

>>> import ailead
>>> ds = ailead.run("us-lead", samples=1000, seed=1)   # an xarray.Dataset
>>> ailead.summarize(ds)["lead_months"]["p50"]

The names below are imported on first use (PEP 562): `import ailead`, and so the `ailead`
command, starts without the numerical stack, which `ailead.run` and the others then load.
"""

import importlib
from typing import TYPE_CHECKING, Any

from ailead._version import __version__
from ailead.errors import AileadError

if TYPE_CHECKING:
    from ailead.inputs.registry import load_registry
    from ailead.inputs.scenario import Scenario, load_scenario, presets
    from ailead.outputs.engine import run
    from ailead.outputs.summary import summarize

_DEFINED_IN = {
    "load_registry": "ailead.inputs.registry",
    "Scenario": "ailead.inputs.scenario",
    "load_scenario": "ailead.inputs.scenario",
    "presets": "ailead.inputs.scenario",
    "run": "ailead.outputs.engine",
    "summarize": "ailead.outputs.summary",
}


def signposts(observations: Any = None, as_of: str | None = None, **options: Any) -> Any:
    """Which of the essay's worlds the observations by `as_of` point to: a `Signposts` result
    (`ailead.analysis.signposts.signposts`, whose `options` are samples, seed and moves). The
    update's SciPy is imported on the first call, not with `ailead`."""
    from ailead.analysis.signposts import signposts as update

    return update(observations, as_of, **options)


def __getattr__(name: str) -> Any:
    """A public name from the module that defines it, imported on first use."""
    if name not in _DEFINED_IN:
        raise AttributeError(f"module 'ailead' has no attribute {name!r}")
    value = getattr(importlib.import_module(_DEFINED_IN[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_DEFINED_IN))


__all__ = [
    "AileadError",
    "Scenario",
    "__version__",
    "load_registry",
    "load_scenario",
    "presets",
    "run",
    "signposts",
    "summarize",
]
