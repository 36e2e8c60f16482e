"""`ailead serve`: the web explorer (FastAPI app served by uvicorn)."""

import os
import socket
from typing import Annotated

import typer

from ailead.cli.core import _fails_plainly
from ailead.errors import AileadError


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `ailead` app."""

    @app.command()
    @_fails_plainly
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
        workers: Annotated[
            int,
            typer.Option(
                min=1,
                max=64,
                help="Engine processes (each uses one core); 1 = engine threads in the server.",
            ),
        ] = 1,
    ) -> None:
        """Start the web explorer: the page at http://HOST:PORT/, the API docs at /docs.

        Limits come from the environment: AILEAD_MAX_SAMPLES (default 1000),
        AILEAD_MAX_BODY_BYTES (64000), AILEAD_TIMEOUT_S (10), AILEAD_READ_TIMEOUT_S (10: a
        connection whose request is not all received within it is closed),
        AILEAD_ENGINE_THREADS (4, used when --workers is 1). The engine runs compiled where JAX
        is installed (pip install 'ailead[gpu]'); AILEAD_BACKEND=numpy keeps it on NumPy.
        """
        import uvicorn

        from ailead.web import Limits
        from ailead.web.answers import chosen_backend
        from ailead.web.limits import read_limited_protocol

        os.environ["AILEAD_WORKERS"] = str(workers)  # read by the app factory below
        limits = Limits.from_env()  # bad limits fail here, plainly
        chosen_backend()
        _check_port(host, port)
        typer.echo(f"ailead explorer on http://{host}:{port}/ (Ctrl+C stops it)", err=True)
        uvicorn.run(
            "ailead.web:create_app",
            factory=True,
            host=host,
            port=port,
            log_level="warning",
            http=read_limited_protocol(limits.read_timeout_s),
        )


def _check_port(host: str, port: int) -> None:
    """Refuse, in one plain line, an address this machine cannot listen on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise AileadError(
                f"--host/--port: cannot listen on {host}:{port} ({exc.strerror}); "
                "allowed: a free port on an address of this machine"
            ) from None
