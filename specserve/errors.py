"""Typed domain errors: the runtime and the edge raise these; `specserve.http.problems`
renders every one of them (and anything unexpected) into the one error shape.

Each class names its HTTP status and its stable `error` code; the message is the `detail`.
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of the errors the service raises on purpose."""

    status = 500
    code = "internal_error"
    closes = False  # the connection is closed after the answer (the body may still be unread)

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        detail = detail if detail is not None else self.default_detail()
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        if code is not None:
            self.code = code

    @classmethod
    def default_detail(cls) -> str:
        return (cls.__doc__ or "").strip().split("\n")[0]


class BadRequest(ApiError):
    """The request is invalid."""

    status, code = 400, "validation_error"


class MalformedRequest(ApiError):
    """The HTTP request is malformed."""

    status, code, closes = 400, "malformed_request", True


class BadContentLength(ApiError):
    """Content-Length is not a number."""

    status, code, closes = 400, "bad_request", True


class Unauthorized(ApiError):
    """Missing or invalid credentials."""

    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    """The credentials do not allow this operation."""

    status, code = 403, "insufficient_scope"


class ModelForbidden(Forbidden):
    """The credentials do not allow this model (a key limited to other models)."""

    code = "model_not_allowed"


class NotFound(ApiError):
    """No such resource."""

    status, code = 404, "not_found"


class MethodNotAllowed(ApiError):
    """This path does not take that method."""

    status, code = 405, "method_not_allowed"


class ModelNotFound(ApiError):
    """The model does not exist."""

    status, code = 404, "model_not_found"


class RequestTimeout(ApiError):
    """The request head did not arrive in time."""

    status, code, closes = 408, "request_timeout", True


class PayloadTooLarge(ApiError):
    """The request body is too large."""

    status, code, closes = 413, "payload_too_large", True


class UnsupportedMediaType(ApiError):
    """The request's media type or encoding is not supported."""

    status, code, closes = 415, "unsupported_media_type", True


class FeatureCountMismatch(ApiError):
    """The features do not fit the model."""

    status, code = 422, "feature_count_mismatch"


class TooManyRequests(ApiError):
    """Too many requests."""

    status, code = 429, "rate_limited"


class CostExceedsLimit(TooManyRequests):
    """The request costs more than the whole limit of its key: no wait admits it."""

    code = "cost_exceeds_limit"


class QuotaExceeded(TooManyRequests):
    """The key's quota for this period is used up: retry when it resets (`Retry-After`)."""

    code = "quota_exceeded"


class HeadersTooLarge(ApiError):
    """The request headers are too large."""

    status, code, closes = 431, "headers_too_large", True


class FeatureOutOfRange(ApiError):
    """A value the model's float32 graph cannot hold (beyond about ±3.4e38)."""

    status, code = 422, "feature_out_of_range"


class FeaturesRefused(ApiError):
    """The model itself refused the values (it raised `ValueError` on them)."""

    status, code = 422, "features_refused"


class ModelFault(ApiError):
    """The model failed, or answered something that is not a prediction."""

    status, code = 500, "model_error"


class ModelResourceLimit(ApiError):
    """The model call needed more memory than the worker allows its models
    (`SPECSERVE_ONNX_MAX_MEMORY_BYTES`)."""

    status, code = 500, "model_resource_limit"


class ModelTimeout(ApiError):
    """The model call took longer than `SPECSERVE_PREDICT_TIMEOUT`."""

    status, code = 504, "model_timeout"


class ModelUnavailable(ApiError):
    """The model is not available."""

    status, code = 503, "model_unavailable"


class ServerBusy(ApiError):
    """This server holds too many connections; retry shortly."""

    status, code, closes = 503, "server_busy", True


class TooManyConnections(ApiError):
    """This address holds too many connections to this server; reuse or close some."""

    status, code, closes = 429, "too_many_connections", True


class RateLimiterUnavailable(ApiError):
    """The rate limiter is unavailable; retry shortly."""

    status, code = 503, "rate_limiter_unavailable"


class UsageUnavailable(ApiError):
    """Usage cannot be read right now (its store is out of reach); retry shortly."""

    status, code = 503, "usage_unavailable"


class KeyStoreStale(ApiError):
    """The API key store has been out of reach too long to trust a key; retry shortly."""

    status, code = 503, "key_store_unavailable"


class TokenIssuanceDisabled(ApiError):
    """This service issues no tokens: set SPECSERVE_JWT_SECRET to enable them."""

    status, code = 503, "token_issuance_disabled"


class TokenRequestError(ApiError):
    """RFC 6749 section 5.2 errors of the token endpoint (`code` is the RFC's error code)."""

    status = 400

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail, code=code)


class NotImplementedYet(ApiError):
    """This operation is in the contract but not implemented yet."""

    status, code = 501, "not_implemented"
