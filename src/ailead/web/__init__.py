"""The web explorer: `create_app()` builds the FastAPI app that `ailead serve` runs."""

from ailead.web.app import create_app
from ailead.web.limits import Limits

__all__ = ["Limits", "create_app"]
