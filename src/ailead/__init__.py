"""ailead: a scenario engine for "2028: Two scenarios for global AI leadership".

>>> import ailead
>>> ds = ailead.run("us-lead", samples=1000, seed=1)   # an xarray.Dataset
>>> ailead.summarize(ds)["lead_months"]["p50"]
"""

from ailead._version import __version__
from ailead.errors import AileadError
from ailead.inputs.registry import load_registry
from ailead.inputs.scenario import Scenario, load_scenario, presets
from ailead.outputs.engine import run
from ailead.outputs.summary import summarize

__all__ = [
    "AileadError",
    "Scenario",
    "__version__",
    "load_registry",
    "load_scenario",
    "presets",
    "run",
    "summarize",
]
