# generated from openapi/openapi.yaml by `make generate` — do not edit
"""A client library for accessing ML Model Inference API

`SpecserveClient` / `AsyncSpecserveClient`: one method per operation of the spec, typed results,
retries, timeouts, one exception class per error status (see `errors`). `Client` /
`AuthenticatedClient` with the functions under `specserve_client.api`: every operation, as
generated from the spec, without retries.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Self, cast
from urllib.parse import quote

import httpx

from .client import AuthenticatedClient, Client
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadGatewayError,
    BadRequestError,
    ConflictError,
    GatewayTimeoutError,
    HeadersTooLargeError,
    InternalServerError,
    MissingCredentialsError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServiceUnavailableError,
    UnprocessableEntityError,
    UnprocessableError,
    UnsupportedMediaTypeError,
)
from .lib._base_client import (
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_LOG,
    NO_RETRIES,
    APIResponse,
    AsyncAPIClient,
    Request,
    RetryPolicy,
    SyncAPIClient,
)
from .lib._deprecation import APIDeprecationWarning
from .models import (
    BatchPredictionRequest,
    BatchPredictionResponse,
    CanarySplitType0,
    Error,
    FieldError,
    Health,
    HealthCheckResult,
    HealthChecks,
    ModelInput,
    ModelList,
    ModelMetadata,
    ModelMetadataInputSchema,
    ModelMetadataMetrics,
    ModelRollout,
    ModelSummary,
    NamedFeatures,
    OpenApiDocument,
    OpenApiDocumentInfo,
    OpenApiDocumentPaths,
    ParityType0,
    PredictionMetadata,
    PredictionRequest,
    PredictionResponse,
    ShadowAgreement,
    ShadowAgreementAbsDiffType0Item,
    ShadowVersionType0,
    TokenRequest,
    TokenResponse,
    Usage,
    UsageCounts,
    UsageDay,
    UsageList,
    UsageQuotaType0,
    UsageRow,
)
from .types import UNSET, Unset

__version__ = "1.3.0"
USER_AGENT = f"specserve-client-python/{__version__}"


def _text(response: httpx.Response) -> str:
    return response.text


def _json(response: httpx.Response) -> Any:
    return response.json()


def _plain(value: Any) -> Any:
    return value.to_dict() if hasattr(value, "to_dict") else value


class _Mapping(dict[str, Any]):
    """A plain mapping where the body takes a model (named features): sent as it is."""

    def to_dict(self) -> dict[str, Any]:
        return dict(self)


def _coerce(value: Any) -> Any:
    if isinstance(value, Mapping) and not hasattr(value, "to_dict"):
        return _Mapping(value)
    return value


def _predict(
    features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
    *,
    metadata: None | PredictionMetadata = None,
    probabilities: bool = False,
    scores: bool = False,
) -> Request[PredictionResponse]:
    body = PredictionRequest(
        features=_coerce(features),
        metadata=_coerce(metadata),
    )
    params = {
        "probabilities": _plain(probabilities),
        "scores": _plain(scores),
    }
    return Request(
        "POST",
        "/predict",
        parse=lambda response: PredictionResponse.from_dict(response.json()),
        idempotent=True,
        operation="predict",
        json=body.to_dict(),
        params={k: v for k, v in params.items() if v is not None and not isinstance(v, Unset)},
    )


def _batch_predict(
    requests: list[PredictionRequest],
    *,
    probabilities: bool = False,
    scores: bool = False,
) -> Request[BatchPredictionResponse]:
    body = BatchPredictionRequest(
        requests=_coerce(requests),
    )
    params = {
        "probabilities": _plain(probabilities),
        "scores": _plain(scores),
    }
    return Request(
        "POST",
        "/batch_predict",
        parse=lambda response: BatchPredictionResponse.from_dict(response.json()),
        idempotent=True,
        operation="batch_predict",
        json=body.to_dict(),
        params={k: v for k, v in params.items() if v is not None and not isinstance(v, Unset)},
    )


def _list_models() -> Request[ModelList]:
    return Request(
        "GET",
        "/models",
        parse=lambda response: ModelList.from_dict(response.json()),
        idempotent=True,
        operation="list_models",
    )


def _get_model(
    model_name: str,
) -> Request[ModelMetadata]:
    return Request(
        "GET",
        "/models/{model_name}".format(
            model_name=quote(str(model_name), safe=""),
        ),
        parse=lambda response: ModelMetadata.from_dict(response.json()),
        idempotent=True,
        operation="get_model",
    )


def _predict_with_model(
    model_name: str,
    features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
    *,
    metadata: None | PredictionMetadata = None,
    probabilities: bool = False,
    scores: bool = False,
) -> Request[PredictionResponse]:
    body = PredictionRequest(
        features=_coerce(features),
        metadata=_coerce(metadata),
    )
    params = {
        "probabilities": _plain(probabilities),
        "scores": _plain(scores),
    }
    return Request(
        "POST",
        "/models/{model_name}/predict".format(
            model_name=quote(str(model_name), safe=""),
        ),
        parse=lambda response: PredictionResponse.from_dict(response.json()),
        idempotent=True,
        operation="predict_with_model",
        json=body.to_dict(),
        params={k: v for k, v in params.items() if v is not None and not isinstance(v, Unset)},
    )


def _batch_predict_with_model(
    model_name: str,
    requests: list[PredictionRequest],
    *,
    probabilities: bool = False,
    scores: bool = False,
) -> Request[BatchPredictionResponse]:
    body = BatchPredictionRequest(
        requests=_coerce(requests),
    )
    params = {
        "probabilities": _plain(probabilities),
        "scores": _plain(scores),
    }
    return Request(
        "POST",
        "/models/{model_name}/batch_predict".format(
            model_name=quote(str(model_name), safe=""),
        ),
        parse=lambda response: BatchPredictionResponse.from_dict(response.json()),
        idempotent=True,
        operation="batch_predict_with_model",
        json=body.to_dict(),
        params={k: v for k, v in params.items() if v is not None and not isinstance(v, Unset)},
    )


def _get_model_contract(
    model_name: str,
) -> Request[OpenApiDocument]:
    return Request(
        "GET",
        "/models/{model_name}/openapi.json".format(
            model_name=quote(str(model_name), safe=""),
        ),
        parse=lambda response: OpenApiDocument.from_dict(response.json()),
        idempotent=True,
        operation="get_model_contract",
    )


def _get_model_version(
    model_name: str,
    version: str,
) -> Request[ModelMetadata]:
    return Request(
        "GET",
        "/models/{model_name}/versions/{version}".format(
            model_name=quote(str(model_name), safe=""),
            version=quote(str(version), safe=""),
        ),
        parse=lambda response: ModelMetadata.from_dict(response.json()),
        idempotent=True,
        operation="get_model_version",
    )


def _get_model_version_contract(
    model_name: str,
    version: str,
) -> Request[OpenApiDocument]:
    return Request(
        "GET",
        "/models/{model_name}/versions/{version}/openapi.json".format(
            model_name=quote(str(model_name), safe=""),
            version=quote(str(version), safe=""),
        ),
        parse=lambda response: OpenApiDocument.from_dict(response.json()),
        idempotent=True,
        operation="get_model_version_contract",
    )


def _predict_with_model_version(
    model_name: str,
    version: str,
    features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
    *,
    metadata: None | PredictionMetadata = None,
    probabilities: bool = False,
    scores: bool = False,
) -> Request[PredictionResponse]:
    body = PredictionRequest(
        features=_coerce(features),
        metadata=_coerce(metadata),
    )
    params = {
        "probabilities": _plain(probabilities),
        "scores": _plain(scores),
    }
    return Request(
        "POST",
        "/models/{model_name}/versions/{version}/predict".format(
            model_name=quote(str(model_name), safe=""),
            version=quote(str(version), safe=""),
        ),
        parse=lambda response: PredictionResponse.from_dict(response.json()),
        idempotent=True,
        operation="predict_with_model_version",
        json=body.to_dict(),
        params={k: v for k, v in params.items() if v is not None and not isinstance(v, Unset)},
    )


def _batch_predict_with_model_version(
    model_name: str,
    version: str,
    requests: list[PredictionRequest],
    *,
    probabilities: bool = False,
    scores: bool = False,
) -> Request[BatchPredictionResponse]:
    body = BatchPredictionRequest(
        requests=_coerce(requests),
    )
    params = {
        "probabilities": _plain(probabilities),
        "scores": _plain(scores),
    }
    return Request(
        "POST",
        "/models/{model_name}/versions/{version}/batch_predict".format(
            model_name=quote(str(model_name), safe=""),
            version=quote(str(version), safe=""),
        ),
        parse=lambda response: BatchPredictionResponse.from_dict(response.json()),
        idempotent=True,
        operation="batch_predict_with_model_version",
        json=body.to_dict(),
        params={k: v for k, v in params.items() if v is not None and not isinstance(v, Unset)},
    )


def _issue_token(
    *,
    grant_type: str = "client_credentials",
    scope: str | None = None,
) -> Request[TokenResponse]:
    body = TokenRequest(
        grant_type=_coerce(grant_type),
        scope=_coerce(scope),
    )
    return Request(
        "POST",
        "/auth/token",
        parse=lambda response: TokenResponse.from_dict(response.json()),
        idempotent=False,
        operation="issue_token",
        data=body.to_dict(),
    )


def _reload_models() -> Request[ModelList]:
    return Request(
        "POST",
        "/admin/models/reload",
        parse=lambda response: ModelList.from_dict(response.json()),
        idempotent=True,
        operation="reload_models",
    )


def _list_usage(
    *,
    from_: datetime.date | None = None,
    to: datetime.date | None = None,
    key_id: str | None = None,
    identity: str | None = None,
    limit: int = 1000,
) -> Request[UsageList]:
    params = {
        "from": _plain(from_),
        "to": _plain(to),
        "key_id": _plain(key_id),
        "identity": _plain(identity),
        "limit": _plain(limit),
    }
    return Request(
        "GET",
        "/admin/usage",
        parse=lambda response: UsageList.from_dict(response.json()),
        idempotent=True,
        operation="list_usage",
        params={k: v for k, v in params.items() if v is not None and not isinstance(v, Unset)},
    )


def _get_usage(
    *,
    from_: datetime.date | None = None,
    to: datetime.date | None = None,
) -> Request[Usage]:
    params = {
        "from": _plain(from_),
        "to": _plain(to),
    }
    return Request(
        "GET",
        "/usage",
        parse=lambda response: Usage.from_dict(response.json()),
        idempotent=True,
        operation="get_usage",
        params={k: v for k, v in params.items() if v is not None and not isinstance(v, Unset)},
    )


def _health_check() -> Request[Health]:
    return Request(
        "GET",
        "/health",
        parse=lambda response: Health.from_dict(response.json()),
        idempotent=True,
        operation="health_check",
        also_ok=frozenset({503}),
    )


def _get_metrics() -> Request[str]:
    return Request(
        "GET",
        "/metrics",
        parse=lambda response: _text(response),
        idempotent=True,
        operation="get_metrics",
    )


def _get_docs() -> Request[str]:
    return Request(
        "GET",
        "/docs",
        parse=lambda response: _text(response),
        idempotent=True,
        operation="get_docs",
    )


Features = Sequence[float] | Mapping[str, float | str | bool | None] | NamedFeatures
"""One row: numbers in the model's input order, or a mapping of input name to value."""
Row = Features | PredictionRequest
"""A batch row: features as above, or a whole `PredictionRequest` (features and metadata)."""
Prediction = PredictionResponse
BatchPrediction = BatchPredictionResponse


