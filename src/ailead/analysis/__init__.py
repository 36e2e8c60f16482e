"""Uncertainty and policy analysis on the engine: which switch matters, how sure the answer is,
and what must be true for each world.

- `switches`, `switch_effects`: the full factorial of the three switches and their effects.
- `sensitivity`: global sensitivity (SALib: sobol, morris, delta) of an output at the target.
- `discover`: PRIM boxes, the parameter ranges where a condition holds.
- `optimize`: the least costly switch settings reaching a probability target.
- `plot`, `plot_switch_heatmap`, `plot_tornado`, `plot_tradeoff`: charts as PNG and SVG.

Every result holds under the registry's assumptions; none is a forecast.
"""

from ailead.analysis.discover import Discovery, discover
from ailead.analysis.optimize import PolicySearch, optimize
from ailead.analysis.plots import Chart, plot, plot_switch_heatmap, plot_tornado, plot_tradeoff
from ailead.analysis.prim import PrimResult, prim
from ailead.analysis.sensitivity import indices, sensitivity
from ailead.analysis.switches import switch_effects, switches

__all__ = [
    "Chart",
    "Discovery",
    "PolicySearch",
    "PrimResult",
    "discover",
    "indices",
    "optimize",
    "plot",
    "plot_switch_heatmap",
    "plot_tornado",
    "plot_tradeoff",
    "prim",
    "sensitivity",
    "switch_effects",
    "switches",
]
