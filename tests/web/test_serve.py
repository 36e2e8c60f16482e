"""`ailead serve`: engine worker processes, and a taken port refused plainly."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from web_local import free_port, local_server


def _engine_processes() -> set[str]:
    """Process ids of multiprocessing workers on this machine (Linux /proc)."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_two_engine_workers_answer_and_stop_with_the_server():
    before = _engine_processes()
    with local_server(workers=2) as base:
        assert len(_engine_processes() - before) == 2
        with httpx.Client(base_url=base, timeout=30) as client:
            for level in (0.0, 0.5, 1.0):
                body = {"scenario": "us-lead", "switches": {"access": level}, "samples": 3}
                run = client.post("/api/run", json=body)
                assert run.status_code == 200 and run.json()["switches"]["access"] == level
            bad = client.post("/api/run", json={"scenario": "nope"})
            assert bad.status_code == 422 and "nope" in bad.json()["detail"]
    assert not _engine_processes() - before  # no orphaned engine processes


@pytest.mark.slow
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
