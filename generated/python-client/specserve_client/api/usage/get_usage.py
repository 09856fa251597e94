# generated from openapi/openapi.yaml by `make generate` — do not edit
import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.usage import Usage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/usage",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Usage | None:
    if response.status_code == 200:
        response_200 = Usage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Usage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> Response[Error | Usage]:
    """Your usage and quota

     The calling key's (or token subject's) own usage, per UTC day and model, from `from`
    to `to` (both included; by default the first day of the current UTC month to today;
    a longer span than 400 days is answered for its last 400, as the answer's `from`
    says, and one ending before it starts is empty), with its totals, and its quota with what remains.
    Any valid key or
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Usage]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> Error | Usage | None:
    """Your usage and quota

     The calling key's (or token subject's) own usage, per UTC day and model, from `from`
    to `to` (both included; by default the first day of the current UTC month to today;
    a longer span than 400 days is answered for its last 400, as the answer's `from`
    says, and one ending before it starts is empty), with its totals, and its quota with what remains.
    Any valid key or
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Usage
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> Response[Error | Usage]:
    """Your usage and quota

     The calling key's (or token subject's) own usage, per UTC day and model, from `from`
    to `to` (both included; by default the first day of the current UTC month to today;
    a longer span than 400 days is answered for its last 400, as the answer's `from`
    says, and one ending before it starts is empty), with its totals, and its quota with what remains.
    Any valid key or
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Usage]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> Error | Usage | None:
    """Your usage and quota

     The calling key's (or token subject's) own usage, per UTC day and model, from `from`
    to `to` (both included; by default the first day of the current UTC month to today;
    a longer span than 400 days is answered for its last 400, as the answer's `from`
    says, and one ending before it starts is empty), with its totals, and its quota with what remains.
    Any valid key or
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Usage
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
        )
    ).parsed
