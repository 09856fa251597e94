"""The one place any error becomes the error shape (the spec's `Error` schema).

Every 4xx/5xx leaves the service as `application/problem+json`: RFC 9457 members (`type`,
`title`, `status`, `detail`) plus the stable `error` code, `message`, `request_id` and
`timestamp`, and `errors` (field paths) for validation failures. `render` turns an
exception into a `Problem`; the edge sends it over ASGI, Connexion's error handler wraps it
in a response, and the worker writes it as raw HTTP for requests too broken to reach the app.

Operations marked `x-error-dialect: rfc6749` in the spec (the token endpoint) also answer
in RFC 6749 section 5.2 terms: `error_description`, and `invalid_client` for a failed
client authentication.

The Open Inference Protocol's contract (`x-error-dialect: open-inference`, on every `/v2`
path, routed or refused before routing) answers the protocol's error object as
`application/json`: its clients show `error`, so there `error` is the message; the stable
code is `code`, beside `status`, `type`, `request_id` (and `errors`, `retry_after`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import orjson
from connexion.exceptions import ProblemException
from starlette.exceptions import HTTPException

from specserve.errors import ApiError

log = logging.getLogger("specserve.errors")

PROBLEM_JSON = "application/problem+json"
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store")]
WWW_AUTHENTICATE = 'ApiKey header="X-API-Key", Bearer realm="specserve"'
CLIENT_CHALLENGE = 'Basic realm="specserve", ApiKey header="X-API-Key"'
RFC6749 = "rfc6749"
OPEN_INFERENCE = "open-inference"
MAX_DETAIL = 500

# Connexion's own problems, by status, mapped to our stable codes and safe messages.
CONNEXION_CODES = {
    400: "validation_error",
    401: "unauthorized",
    403: "insufficient_scope",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


@dataclass(slots=True)
class Problem:
    status: int
    code: str
    detail: str
    errors: list[dict[str, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    closes: bool = False
    dialect: str | None = None

    @property
    def content_type(self) -> str:
        return "application/json" if self.dialect == OPEN_INFERENCE else PROBLEM_JSON

    def body(self, request_id: str) -> bytes:
        if self.dialect == OPEN_INFERENCE:
            return self._open_inference(request_id)
        try:
            title = HTTPStatus(self.status).phrase
        except ValueError:
            title = "Error"
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": title,
            "status": self.status,
            "detail": self.detail,
            "error": self.code,
            "message": self.detail,
            "request_id": request_id,
            "timestamp": utc_now_iso(),
        }
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return orjson.dumps(body)

    def _open_inference(self, request_id: str) -> bytes:
        body: dict[str, Any] = {
            "error": self.detail,
            "code": self.code,
            "status": self.status,
            "type": "about:blank",
            "request_id": request_id,
        }
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return orjson.dumps(body)

    def raw_headers(self, length: int) -> list[tuple[bytes, bytes]]:
        raw = [
            (b"content-type", self.content_type.encode()),
            (b"content-length", str(length).encode()),
        ]
        if self.closes:
            raw.append((b"connection", b"close"))
        raw += [(k.lower().encode(), v.encode()) for k, v in self.headers.items()]
        return raw


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def render(exc: BaseException, request_id: str, dialect: str | None = None) -> Problem:
    """The problem for any exception; never leaks internals (unexpected ones are logged)."""
    problem = _classify(exc, request_id)
    problem.dialect = dialect
    if dialect == RFC6749:
        if problem.status == 401:
            problem.code, problem.detail = "invalid_client", "Client authentication failed."
            problem.headers["WWW-Authenticate"] = CLIENT_CHALLENGE
        if problem.status in (400, 401):
            problem.extra["error_description"] = problem.detail
    if problem.status == 401:
        problem.headers.setdefault("WWW-Authenticate", WWW_AUTHENTICATE)
    if problem.status == 429 and "Retry-After" in problem.headers:
        problem.extra["retry_after"] = int(problem.headers["Retry-After"])
    return problem


def _classify(exc: BaseException, request_id: str) -> Problem:
    if isinstance(exc, ApiError):
        return Problem(
            exc.status, exc.code, exc.detail, exc.errors, dict(exc.headers), closes=exc.closes
        )
    if isinstance(exc, ProblemException) and 400 <= exc.status < 500:
        code = CONNEXION_CODES.get(exc.status, "bad_request")
        return Problem(exc.status, code, _connexion_detail(exc))
    if isinstance(exc, HTTPException) and 400 <= exc.status_code < 500:
        status = exc.status_code
        detail = HTTPStatus(status).description or HTTPStatus(status).phrase
        problem = Problem(
            status,
            CONNEXION_CODES.get(status, "bad_request"),
            "No such resource." if status == 404 else detail,
        )
        if exc.headers and "Allow" in exc.headers:
            problem.headers["Allow"] = exc.headers["Allow"]
        return problem
    log.error("unhandled error", exc_info=exc, extra={"request_id": request_id})
    detail = "An internal error occurred; quote the request id when reporting it."
    return Problem(500, "internal_error", detail)


def _connexion_detail(exc: ProblemException) -> str:
    if exc.status == 401:
        # Connexion's texts name its internals ("apikey", "token"); keep ours stable.
        return "Missing or invalid credentials."
    if exc.status == 405:
        return "Method not allowed."
    detail = str(exc.detail or exc.title or "")
    return detail[:MAX_DETAIL] or HTTPStatus(exc.status).phrase


async def send(send_: Any, problem: Problem, request_id: str) -> None:
    """Answer over ASGI (the edge's own refusals)."""
    body = problem.body(request_id)
    start = {"type": "http.response.start", "status": problem.status}
    await send_({**start, "headers": problem.raw_headers(len(body))})
    await send_({"type": "http.response.body", "body": body})


def standalone_headers(problem: Problem, request_id: str, length: int) -> list[tuple[bytes, bytes]]:
    """Headers of an answer no middleware sees (the worker's): ours added here, and the
    connection closed after it."""
    headers = [*problem.raw_headers(length), (b"x-request-id", request_id.encode())]
    headers += SECURITY_HEADERS
    if not problem.closes:
        headers.append((b"connection", b"close"))
    return headers


def http_bytes(problem: Problem, request_id: str, default_headers: Any = ()) -> bytes:
    """The whole HTTP/1.1 answer, for the worker's protocol (requests the app never sees)."""
    body = problem.body(request_id)
    phrase = HTTPStatus(problem.status).phrase.encode()
    head = [b"HTTP/1.1 %d %s\r\n" % (problem.status, phrase)]
    headers = [*default_headers, *standalone_headers(problem, request_id, len(body))]
    head += [name + b": " + value + b"\r\n" for name, value in headers]
    return b"".join(head) + b"\r\n" + body
