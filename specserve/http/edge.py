"""The outermost middleware: request id, client address, trace context, framing limits,
our headers on every response, metrics and the access log — small named steps, one pass per
request. HTTP only: model watching runs in the app's lifespan, limits in
`specserve.ratelimit`.

It sits outside Connexion's exception middleware, so it sees every final response (errors
included). What it refuses itself it raises as typed errors, rendered like every other
error by `specserve.http.problems`.

Its last step runs the request's "after the response" list (`RequestState.after_response`:
a shadow call), once the final body has gone out: the client's answer never waits for it,
and whatever a callback raises is logged and counted, never sent.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from specserve.errors import (
    ApiError,
    BadContentLength,
    HeadersTooLarge,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from specserve.http import deprecation, problems
from specserve.http.context import RequestState, attach, operation_id, token_info
from specserve.observability import metrics, tracing
from specserve.ratelimit.clientip import client_ip

access_log = logging.getLogger("specserve.access")
log = logging.getLogger("specserve.http.edge")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
MAX_HEADERS = 100
MAX_SERIES = 4096  # cached (route, method, status) series per worker
Traced = tuple[Any, Any, Any]  # the request's span, its context token, the tracer's
# replaced by ours: no Server, exactly one X-Request-ID and one trace context
OWN = (b"server", b"x-request-id", b"traceparent", b"tracestate")


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, app_state: Any) -> None:
        self.app = app
        self.app_state = app_state
        self.request_id_re = app_state.contract.request_id
        self.max_body = app_state.settings.max_body_bytes
        # the worker counts the head as it arrives; this holds where no worker does (tests)
        self.max_head = app_state.settings.max_head_bytes
        self.tracing = app_state.tracing  # None unless OTLP export is configured
        self.usage = app_state.limiter.usage
        # Each label set's two series, looked up once: `labels()` validates and locks on
        # every call. Labels come from closed sets (routes, methods, statuses); the cap
        # keeps even a surprise from growing memory.
        self.series: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.deprecations = {
            name: found
            for contract in app_state.contracts
            for name, found in deprecation.by_handler(contract).items()
        }
        # the contracts' paths that end in a slash (`/v2/`, the protocol's server metadata),
        # also answered without it (`/v2`, as the protocol's clients ask)
        self.slashed = {op.path for op in app_state.operations.values() if op.path.endswith("/")}
        self.unslashed = {path.rstrip("/"): path for path in self.slashed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        if (slashed := self.unslashed.get(scope.get("path", ""))) is not None:
            scope = {**scope, "path": slashed, "raw_path": slashed.encode()}
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        state = RequestState(
            app_state=self.app_state,
            request_id=self.request_id(headers.get(b"x-request-id")),
            client_ip=client_ip(
                (scope.get("client") or (None,))[0],
                headers.get(b"x-forwarded-for"),
                self.app_state.trusted_proxies,
            ),
        )
        attach(scope, state)
        traced = None
        if self.tracing is not None:
            traced = self.start_trace(scope, state, headers)
        elif (traceparent := headers.get(b"traceparent")) is not None:
            continue_trace(state, traceparent, headers.get(b"tracestate"))
        response = _Response(state, send, scope, self.deprecations)
        answered = False
        try:
            try:
                self.check_framing(scope, headers)
            except ApiError as exc:
                dialect = self.app_state.dialect_of(scope.get("path", ""))
                problem = problems.render(exc, state.request_id, dialect)
                await problems.send(response.send, problem, state.request_id)
            else:
                await self.app(scope, _limited(receive, self.max_body), response.send)
            self.record(scope, state, response.status, time.perf_counter() - started)
            answered = True
        finally:
            if traced is not None:
                self.end_trace(scope, state, traced, response.status)
            if state.later is not None:
                after_response(state.later, now=answered)

    def start_trace(self, scope: Scope, state: RequestState, headers: dict[bytes, bytes]) -> Traced:
        """The request's span (`specserve.observability.otlp`), current until `end_trace`."""
        span, token = self.tracing.start(headers, scope["method"], scope.get("path", ""))
        state.trace_id, state.trace_headers = self.tracing.ids(span)
        return span, token, tracing.ACTIVE.set(self.tracing)

    def end_trace(self, scope: Scope, state: RequestState, traced: Traced, status: int) -> None:
        span, token, active = traced
        tracing.ACTIVE.reset(active)
        route = self.app_state.route_label(operation_id(scope), scope.get("path", ""))
        self.tracing.finish(span, token, status, route, state.request_id)

    def request_id(self, value: bytes | None) -> str:
        """The client's id when it matches the contract's pattern, else a new one."""
        if value and self.request_id_re.match(value):
            return value.decode()
        return uuid.uuid4().hex

    def check_framing(self, scope: Scope, headers: dict[bytes, bytes]) -> None:
        """Paths no route has, header and body limits, encodings we do not read."""
        path = scope.get("path", "")
        if path.endswith("/") and path not in self.slashed and not self.app_state.in_ui(path):
            raise NotFound()  # no trailing-slash redirects
        if CONTROL_CHARS.search(path):  # no route has them (a newline in a path parameter)
            raise NotFound()
        raw = scope.get("headers", [])
        if len(raw) > MAX_HEADERS or sum(len(k) + len(v) for k, v in raw) > self.max_head:
            raise HeadersTooLarge(
                f"Send at most {MAX_HEADERS} headers and {self.max_head} bytes of headers."
            )
        encoding = headers.get(b"content-encoding", b"identity").strip().lower()
        if encoding not in (b"identity", b""):
            raise UnsupportedMediaType(
                "Content-Encoding is not supported; send the body uncompressed."
            )
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                raise BadContentLength()
            if int(length) > self.max_body:
                raise PayloadTooLarge(f"The request body exceeds {self.max_body} bytes.")

    def record(self, scope: Scope, state: RequestState, status: int, seconds: float) -> None:
        route = self.app_state.route_label(operation_id(scope), scope.get("path", ""))
        key = (route, scope["method"], status)
        series = self.series.get(key)
        if series is None:
            series = (
                metrics.HTTP_REQUESTS.labels(route, scope["method"], str(status)),
                metrics.HTTP_LATENCY.labels(route),
            )
            if len(self.series) < MAX_SERIES:
                self.series[key] = series
        series[0].inc()
        series[1].observe(seconds)
        if state.usage is not None and state.usage[0] is not None:
            # the answer's class, per identity and model: kept by the usage store (never a
            # metric label), queued here and flushed off the request path
            self.usage.record_outcome(state.usage[0], state.usage[1], status, day=state.usage[2])
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "request",
                extra={
                    "request_id": state.request_id,
                    "trace_id": state.trace_id,
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "latency_ms": round(seconds * 1000, 3),
                    "key_id": token_info(scope).get("key_id"),
                    "client": state.client_ip,
                },
            )


