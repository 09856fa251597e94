# hand-written: copied from sdk-templates/python/lib/_base_client.py by `make generate`; edit it there, not here
"""The transport under SpecserveClient and AsyncSpecserveClient (hand-written, copied into the
package by `make generate`): configuration from arguments or the environment, per-client and
per-call options, bounded retries with backoff, jitter and the service's Retry-After, raw
responses, and the mapping of every failure onto the exception tree in `errors`.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import os
import random
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, Self, TypeVar

import httpx

from ..client import AuthenticatedClient
from ._deprecation import DeprecationTracker
from ..errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    MissingCredentialsError,
    make_status_error,
    retry_after_seconds,
)

T = TypeVar("T")
ENV_BASE_URL = "SPECSERVE_BASE_URL"
ENV_API_KEY = "SPECSERVE_API_KEY"
ENV_LOG = "SPECSERVE_LOG"
LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
logger = logging.getLogger("specserve_client")
DEFAULT_BASE_URL = "http://127.0.0.1:8000/v1"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# Statuses that say the request was not processed: retrying them is safe for any operation.
NOT_PROCESSED = frozenset({408, 409, 429})
# Error codes no retry can mend: the request costs more than the key's whole rate limit, or
# the key's quota is used up until its period ends (hours or days: raised at once, with
# `Retry-After` and `X-Quota-Reset` on the error's headers).
NEVER_ADMITTED = frozenset({"cost_exceeds_limit", "quota_exceeded"})
# Transport failures before any byte of the request left: safe to retry for any operation.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures no retry can mend (a malformed URL, a request httpx cannot encode).
FATAL = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.InvalidURL)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and jitter.

    Retried: connection errors and timeouts, and the statuses in `statuses` (408, 409, 429,
    500, 502, 503, 504), at most `max_retries` times; never a 429 `cost_exceeds_limit` (no
    wait admits it) or `quota_exceeded` (the wait is the quota's period). A failure after
    the request may have been processed (a timeout waiting for the answer, a broken
    connection, a 5xx) is retried only for operations the spec marks idempotent
    (`x-idempotent`, or GET). The wait before retry n (0-based) is `backoff * 2**n`, capped
    at `max_backoff`, less up to `jitter` of it at random; a `Retry-After` (or `RateLimit`
    reset) header replaces it, plus up to `jitter * backoff` seconds, unless it asks for more
    than `max_retry_after` seconds, in which case the error is raised at once.
    """

    max_retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.5
    max_retry_after: float = 60.0
    statuses: frozenset[int] = frozenset({408, 409, 429, 500, 502, 503, 504})

    def wait(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if attempt >= self.max_retries:
            return None
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return retry_after + random.uniform(0, self.jitter * self.backoff)
        delay = min(self.max_backoff, self.backoff * 2.0**attempt)
        return float(delay * (1 - random.uniform(0, self.jitter)))

    def status_wait(self, response: httpx.Response, attempt: int, idempotent: bool) -> float | None:
        """Seconds to wait before retrying after an error status, or None to raise it."""
        status = response.status_code
        if status not in self.statuses or not (idempotent or status in NOT_PROCESSED):
            return None
        retry_after = retry_after_seconds(response.headers)
        if status == 429 and _never_admitted(_error_code(response), retry_after):
            return None
        return self.wait(attempt, retry_after)


def _never_admitted(code: str | None, retry_after: float | None) -> bool:
    """A 429 not worth waiting for: `cost_exceeds_limit` (no wait can mend it),
    `quota_exceeded` (the quota resets at its period's end, hours or days away), or, without
    a Retry-After, any code saying the request exceeds a limit (`*_exceeds_limit`)."""
    if code in NEVER_ADMITTED:
        return True
    return retry_after is None and code is not None and code.endswith("_exceeds_limit")


def _error_code(response: httpx.Response) -> str | None:
    """The problem document's `error` code, if the (already read) body is one."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    code = body.get("error") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


NO_RETRIES = RetryPolicy(max_retries=0)


class APIResponse(Generic[T]):
    """A response as received: `status_code`, `headers` (the rate-limit headers among them),
    `request_id`, `http_response`; `parse()` gives the typed result."""

    def __init__(self, response: httpx.Response, parse: Callable[[httpx.Response], T]) -> None:
        self.http_response = response
        self._parse = parse

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        value: str | None = self.http_response.headers.get("x-request-id")
        return value

    def parse(self) -> T:
        """The typed result; a result type without a `request_id` of its own gets the header's."""
        result = self._parse(self.http_response)
        if getattr(result, "request_id", "") is None:
            setattr(result, "request_id", self.request_id)  # noqa: B010 (not every T has it)
        return result


@dataclass(frozen=True)
class Request(Generic[T]):
    """One operation call, as the generated methods describe it."""

    method: str
    url: str
    parse: Callable[[httpx.Response], T]
    idempotent: bool
    json: Any = None
    data: Any = None
    params: Any = None
    # Statuses whose documented body is the result type (e.g. 503 with an unhealthy Health).
    also_ok: frozenset[int] = frozenset()
    # The method name (the operationId, snake_case): a deprecation is reported once per operation.
    operation: str = ""


@dataclass(frozen=True)
class Settings:
    timeout: httpx.Timeout
    retry: RetryPolicy
    headers: Mapping[str, str]


def _timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


def transport_error(exc: httpx.TransportError) -> APIConnectionError:
    request = exc.request if _has_request(exc) else None
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out: {type(exc).__name__}", request=request)
    return APIConnectionError(f"Connection error: {type(exc).__name__}: {exc}", request=request)


def _has_request(exc: httpx.TransportError) -> bool:
    try:
        exc.request
    except RuntimeError:
        return False
    return True


def _is_result(response: httpx.Response, request: Request[Any]) -> bool:
    if response.is_success:
        return True
    content_type = response.headers.get("content-type", "")
    return response.status_code in request.also_ok and "json" in content_type


def _error_wait(exc: httpx.TransportError, policy: RetryPolicy, attempt: int, idempotent: bool) -> float | None:
    if isinstance(exc, FATAL) or not (idempotent or isinstance(exc, NOT_SENT)):
        return None
    return policy.wait(attempt, None)


_handler: logging.Handler | None = None


def setup_logging(level: str | None, *, from_env: bool = False) -> None:
    """`SPECSERVE_LOG=debug|info` (or `log_level=`): the `specserve_client` logger at that level,
    written to stderr; `off` (or nothing) leaves the logger to the application's configuration.
    Any other value is a mistake worth hearing about: `log_level=` raises `ValueError`, and an
    unknown `SPECSERVE_LOG` warns (once) rather than stop a program over its environment."""
    global _handler
    name = (level or "").strip().lower()
    if name in ("", "off"):
        return
    wanted = LOG_LEVELS.get(name)
    if wanted is None:
        where = ENV_LOG if from_env else "log_level"
        message = f"{where}={level!r} is not a log level: use debug, info or off"
        if not from_env:
            raise ValueError(message)
        warnings.warn(f"{message}; nothing is logged", stacklevel=4)
        return
    logger.setLevel(wanted)
    if _handler is None:
        _handler = logging.StreamHandler()
        _handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
        logger.addHandler(_handler)


def _target(request: httpx.Request) -> str:
    """`METHOD /path?query`: never a header, so never the key or a token."""
    query = f"?{request.url.query.decode()}" if request.url.query else ""
    return f"{request.method} {request.url.path}{query}"


def _log_response(response: httpx.Response, started: float) -> None:
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "HTTP %s -> %d (request id %s, %.1f ms)",
            _target(response.request),
            response.status_code,
            response.headers.get("x-request-id", "-"),
            (time.monotonic() - started) * 1000,
        )


