"""Slow clients (issue 14): a connection that sends its request a byte a second is closed within
the read timeout, while other requests are answered."""

import contextlib
import select
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest
from web_local import local_server

READ_TIMEOUT_S = 2.0
BODY = b'{"samples": 2, "seed": 1, "scenario": "status-quo"}'
HEAD = (
    b"POST /api/run HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
    b"Content-Length: %d\r\n\r\n" % len(BODY)
)


def _closed_after(base: str, sent_at_once: bytes, trickle: bytes, client: httpx.Client) -> float:
    """Send `sent_at_once`, then `trickle` a byte a second (then nothing), while a normal
    request is answered each second; return the seconds until the server closed the connection."""
    url = urlsplit(base)
    with socket.create_connection((url.hostname, url.port)) as conn:
        began = time.monotonic()
        conn.sendall(sent_at_once)
        for i in range(len(trickle) + int(READ_TIMEOUT_S) + 3):
            readable, _, _ = select.select([conn], [], [], 1.0)
            if readable and conn.recv(1024) == b"":
                return time.monotonic() - began
            assert client.get("/api/scenarios").status_code == 200
            try:
                conn.sendall(trickle[i : i + 1])
            except OSError:  # reset by the server
                return time.monotonic() - began
    raise AssertionError("the slow connection was never closed")


@pytest.mark.slow
def test_a_client_sending_a_byte_a_second_is_closed_within_the_read_timeout(monkeypatch):
    monkeypatch.setenv("AILEAD_READ_TIMEOUT_S", str(READ_TIMEOUT_S))
    with local_server() as base, httpx.Client(base_url=base, timeout=10) as client:
        body_seconds = _closed_after(base, HEAD, BODY, client)
        head_seconds = _closed_after(base, b"", HEAD + BODY, client)
        silent_seconds = _closed_after(base, b"", b"", client)
        quick = client.post("/api/run", content=BODY, headers={"content-type": "application/json"})
        assert quick.status_code == 200
    for seconds in (body_seconds, head_seconds, silent_seconds):
        assert READ_TIMEOUT_S - 0.5 < seconds < READ_TIMEOUT_S + 1.5, seconds


@pytest.mark.slow
def test_many_slow_connections_are_all_closed_while_requests_are_answered(monkeypatch):
    monkeypatch.setenv("AILEAD_READ_TIMEOUT_S", str(READ_TIMEOUT_S))
    with local_server() as base, httpx.Client(base_url=base, timeout=10) as client:
        url = urlsplit(base)
        slow = [socket.create_connection((url.hostname, url.port)) for _ in range(60)]
        for i, conn in enumerate(slow):
            conn.sendall(HEAD[:10] if i % 2 else HEAD)  # half stuck in headers, half in body
        deadline = time.monotonic() + READ_TIMEOUT_S + 1.5
        while time.monotonic() < deadline:
            assert client.get("/api/scenarios").status_code == 200
            time.sleep(0.2)
        for conn in slow:
            conn.settimeout(0.5)
            with contextlib.suppress(ConnectionResetError):
                assert conn.recv(1024) == b""
            conn.close()


def test_a_body_that_stops_arriving_is_answered_408_by_the_app_itself():
    """Under any ASGI server: the app's own body reader gives up after the read timeout."""
    import asyncio

    from ailead.web.limits import BodySizeLimit

    async def never_called(scope, receive, send):
        raise AssertionError("the app saw an incomplete body")

    async def trickle():
        if not sent:
            sent.append(1)
            return {"type": "http.request", "body": HEAD[:5], "more_body": True}
        await asyncio.sleep(60)

    async def send(message):
        answered.append(message)

    sent, answered = [], []
    middleware = BodySizeLimit(never_called, max_bytes=1000, timeout_s=0.3)
    scope = {"type": "http", "headers": [(b"content-type", b"application/json")]}
    began = time.monotonic()
    asyncio.run(middleware(scope, trickle, send))
    assert 0.3 <= time.monotonic() - began < 1.5
    assert answered[0]["status"] == 408
    assert b"not all received in 0.3 s" in answered[1]["body"]
