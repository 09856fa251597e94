# generated from openapi/openapi.yaml by `make generate` — do not edit
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.open_api_document import OpenApiDocument
from ...types import Response


def _get_kwargs(
    model_name: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/models/{model_name}/openapi.json".format(
            model_name=quote(str(model_name), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | OpenApiDocument | None:
    if response.status_code == 200:
        response_200 = OpenApiDocument.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

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
) -> Response[Error | OpenApiDocument]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_name: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | OpenApiDocument]:
    """The model's own OpenAPI document

     This model's own contract: the model operations of this API (metadata, predict,
    batch predict) with `features` specialised to the model's inputs (names, types,
    categories, which may be null) and `label` to its classes, derived from the serving
    version's signature when it loads. Generate a typed client from it
    (`specserve models sdk NAME`).

    Args:
        model_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OpenApiDocument]
    """

    kwargs = _get_kwargs(
        model_name=model_name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_name: str,
    *,
    client: AuthenticatedClient,
) -> Error | OpenApiDocument | None:
    """The model's own OpenAPI document

     This model's own contract: the model operations of this API (metadata, predict,
    batch predict) with `features` specialised to the model's inputs (names, types,
    categories, which may be null) and `label` to its classes, derived from the serving
    version's signature when it loads. Generate a typed client from it
    (`specserve models sdk NAME`).

    Args:
        model_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OpenApiDocument
    """

    return sync_detailed(
        model_name=model_name,
        client=client,
    ).parsed


async def asyncio_detailed(
    model_name: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | OpenApiDocument]:
    """The model's own OpenAPI document

     This model's own contract: the model operations of this API (metadata, predict,
    batch predict) with `features` specialised to the model's inputs (names, types,
    categories, which may be null) and `label` to its classes, derived from the serving
    version's signature when it loads. Generate a typed client from it
    (`specserve models sdk NAME`).

    Args:
        model_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OpenApiDocument]
    """

    kwargs = _get_kwargs(
        model_name=model_name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_name: str,
    *,
    client: AuthenticatedClient,
) -> Error | OpenApiDocument | None:
    """The model's own OpenAPI document

     This model's own contract: the model operations of this API (metadata, predict,
    batch predict) with `features` specialised to the model's inputs (names, types,
    categories, which may be null) and `label` to its classes, derived from the serving
    version's signature when it loads. Generate a typed client from it
    (`specserve models sdk NAME`).

    Args:
        model_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OpenApiDocument
    """

    return (
        await asyncio_detailed(
            model_name=model_name,
            client=client,
        )
    ).parsed
