"""W3C Trace Context on the request path without the OpenTelemetry SDK.

`parse` reads a `traceparent` header with one regex (version 00 framing; other versions
are read by their first four fields, as the spec asks). An invalid header is ignored: the
request simply has no incoming trace. `ACTIVE` holds the request's spans when OTLP export is
configured (`specserve.observability.otlp`); with tracing off it stays None, and `child` and
`model_span` cost one context-variable read and hand back a no-op context manager.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from typing import Any

TRACEPARENT = re.compile(
    rb"\A[ \t]*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[^\r\n]*)?[ \t]*\Z"
)
# W3C Trace Context, `tracestate`: up to 32 `key=value` members; a key is a simple or a
# `tenant@system` key, a value printable ASCII but `,` and `=`, at most 256 characters
TRACESTATE_MEMBER = re.compile(
    rb"\A(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})"
    rb"=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]\Z"
)
MAX_MEMBERS = 32
MAX_TRACESTATE = 512  # what every participant must pass on; longer headers are dropped
ZERO_TRACE = b"0" * 32
ZERO_SPAN = b"0" * 16
ACTIVE: ContextVar[Any] = ContextVar("specserve_tracing", default=None)
NO_SPAN: AbstractContextManager[Any] = nullcontext()  # reusable: it keeps no state


def child(name: str) -> AbstractContextManager[Any]:
    """A child span of the request's (`auth.api_key`, `access`), or nothing without OTLP."""
    spans = ACTIVE.get()
    return NO_SPAN if spans is None else spans.child(name)


def model_span(model: Any, rows: int) -> AbstractContextManager[Any]:
    """The `model.call` span (model, version, rows), or nothing without OTLP."""
    spans = ACTIVE.get()
    return NO_SPAN if spans is None else spans.model_span(model, rows)


def parse(value: bytes | None) -> tuple[str, str, str] | None:
    """(trace id, parent span id, flags) of a valid header, else None."""
    if not value:
        return None
    m = TRACEPARENT.match(value)
    if m is None:
        return None
    version, trace_id, span_id, flags, rest = m.groups()
    if version == b"ff" or trace_id == ZERO_TRACE or span_id == ZERO_SPAN:
        return None
    if version == b"00" and rest:
        return None  # version 00 has exactly four fields
    return trace_id.decode(), span_id.decode(), flags.decode()


def canonical(parsed: tuple[str, str, str]) -> bytes:
    """A parsed `traceparent` as version 00 (what this service speaks): a header of a later
    version is passed back by its first four fields, never its unvalidated tail."""
    trace_id, span_id, flags = parsed
    return f"00-{trace_id}-{span_id}-{flags}".encode()


def valid_tracestate(value: bytes) -> bytes | None:
    """The header if it is valid Trace Context, within 32 members and 512 bytes; else None
    (an invalid `tracestate` is discarded whole, as the W3C recommendation says)."""
    value = value.strip(b" \t")
    if not value or len(value) > MAX_TRACESTATE:
        return None
    members = [m.strip(b" \t") for m in value.split(b",")]
    members = [m for m in members if m]  # empty members are allowed and dropped
    if len(members) > MAX_MEMBERS or not all(TRACESTATE_MEMBER.match(m) for m in members):
        return None
    return b",".join(members)
