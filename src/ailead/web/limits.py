"""The explorer's limits: sample cap, request body size, a time limit per engine call and a
time limit for reading a request.

Limits come from the app factory or from the environment (AILEAD_MAX_SAMPLES,
AILEAD_MAX_BODY_BYTES, AILEAD_TIMEOUT_S, AILEAD_READ_TIMEOUT_S, AILEAD_ENGINE_THREADS,
AILEAD_WORKERS). Engine work runs in `ailead.web.pool` (threads, or engine processes when
workers >= 2), so the event loop keeps serving other requests; a request that outlasts the time
limit (queueing included) is answered with 503 and its run left to finish. A client that takes
longer than the read timeout to send a request's headers and body has its connection closed
(`read_limited_protocol`, the HTTP protocol `ailead serve` gives uvicorn); under any server, a
body that stops arriving is answered 408 (`BodySizeLimit`).
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, fields
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ailead.errors import AileadError, short

ENV = {
    "max_samples": "AILEAD_MAX_SAMPLES",
    "max_body_bytes": "AILEAD_MAX_BODY_BYTES",
    "timeout_s": "AILEAD_TIMEOUT_S",
    "read_timeout_s": "AILEAD_READ_TIMEOUT_S",
    "engine_threads": "AILEAD_ENGINE_THREADS",
    "workers": "AILEAD_WORKERS",
}


@dataclass(frozen=True)
class Limits:
    """What one request may ask for."""

    max_samples: int = 1000
    max_body_bytes: int = 64_000
    timeout_s: float = 10.0
    read_timeout_s: float = 10.0  # headers and body of one request, from its first byte
    engine_threads: int = 4  # engine threads when workers = 1
    workers: int = 1  # engine processes; 1 = threads of the server process

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not value > 0:
                raise AileadError(
                    f"limit {f.name}: value {short(value)} is not allowed; allowed: > 0"
                )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """Limits from environment variables; those not set keep their defaults."""
        environ = os.environ if environ is None else environ
        given: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(ENV[f.name])
            if raw is None:
                continue
            kind = float if f.type == "float" else int
            try:
                given[f.name] = kind(raw)
            except ValueError:
                raise AileadError(
                    f"{ENV[f.name]}: value {short(raw)} is not allowed; allowed: a positive "
                    f"{'number' if kind is float else 'integer'}"
                ) from None
        return cls(**given)


class BodySizeLimit:
    """ASGI middleware: answer 413 with a plain JSON message when a body exceeds `max_bytes`.

    The body is read (up to the limit) before the app sees it, so a missing or false
    Content-Length cannot get a larger body through. (FastAPI's own `max_body_size` answers
    with text, outside the app's error handlers, and cannot say what is allowed.) A body that
    takes longer than `timeout_s` to arrive is answered 408, whatever server runs the app.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send, f"{int(declared)} bytes")
            return
        body, more = b"", True
        deadline = asyncio.get_running_loop().time() + self.timeout_s
        while more:
            try:
                message = await asyncio.wait_for(
                    receive(), deadline - asyncio.get_running_loop().time()
                )
            except TimeoutError:
                detail = f"request body: not all received in {self.timeout_s:g} s"
                await _answer(send, 408, detail + "; allowed: a body sent within the read timeout")
                return
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._refuse(send, f"more than {self.max_bytes} bytes")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send, size: str) -> None:
        detail = f"request body: {size} is too large; allowed: at most {self.max_bytes} bytes"
        await _answer(send, 413, detail)


async def _answer(send: Send, status: int, detail: str) -> None:
    """A plain JSON answer `{"detail": ...}` with `status`."""
    payload = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def read_limited_protocol(timeout_s: float) -> type:
    """uvicorn's h11 protocol, closing a connection whose request (headers and body) is not all
    received within `timeout_s` of the connection opening, or of the request's first byte on a
    kept-alive connection. uvicorn alone waits for ever on a client that sends a byte a second.
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class ReadLimited(H11Protocol):
        _read_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._read_timer = self.loop.call_later(timeout_s, self._too_slow)

        def data_received(self, data: bytes) -> None:
            if self._read_timer is None and self.conn.their_state is h11.IDLE:
                self._read_timer = self.loop.call_later(timeout_s, self._too_slow)
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
                self._stop_timer()  # the request is all read (or the connection is done)

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_timer()
            super().connection_lost(exc)

        def _stop_timer(self) -> None:
            if self._read_timer is not None:
                self._read_timer.cancel()
                self._read_timer = None

        def _too_slow(self) -> None:
            self._read_timer = None
            if not self.transport.is_closing():
                self.transport.close()

    return ReadLimited
