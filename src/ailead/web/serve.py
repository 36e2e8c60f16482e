"""Serving the explorer on several cores: one uvicorn server per worker process, each listening
on its own SO_REUSEPORT socket, so that the kernel spreads new connections over the workers.

uvicorn's own `workers` share one listening socket: the first worker to wake accepts a whole
burst of connections, and keep-alive clients then stay with it (measured with the load
benchmark: 20 clients, all on one of two workers, the other idle). With a socket per worker the
kernel hashes each connection to one of them. Where SO_REUSEPORT is missing (Windows), uvicorn's
workers are used.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import signal
import socket
from typing import Any

from ailead.errors import AileadError

APP = "ailead.web:create_app"
UVICORN = {"factory": True, "log_level": "warning"}


def serve(host: str, port: int, workers: int) -> None:
    """Run the explorer on host:port with `workers` processes until interrupted."""
    import uvicorn

    _listening_socket(host, port, listen=False).close()  # a taken port fails here, plainly
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, host=host, port=port, workers=workers, **UVICORN)
        return
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_worker, args=(host, port)) for _ in range(workers)]
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        for process in processes:
            process.start()
        multiprocessing.connection.wait([p.sentinel for p in processes])  # until one stops
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=10)


def _worker(host: str, port: int) -> None:
    import uvicorn

    sock = _listening_socket(host, port, listen=True)
    uvicorn.Server(uvicorn.Config(APP, **UVICORN)).run(sockets=[sock])


def _listening_socket(host: str, port: int, listen: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise AileadError(
            f"--host/--port: cannot listen on {host}:{port} ({exc.strerror}); "
            "allowed: a free port on an address of this machine"
        ) from None
    if listen:
        sock.listen(2048)
        sock.set_inheritable(True)
    return sock


def _exit(*_args: Any) -> None:
    raise SystemExit(0)  # SIGTERM: stop the workers too (the `finally` above)
