# generated from openapi/openapi.yaml by `make generate` — do not edit
"""Errors raised by the client: UnexpectedStatus (per-operation functions) and APIError (one
class per error status, raised by SpecserveClient and AsyncSpecserveClient)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC
from typing import TYPE_CHECKING, Any

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
    """An error response: `status`, the stable `error` code, `message` and `request_id`.

    `body` is the whole problem document (the spec's `Error` schema) as a dict, `headers` the
    response headers.
    """

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        request_id: str | None,
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.error = error
        self.message = message
        self.request_id = request_id
        self.body: dict[str, Any] = dict(body or {})
        self.headers: dict[str, str] = dict(headers or {})
        super().__init__(f"{status} {error}: {message} (request id {request_id})")

    @property
    def problem(self) -> Error | None:
        """The body as the spec's `Error` model, None when it is not a conforming document."""
        from .models.error import Error

        try:
            return Error.from_dict(self.body)
        except (KeyError, TypeError, ValueError):
            return None


class BadRequestError(APIError):
    """400: the request is malformed or does not match the schema."""


class AuthenticationError(APIError):
    """401: no credentials, or credentials that are not valid."""


class PermissionDeniedError(APIError):
    """403: the credentials lack the operation's scope."""


class NotFoundError(APIError):
    """404: the model (or resource) does not exist."""


class UnprocessableError(APIError):
    """422: the request does not fit the model (e.g. wrong feature count)."""


class RateLimitError(APIError):
    """429: the rate limit is exhausted; `retry_after` is the wait the service asked for."""

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


class InternalServerError(APIError):
    """500: an unexpected error in the service."""


class ServiceUnavailableError(APIError):
    """503: the model or a dependency of the service is not available."""


class APIConnectionError(Exception):
    """The service could not be reached (after the configured retries)."""


STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableError,
    429: RateLimitError,
    500: InternalServerError,
    503: ServiceUnavailableError,
}


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date), None if absent."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from datetime import datetime
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def error_from_response(status: int, content: bytes, headers: Mapping[str, str]) -> APIError:
    """The APIError subclass for `status`, filled from the problem document when there is one."""
    body: dict[str, Any] = {}
    try:
        decoded = json.loads(content) if content else {}
        if isinstance(decoded, dict):
            body = decoded
    except ValueError:
        pass
    lowered = {k.lower(): v for k, v in headers.items()}
    request_id = body.get("request_id") or lowered.get("x-request-id")
    error = str(body.get("error") or f"http_{status}")
    message = str(body.get("message") or body.get("detail") or content[:200].decode(errors="replace"))
    cls = STATUS_ERRORS.get(status, APIError)
    return cls(status, error, message, request_id, body, lowered)


__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServiceUnavailableError",
    "UnexpectedStatus",
    "UnprocessableError",
    "error_from_response",
    "parse_retry_after",
]
