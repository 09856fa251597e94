"""Deprecation clients can see: an operation marked `deprecated: true` in the contract, with
`x-deprecated-at` (a date) and optionally `x-sunset` (a date not before it), answers with
`Deprecation: @<unix seconds>` (RFC 9745), `Sunset: <HTTP-date>` (RFC 8594) and
`Link: <its reference>; rel="deprecation"` on every response it routes to (errors
included). The link is the operation's `externalDocs.url`, else its section of `/docs`.
Both SDKs warn when they see the header.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from typing import Any

from specserve import spec

Headers = tuple[tuple[bytes, bytes], ...]


def by_handler(contract: spec.Contract) -> dict[str, Headers]:
    """Each deprecated operation's headers, by handler name (the others have none)."""
    out = {}
    for name, operation in contract.operations.items():
        op = _raw(contract.raw, operation)
        if op.get("deprecated"):
            out[name] = headers(op, contract.base_path)
    return out


def headers(op: dict[str, Any], base_path: str) -> Headers:
    deprecated_at = _date(op["x-deprecated-at"])
    out = [(b"deprecation", f"@{_epoch(deprecated_at)}".encode())]
    if "x-sunset" in op:
        sunset = dt.datetime.combine(_date(op["x-sunset"]), dt.time(), dt.UTC)
        out.append((b"sunset", format_datetime(sunset, usegmt=True).encode()))
    link = (op.get("externalDocs") or {}).get("url") or (
        f"{base_path}/docs#tag/{op['tags'][0]}/operation/{op['operationId']}"
    )
    out.append((b"link", f'<{link}>; rel="deprecation"; type="text/html"'.encode()))
    return tuple(out)


def problems(raw: dict[str, Any]) -> list[str]:
    """What start-up and `make lint-spec` refuse: a deprecated operation without a valid
    `x-deprecated-at`, a sunset that is not a date or comes before the deprecation, or
    either date on an operation that is not deprecated."""
    found = []
    for operation in spec.parse_operations(raw).values():
        op = _raw(raw, operation)
        where = f"operation {operation.operation_id} ({operation.method} {operation.path})"
        if not op.get("deprecated"):
            if "x-deprecated-at" in op or "x-sunset" in op:
                found.append(f"{where}: x-deprecated-at/x-sunset need `deprecated: true`")
            continue
        if "x-deprecated-at" not in op:
            found.append(f"{where}: `deprecated: true` needs x-deprecated-at (YYYY-MM-DD)")
            continue
        try:
            at = _date(op["x-deprecated-at"])
            sunset = _date(op["x-sunset"]) if "x-sunset" in op else None
        except ValueError as exc:
            found.append(f"{where}: {exc}")
            continue
        if sunset is not None and sunset < at:
            found.append(f"{where}: x-sunset {sunset} is before x-deprecated-at {at}")
    return found


def _raw(raw: dict[str, Any], operation: spec.Operation) -> dict[str, Any]:
    op: dict[str, Any] = raw["paths"][operation.template][operation.method.lower()]
    return op


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _epoch(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp())
