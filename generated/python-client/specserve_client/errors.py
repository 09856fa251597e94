# generated from openapi/openapi.yaml by `make generate` — do not edit
"""Errors: `APIError` and its subclasses (raised by SpecserveClient and AsyncSpecserveClient),
and `UnexpectedStatus` (raised by the per-operation functions under `api/`).

    APIError
    ├── APIConnectionError          the service could not be reached, or the connection broke
    │   └── APITimeoutError         no answer within the timeout
    └── APIStatusError              the service (or a proxy in front of it) answered an error status
        ├── BadRequestError 400, AuthenticationError 401, PermissionDeniedError 403,
        │   NotFoundError 404, RequestTimeoutError 408, ConflictError 409,
        │   PayloadTooLargeError 413, UnsupportedMediaTypeError 415,
        │   UnprocessableEntityError 422, RateLimitError 429, HeadersTooLargeError 431
        └── InternalServerError >= 500
            ├── BadGatewayError 502, ServiceUnavailableError 503, GatewayTimeoutError 504
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .models.error import Error


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class APIError(Exception):
    """Every error the high-level clients raise. `request` is the httpx request, when one was made."""

    message: str
    request: httpx.Request | None

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class MissingCredentialsError(APIError):
    """A client built without a key: no `api_key=`, no `token=` and no `$SPECSERVE_API_KEY`."""


class APIConnectionError(APIError):
    """The service could not be reached, or the connection broke (after the retries)."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """No answer within the timeout (after the retries)."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIStatusError(APIError):
    """An error status. `code` is the problem's stable `error` code (`http_<status>` when the
    body is not a problem document, e.g. a proxy's HTML page); `body` the decoded JSON body (a
    dict, empty when there is none); `response` the raw httpx response."""

    status_code: int
    code: str
    request_id: str | None
    body: dict[str, Any]
    response: httpx.Response

    def __init__(self, message: str, *, response: httpx.Response, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(message, request=response.request if _has_request(response) else None)
        self.response = response
        self.status_code = response.status_code
        self.body = dict(body or {})
        self.code = str(self.body.get("error") or f"http_{response.status_code}")
        self.request_id = _str_or_none(self.body.get("request_id")) or response.headers.get("x-request-id")

    def __str__(self) -> str:
        return f"{self.status_code} {self.code}: {self.message} (request id {self.request_id})"

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def type(self) -> str | None:
        """The problem's `type` URI (RFC 9457)."""
        return _str_or_none(self.body.get("type"))

    @property
    def title(self) -> str | None:
        return _str_or_none(self.body.get("title"))

    @property
    def detail(self) -> str | None:
        return _str_or_none(self.body.get("detail"))

    @property
    def errors(self) -> list[dict[str, Any]]:
        """For validation failures: one `{path, message}` per offending field."""
        found = self.body.get("errors")
        return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []

    @property
    def problem(self) -> Error | None:
        """The body as the spec's `Error` model, None when it is not a conforming document."""
        from .models.error import Error

        try:
            return Error.from_dict(self.body)
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def status(self) -> int:
        """Deprecated: use `status_code`."""
        warnings.warn("APIStatusError.status is deprecated; use status_code", DeprecationWarning, stacklevel=2)
        return self.status_code

    @property
    def error(self) -> str:
        """Deprecated: use `code` (the same name as in the TypeScript SDK)."""
        warnings.warn("APIStatusError.error is deprecated; use code", DeprecationWarning, stacklevel=2)
        return self.code


class BadRequestError(APIStatusError):
    """400: the request is malformed or does not match the schema."""


class AuthenticationError(APIStatusError):
    """401: no credentials, or credentials that are not valid."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials lack the operation's scope."""


class NotFoundError(APIStatusError):
    """404: the model (or resource) does not exist."""


class RequestTimeoutError(APIStatusError):
    """408: the service (or a proxy) gave up waiting for the request."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state."""


class PayloadTooLargeError(APIStatusError):
    """413: the body is larger than the service (or a proxy in front of it) accepts."""


class UnsupportedMediaTypeError(APIStatusError):
    """415: the body is not of a content type the operation accepts."""


class UnprocessableEntityError(APIStatusError):
    """422: the request does not fit the model (e.g. wrong feature count)."""


class RateLimitError(APIStatusError):
    """429: the rate limit is exhausted; `retry_after` is the wait the service asked for."""

    @property
    def retry_after(self) -> float | None:
        return retry_after_seconds(self.response.headers)


class HeadersTooLargeError(APIStatusError):
    """431: too many request headers, or too large."""


class InternalServerError(APIStatusError):
    """500, and every other 5xx without a class of its own."""


class BadGatewayError(InternalServerError):
    """502: a proxy in front of the service got no valid answer from it."""


class ServiceUnavailableError(InternalServerError):
    """503: the model or a dependency of the service is not available (or a proxy says so)."""


class GatewayTimeoutError(InternalServerError):
    """504: a proxy in front of the service gave up waiting for it."""


# Deprecated names, kept so that code written against earlier versions keeps working.
UnprocessableError = UnprocessableEntityError

STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    431: HeadersTooLargeError,
    500: InternalServerError,
    502: BadGatewayError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
}


def error_class(status: int) -> type[APIStatusError]:
    """The class for `status`: its own, InternalServerError for any other 5xx, else APIStatusError."""
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    return InternalServerError if status >= 500 else APIStatusError


def make_status_error(response: httpx.Response) -> APIStatusError:
    """The APIStatusError subclass for the response, whatever its body (JSON, HTML, empty)."""
    content = response.content
    body: dict[str, Any] = {}
    try:
        decoded = json.loads(content) if content else None
    except ValueError:
        decoded = None
    if isinstance(decoded, dict):
        body = decoded
    message = body.get("message") or body.get("detail") or _text_summary(content, response)
    return error_class(response.status_code)(str(message), response=response, body=body)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date), None if absent."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait the response asks for: `Retry-After`, else the `RateLimit` reset (`t=`), else
    `X-RateLimit-Reset` (epoch seconds); None when it names none."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if (wait := parse_retry_after(lowered.get("retry-after"))) is not None:
        return wait
    for item in lowered.get("ratelimit", "").split(";"):
        name, _, value = item.strip().partition("=")
        if name == "t":
            try:
                return max(0.0, float(value))
            except ValueError:
                break
    try:
        reset = float(lowered["x-ratelimit-reset"])
    except (KeyError, ValueError):
        return None
    return max(0.0, reset - datetime.now(UTC).timestamp())


def _text_summary(content: bytes, response: httpx.Response) -> str:
    text = " ".join(content[:300].decode(errors="replace").split())
    return text or response.reason_phrase or f"HTTP {response.status_code}"


def _has_request(response: httpx.Response) -> bool:
    try:
        response.request
    except RuntimeError:
        return False
    return True


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


__all__ = [
    "MissingCredentialsError",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadGatewayError",
    "BadRequestError",
    "ConflictError",
    "GatewayTimeoutError",
    "HeadersTooLargeError",
    "InternalServerError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "ServiceUnavailableError",
    "UnexpectedStatus",
    "UnprocessableEntityError",
    "UnprocessableError",
    "UnsupportedMediaTypeError",
    "error_class",
    "make_status_error",
    "parse_retry_after",
    "retry_after_seconds",
]