def _log_failure(exc: httpx.TransportError, method: str, url: str, started: float) -> None:
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "HTTP %s %s failed: %s (%.1f ms)", method, url, type(exc).__name__, (time.monotonic() - started) * 1000
        )


def _log_retry(method: str, url: str, attempt: int, retries: int, wait: float, why: str) -> None:
    logger.info("Retrying %s %s (retry %d of %d) in %.2f s: %s", method, url, attempt + 1, retries, wait, why)


def _log_request(method: str, url: str, attempt: int, settings: Settings) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        names = sorted(settings.headers)
        logger.debug("Sending %s %s (attempt %d; extra headers: %s)", method, url, attempt + 1, names or "none")


class BaseClient:
    """Configuration shared by both clients.

    `base_url` defaults to `$SPECSERVE_BASE_URL`, else `http://127.0.0.1:8000/v1`; without
    `api_key` and `token`, `$SPECSERVE_API_KEY`; with none of them the constructor raises
    `MissingCredentialsError`. `log_level` ("debug" or "info", else `$SPECSERVE_LOG`) logs each
    request, retry and wait on the `specserve_client` logger (never a key or a token). `api_key` is sent as
    `X-API-Key`, `token` as `Authorization: Bearer`. `timeout` (seconds or an httpx.Timeout),
    `max_retries` / `retry` and `headers` apply to every call; each method also takes
    `timeout`, `max_retries` and `extra_headers` for one call, and `with_options()` gives a
    client with other defaults that shares this one's connections.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        token: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        httpx_args: dict[str, Any] | None = None,
        log_level: str | None = None,
    ) -> None:
        if api_key and token:
            raise ValueError("pass api_key or token, not both")
        if api_key is None and token is None:
            api_key = os.environ.get(ENV_API_KEY) or None
        if not api_key and not token:
            raise MissingCredentialsError(
                f"No API key: pass api_key= (or token=) to the client, or set {ENV_API_KEY}."
            )
        if log_level is not None:
            setup_logging(log_level)
        else:
            setup_logging(os.environ.get(ENV_LOG), from_env=True)
        policy = retry or RetryPolicy()
        if max_retries is not None:
            policy = replace(policy, max_retries=max_retries)
        self._settings = Settings(_timeout(timeout), policy, dict(headers or {}))
        self.base_url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")
        self.client = self._low_level_client(api_key, token, httpx_args or {})
        self._deprecations = DeprecationTracker()  # shared with the with_options() copies

    def _low_level_client(
        self, api_key: str | None, token: str | None, httpx_args: dict[str, Any]
    ) -> AuthenticatedClient:
        from .. import USER_AGENT

        options: dict[str, Any] = {
            "base_url": self.base_url,
            "headers": {"User-Agent": USER_AGENT},
            "timeout": self._settings.timeout,
            "httpx_args": httpx_args,
        }
        if api_key:
            return AuthenticatedClient(token=api_key, prefix="", auth_header_name="X-API-Key", **options)
        return AuthenticatedClient(token=token or "", **options)

    @property
    def timeout(self) -> httpx.Timeout:
        return self._settings.timeout

    @property
    def retry(self) -> RetryPolicy:
        return self._settings.retry

    @property
    def max_retries(self) -> int:
        return self._settings.retry.max_retries

    def _copy_with(
        self,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        retry: RetryPolicy | None,
        headers: Mapping[str, str] | None,
    ) -> Settings:
        policy = retry or self._settings.retry
        if max_retries is not None:
            policy = replace(policy, max_retries=max_retries)
        return Settings(
            _timeout(timeout) if timeout is not None else self._settings.timeout,
            policy,
            {**self._settings.headers, **(headers or {})},
        )

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A client with other defaults (timeout, retries, headers) sharing this one's connections."""
        clone = copy.copy(self)
        clone._settings = self._copy_with(timeout, max_retries, retry, headers)
        return clone

    def _call_settings(
        self,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> Settings:
        return self._copy_with(timeout, max_retries, None, extra_headers)


class SyncAPIClient(BaseClient):
    """The synchronous transport."""

    def _request(self, request: Request[T], settings: Settings) -> APIResponse[T]:
        http = self.client.get_httpx_client()
        attempt = 0
        while True:
            _log_request(request.method, request.url, attempt, settings)
            started = time.monotonic()
            try:
                response = http.request(
                    request.method,
                    request.url,
                    json=request.json,
                    data=request.data,
                    params=request.params,
                    headers=dict(settings.headers),
                    timeout=settings.timeout,
                )
            except httpx.TransportError as exc:
                _log_failure(exc, request.method, request.url, started)
                wait = _error_wait(exc, settings.retry, attempt, request.idempotent)
                if wait is None:
                    raise transport_error(exc) from exc
                why = type(exc).__name__
            else:
                _log_response(response, started)
                self._deprecations.check(request.operation, response)
                if _is_result(response, request):
                    return APIResponse(response, request.parse)
                wait = settings.retry.status_wait(response, attempt, request.idempotent)
                if wait is None:
                    raise make_status_error(response)
                why = f"status {response.status_code}"
                response.close()
            _log_retry(request.method, request.url, attempt, settings.retry.max_retries, wait, why)
            time.sleep(wait)
            attempt += 1

    def _call(self, request: Request[T], settings: Settings) -> T:
        return self._request(request, settings).parse()

    def close(self) -> None:
        self.client.get_httpx_client().close()


class AsyncAPIClient(BaseClient):
    """The asyncio transport."""

    async def _request(self, request: Request[T], settings: Settings) -> APIResponse[T]:
        http = self.client.get_async_httpx_client()
        attempt = 0
        while True:
            _log_request(request.method, request.url, attempt, settings)
            started = time.monotonic()
            try:
                response = await http.request(
                    request.method,
                    request.url,
                    json=request.json,
                    data=request.data,
                    params=request.params,
                    headers=dict(settings.headers),
                    timeout=settings.timeout,
                )
            except httpx.TransportError as exc:
                _log_failure(exc, request.method, request.url, started)
                wait = _error_wait(exc, settings.retry, attempt, request.idempotent)
                if wait is None:
                    raise transport_error(exc) from exc
                why = type(exc).__name__
            else:
                _log_response(response, started)
                self._deprecations.check(request.operation, response)
                if _is_result(response, request):
                    return APIResponse(response, request.parse)
                wait = settings.retry.status_wait(response, attempt, request.idempotent)
                if wait is None:
                    raise make_status_error(response)
                why = f"status {response.status_code}"
                await response.aclose()
            _log_retry(request.method, request.url, attempt, settings.retry.max_retries, wait, why)
            await asyncio.sleep(wait)
            attempt += 1

    async def _call(self, request: Request[T], settings: Settings) -> T:
        return (await self._request(request, settings)).parse()

    async def aclose(self) -> None:
        await self.client.get_async_httpx_client().aclose()


__all__ = [
    "APIResponse",
    "APIStatusError",
    "AsyncAPIClient",
    "BaseClient",
    "DEFAULT_BASE_URL",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "ENV_LOG",
    "NO_RETRIES",
    "Request",
    "RetryPolicy",
    "Settings",
    "SyncAPIClient",
    "setup_logging",
]
