"""The `ailead` command line: a thin layer over the library, one module per area.

`core` holds the app, the shared options and the run/compare/scenarios/params commands; each
other module adds its commands through `register(app)`.
"""

from ailead.cli import analysis, runs, signposts, sweep, validate, web
from ailead.cli.core import app

for _module in (runs, analysis, signposts, sweep, validate, web):
    _module.register(app)

__all__ = ["app"]
