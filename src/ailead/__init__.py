"""ailead: a scenario engine for "2028: Two scenarios for global AI leadership".

>>> import ailead
>>> ds = ailead.run("us-lead", samples=1000, seed=1)   # an xarray.Dataset
>>> ailead.summarize(ds)["lead_months"]["p50"]
"""

__version__ = "0.2.0"

from ailead.engine import run  # noqa: E402
from ailead.errors import AileadError  # noqa: E402
from ailead.registry import load_registry  # noqa: E402
from ailead.scenario import Scenario, load_scenario, presets  # noqa: E402
from ailead.summary import summarize  # noqa: E402

__all__ = [
    "AileadError",
    "Scenario",
    "load_registry",
    "load_scenario",
    "presets",
    "run",
    "summarize",
]
