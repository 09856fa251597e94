"""Typed domain errors and the one place that turns any error into the error shape.

Every 4xx/5xx leaves the service as `application/problem+json` with the spec's `Error`
schema: RFC 9457 members (`type`, `title`, `status`, `detail`) plus the stable `error` code,
`message`, `request_id` and `timestamp`, and `errors` (field paths) for validation failures.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import orjson
from connexion.exceptions import ProblemException
from starlette.exceptions import HTTPException

from specserve.http.context import request_id_of

log = logging.getLogger("specserve.errors")

PROBLEM_JSON = "application/problem+json"


class ApiError(Exception):
    """Base of the errors a handler or the runtime raises on purpose."""

    status = 500
    code = "internal_error"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class BadRequest(ApiError):
    status, code = 400, "validation_error"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "insufficient_scope"


class ModelNotFound(ApiError):
    status, code = 404, "model_not_found"


class TooManyRequests(ApiError):
    status, code = 429, "rate_limited"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(ApiError):
    status, code = 415, "unsupported_media_type"


class FeatureCountMismatch(ApiError):
    status, code = 422, "feature_count_mismatch"


class FeatureOutOfRange(ApiError):
    """A value the model's float32 graph cannot hold (beyond about ±3.4e38)."""

    status, code = 422, "feature_out_of_range"


class FeaturesRefused(ApiError):
    """The model itself refused the values (it raised `ValueError` on them)."""

    status, code = 422, "features_refused"


class ModelFault(ApiError):
    """The model failed, or answered something that is not a prediction."""

    status, code = 500, "model_error"


class ModelTimeout(ApiError):
    """The model call took longer than `SPECSERVE_PREDICT_TIMEOUT`."""

    status, code = 504, "model_timeout"


class ModelUnavailable(ApiError):
    status, code = 503, "model_unavailable"


class RateLimiterUnavailable(ApiError):
    status, code = 503, "rate_limiter_unavailable"


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def problem_body(
    status: int,
    code: str,
    detail: str,
    request_id: str,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> bytes:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "error": code,
        "message": detail,
        "request_id": request_id,
        "timestamp": utc_now_iso(),
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return orjson.dumps(body)


# Connexion's own problems, by status, mapped to our stable codes and safe messages.
_CONNEXION_CODES = {
    400: "validation_error",
    401: "unauthorized",
    403: "insufficient_scope",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}

WWW_AUTHENTICATE = 'ApiKey header="X-API-Key", Bearer realm="specserve"'
CLIENT_CHALLENGE = 'Basic realm="specserve", ApiKey header="X-API-Key"'
TOKEN_HANDLER = "handlers.auth.issue_token"


class TokenRequestError(ApiError):
    """RFC 6749 section 5.2 errors of the token endpoint (`error` is the RFC's code)."""

    status = 400

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def _www_authenticate(status: int, headers: dict[str, str]) -> None:
    if status == 401 and "WWW-Authenticate" not in headers:
        headers["WWW-Authenticate"] = WWW_AUTHENTICATE


def to_problem(
    exc: Exception, request_id: str, operation: str | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """(status, body, headers) for any exception; never leaks internals."""
    headers: dict[str, str] = {}
    extra: dict[str, Any] = {}
    if isinstance(exc, ApiError):
        status, code, detail, errors = exc.status, exc.code, exc.detail, exc.errors
        headers.update(exc.headers)
    elif isinstance(exc, ProblemException) and 400 <= exc.status < 500:
        status = exc.status
        code = _CONNEXION_CODES.get(status, "bad_request")
        detail = _connexion_detail(exc)
        errors = None
    elif isinstance(exc, HTTPException) and 400 <= exc.status_code < 500:
        status = exc.status_code
        code = _CONNEXION_CODES.get(status, "bad_request")
        detail = HTTPStatus(status).description or HTTPStatus(status).phrase
        if status == 404:
            detail = "No such resource."
        errors = None
        if exc.headers and "Allow" in exc.headers:
            headers["Allow"] = exc.headers["Allow"]
    else:
        status, code, errors = 500, "internal_error", None
        detail = "An internal error occurred; quote the request id when reporting it."
        log.error("unhandled error", exc_info=exc, extra={"request_id": request_id})
    if operation == TOKEN_HANDLER:
        if status == 401:  # RFC 6749 section 5.2
            code, detail = "invalid_client", "Client authentication failed."
            headers["WWW-Authenticate"] = CLIENT_CHALLENGE
        if status in (400, 401):
            extra["error_description"] = detail
    if status == 429 and "Retry-After" in headers:
        extra["retry_after"] = int(headers["Retry-After"])
    _www_authenticate(status, headers)
    return status, problem_body(status, code, detail, request_id, errors, extra), headers


def _connexion_detail(exc: ProblemException) -> str:
    detail = str(exc.detail or exc.title or "")
    if exc.status == 401:
        # Connexion's texts name its internals ("apikey", "token"); keep ours stable.
        return "Missing or invalid credentials."
    if exc.status == 405:
        return "Method not allowed."
    return detail[:500] or HTTPStatus(exc.status).phrase


async def handle_error(request: Any, exc: Exception) -> Any:
    """Connexion error handler: every error passes through here."""
    from connexion.lifecycle import ConnexionResponse

    scope = request.scope
    operation = scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
    status, body, headers = to_problem(exc, request_id_of(scope), operation)
    return ConnexionResponse(status_code=status, body=body, mimetype=PROBLEM_JSON, headers=headers)
