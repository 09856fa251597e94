# generated from openapi/openapi.yaml by `make generate` — do not edit
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.token_request import TokenRequest
from ...models.token_response import TokenResponse
from ...types import Response


def _get_kwargs(
    *,
    body: TokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = Error.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Response[Error | TokenResponse]:
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
        body (TokenRequest): Parameters the grant does not use are ignored (RFC 6749 section 3.2).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Error | TokenResponse | None:
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
        body (TokenRequest): Parameters the grant does not use are ignored (RFC 6749 section 3.2).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Response[Error | TokenResponse]:
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
        body (TokenRequest): Parameters the grant does not use are ignored (RFC 6749 section 3.2).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Error | TokenResponse | None:
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
        body (TokenRequest): Parameters the grant does not use are ignored (RFC 6749 section 3.2).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
