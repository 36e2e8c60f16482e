"""A local `ailead serve` in a subprocess, and the Chromium flags that work offline.

Shared by the browser tests, the load benchmark and the screenshot tool, which all start the
explorer as a user would and drive it from outside.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CHROMIUM = "/usr/bin/chromium"  # Debian's package (tools/install_chromium.sh)
# Headless, and nothing that reaches for the network at start-up (refused on closed machines).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def local_server(workers: int = 1, start_timeout_s: float = 60.0) -> Iterator[str]:
    """Run `ailead serve` on a free port until the block ends; yields its base URL.

    Raises RuntimeError with the server's stderr if it does not answer within the timeout.
    """
    port = free_port()
    ailead = Path(sys.executable).with_name("ailead")
    command = [str(ailead), "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                if httpx.get(f"{base}/api/scenarios", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"ailead serve did not start: {process.stderr.read().decode()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
