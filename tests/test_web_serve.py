"""`ailead serve`: several workers behind one port, and a taken port refused plainly."""

import socket
import subprocess
import sys
from pathlib import Path

import httpx

from ailead.web.local import free_port, local_server


def test_two_workers_share_the_port_and_answer_many_connections():
    with local_server(workers=2) as base:
        for _ in range(20):  # new connections: the kernel spreads them over the workers
            with httpx.Client(base_url=base, timeout=30) as client:
                run = client.post("/api/run", json={"scenario": "us-lead", "samples": 1})
                assert run.status_code == 200 and run.json()["scenario"] == "us-lead"


def test_a_taken_port_is_refused_with_one_plain_line():
    port = free_port()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        ailead = Path(sys.executable).with_name("ailead")
        done = subprocess.run(
            [str(ailead), "serve", "--port", str(port), "--workers", "2"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
