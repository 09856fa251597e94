# generated from openapi/openapi.yaml by `make generate` — do not edit
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.health import Health
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/health",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Health | None:
    if response.status_code == 200:
        response_200 = Health.from_dict(response.json())

        return response_200

    if response.status_code == 431:
        response_431 = Error.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Health.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Health]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Error | Health]:
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Health]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Error | Health | None:
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Health
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Error | Health]:
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Health]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Error | Health | None:
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Health
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
