"""`ailead serve`: the web explorer (FastAPI app served by uvicorn)."""

from typing import Annotated

import typer

from ailead.cli.core import _fails_plainly


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `ailead` app."""

    @app.command()
    @_fails_plainly
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
        workers: Annotated[
            int, typer.Option(min=1, max=64, help="Worker processes (each uses one core).")
        ] = 1,
    ) -> None:
        """Start the web explorer: the page at http://HOST:PORT/, the API docs at /docs.

        Limits come from the environment: AILEAD_MAX_SAMPLES (default 1000),
        AILEAD_MAX_BODY_BYTES (64000), AILEAD_TIMEOUT_S (10), AILEAD_ENGINE_THREADS (32).
        """
        from ailead.web import Limits
        from ailead.web.serve import serve as run_server

        Limits.from_env()  # bad limits fail here, plainly, not in each worker
        typer.echo(f"ailead explorer on http://{host}:{port}/ (Ctrl+C stops it)", err=True)
        run_server(host, port, workers)
