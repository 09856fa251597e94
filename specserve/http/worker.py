"""gunicorn worker class: uvicorn with uvloop and httptools, no `Server` header, and the HTTP
framing rules uvicorn has no option for, each answered in the error shape:

- a request head (request line and headers) larger than `SPECSERVE_MAX_HEAD_BYTES` gets 431,
  counted as the bytes arrive, so an endless header is never buffered;
- a head not complete `SPECSERVE_HEAD_TIMEOUT` seconds after the connection opened (or after
  its first byte, on a kept-alive connection) gets 408; a connection that sent nothing is
  closed;
- beyond `SPECSERVE_MAX_CONNECTIONS` open connections in this worker a request gets 503;
- a request too malformed to parse gets 400;
- a response sent before the request body was read to its end (a 413 on a chunked body)
  closes the connection: what follows on the wire is the rest of that body, not a request.

Each refusal ends the connection with a lingering close: the answer is sent, the write side
shut, and whatever the client still sends is discarded (never buffered) until it closes or
`LINGER_SECONDS` pass, so the client reads the answer instead of a reset.

The subclass overrides named methods of uvicorn's `HttpToolsProtocol`;
tests/unit/test_worker_overrides.py fails if uvicorn renames any of them.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

from specserve.config import Settings
from specserve.errors import (
    ApiError,
    HeadersTooLarge,
    MalformedRequest,
    RequestTimeout,
    ServerBusy,
)
from specserve.http import problems

LINGER_SECONDS = 2.0


@dataclass(frozen=True)
class FramingLimits:
    max_head_bytes: int
    head_timeout: float
    max_connections: int

    @classmethod
    def from_settings(cls, settings: Settings) -> FramingLimits:
        return cls(settings.max_head_bytes, settings.head_timeout, settings.max_connections)


@dataclass(frozen=True)
class CannedAnswer:
    """An error the worker answers itself, without the app (a malformed or slow head, too
    many connections), rendered like every other error."""

    error: ApiError

    def answer(self, default_headers: Any = ()) -> bytes:
        request_id = uuid.uuid4().hex
        problem = problems.render(self.error, request_id)
        return problems.http_bytes(problem, request_id, default_headers)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """As an ASGI app: the answer to a request whose head was read."""
        request_id = uuid.uuid4().hex
        problem = problems.render(self.error, request_id)
        body = problem.body(request_id)
        headers = problems.standalone_headers(problem, request_id, len(body))
        await send({"type": "http.response.start", "status": problem.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


MALFORMED = CannedAnswer(MalformedRequest())
TIMED_OUT = CannedAnswer(RequestTimeout())
OVERLOADED = CannedAnswer(ServerBusy(headers={"Retry-After": "1"}))


def head_too_large(limit: int) -> CannedAnswer:
    return CannedAnswer(HeadersTooLarge(f"The request line and headers exceed {limit} bytes."))


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    limits: ClassVar[FramingLimits]  # the worker's settings: `protocol_for`, made by `Worker`

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._awaiting_head = True  # no request head read since the last message ended
        self._head_started = False  # bytes of the awaited head have arrived
        self._head_bytes = 0  # its URL and complete headers, as the parser reports them
        self._head_reads = 0  # bytes of whole reads that fell inside it
        self._heads_read = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._linger_timer: asyncio.TimerHandle | None = None
        self._lingering = False

    # connection life
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # Not uvicorn's `limit_concurrency`: its refusal is a plain-text 503 of its own
        # (`uvicorn.protocols.http.flow_control.service_unavailable`), outside the one error
        # shape, without `Retry-After`, and it counts running tasks with connections.
        if len(self.connections) > self.limits.max_connections:
            self.app = OVERLOADED  # every request on this connection: 503, then close
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._head_timer, self._linger_timer):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return  # after a refusal: discard, never buffer
        awaiting, heads_before = self._awaiting_head, self._heads_read
        super().data_received(data)
        if self.transport.is_closing() or self._lingering or not self._awaiting_head:
            return
        if awaiting and heads_before == self._heads_read:
            self._head_reads += len(data)  # the whole read belongs to the awaited head
        if self._head_too_large():
            if self._answering():
                self.flow.pause_reading()  # refused once the response in flight is sent
            else:
                self.refuse(head_too_large(self.limits.max_head_bytes))
        elif not self._answering():
            self._arm_head_timer()  # e.g. the next head on a kept-alive connection

    # parser callbacks
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_started = True
        self._head_bytes = self._head_reads = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self._head_bytes += len(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self._head_bytes += len(name) + len(value) + 4

    def on_headers_complete(self) -> None:
        self._cancel_head_timer()
        self._awaiting_head = self._head_started = False
        self._heads_read += 1
        if self._head_bytes > self.limits.max_head_bytes:
            self.app = head_too_large(self.limits.max_head_bytes)  # answered, then closed
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._awaiting_head = True

    def on_response_complete(self) -> None:
        # Answered before the request body ended (a 413 on a chunked body): what follows on
        # the wire is the rest of that body, so this connection carries no further request.
        # With requests queued behind, the answered one was read to its end.
        body_unread = not self.pipeline and self.cycle is not None and self.cycle.more_body
        super().on_response_complete()
        if self.transport.is_closing() or self._lingering:
            return
        if body_unread:
            self.linger()
        elif self._head_too_large():  # the next head outgrew the limit during this response
            self.refuse(head_too_large(self.limits.max_head_bytes))

    def send_400_response(self, msg: str) -> None:
        if not self.transport.is_closing() and not self._lingering:
            self.refuse(MALFORMED)

    # refusals
    def refuse(self, refusal: CannedAnswer) -> None:
        """Answer without the app (no request to hand it), then close."""
        if self._answering():  # an answer cannot cut into a response being sent
            self.transport.close()
            return
        self.transport.write(refusal.answer(self.server_state.default_headers))
        self.linger()

    def linger(self) -> None:
        """Shut the write side after what is queued; discard what arrives; close soon."""
        self._lingering = True
        self._cancel_head_timer()
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self._linger_timer = self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()

    def head_timeout_handler(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self._lingering:
            return
        if self._head_started:
            self.refuse(TIMED_OUT)
        else:
            self.transport.close()  # nothing sent: no request to answer

    def _answering(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def _head_too_large(self) -> bool:
        size = max(self._head_reads, self._head_bytes)
        return self._head_started and size > self.limits.max_head_bytes

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(
                self.limits.head_timeout, self.head_timeout_handler
            )

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None


def protocol_for(limits: FramingLimits) -> type[ProblemHttpToolsProtocol]:
    return type("SpecserveHttpProtocol", (ProblemHttpToolsProtocol,), {"limits": limits})


class Worker(UvicornWorker):
    CONFIG_KWARGS = {
        "loop": "uvloop",
        "http": ProblemHttpToolsProtocol,
        "server_header": False,
        "proxy_headers": False,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The master validated the settings before any worker was made (gunicorn.conf.py).
        limits = FramingLimits.from_settings(Settings())
        self.CONFIG_KWARGS = {**type(self).CONFIG_KWARGS, "http": protocol_for(limits)}
        super().__init__(*args, **kwargs)
