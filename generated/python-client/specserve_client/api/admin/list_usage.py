# generated from openapi/openapi.yaml by `make generate` — do not edit
import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.usage_list import UsageList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    key_id: str | Unset = UNSET,
    identity: str | Unset = UNSET,
    limit: int | Unset = 1000,
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

    params["key_id"] = key_id

    params["identity"] = identity

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/admin/usage",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | UsageList | None:
    if response.status_code == 200:
        response_200 = UsageList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | UsageList]:
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
    key_id: str | Unset = UNSET,
    identity: str | Unset = UNSET,
    limit: int | Unset = 1000,
) -> Response[Error | UsageList]:
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UsageList]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        key_id=key_id,
        identity=identity,
        limit=limit,
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
    key_id: str | Unset = UNSET,
    identity: str | Unset = UNSET,
    limit: int | Unset = 1000,
) -> Error | UsageList | None:
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UsageList
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        key_id=key_id,
        identity=identity,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    key_id: str | Unset = UNSET,
    identity: str | Unset = UNSET,
    limit: int | Unset = 1000,
) -> Response[Error | UsageList]:
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UsageList]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        key_id=key_id,
        identity=identity,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    key_id: str | Unset = UNSET,
    identity: str | Unset = UNSET,
    limit: int | Unset = 1000,
) -> Error | UsageList | None:
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
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UsageList
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            key_id=key_id,
            identity=identity,
            limit=limit,
        )
    ).parsed
