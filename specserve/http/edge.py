"""The outermost middleware: request id, body limits, security headers, metrics, access log.

It sits outside Connexion's exception middleware, so it sees every final response (errors
included) and answers the requests it refuses itself, in the error shape.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from specserve import metrics
from specserve.errors import PROBLEM_JSON, PayloadTooLarge, problem_body
from specserve.http.context import state_of, token_info_of
from specserve.ratelimit.clientip import client_ip
from specserve.ratelimit.limiter import LimiterUnavailable

access_log = logging.getLogger("specserve.access")
REQUEST_ID_RE = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
MAX_HEADERS = 100
MAX_HEADER_BYTES = 16 * 1024
OWN = (b"server", b"x-request-id")  # replaced by ours: no Server, exactly one X-Request-ID
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, runtime: Any = None) -> None:
        self.app = app
        self.runtime = runtime
        self.ui_prefix = f"{runtime.base_path}/ui/"
        self.settle_pending = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = _headers(scope)
        request_id = _request_id(headers.get(b"x-request-id"))
        extensions = scope.setdefault("extensions", {})
        extensions.setdefault("connexion_routing", {})
        extensions.setdefault("connexion_context", {})
        state = state_of(scope)
        state["request_id"] = request_id
        state["runtime"] = self.runtime
        rid_header = (b"x-request-id", request_id.encode())
        status_box = [500]
        limiter = self.runtime.limiter
        ip = client_ip(
            (scope.get("client") or (None,))[0],
            headers.get(b"x-forwarded-for"),
            self.runtime.trusted_proxies,
        )
        state["client_ip"] = ip
        self.runtime.maybe_refresh()

        replaced = [False]  # a 401 turned into a 429: its body is replaced too

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 401 and limiter.enabled and not state.get("ip_counted"):
                    # failed authentications count per client IP; past the limit, 429
                    decision = await _count_ip(limiter, ip)
                    if decision is not None and not decision.allowed:
                        replaced[0] = True
                        await _send_problem(
                            send_wrapper,
                            429,
                            "rate_limited",
                            _too_many(decision),
                            request_id,
                            decision.headers(),
                        )
                        return
                status_box[0] = message["status"]
                raw = [(k, v) for k, v in message.get("headers", []) if k.lower() not in OWN]
                raw += [rid_header, *SECURITY_HEADERS]
                for name, value in state.get("ratelimit_headers", {}).items():
                    if name.lower().encode() not in {k.lower() for k, _ in raw}:
                        raw.append((name.lower().encode(), value.encode()))
                message = {**message, "headers": raw}
            elif replaced[0] and message["type"] == "http.response.body":
                if not message.get("replacement"):
                    return  # the 401's own body
                message = {"type": "http.response.body", "body": message["body"]}
            await send(message)

        refusal = self._refuse(scope, headers) or await self._ip_limit(scope, state, ip)
        if refusal is not None:
            status, code, detail, *extra = refusal
            await _send_problem(
                send_wrapper, status, code, detail, request_id, extra[0] if extra else None
            )
        else:
            limit = self.runtime.settings.max_body_bytes
            await self.app(scope, _limited(receive, limit), send_wrapper)
        self._record(scope, state, status_box[0], time.perf_counter() - started)
        if self.settle_pending:
            self.settle_pending = False
            self.runtime.settle_heap()  # once: the stack Connexion built on this request

    async def _ip_limit(self, scope: Scope, state: dict, ip: str) -> tuple | None:
        """Per-IP limit: IPs that exhausted it, and every token request."""
        limiter = self.runtime.limiter
        if not limiter.enabled or self.runtime.is_public(scope.get("path", "")):
            return None
        decision = limiter.ip_blocked(ip)
        if decision is None and scope.get("path") == self.runtime.token_path:
            state["ip_counted"] = True
            try:
                decision = await limiter.hit_ip(ip)
            except LimiterUnavailable:
                return (
                    503,
                    "rate_limiter_unavailable",
                    "The rate limiter is unavailable; retry shortly.",
                    {"Retry-After": "1"},
                )
            if decision is not None:
                state["ratelimit_headers"] = decision.headers()
        if decision is None or decision.allowed:
            return None
        return 429, "rate_limited", _too_many(decision), decision.headers()

    def _refuse(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[int, str, str] | None:
        path = scope.get("path", "")
        if path.endswith("/") and not path.startswith(self.ui_prefix):
            return 404, "not_found", "No such resource."  # no trailing-slash redirects
        if CONTROL_CHARS.search(path):  # no route has them; FlaskApp would 500 on a newline
            return 404, "not_found", "No such resource."
        raw = scope.get("headers", [])
        if len(raw) > MAX_HEADERS or sum(len(k) + len(v) for k, v in raw) > MAX_HEADER_BYTES:
            return (
                431,
                "headers_too_large",
                (f"Send at most {MAX_HEADERS} headers and {MAX_HEADER_BYTES} bytes of headers."),
            )
        encoding = headers.get(b"content-encoding", b"identity").strip().lower()
        if encoding not in (b"identity", b""):
            return (
                415,
                "unsupported_media_type",
                "Content-Encoding is not supported; send the body uncompressed.",
            )
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                return 400, "bad_request", "Content-Length is not a number."
            limit = self.runtime.settings.max_body_bytes
            if int(length) > limit:
                return 413, "payload_too_large", f"The request body exceeds {limit} bytes."
        return None

    def _record(self, scope: Scope, state: dict, status: int, seconds: float) -> None:
        route = self.runtime.route_label(scope)
        metrics.HTTP_REQUESTS.labels(route, scope["method"], str(status)).inc()
        metrics.HTTP_LATENCY.labels(route).observe(seconds)
        if access_log.isEnabledFor(logging.INFO):
            info = token_info_of(scope)
            access_log.info(
                "request",
                extra={
                    "request_id": state["request_id"],
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "latency_ms": round(seconds * 1000, 3),
                    "key_id": info.get("key_id"),
                    "client": state.get("client_ip"),
                },
            )


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope.get("headers", [])}


def _request_id(value: bytes | None) -> str:
    if value and REQUEST_ID_RE.match(value):
        return value.decode()
    return uuid.uuid4().hex


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


def _too_many(decision: Any) -> str:
    wait = decision.headers()["Retry-After"]
    return f"Too many requests from this client; retry in {wait} seconds."


async def _count_ip(limiter: Any, ip: str) -> Any:
    # On a store outage the 401 stands; the outage is already logged and counted.
    with contextlib.suppress(LimiterUnavailable):
        return await limiter.hit_ip(ip)
    return None


async def _send_problem(
    send: Send,
    status: int,
    code: str,
    detail: str,
    rid: str,
    headers: dict[str, str] | None = None,
) -> None:
    extra = None
    if headers and "Retry-After" in headers:
        extra = {"retry_after": int(headers["Retry-After"])}
    body = problem_body(status, code, detail, rid, extra=extra)
    raw = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    if status in (413, 415, 431):
        raw.append((b"connection", b"close"))  # the body may still be on the wire
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "replacement": True})