class _Response:
    """The send channel: our headers on every response, and the status for the log."""

    def __init__(
        self, state: RequestState, send: Send, scope: Scope, deprecations: dict[str, Any]
    ) -> None:
        self.state = state
        self._send = send
        self.status = 500
        self.scope = scope
        self.deprecations = deprecations  # by handler: `specserve.http.deprecation`

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            message = {**message, "headers": self._headers(message.get("headers", []))}
        await self._send(message)

    def _headers(self, raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        state = self.state
        out = [(k, v) for k, v in raw if k.lower() not in OWN]
        out += [(b"x-request-id", state.request_id.encode()), *problems.SECURITY_HEADERS]
        if state.trace_headers:
            out += state.trace_headers
        if self.deprecations and (name := operation_id(self.scope)) in self.deprecations:
            out += self.deprecations[name]
        if state.limit_headers:
            present = {k.lower() for k, _ in out}
            for name, value in state.limit_headers.items():
                key = name.lower().encode()
                if key not in present:
                    out.append((key, value.encode()))
        return out


def after_response(callbacks: list[Callable[[], None]], now: bool) -> None:
    """The request's after-response work: here, once the answer is out; on the event loop's
    next turn when the request ended with an exception (the server still has an error to
    send, which must not wait)."""
    if now:
        for callback in callbacks:
            _guarded(callback)
        return
    loop = asyncio.get_running_loop()
    for callback in callbacks:
        loop.call_soon(_guarded, callback)


def _guarded(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception as exc:  # the response is gone: logged and counted, never the client's
        metrics.AFTER_RESPONSE_ERRORS.inc()
        log.error("after-response work failed", extra={"reason": type(exc).__name__})


def continue_trace(state: RequestState, traceparent: bytes, tracestate: bytes | None) -> None:
    """Without a tracer: a valid incoming trace context is logged and passed back (this
    service calls nothing downstream), `traceparent` in its version-00 form and `tracestate`
    only when valid; an invalid one is ignored."""
    parsed = tracing.parse(traceparent)
    if parsed is None:
        return
    state.trace_id = parsed[0]
    state.trace_headers = [(b"traceparent", tracing.canonical(parsed))]
    kept = tracing.valid_tracestate(tracestate) if tracestate else None
    if kept is not None:
        state.trace_headers.append((b"tracestate", kept))


def _limited(receive: Receive, limit: int) -> Receive:
    """A receive channel that refuses a body growing past `limit` as it streams in."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise PayloadTooLarge(f"The request body exceeds {limit} bytes.")
        return message

    return wrapped