def _features(features: Features) -> list[float] | NamedFeatures | _Mapping:
    if isinstance(features, NamedFeatures):
        return features
    if isinstance(features, Mapping):
        return _Mapping(features)
    if isinstance(features, (str, bytes)):
        raise TypeError("features: a list of numbers or a mapping of input names to values, not a string")
    return list(features)


def _check_route(model: str | None, version: str | None) -> None:
    if version is not None and model is None:
        raise ValueError(f"version={version!r} needs model=: pass the model's name too")


def _prediction(
    features: Features,
    model: str | None,
    version: str | None,
    metadata: PredictionMetadata | None,
    probabilities: bool,
    scores: bool,
) -> Request[PredictionResponse]:
    _check_route(model, version)
    row = cast(Any, _features(features))
    options: dict[str, Any] = {"metadata": metadata, "probabilities": probabilities, "scores": scores}
    if model is None:
        return _predict(row, **options)
    if version is None:
        return _predict_with_model(model, row, **options)
    return _predict_with_model_version(model, version, row, **options)


def _batch(
    rows: Sequence[Row] | None,
    requests: Sequence[PredictionRequest] | None,
    model: str | None,
    version: str | None,
    probabilities: bool,
    scores: bool,
) -> Request[BatchPredictionResponse]:
    _check_route(model, version)
    if (rows is None) == (requests is None):
        raise TypeError("batch_predict takes the rows (or, as the spec names them, requests=), once")
    given: Sequence[Row] = rows if rows is not None else cast(Sequence[Row], requests)
    body = [
        row if isinstance(row, PredictionRequest) else PredictionRequest(features=cast(Any, _features(row)))
        for row in given
    ]
    options: dict[str, Any] = {"probabilities": probabilities, "scores": scores}
    if model is None:
        return _batch_predict(body, **options)
    if version is None:
        return _batch_predict_with_model(model, body, **options)
    return _batch_predict_with_model_version(model, version, body, **options)


