# generated from openapi/openapi.yaml by `make generate` — do not edit
"""A client library for accessing ML Model Inference API

`SpecserveClient` / `AsyncSpecserveClient`: one method per common operation, typed results,
retries, one exception class per error status. `Client` / `AuthenticatedClient` with the
functions under `specserve_client.api`: every operation, as generated from the spec.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from .api.auth import issue_token
from .api.models import get_model, list_models, predict_with_model
from .api.monitoring import health_check
from .api.predictions import batch_predict as batch_predict_op
from .api.predictions import predict as predict_op
from .client import AuthenticatedClient, Client
from .errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    UnprocessableError,
    error_from_response,
    parse_retry_after,
)
from .models import (
    BatchPredictionRequest,
    BatchPredictionResponse,
    Health,
    ModelList,
    ModelMetadata,
    PredictionMetadataType0,
    PredictionRequest,
    PredictionResponse,
    TokenRequest,
    TokenResponse,
)
from .types import Response

__version__ = "1.0.0"
USER_AGENT = f"specserve-client-python/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
T = TypeVar("T")

# Transport failures worth another attempt: the request most likely never reached a worker,
# or the connection broke; every operation the high-level clients call is safe to repeat.
RETRYABLE_TRANSPORT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and jitter.

    Retries connection errors and the statuses in `statuses` (429, 503), at most
    `max_retries` times. The wait before retry n (0-based) is `backoff * 2**n`, capped at
    `max_backoff`, less up to `jitter` of it at random; a `Retry-After` header replaces it
    (plus up to `jitter * backoff` seconds) unless it asks for more than `max_retry_after`
    seconds, in which case the error is raised at once.
    """

    max_retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.5
    max_retry_after: float = 60.0
    statuses: frozenset[int] = frozenset({429, 503})

    def wait(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if attempt >= self.max_retries:
            return None
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return retry_after + random.uniform(0, self.jitter * self.backoff)
        delay = min(self.max_backoff, self.backoff * 2.0**attempt)
        return delay * (1 - random.uniform(0, self.jitter))


NO_RETRIES = RetryPolicy(max_retries=0)


class _Base:
    """What both high-level clients share: authentication, retry decisions, typed results."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        token: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        headers: dict[str, str] | None = None,
        httpx_args: dict[str, Any] | None = None,
    ) -> None:
        if api_key and token:
            raise ValueError("pass api_key or token, not both")
        self.retry = retry or RetryPolicy()
        self._api_key = api_key
        options: dict[str, Any] = {
            "base_url": base_url.rstrip("/"),
            "headers": {"User-Agent": USER_AGENT, **(headers or {})},
            "timeout": timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            "httpx_args": httpx_args or {},
        }
        self.client: AuthenticatedClient | Client
        if api_key:
            self.client = AuthenticatedClient(token=api_key, prefix="", auth_header_name="X-API-Key", **options)
        elif token:
            self.client = AuthenticatedClient(token=token, **options)
        else:
            self.client = Client(**options)

    def _authenticated(self) -> AuthenticatedClient:
        if not isinstance(self.client, AuthenticatedClient):
            raise AuthenticationError(401, "unauthorized", "this operation needs an api_key or a token", None)
        return self.client

    def _outcome(self, response: Response[Any], expect: type[T], attempt: int, retry: bool = True) -> T | float:
        """The parsed result, or the seconds to wait before retrying; raises APIError."""
        if isinstance(response.parsed, expect):  # error statuses parse to `Error`
            return response.parsed
        if retry and response.status_code in self.retry.statuses:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            wait = self.retry.wait(attempt, retry_after)
            if wait is not None:
                return wait
        raise error_from_response(response.status_code, response.content, response.headers)

    def _connection_wait(self, exc: Exception, attempt: int) -> float:
        wait = self.retry.wait(attempt, None)
        if wait is None:
            raise APIConnectionError(f"{type(exc).__name__}: {exc}") from exc
        return wait

    @staticmethod
    def _prediction(features: Sequence[float], request_id: str | None) -> PredictionRequest:
        body = PredictionRequest(features=list(features))
        if request_id is not None:
            body.metadata = PredictionMetadataType0(request_id=request_id)
        return body

    @staticmethod
    def _batch(rows: Sequence[Sequence[float]]) -> BatchPredictionRequest:
        return BatchPredictionRequest(requests=[PredictionRequest(features=list(row)) for row in rows])

    def _token_request(self, scope: str | None) -> TokenRequest:
        if not self._api_key:
            raise AuthenticationError(401, "unauthorized", "issuing a token needs an api_key", None)
        body = TokenRequest(grant_type="client_credentials")
        if scope is not None:
            body.scope = scope
        return body


class SpecserveClient(_Base):
    """Synchronous client: `SpecserveClient(base_url, api_key=...)` or `token=...`.

    Raises an APIError subclass for every error status (after retries, for 429 and 503),
    APIConnectionError when the service cannot be reached.
    """

    def _call(self, send: Callable[[], Response[Any]], expect: type[T], retry: bool = True) -> T:
        attempt = 0
        while True:
            try:
                outcome = self._outcome(send(), expect, attempt, retry)
            except RETRYABLE_TRANSPORT_ERRORS as exc:
                outcome = self._connection_wait(exc, attempt)
            if not isinstance(outcome, float):
                return outcome
            time.sleep(outcome)
            attempt += 1

    def predict(
        self,
        features: Sequence[float],
        request_id: str | None = None,
        *,
        model: str | None = None,
        probabilities: bool = False,
    ) -> PredictionResponse:
        """One prediction from the default model, or from `model`; `probabilities`: one per class."""
        body = self._prediction(features, request_id)
        client = self._authenticated()
        if model is not None:
            return self._call(
                lambda: predict_with_model.sync_detailed(model, client=client, body=body, probabilities=probabilities),
                PredictionResponse,
            )
        return self._call(
            lambda: predict_op.sync_detailed(client=client, body=body, probabilities=probabilities),
            PredictionResponse,
        )

    def batch_predict(self, rows: Sequence[Sequence[float]]) -> BatchPredictionResponse:
        """Up to 100 predictions from the default model, in request order."""
        body = self._batch(rows)
        client = self._authenticated()
        return self._call(lambda: batch_predict_op.sync_detailed(client=client, body=body), BatchPredictionResponse)

    def health(self) -> Health:
        """The service's health; an unhealthy service (503) answers too, without retries."""
        return self._call(lambda: health_check.sync_detailed(client=self.client), Health, retry=False)

    def models(self) -> ModelList:
        """The models the service holds."""
        client = self._authenticated()
        return self._call(lambda: list_models.sync_detailed(client=client), ModelList)

    def model(self, name: str) -> ModelMetadata:
        """One model's metadata."""
        client = self._authenticated()
        return self._call(lambda: get_model.sync_detailed(model_name=name, client=client), ModelMetadata)

    def issue_token(self, scope: str | None = None) -> TokenResponse:
        """A short-lived bearer token for this client's API key (`scope`: a subset)."""
        body = self._token_request(scope)
        client = self._authenticated()
        return self._call(lambda: issue_token.sync_detailed(client=client, body=body), TokenResponse)

    def close(self) -> None:
        self.client.get_httpx_client().close()

    def __enter__(self) -> SpecserveClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncSpecserveClient(_Base):
    """The asyncio twin of SpecserveClient: the same methods, awaitable."""

    async def _call(self, send: Callable[[], Awaitable[Response[Any]]], expect: type[T], retry: bool = True) -> T:
        attempt = 0
        while True:
            try:
                outcome = self._outcome(await send(), expect, attempt, retry)
            except RETRYABLE_TRANSPORT_ERRORS as exc:
                outcome = self._connection_wait(exc, attempt)
            if not isinstance(outcome, float):
                return outcome
            await asyncio.sleep(outcome)
            attempt += 1

    async def predict(
        self,
        features: Sequence[float],
        request_id: str | None = None,
        *,
        model: str | None = None,
        probabilities: bool = False,
    ) -> PredictionResponse:
        """One prediction from the default model, or from `model`; `probabilities`: one per class."""
        body = self._prediction(features, request_id)
        client = self._authenticated()
        if model is not None:
            return await self._call(
                lambda: predict_with_model.asyncio_detailed(
                    model, client=client, body=body, probabilities=probabilities
                ),
                PredictionResponse,
            )
        return await self._call(
            lambda: predict_op.asyncio_detailed(client=client, body=body, probabilities=probabilities),
            PredictionResponse,
        )

    async def batch_predict(self, rows: Sequence[Sequence[float]]) -> BatchPredictionResponse:
        """Up to 100 predictions from the default model, in request order."""
        body = self._batch(rows)
        client = self._authenticated()
        return await self._call(
            lambda: batch_predict_op.asyncio_detailed(client=client, body=body),
            BatchPredictionResponse,
        )

    async def health(self) -> Health:
        """The service's health; an unhealthy service (503) answers too, without retries."""
        return await self._call(lambda: health_check.asyncio_detailed(client=self.client), Health, retry=False)

    async def models(self) -> ModelList:
        """The models the service holds."""
        client = self._authenticated()
        return await self._call(lambda: list_models.asyncio_detailed(client=client), ModelList)

    async def model(self, name: str) -> ModelMetadata:
        """One model's metadata."""
        client = self._authenticated()
        return await self._call(lambda: get_model.asyncio_detailed(model_name=name, client=client), ModelMetadata)

    async def issue_token(self, scope: str | None = None) -> TokenResponse:
        """A short-lived bearer token for this client's API key (`scope`: a subset)."""
        body = self._token_request(scope)
        client = self._authenticated()
        return await self._call(lambda: issue_token.asyncio_detailed(client=client, body=body), TokenResponse)

    async def aclose(self) -> None:
        await self.client.get_async_httpx_client().aclose()

    async def __aenter__(self) -> AsyncSpecserveClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


__all__ = (
    "APIConnectionError",
    "APIError",
    "AsyncSpecserveClient",
    "AuthenticatedClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "InternalServerError",
    "NO_RETRIES",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "SpecserveClient",
    "UnprocessableError",
)
