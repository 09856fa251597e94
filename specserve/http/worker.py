"""gunicorn worker class: uvicorn with uvloop and httptools, no `Server` header, and the HTTP
framing rules uvicorn has no option for, each answered in the error shape:

- a request head (request line and headers) larger than `SPECSERVE_MAX_HEAD_BYTES` gets 431,
  counted as the bytes arrive, so an endless header is never buffered;
- a head not complete `SPECSERVE_HEAD_TIMEOUT` seconds after the connection opened (or after
  its first byte, on a kept-alive connection) gets 408; a connection that sent nothing is
  closed;
- at `SPECSERVE_MAX_CONNECTIONS` open connections in this worker, a new one takes the slot of
  one that makes no use of it (`ConnectionSlots`); if every connection is reading a request
  or answering one, a request on the new one gets 503. Under pressure (more than half the
  slots held) a new connection has `BUSY_FIRST_BYTE_SECONDS` for its first byte;
- beyond `SPECSERVE_MAX_CONNECTIONS_PER_ADDRESS` connections from one address (trusted proxies
  excepted) a request gets 429;
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
import ipaddress
import urllib.parse
import uuid
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any, ClassVar

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

from specserve.config import Settings
from specserve.errors import (
    ApiError,
    HeadersTooLarge,
    MalformedRequest,
    RequestTimeout,
    ServerBusy,
    TooManyConnections,
)
from specserve.http import problems
from specserve.ratelimit.clientip import trusted_networks
from specserve.spec import dialect_of

LINGER_SECONDS = 2.0
# A client that connects sends its request within a round trip, and a lost first segment is
# resent after 1 s (the initial TCP retransmission timeout): 3 s leaves room for one loss.
BUSY_FIRST_BYTE_SECONDS = 3.0


@dataclass(frozen=True)
class FramingLimits:
    max_head_bytes: int
    head_timeout: float
    max_connections: int
    max_connections_per_address: int = 0  # 0: no cap
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> FramingLimits:
        return cls(
            settings.max_head_bytes,
            settings.head_timeout,
            settings.max_connections,
            settings.max_connections_per_address,
            tuple(trusted_networks(settings.trusted_proxies)),
        )

    def first_byte_timeout(self, connections: int) -> float:
        """Seconds a new connection gets to start its request: less once more than half the
        slots are held, so sockets that never speak give their slot back sooner."""
        if connections > self.max_connections // 2:
            return min(self.head_timeout, BUSY_FIRST_BYTE_SECONDS)
        return self.head_timeout

    def address_key(self, client: tuple[str, int] | None) -> str | None:
        """What a connection counts under for the per-address cap, or None if uncapped: the
        peer's IPv4 address, or the /64 of its IPv6 one (one host's usual allotment, so a
        host cannot step around the cap by changing addresses within it). A trusted proxy
        is uncapped: its connections carry many clients."""
        if not self.max_connections_per_address or client is None:
            return None
        try:
            ip = ipaddress.ip_address(client[0])
        except ValueError:
            return None  # not an IP peer (a Unix socket)
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in network for network in self.trusted_proxies):
            return None
        if isinstance(ip, ipaddress.IPv6Address):
            return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
        return str(ip)


class ConnectionSlots:
    """Which of one worker's connections give their slot up first when it is full: a slot
    belongs to whoever uses it, not to whoever took it first.

    First go connections that never sent a byte, the longest held first (a client that means
    to ask sends its request at once); then connections kept alive between requests, the
    longest idle first (closing those is ordinary HTTP: the client reconnects). A connection
    reading a request or answering one is never closed for another. Queues are kept in order
    as connections change state, so choosing costs the same with ten connections or ten
    thousand."""

    def __init__(self) -> None:
        self.silent: OrderedDict[ProblemHttpToolsProtocol, None] = OrderedDict()
        self.idle: OrderedDict[ProblemHttpToolsProtocol, None] = OrderedDict()
        self.per_address: Counter[str] = Counter()

    def opened(self, address: str | None) -> int:
        """Count a new connection; how many its address holds now (0: uncapped)."""
        if address is None:
            return 0
        self.per_address[address] += 1
        return self.per_address[address]

    def silent_since_now(self, conn: ProblemHttpToolsProtocol, *, first: bool = False) -> None:
        """A new connection, last in line to give way; `first` in line if it is beyond its
        address's share, so it never takes another client's slot."""
        self.silent[conn] = None
        self.silent.move_to_end(conn, last=not first)

    def rest(self, conn: ProblemHttpToolsProtocol) -> None:
        """A kept-alive connection between requests, from now."""
        self.idle[conn] = None

    def busy(self, conn: ProblemHttpToolsProtocol) -> None:
        """Bytes arrived: the connection is in use."""
        self.silent.pop(conn, None)
        self.idle.pop(conn, None)

    def closed(self, conn: ProblemHttpToolsProtocol, address: str | None) -> None:
        self.busy(conn)
        if address is not None:
            self.per_address[address] -= 1
            if not self.per_address[address]:
                del self.per_address[address]  # the counter holds open addresses only

    def victim(self) -> ProblemHttpToolsProtocol | None:
        """The connection to close for a new one, taken out of line; None if all are in use.
        One already closing (its timer fired this turn of the loop) frees no slot: skipped."""
        for queue in (self.silent, self.idle):
            while queue:
                conn = queue.popitem(last=False)[0]
                if not conn.transport.is_closing():
                    return conn
        return None


@dataclass(frozen=True)
class CannedAnswer:
    """An error the worker answers itself, without the app (a malformed or slow head, too
    many connections), rendered like every other error."""

    error: ApiError

    def answer(self, default_headers: Any = (), path: str = "") -> bytes:
        """The raw answer; `path`, as far as it was read, picks the error dialect."""
        request_id = uuid.uuid4().hex
        problem = problems.render(self.error, request_id, dialect_of(path))
        return problems.http_bytes(problem, request_id, default_headers)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """As an ASGI app: the answer to a request whose head was read."""
        request_id = uuid.uuid4().hex
        problem = problems.render(self.error, request_id, dialect_of(scope.get("path", "")))
        body = problem.body(request_id)
        headers = problems.standalone_headers(problem, request_id, len(body))
        await send({"type": "http.response.start", "status": problem.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


MALFORMED = CannedAnswer(MalformedRequest())
TIMED_OUT = CannedAnswer(RequestTimeout())
OVERLOADED = CannedAnswer(ServerBusy(headers={"Retry-After": "1"}))
TOO_MANY_FROM_ADDRESS = CannedAnswer(TooManyConnections(headers={"Retry-After": "1"}))


def routed_path(url: bytes) -> str:
    """The path of a request target (as far as it was read) as the app would route it, the
    way uvicorn makes `scope["path"]`: an absolute-form target's path, percent-decoded. The
    target up to `?` when it does not parse."""
    try:
        raw = httptools.parse_url(url).path or b""
    except httptools.HttpParserInvalidURLError:
        raw = url.partition(b"?")[0]
    path = raw.decode("latin-1")
    return urllib.parse.unquote(path) if "%" in path else path


def head_too_large(limit: int) -> CannedAnswer:
    return CannedAnswer(HeadersTooLarge(f"The request line and headers exceed {limit} bytes."))


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    limits: ClassVar[FramingLimits]  # the worker's settings: `protocol_for`, made by `Worker`
    slots: ClassVar[ConnectionSlots]  # the worker's connections, made with `limits`

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
        self._address: str | None = None  # counted under, for the per-address cap

    # connection life
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._address = self.limits.address_key(self.client)
        held_here = self.slots.opened(self._address)
        over_share = held_here > self.limits.max_connections_per_address > 0
        if over_share:
            self.app = TOO_MANY_FROM_ADDRESS  # every request on this connection: 429, close
            self.slots.silent_since_now(self, first=True)
        # Not uvicorn's `limit_concurrency`: its refusal is a plain-text 503 of its own
        # (`uvicorn.protocols.http.flow_control.service_unavailable`), outside the one error
        # shape, without `Retry-After`, and it counts running tasks with connections.
        if len(self.connections) > self.limits.max_connections:
            self._take_a_slot()
        if self.transport.is_closing():
            return  # it gave its own slot up (beyond its address's share, worker full)
        if not over_share:
            self.slots.silent_since_now(self)
        self._arm_head_timer(self.limits.first_byte_timeout(len(self.connections)))

    def _take_a_slot(self) -> None:
        """At the limit: close the connection that makes least use of its slot, else refuse
        this one's requests (503, then close)."""
        victim = self.slots.victim()
        if victim is None:
            self.app = OVERLOADED
        else:
            victim.transport.close()  # silent: it has no request in flight or begun

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._head_timer, self._linger_timer):
            if timer is not None:
                timer.cancel()
        self.slots.closed(self, self._address)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.slots.busy(self)
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
        elif not self._answering() and not self._head_started:
            self.slots.rest(self)  # kept alive with nothing asked: first to go after silent

    def send_400_response(self, msg: str) -> None:
        if not self.transport.is_closing() and not self._lingering:
            self.refuse(MALFORMED)

    # refusals
    def refuse(self, refusal: CannedAnswer) -> None:
        """Answer without the app (no request to hand it), then close."""
        if self._answering():  # an answer cannot cut into a response being sent
            self.transport.close()
            return
        url = getattr(self, "url", b"") if self._head_started else b""  # the head being read
        path = routed_path(url)
        self.transport.write(refusal.answer(self.server_state.default_headers, path))
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

    def _arm_head_timer(self, timeout: float | None = None) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(
                self.limits.head_timeout if timeout is None else timeout,
                self.head_timeout_handler,
            )

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None


def protocol_for(limits: FramingLimits) -> type[ProblemHttpToolsProtocol]:
    namespace = {"limits": limits, "slots": ConnectionSlots()}
    return type("SpecserveHttpProtocol", (ProblemHttpToolsProtocol,), namespace)


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