class SpecserveClient(SyncAPIClient):
    """Synchronous client: one method per operation of the spec.

    `SpecserveClient()` reads `$SPECSERVE_BASE_URL` and `$SPECSERVE_API_KEY`; or pass
    `base_url`, `api_key=` (sent as `X-API-Key`) or `token=` (`Authorization: Bearer`).
    Options for every call: `timeout`, `max_retries` (or `retry=RetryPolicy(...)`), `headers`;
    for one call, each method's `timeout`, `max_retries`, `extra_headers`; `with_options()`
    for a client with other defaults; `with_raw_response.<method>(...)` for the status and
    headers. Errors raise the `APIError` tree (see `errors`).
    """

    @property
    def with_raw_response(self) -> SpecserveClientWithRawResponse:
        """The same methods, returning an `APIResponse` (status, headers, `parse()`)."""
        return SpecserveClientWithRawResponse(self)

    def predict(
        self,
        features: Features,
        *,
        model: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
        metadata: PredictionMetadata | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> PredictionResponse:
        """One prediction, from any model and version.

        `features`: numbers in the model's input order (`[52000, 9000, 41]`) or a mapping of
        input name to value (`{"income": 52000, "city": "paris"}`, required by a model with
        string inputs). Without `model`, the service's default model (`POST /predict`); with
        `model`, its default version (`POST /models/{model}/predict`); with `model` and
        `version`, that version. `probabilities=True` adds `probabilities` (one per class),
        `scores=True` adds `score` (outlier detectors); both stay None when the model gives
        none. `metadata=PredictionMetadata(request_id=...)` names the prediction.

        Raises:
            ValueError: `version` without `model` (before any request).
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            NotFoundError: 404, The model does not exist.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.
        """
        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(_prediction(features, model, version, metadata, probabilities, scores), settings)

    def batch_predict(
        self,
        rows: Sequence[Row] | None = None,
        *,
        model: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
        requests: Sequence[PredictionRequest] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> BatchPredictionResponse:
        """Up to 100 predictions in one request, in order, from any model and version.

        `rows`: each a list of numbers or a mapping of input name to value (or a whole
        `PredictionRequest`); `model`, `version`, `probabilities`, `scores` as in `predict`.
        `requests=[PredictionRequest(...)]`, the spec's name, is taken too.

        Raises:
            ValueError: `version` without `model` (before any request).
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            NotFoundError: 404, The model does not exist.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.
            (A 429 `cost_exceeds_limit`, more rows than the key may ever send at once, is
            raised at once, without retries.)
        """
        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(_batch(rows, requests, model, version, probabilities, scores), settings)

    def list_models(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ModelList:
        """List models

        The models the service holds, each with the version it serves and the versions on disk.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            ModelList
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(_list_models(), settings)

    def get_model(
        self,
        model_name: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ModelMetadata:
        """Model metadata

        Version, features, classes, description and held-out metrics of one model.

        Args:
            model_name (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            ModelMetadata
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _get_model(
                model_name,
            ),
            settings,
        )

    def predict_with_model(
        self,
        model_name: str,
        features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
        *,
        metadata: None | PredictionMetadata = None,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> PredictionResponse:
        """Single prediction with a named model

        Same as `POST /predict`, with the model named in the path.

        Args:
            model_name (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            features (list[float] | NamedFeatures): The row to score, in either form: a list
                of finite numbers in the model's input
                order (`[52000, 9000, 41]`), or an object keyed by input name
                (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
                inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
                types, categories, which may be null) and their JSON Schema (`input_schema`).
            metadata (None | PredictionMetadata | Unset): Optional client metadata;
                `request_id` is echoed in the response.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            PredictionResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _predict_with_model(
                model_name,
                features=features,
                metadata=metadata,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    def batch_predict_with_model(
        self,
        model_name: str,
        requests: list[PredictionRequest],
        *,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> BatchPredictionResponse:
        """Batch predictions with a named model

        Same as `POST /batch_predict`, with the model named in the path.

        Args:
            model_name (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            requests (list[PredictionRequest]):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            BatchPredictionResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _batch_predict_with_model(
                model_name,
                requests=requests,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    def get_model_contract(
        self,
        model_name: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> OpenApiDocument:
        """The model's own OpenAPI document

        This model's own contract: the model operations of this API (metadata, predict,
        batch predict) with `features` specialised to the model's inputs (names, types,
        categories, which may be null) and `label` to its classes, derived from the serving
        version's signature when it loads. Generate a typed client from it
        (`specserve models sdk NAME`).

        Args:
            model_name (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            OpenApiDocument
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _get_model_contract(
                model_name,
            ),
            settings,
        )

    def get_model_version(
        self,
        model_name: str,
        version: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ModelMetadata:
        """Metadata of one model version

        Like `GET /models/{model_name}`, for any version on disk (see `versions` in
        `GET /models`), whether or not it is the one the unversioned routes serve.

        Args:
            model_name (str):
            version (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            ModelMetadata
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _get_model_version(
                model_name,
                version,
            ),
            settings,
        )

    def get_model_version_contract(
        self,
        model_name: str,
        version: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> OpenApiDocument:
        """One model version's own OpenAPI document

        Like `GET /models/{model_name}/openapi.json`, for one version (its own routes).

        Args:
            model_name (str):
            version (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            OpenApiDocument
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _get_model_version_contract(
                model_name,
                version,
            ),
            settings,
        )

    def predict_with_model_version(
        self,
        model_name: str,
        version: str,
        features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
        *,
        metadata: None | PredictionMetadata = None,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> PredictionResponse:
        """Single prediction with one model version

        Same as `POST /predict`, with the model and its version named in the path.

        Args:
            model_name (str):
            version (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            features (list[float] | NamedFeatures): The row to score, in either form: a list
                of finite numbers in the model's input
                order (`[52000, 9000, 41]`), or an object keyed by input name
                (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
                inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
                types, categories, which may be null) and their JSON Schema (`input_schema`).
            metadata (None | PredictionMetadata | Unset): Optional client metadata;
                `request_id` is echoed in the response.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            PredictionResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _predict_with_model_version(
                model_name,
                version,
                features=features,
                metadata=metadata,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    def batch_predict_with_model_version(
        self,
        model_name: str,
        version: str,
        requests: list[PredictionRequest],
        *,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> BatchPredictionResponse:
        """Batch predictions with one model version

        Same as `POST /batch_predict`, with the model and its version named in the path.

        Args:
            model_name (str):
            version (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            requests (list[PredictionRequest]):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            BatchPredictionResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _batch_predict_with_model_version(
                model_name,
                version,
                requests=requests,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    def issue_token(
        self,
        *,
        grant_type: str = "client_credentials",
        scope: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> TokenResponse:
        """Issue an access token

        OAuth2 client-credentials grant (RFC 6749 section 4.4). Authenticate with your API key,
        either as HTTP Basic (`key id` as the user name, the whole key as the password) or in
        `X-API-Key`, and get a short-lived JWT for `Authorization: Bearer`. Ask for a subset of
        the key's scopes with `scope`; by default the token carries all of them. Tokens stop
        working as soon as their key is revoked. Needs `SPECSERVE_JWT_SECRET` (or
        `SPECSERVE_JWT_SECRET_FILE`); without it the service issues no tokens (503).
        Tokens are limited per key (`SPECSERVE_TOKEN_RATE_LIMIT`); other form parameters are
        ignored (RFC 6749 section 3.2).

        Args:
            grant_type (str): Must be `client_credentials`. Default: 'client_credentials'.
                Example: client_credentials.
            scope (str | Unset): Space-separated scopes, a subset of the key's; default all
                of them. Example: predict models:read.

        Raises:
            BadRequestError: 400, The token request is refused (RFC 6749 section 5.2: `invalid_request`,
                `unsupported_grant_type`, `invalid_scope`).
            AuthenticationError: 401, Client authentication failed (RFC 6749 section 5.2: `invalid_client`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            TokenResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _issue_token(
                grant_type=grant_type,
                scope=scope,
            ),
            settings,
        )

    def reload_models(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ModelList:
        """Reload models

        Rescan the model directory and serve the newest version of every model, without
        downtime: every worker loads the new artifacts in the background and swaps them in
        atomically, so each response comes wholly from the old or wholly from the new version.
        Needs the `admin` scope. Answers once this worker has swapped.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            ModelList
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(_reload_models(), settings)

    def list_usage(
        self,
        *,
        from_: datetime.date | None = None,
        to: datetime.date | None = None,
        key_id: str | None = None,
        identity: str | None = None,
        limit: int = 1000,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> UsageList:
        """Usage of every key

        Usage per identity (`key:<key id>` or `sub:<token subject>`), UTC day and model, from
        `from` to `to` (as `GET /usage`), for every identity or one key (`key_id`). Needs the
        `admin` scope. At most `limit` rows, oldest day first; `truncated` says whether more
        matched (narrow the days or name a key).

        Args:
            from_ (datetime.date | Unset):
            to (datetime.date | Unset):
            key_id (str | Unset):
            identity (str | Unset):
            limit (int | Unset):  Default: 1000.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            UsageList
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _list_usage(
                from_=from_,
                to=to,
                key_id=key_id,
                identity=identity,
                limit=limit,
            ),
            settings,
        )

    def get_usage(
        self,
        *,
        from_: datetime.date | None = None,
        to: datetime.date | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Usage:
        """Your usage and quota

        The calling key's (or token subject's) own usage, per UTC day and model, from `from`
        to `to` (both included; by default the first day of the current UTC month to today;
        a longer span than 400 days is answered for its last 400, as the answer's `from`
        says, and one ending before it starts is empty), with its totals, and its quota with
        what remains. Any valid key or
        token may read its own usage, whatever its scopes; no one else's. `requests` and
        `units` are counted in the same step that charges the rate limit (a batch costs one
        unit per row, an invalid body the rows it could have held, a `/v2` infer its
        `shape[0]`); `ok`, `client_error` and `server_error` once the answer is sent, off
        the request path (within about a second). Reading usage is rate-limited like any
        operation but never counted against the quota: it works past it, when it is needed.

        Args:
            from_ (datetime.date | Unset):
            to (datetime.date | Unset):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            Usage
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(
            _get_usage(
                from_=from_,
                to=to,
            ),
            settings,
        )

    def health_check(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Health:
        """Health check

        Service health; credentials optional. `healthy`: every model serves. `degraded`:
        the default model serves but something else is wrong (another model failed to
        load). `unhealthy` (status 503): the default model cannot serve. Without
        credentials (or with ones lacking `metrics:read`) the checks are one status per
        kind (`models`, `threads`, `key_store`, `rate_limiter`; `prediction_log` when the
        prediction log is on, `warn` while its sink fails or records were dropped in the
        last minute), with no detail; a caller with `metrics:read` gets one check per model
        and the detail of each. A version that
        failed to load is named there with a short class of the reason only (e.g.
        `version 2 failed to load (version mismatch)`), never a path or an exception; the
        full reason is `error` in `GET /models/{model_name}` (`models:read`).

        Raises:
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service is unhealthy.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            Health
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(_health_check(), settings)

    def get_metrics(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> str:
        """Prometheus metrics

        Metrics in the Prometheus text exposition format (version 0.0.4), aggregated over
        every worker process: requests by route and status, latency by route, predictions and
        rows by model and version, model load failures.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            str
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(_get_metrics(), settings)

    def get_docs(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> str:
        """API reference

        This API reference as one self-contained HTML page (no external requests), without
        authentication. Interactive Swagger UI: `/ui/`; the contract itself: `/openapi.json`.

        Raises:
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            str
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return self._call(_get_docs(), settings)

    # Short names for the most used operations.
    def health(self) -> Health:
        """The service's health (`health_check`); an unhealthy service answers too."""
        return self.health_check()

    def models(self) -> ModelList:
        """The models the service holds (`list_models`)."""
        return self.list_models()

    def model(self, name: str) -> ModelMetadata:
        """One model's metadata (`get_model`)."""
        return self.get_model(name)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpecserveClientWithRawResponse:
    """`SpecserveClient.with_raw_response`: each method returns an `APIResponse`."""

    def __init__(self, client: SpecserveClient) -> None:
        self._client = client

    def predict(
        self,
        features: Features,
        *,
        model: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
        metadata: PredictionMetadata | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[PredictionResponse]:
        """One prediction, from any model and version.

        `features`: numbers in the model's input order (`[52000, 9000, 41]`) or a mapping of
        input name to value (`{"income": 52000, "city": "paris"}`, required by a model with
        string inputs). Without `model`, the service's default model (`POST /predict`); with
        `model`, its default version (`POST /models/{model}/predict`); with `model` and
        `version`, that version. `probabilities=True` adds `probabilities` (one per class),
        `scores=True` adds `score` (outlier detectors); both stay None when the model gives
        none. `metadata=PredictionMetadata(request_id=...)` names the prediction.

        Raises:
            ValueError: `version` without `model` (before any request).
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            NotFoundError: 404, The model does not exist.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.
        """
        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(_prediction(features, model, version, metadata, probabilities, scores), settings)

    def batch_predict(
        self,
        rows: Sequence[Row] | None = None,
        *,
        model: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
        requests: Sequence[PredictionRequest] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[BatchPredictionResponse]:
        """Up to 100 predictions in one request, in order, from any model and version.

        `rows`: each a list of numbers or a mapping of input name to value (or a whole
        `PredictionRequest`); `model`, `version`, `probabilities`, `scores` as in `predict`.
        `requests=[PredictionRequest(...)]`, the spec's name, is taken too.

        Raises:
            ValueError: `version` without `model` (before any request).
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            NotFoundError: 404, The model does not exist.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.
            (A 429 `cost_exceeds_limit`, more rows than the key may ever send at once, is
            raised at once, without retries.)
        """
        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(_batch(rows, requests, model, version, probabilities, scores), settings)

    def list_models(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ModelList]:
        """List models

        The models the service holds, each with the version it serves and the versions on disk.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[ModelList]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(_list_models(), settings)

    def get_model(
        self,
        model_name: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ModelMetadata]:
        """Model metadata

        Version, features, classes, description and held-out metrics of one model.

        Args:
            model_name (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[ModelMetadata]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _get_model(
                model_name,
            ),
            settings,
        )

    def predict_with_model(
        self,
        model_name: str,
        features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
        *,
        metadata: None | PredictionMetadata = None,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[PredictionResponse]:
        """Single prediction with a named model

        Same as `POST /predict`, with the model named in the path.

        Args:
            model_name (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            features (list[float] | NamedFeatures): The row to score, in either form: a list
                of finite numbers in the model's input
                order (`[52000, 9000, 41]`), or an object keyed by input name
                (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
                inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
                types, categories, which may be null) and their JSON Schema (`input_schema`).
            metadata (None | PredictionMetadata | Unset): Optional client metadata;
                `request_id` is echoed in the response.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[PredictionResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _predict_with_model(
                model_name,
                features=features,
                metadata=metadata,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    def batch_predict_with_model(
        self,
        model_name: str,
        requests: list[PredictionRequest],
        *,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[BatchPredictionResponse]:
        """Batch predictions with a named model

        Same as `POST /batch_predict`, with the model named in the path.

        Args:
            model_name (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            requests (list[PredictionRequest]):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[BatchPredictionResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _batch_predict_with_model(
                model_name,
                requests=requests,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    def get_model_contract(
        self,
        model_name: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[OpenApiDocument]:
        """The model's own OpenAPI document

        This model's own contract: the model operations of this API (metadata, predict,
        batch predict) with `features` specialised to the model's inputs (names, types,
        categories, which may be null) and `label` to its classes, derived from the serving
        version's signature when it loads. Generate a typed client from it
        (`specserve models sdk NAME`).

        Args:
            model_name (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[OpenApiDocument]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _get_model_contract(
                model_name,
            ),
            settings,
        )

    def get_model_version(
        self,
        model_name: str,
        version: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ModelMetadata]:
        """Metadata of one model version

        Like `GET /models/{model_name}`, for any version on disk (see `versions` in
        `GET /models`), whether or not it is the one the unversioned routes serve.

        Args:
            model_name (str):
            version (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[ModelMetadata]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _get_model_version(
                model_name,
                version,
            ),
            settings,
        )

    def get_model_version_contract(
        self,
        model_name: str,
        version: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[OpenApiDocument]:
        """One model version's own OpenAPI document

        Like `GET /models/{model_name}/openapi.json`, for one version (its own routes).

        Args:
            model_name (str):
            version (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[OpenApiDocument]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _get_model_version_contract(
                model_name,
                version,
            ),
            settings,
        )

    def predict_with_model_version(
        self,
        model_name: str,
        version: str,
        features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
        *,
        metadata: None | PredictionMetadata = None,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[PredictionResponse]:
        """Single prediction with one model version

        Same as `POST /predict`, with the model and its version named in the path.

        Args:
            model_name (str):
            version (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            features (list[float] | NamedFeatures): The row to score, in either form: a list
                of finite numbers in the model's input
                order (`[52000, 9000, 41]`), or an object keyed by input name
                (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
                inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
                types, categories, which may be null) and their JSON Schema (`input_schema`).
            metadata (None | PredictionMetadata | Unset): Optional client metadata;
                `request_id` is echoed in the response.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[PredictionResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _predict_with_model_version(
                model_name,
                version,
                features=features,
                metadata=metadata,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    def batch_predict_with_model_version(
        self,
        model_name: str,
        version: str,
        requests: list[PredictionRequest],
        *,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[BatchPredictionResponse]:
        """Batch predictions with one model version

        Same as `POST /batch_predict`, with the model and its version named in the path.

        Args:
            model_name (str):
            version (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            requests (list[PredictionRequest]):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[BatchPredictionResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _batch_predict_with_model_version(
                model_name,
                version,
                requests=requests,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    def issue_token(
        self,
        *,
        grant_type: str = "client_credentials",
        scope: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[TokenResponse]:
        """Issue an access token

        OAuth2 client-credentials grant (RFC 6749 section 4.4). Authenticate with your API key,
        either as HTTP Basic (`key id` as the user name, the whole key as the password) or in
        `X-API-Key`, and get a short-lived JWT for `Authorization: Bearer`. Ask for a subset of
        the key's scopes with `scope`; by default the token carries all of them. Tokens stop
        working as soon as their key is revoked. Needs `SPECSERVE_JWT_SECRET` (or
        `SPECSERVE_JWT_SECRET_FILE`); without it the service issues no tokens (503).
        Tokens are limited per key (`SPECSERVE_TOKEN_RATE_LIMIT`); other form parameters are
        ignored (RFC 6749 section 3.2).

        Args:
            grant_type (str): Must be `client_credentials`. Default: 'client_credentials'.
                Example: client_credentials.
            scope (str | Unset): Space-separated scopes, a subset of the key's; default all
                of them. Example: predict models:read.

        Raises:
            BadRequestError: 400, The token request is refused (RFC 6749 section 5.2: `invalid_request`,
                `unsupported_grant_type`, `invalid_scope`).
            AuthenticationError: 401, Client authentication failed (RFC 6749 section 5.2: `invalid_client`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[TokenResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _issue_token(
                grant_type=grant_type,
                scope=scope,
            ),
            settings,
        )

    def reload_models(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ModelList]:
        """Reload models

        Rescan the model directory and serve the newest version of every model, without
        downtime: every worker loads the new artifacts in the background and swaps them in
        atomically, so each response comes wholly from the old or wholly from the new version.
        Needs the `admin` scope. Answers once this worker has swapped.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[ModelList]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(_reload_models(), settings)

    def list_usage(
        self,
        *,
        from_: datetime.date | None = None,
        to: datetime.date | None = None,
        key_id: str | None = None,
        identity: str | None = None,
        limit: int = 1000,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[UsageList]:
        """Usage of every key

        Usage per identity (`key:<key id>` or `sub:<token subject>`), UTC day and model, from
        `from` to `to` (as `GET /usage`), for every identity or one key (`key_id`). Needs the
        `admin` scope. At most `limit` rows, oldest day first; `truncated` says whether more
        matched (narrow the days or name a key).

        Args:
            from_ (datetime.date | Unset):
            to (datetime.date | Unset):
            key_id (str | Unset):
            identity (str | Unset):
            limit (int | Unset):  Default: 1000.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[UsageList]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _list_usage(
                from_=from_,
                to=to,
                key_id=key_id,
                identity=identity,
                limit=limit,
            ),
            settings,
        )

    def get_usage(
        self,
        *,
        from_: datetime.date | None = None,
        to: datetime.date | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[Usage]:
        """Your usage and quota

        The calling key's (or token subject's) own usage, per UTC day and model, from `from`
        to `to` (both included; by default the first day of the current UTC month to today;
        a longer span than 400 days is answered for its last 400, as the answer's `from`
        says, and one ending before it starts is empty), with its totals, and its quota with
        what remains. Any valid key or
        token may read its own usage, whatever its scopes; no one else's. `requests` and
        `units` are counted in the same step that charges the rate limit (a batch costs one
        unit per row, an invalid body the rows it could have held, a `/v2` infer its
        `shape[0]`); `ok`, `client_error` and `server_error` once the answer is sent, off
        the request path (within about a second). Reading usage is rate-limited like any
        operation but never counted against the quota: it works past it, when it is needed.

        Args:
            from_ (datetime.date | Unset):
            to (datetime.date | Unset):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[Usage]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(
            _get_usage(
                from_=from_,
                to=to,
            ),
            settings,
        )

    def health_check(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[Health]:
        """Health check

        Service health; credentials optional. `healthy`: every model serves. `degraded`:
        the default model serves but something else is wrong (another model failed to
        load). `unhealthy` (status 503): the default model cannot serve. Without
        credentials (or with ones lacking `metrics:read`) the checks are one status per
        kind (`models`, `threads`, `key_store`, `rate_limiter`; `prediction_log` when the
        prediction log is on, `warn` while its sink fails or records were dropped in the
        last minute), with no detail; a caller with `metrics:read` gets one check per model
        and the detail of each. A version that
        failed to load is named there with a short class of the reason only (e.g.
        `version 2 failed to load (version mismatch)`), never a path or an exception; the
        full reason is `error` in `GET /models/{model_name}` (`models:read`).

        Raises:
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service is unhealthy.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[Health]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(_health_check(), settings)

    def get_metrics(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[str]:
        """Prometheus metrics

        Metrics in the Prometheus text exposition format (version 0.0.4), aggregated over
        every worker process: requests by route and status, latency by route, predictions and
        rows by model and version, model load failures.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[str]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(_get_metrics(), settings)

    def get_docs(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[str]:
        """API reference

        This API reference as one self-contained HTML page (no external requests), without
        authentication. Interactive Swagger UI: `/ui/`; the contract itself: `/openapi.json`.

        Raises:
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[str]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return self._client._request(_get_docs(), settings)


class AsyncSpecserveClient(AsyncAPIClient):
    """The asyncio twin of SpecserveClient: the same methods, awaitable."""

    @property
    def with_raw_response(self) -> AsyncSpecserveClientWithRawResponse:
        """The same methods, returning an `APIResponse` (status, headers, `parse()`)."""
        return AsyncSpecserveClientWithRawResponse(self)

    async def predict(
        self,
        features: Features,
        *,
        model: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
        metadata: PredictionMetadata | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> PredictionResponse:
        """One prediction, from any model and version.

        `features`: numbers in the model's input order (`[52000, 9000, 41]`) or a mapping of
        input name to value (`{"income": 52000, "city": "paris"}`, required by a model with
        string inputs). Without `model`, the service's default model (`POST /predict`); with
        `model`, its default version (`POST /models/{model}/predict`); with `model` and
        `version`, that version. `probabilities=True` adds `probabilities` (one per class),
        `scores=True` adds `score` (outlier detectors); both stay None when the model gives
        none. `metadata=PredictionMetadata(request_id=...)` names the prediction.

        Raises:
            ValueError: `version` without `model` (before any request).
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            NotFoundError: 404, The model does not exist.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.
        """
        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(_prediction(features, model, version, metadata, probabilities, scores), settings)

    async def batch_predict(
        self,
        rows: Sequence[Row] | None = None,
        *,
        model: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
        requests: Sequence[PredictionRequest] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> BatchPredictionResponse:
        """Up to 100 predictions in one request, in order, from any model and version.

        `rows`: each a list of numbers or a mapping of input name to value (or a whole
        `PredictionRequest`); `model`, `version`, `probabilities`, `scores` as in `predict`.
        `requests=[PredictionRequest(...)]`, the spec's name, is taken too.

        Raises:
            ValueError: `version` without `model` (before any request).
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            NotFoundError: 404, The model does not exist.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.
            (A 429 `cost_exceeds_limit`, more rows than the key may ever send at once, is
            raised at once, without retries.)
        """
        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(_batch(rows, requests, model, version, probabilities, scores), settings)

    async def list_models(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ModelList:
        """List models

        The models the service holds, each with the version it serves and the versions on disk.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            ModelList
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(_list_models(), settings)

    async def get_model(
        self,
        model_name: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ModelMetadata:
        """Model metadata

        Version, features, classes, description and held-out metrics of one model.

        Args:
            model_name (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            ModelMetadata
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _get_model(
                model_name,
            ),
            settings,
        )

    async def predict_with_model(
        self,
        model_name: str,
        features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
        *,
        metadata: None | PredictionMetadata = None,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> PredictionResponse:
        """Single prediction with a named model

        Same as `POST /predict`, with the model named in the path.

        Args:
            model_name (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            features (list[float] | NamedFeatures): The row to score, in either form: a list
                of finite numbers in the model's input
                order (`[52000, 9000, 41]`), or an object keyed by input name
                (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
                inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
                types, categories, which may be null) and their JSON Schema (`input_schema`).
            metadata (None | PredictionMetadata | Unset): Optional client metadata;
                `request_id` is echoed in the response.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            PredictionResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _predict_with_model(
                model_name,
                features=features,
                metadata=metadata,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    async def batch_predict_with_model(
        self,
        model_name: str,
        requests: list[PredictionRequest],
        *,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> BatchPredictionResponse:
        """Batch predictions with a named model

        Same as `POST /batch_predict`, with the model named in the path.

        Args:
            model_name (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            requests (list[PredictionRequest]):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            BatchPredictionResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _batch_predict_with_model(
                model_name,
                requests=requests,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    async def get_model_contract(
        self,
        model_name: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> OpenApiDocument:
        """The model's own OpenAPI document

        This model's own contract: the model operations of this API (metadata, predict,
        batch predict) with `features` specialised to the model's inputs (names, types,
        categories, which may be null) and `label` to its classes, derived from the serving
        version's signature when it loads. Generate a typed client from it
        (`specserve models sdk NAME`).

        Args:
            model_name (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            OpenApiDocument
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _get_model_contract(
                model_name,
            ),
            settings,
        )

    async def get_model_version(
        self,
        model_name: str,
        version: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ModelMetadata:
        """Metadata of one model version

        Like `GET /models/{model_name}`, for any version on disk (see `versions` in
        `GET /models`), whether or not it is the one the unversioned routes serve.

        Args:
            model_name (str):
            version (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            ModelMetadata
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _get_model_version(
                model_name,
                version,
            ),
            settings,
        )

    async def get_model_version_contract(
        self,
        model_name: str,
        version: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> OpenApiDocument:
        """One model version's own OpenAPI document

        Like `GET /models/{model_name}/openapi.json`, for one version (its own routes).

        Args:
            model_name (str):
            version (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            OpenApiDocument
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _get_model_version_contract(
                model_name,
                version,
            ),
            settings,
        )

    async def predict_with_model_version(
        self,
        model_name: str,
        version: str,
        features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
        *,
        metadata: None | PredictionMetadata = None,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> PredictionResponse:
        """Single prediction with one model version

        Same as `POST /predict`, with the model and its version named in the path.

        Args:
            model_name (str):
            version (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            features (list[float] | NamedFeatures): The row to score, in either form: a list
                of finite numbers in the model's input
                order (`[52000, 9000, 41]`), or an object keyed by input name
                (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
                inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
                types, categories, which may be null) and their JSON Schema (`input_schema`).
            metadata (None | PredictionMetadata | Unset): Optional client metadata;
                `request_id` is echoed in the response.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            PredictionResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _predict_with_model_version(
                model_name,
                version,
                features=features,
                metadata=metadata,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    async def batch_predict_with_model_version(
        self,
        model_name: str,
        version: str,
        requests: list[PredictionRequest],
        *,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> BatchPredictionResponse:
        """Batch predictions with one model version

        Same as `POST /batch_predict`, with the model and its version named in the path.

        Args:
            model_name (str):
            version (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            requests (list[PredictionRequest]):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            BatchPredictionResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _batch_predict_with_model_version(
                model_name,
                version,
                requests=requests,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    async def issue_token(
        self,
        *,
        grant_type: str = "client_credentials",
        scope: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> TokenResponse:
        """Issue an access token

        OAuth2 client-credentials grant (RFC 6749 section 4.4). Authenticate with your API key,
        either as HTTP Basic (`key id` as the user name, the whole key as the password) or in
        `X-API-Key`, and get a short-lived JWT for `Authorization: Bearer`. Ask for a subset of
        the key's scopes with `scope`; by default the token carries all of them. Tokens stop
        working as soon as their key is revoked. Needs `SPECSERVE_JWT_SECRET` (or
        `SPECSERVE_JWT_SECRET_FILE`); without it the service issues no tokens (503).
        Tokens are limited per key (`SPECSERVE_TOKEN_RATE_LIMIT`); other form parameters are
        ignored (RFC 6749 section 3.2).

        Args:
            grant_type (str): Must be `client_credentials`. Default: 'client_credentials'.
                Example: client_credentials.
            scope (str | Unset): Space-separated scopes, a subset of the key's; default all
                of them. Example: predict models:read.

        Raises:
            BadRequestError: 400, The token request is refused (RFC 6749 section 5.2: `invalid_request`,
                `unsupported_grant_type`, `invalid_scope`).
            AuthenticationError: 401, Client authentication failed (RFC 6749 section 5.2: `invalid_client`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            TokenResponse
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _issue_token(
                grant_type=grant_type,
                scope=scope,
            ),
            settings,
        )

    async def reload_models(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ModelList:
        """Reload models

        Rescan the model directory and serve the newest version of every model, without
        downtime: every worker loads the new artifacts in the background and swaps them in
        atomically, so each response comes wholly from the old or wholly from the new version.
        Needs the `admin` scope. Answers once this worker has swapped.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            ModelList
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(_reload_models(), settings)

    async def list_usage(
        self,
        *,
        from_: datetime.date | None = None,
        to: datetime.date | None = None,
        key_id: str | None = None,
        identity: str | None = None,
        limit: int = 1000,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> UsageList:
        """Usage of every key

        Usage per identity (`key:<key id>` or `sub:<token subject>`), UTC day and model, from
        `from` to `to` (as `GET /usage`), for every identity or one key (`key_id`). Needs the
        `admin` scope. At most `limit` rows, oldest day first; `truncated` says whether more
        matched (narrow the days or name a key).

        Args:
            from_ (datetime.date | Unset):
            to (datetime.date | Unset):
            key_id (str | Unset):
            identity (str | Unset):
            limit (int | Unset):  Default: 1000.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            UsageList
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _list_usage(
                from_=from_,
                to=to,
                key_id=key_id,
                identity=identity,
                limit=limit,
            ),
            settings,
        )

    async def get_usage(
        self,
        *,
        from_: datetime.date | None = None,
        to: datetime.date | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Usage:
        """Your usage and quota

        The calling key's (or token subject's) own usage, per UTC day and model, from `from`
        to `to` (both included; by default the first day of the current UTC month to today;
        a longer span than 400 days is answered for its last 400, as the answer's `from`
        says, and one ending before it starts is empty), with its totals, and its quota with
        what remains. Any valid key or
        token may read its own usage, whatever its scopes; no one else's. `requests` and
        `units` are counted in the same step that charges the rate limit (a batch costs one
        unit per row, an invalid body the rows it could have held, a `/v2` infer its
        `shape[0]`); `ok`, `client_error` and `server_error` once the answer is sent, off
        the request path (within about a second). Reading usage is rate-limited like any
        operation but never counted against the quota: it works past it, when it is needed.

        Args:
            from_ (datetime.date | Unset):
            to (datetime.date | Unset):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            Usage
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(
            _get_usage(
                from_=from_,
                to=to,
            ),
            settings,
        )

    async def health_check(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Health:
        """Health check

        Service health; credentials optional. `healthy`: every model serves. `degraded`:
        the default model serves but something else is wrong (another model failed to
        load). `unhealthy` (status 503): the default model cannot serve. Without
        credentials (or with ones lacking `metrics:read`) the checks are one status per
        kind (`models`, `threads`, `key_store`, `rate_limiter`; `prediction_log` when the
        prediction log is on, `warn` while its sink fails or records were dropped in the
        last minute), with no detail; a caller with `metrics:read` gets one check per model
        and the detail of each. A version that
        failed to load is named there with a short class of the reason only (e.g.
        `version 2 failed to load (version mismatch)`), never a path or an exception; the
        full reason is `error` in `GET /models/{model_name}` (`models:read`).

        Raises:
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service is unhealthy.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            Health
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(_health_check(), settings)

    async def get_metrics(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> str:
        """Prometheus metrics

        Metrics in the Prometheus text exposition format (version 0.0.4), aggregated over
        every worker process: requests by route and status, latency by route, predictions and
        rows by model and version, model load failures.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            str
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(_get_metrics(), settings)

    async def get_docs(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> str:
        """API reference

        This API reference as one self-contained HTML page (no external requests), without
        authentication. Interactive Swagger UI: `/ui/`; the contract itself: `/openapi.json`.

        Raises:
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            str
        """

        settings = self._call_settings(timeout, max_retries, extra_headers)
        return await self._call(_get_docs(), settings)

    async def health(self) -> Health:
        """The service's health (`health_check`); an unhealthy service answers too."""
        return await self.health_check()

    async def models(self) -> ModelList:
        """The models the service holds (`list_models`)."""
        return await self.list_models()

    async def model(self, name: str) -> ModelMetadata:
        """One model's metadata (`get_model`)."""
        return await self.get_model(name)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class AsyncSpecserveClientWithRawResponse:
    """`AsyncSpecserveClient.with_raw_response`: each method returns an `APIResponse`."""

    def __init__(self, client: AsyncSpecserveClient) -> None:
        self._client = client

    async def predict(
        self,
        features: Features,
        *,
        model: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
        metadata: PredictionMetadata | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[PredictionResponse]:
        """One prediction, from any model and version.

        `features`: numbers in the model's input order (`[52000, 9000, 41]`) or a mapping of
        input name to value (`{"income": 52000, "city": "paris"}`, required by a model with
        string inputs). Without `model`, the service's default model (`POST /predict`); with
        `model`, its default version (`POST /models/{model}/predict`); with `model` and
        `version`, that version. `probabilities=True` adds `probabilities` (one per class),
        `scores=True` adds `score` (outlier detectors); both stay None when the model gives
        none. `metadata=PredictionMetadata(request_id=...)` names the prediction.

        Raises:
            ValueError: `version` without `model` (before any request).
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            NotFoundError: 404, The model does not exist.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.
        """
        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _prediction(features, model, version, metadata, probabilities, scores), settings
        )

    async def batch_predict(
        self,
        rows: Sequence[Row] | None = None,
        *,
        model: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
        requests: Sequence[PredictionRequest] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[BatchPredictionResponse]:
        """Up to 100 predictions in one request, in order, from any model and version.

        `rows`: each a list of numbers or a mapping of input name to value (or a whole
        `PredictionRequest`); `model`, `version`, `probabilities`, `scores` as in `predict`.
        `requests=[PredictionRequest(...)]`, the spec's name, is taken too.

        Raises:
            ValueError: `version` without `model` (before any request).
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            NotFoundError: 404, The model does not exist.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.
            (A 429 `cost_exceeds_limit`, more rows than the key may ever send at once, is
            raised at once, without retries.)
        """
        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(_batch(rows, requests, model, version, probabilities, scores), settings)

    async def list_models(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ModelList]:
        """List models

        The models the service holds, each with the version it serves and the versions on disk.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[ModelList]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(_list_models(), settings)

    async def get_model(
        self,
        model_name: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ModelMetadata]:
        """Model metadata

        Version, features, classes, description and held-out metrics of one model.

        Args:
            model_name (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[ModelMetadata]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _get_model(
                model_name,
            ),
            settings,
        )

    async def predict_with_model(
        self,
        model_name: str,
        features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
        *,
        metadata: None | PredictionMetadata = None,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[PredictionResponse]:
        """Single prediction with a named model

        Same as `POST /predict`, with the model named in the path.

        Args:
            model_name (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            features (list[float] | NamedFeatures): The row to score, in either form: a list
                of finite numbers in the model's input
                order (`[52000, 9000, 41]`), or an object keyed by input name
                (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
                inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
                types, categories, which may be null) and their JSON Schema (`input_schema`).
            metadata (None | PredictionMetadata | Unset): Optional client metadata;
                `request_id` is echoed in the response.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[PredictionResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _predict_with_model(
                model_name,
                features=features,
                metadata=metadata,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    async def batch_predict_with_model(
        self,
        model_name: str,
        requests: list[PredictionRequest],
        *,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[BatchPredictionResponse]:
        """Batch predictions with a named model

        Same as `POST /batch_predict`, with the model named in the path.

        Args:
            model_name (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            requests (list[PredictionRequest]):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[BatchPredictionResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _batch_predict_with_model(
                model_name,
                requests=requests,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    async def get_model_contract(
        self,
        model_name: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[OpenApiDocument]:
        """The model's own OpenAPI document

        This model's own contract: the model operations of this API (metadata, predict,
        batch predict) with `features` specialised to the model's inputs (names, types,
        categories, which may be null) and `label` to its classes, derived from the serving
        version's signature when it loads. Generate a typed client from it
        (`specserve models sdk NAME`).

        Args:
            model_name (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[OpenApiDocument]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _get_model_contract(
                model_name,
            ),
            settings,
        )

    async def get_model_version(
        self,
        model_name: str,
        version: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ModelMetadata]:
        """Metadata of one model version

        Like `GET /models/{model_name}`, for any version on disk (see `versions` in
        `GET /models`), whether or not it is the one the unversioned routes serve.

        Args:
            model_name (str):
            version (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[ModelMetadata]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _get_model_version(
                model_name,
                version,
            ),
            settings,
        )

    async def get_model_version_contract(
        self,
        model_name: str,
        version: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[OpenApiDocument]:
        """One model version's own OpenAPI document

        Like `GET /models/{model_name}/openapi.json`, for one version (its own routes).

        Args:
            model_name (str):
            version (str):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[OpenApiDocument]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _get_model_version_contract(
                model_name,
                version,
            ),
            settings,
        )

    async def predict_with_model_version(
        self,
        model_name: str,
        version: str,
        features: list[float] | NamedFeatures | Mapping[str, float | str | bool | None],
        *,
        metadata: None | PredictionMetadata = None,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[PredictionResponse]:
        """Single prediction with one model version

        Same as `POST /predict`, with the model and its version named in the path.

        Args:
            model_name (str):
            version (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            features (list[float] | NamedFeatures): The row to score, in either form: a list
                of finite numbers in the model's input
                order (`[52000, 9000, 41]`), or an object keyed by input name
                (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
                inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
                types, categories, which may be null) and their JSON Schema (`input_schema`).
            metadata (None | PredictionMetadata | Unset): Optional client metadata;
                `request_id` is echoed in the response.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[PredictionResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _predict_with_model_version(
                model_name,
                version,
                features=features,
                metadata=metadata,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    async def batch_predict_with_model_version(
        self,
        model_name: str,
        version: str,
        requests: list[PredictionRequest],
        *,
        probabilities: bool = False,
        scores: bool = False,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[BatchPredictionResponse]:
        """Batch predictions with one model version

        Same as `POST /batch_predict`, with the model and its version named in the path.

        Args:
            model_name (str):
            version (str):
            probabilities (bool | Unset):  Default: False.
            scores (bool | Unset):  Default: False.
            requests (list[PredictionRequest]):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            NotFoundError: 404, The model does not exist.
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            UnprocessableEntityError: 422, The request is valid JSON but does not fit the model:
                `feature_count_mismatch` (not the model's number of features),
                `feature_out_of_range` (a value beyond ±3.4e38, which a float32 model
                cannot hold), `features_refused` (the model refused the values), or,
                naming the input in `errors[].path` (`$.features.city`,
                `$.requests[3].features.city`): `unknown_input` (a name the model does
                not take), `missing_input` (a required input left out),
                `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
                (null for an input that cannot be missing), `unknown_category` (a value
                outside the model's categories), `input_out_of_range` (outside the
                input's bounds or length), or `named_features_required` (a positional
                list for a model with string inputs).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            GatewayTimeoutError: 504, The model did not answer within the service's timeout
                (`SPECSERVE_PREDICT_TIMEOUT`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[BatchPredictionResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _batch_predict_with_model_version(
                model_name,
                version,
                requests=requests,
                probabilities=probabilities,
                scores=scores,
            ),
            settings,
        )

    async def issue_token(
        self,
        *,
        grant_type: str = "client_credentials",
        scope: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[TokenResponse]:
        """Issue an access token

        OAuth2 client-credentials grant (RFC 6749 section 4.4). Authenticate with your API key,
        either as HTTP Basic (`key id` as the user name, the whole key as the password) or in
        `X-API-Key`, and get a short-lived JWT for `Authorization: Bearer`. Ask for a subset of
        the key's scopes with `scope`; by default the token carries all of them. Tokens stop
        working as soon as their key is revoked. Needs `SPECSERVE_JWT_SECRET` (or
        `SPECSERVE_JWT_SECRET_FILE`); without it the service issues no tokens (503).
        Tokens are limited per key (`SPECSERVE_TOKEN_RATE_LIMIT`); other form parameters are
        ignored (RFC 6749 section 3.2).

        Args:
            grant_type (str): Must be `client_credentials`. Default: 'client_credentials'.
                Example: client_credentials.
            scope (str | Unset): Space-separated scopes, a subset of the key's; default all
                of them. Example: predict models:read.

        Raises:
            BadRequestError: 400, The token request is refused (RFC 6749 section 5.2: `invalid_request`,
                `unsupported_grant_type`, `invalid_scope`).
            AuthenticationError: 401, Client authentication failed (RFC 6749 section 5.2: `invalid_client`).
            PayloadTooLargeError: 413, The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`,
                by default 4194304 bytes, 4 MiB). The default admits the largest valid
                request: 100 rows of 1,000 features written as full-precision float64
                JSON is about 2.6 MB (2,622,514 bytes at 24 characters a number, with
                full `metadata`).
            UnsupportedMediaTypeError: 415, The body is not `application/json`, or has a content encoding.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[TokenResponse]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _issue_token(
                grant_type=grant_type,
                scope=scope,
            ),
            settings,
        )

    async def reload_models(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[ModelList]:
        """Reload models

        Rescan the model directory and serve the newest version of every model, without
        downtime: every worker loads the new artifacts in the background and swaps them in
        atomically, so each response comes wholly from the old or wholly from the new version.
        Needs the `admin` scope. Answers once this worker has swapped.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[ModelList]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(_reload_models(), settings)

    async def list_usage(
        self,
        *,
        from_: datetime.date | None = None,
        to: datetime.date | None = None,
        key_id: str | None = None,
        identity: str | None = None,
        limit: int = 1000,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[UsageList]:
        """Usage of every key

        Usage per identity (`key:<key id>` or `sub:<token subject>`), UTC day and model, from
        `from` to `to` (as `GET /usage`), for every identity or one key (`key_id`). Needs the
        `admin` scope. At most `limit` rows, oldest day first; `truncated` says whether more
        matched (narrow the days or name a key).

        Args:
            from_ (datetime.date | Unset):
            to (datetime.date | Unset):
            key_id (str | Unset):
            identity (str | Unset):
            limit (int | Unset):  Default: 1000.

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[UsageList]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _list_usage(
                from_=from_,
                to=to,
                key_id=key_id,
                identity=identity,
                limit=limit,
            ),
            settings,
        )

    async def get_usage(
        self,
        *,
        from_: datetime.date | None = None,
        to: datetime.date | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[Usage]:
        """Your usage and quota

        The calling key's (or token subject's) own usage, per UTC day and model, from `from`
        to `to` (both included; by default the first day of the current UTC month to today;
        a longer span than 400 days is answered for its last 400, as the answer's `from`
        says, and one ending before it starts is empty), with its totals, and its quota with
        what remains. Any valid key or
        token may read its own usage, whatever its scopes; no one else's. `requests` and
        `units` are counted in the same step that charges the rate limit (a batch costs one
        unit per row, an invalid body the rows it could have held, a `/v2` infer its
        `shape[0]`); `ok`, `client_error` and `server_error` once the answer is sent, off
        the request path (within about a second). Reading usage is rate-limited like any
        operation but never counted against the quota: it works past it, when it is needed.

        Args:
            from_ (datetime.date | Unset):
            to (datetime.date | Unset):

        Raises:
            BadRequestError: 400, The request is malformed (not JSON, not valid against the schema, bad
                parameter).
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service cannot serve this right now: the model failed to load, the
                rate limiter's store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`,
                (for `/auth/token`) token issuance is not configured, or (for the usage
                operations) usage cannot be read (`usage_unavailable`, with `Retry-
                After`).
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[Usage]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(
            _get_usage(
                from_=from_,
                to=to,
            ),
            settings,
        )

    async def health_check(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[Health]:
        """Health check

        Service health; credentials optional. `healthy`: every model serves. `degraded`:
        the default model serves but something else is wrong (another model failed to
        load). `unhealthy` (status 503): the default model cannot serve. Without
        credentials (or with ones lacking `metrics:read`) the checks are one status per
        kind (`models`, `threads`, `key_store`, `rate_limiter`; `prediction_log` when the
        prediction log is on, `warn` while its sink fails or records were dropped in the
        last minute), with no detail; a caller with `metrics:read` gets one check per model
        and the detail of each. A version that
        failed to load is named there with a short class of the reason only (e.g.
        `version 2 failed to load (version mismatch)`), never a path or an exception; the
        full reason is `error` in `GET /models/{model_name}` (`models:read`).

        Raises:
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            ServiceUnavailableError: 503, The service is unhealthy.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[Health]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(_health_check(), settings)

    async def get_metrics(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[str]:
        """Prometheus metrics

        Metrics in the Prometheus text exposition format (version 0.0.4), aggregated over
        every worker process: requests by route and status, latency by route, predictions and
        rows by model and version, model load failures.

        Raises:
            AuthenticationError: 401, No credentials, or credentials that are not valid.
            PermissionDeniedError: 403, The credentials are valid but lack the operation's scope
                (`insufficient_scope`), or the key is limited to other models
                (`model_not_allowed`).
            RateLimitError: 429, The rate limit is exhausted (per API key, or per client IP for
                unauthenticated traffic): `rate_limited`. A batch consumes one unit per
                row. Retry after `Retry-After` seconds. The default limit, 100 a minute
                per key (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[str]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(_get_metrics(), settings)

    async def get_docs(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> APIResponse[str]:
        """API reference

        This API reference as one self-contained HTML page (no external requests), without
        authentication. Interactive Swagger UI: `/ui/`; the contract itself: `/openapi.json`.

        Raises:
            HeadersTooLargeError: 431, More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES`
                (32 KiB by default).
            InternalServerError: 500, An unexpected error in the service (`internal_error`), or a model that
                failed or answered something that is not a prediction (`model_error`).
                The body never carries internals; quote its `request_id`.
            APIStatusError: any other error status (e.g. from a proxy in front of the service).
            APITimeoutError: no answer within the timeout, after the retries.
            APIConnectionError: the service could not be reached, after the retries.

        Returns:
            APIResponse[str]: status, headers and `parse()`.
        """

        settings = self._client._call_settings(timeout, max_retries, extra_headers)
        return await self._client._request(_get_docs(), settings)


__all__ = (
    "BatchPrediction",
    "Features",
    "Prediction",
    "Row",
    "APIConnectionError",
    "APIDeprecationWarning",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncSpecserveClient",
    "AuthenticatedClient",
    "AuthenticationError",
    "BadGatewayError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "DEFAULT_BASE_URL",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "ENV_LOG",
    "GatewayTimeoutError",
    "HeadersTooLargeError",
    "InternalServerError",
    "MissingCredentialsError",
    "NO_RETRIES",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "SpecserveClient",
    "UNSET",
    "UnprocessableEntityError",
    "UnprocessableError",
    "UnsupportedMediaTypeError",
    "Unset",
    "BatchPredictionRequest",
    "BatchPredictionResponse",
    "CanarySplitType0",
    "Error",
    "FieldError",
    "Health",
    "HealthCheckResult",
    "HealthChecks",
    "ModelInput",
    "ModelList",
    "ModelMetadata",
    "ModelMetadataInputSchema",
    "ModelMetadataMetrics",
    "ModelRollout",
    "ModelSummary",
    "NamedFeatures",
    "OpenApiDocument",
    "OpenApiDocumentInfo",
    "OpenApiDocumentPaths",
    "ParityType0",
    "PredictionMetadata",
    "PredictionRequest",
    "PredictionResponse",
    "ShadowAgreement",
    "ShadowAgreementAbsDiffType0Item",
    "ShadowVersionType0",
    "TokenRequest",
    "TokenResponse",
    "Usage",
    "UsageCounts",
    "UsageDay",
    "UsageList",
    "UsageQuotaType0",
    "UsageRow",
)
