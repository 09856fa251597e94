# generated from openapi/openapi.yaml by `make generate` — do not edit
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_prediction_request import BatchPredictionRequest
from ...models.batch_prediction_response import BatchPredictionResponse
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    model_name: str,
    *,
    body: BatchPredictionRequest,
    probabilities: bool | Unset = False,
    scores: bool | Unset = False,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["probabilities"] = probabilities

    params["scores"] = scores

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/models/{model_name}/batch_predict".format(
            model_name=quote(str(model_name), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchPredictionResponse | Error | None:
    if response.status_code == 200:
        response_200 = BatchPredictionResponse.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

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

    if response.status_code == 504:
        response_504 = Error.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchPredictionResponse | Error]:
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
    body: BatchPredictionRequest,
    probabilities: bool | Unset = False,
    scores: bool | Unset = False,
) -> Response[BatchPredictionResponse | Error]:
    """Batch predictions with a named model

     Same as `POST /batch_predict`, with the model named in the path.

    Args:
        model_name (str):
        probabilities (bool | Unset):  Default: False.
        scores (bool | Unset):  Default: False.
        body (BatchPredictionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchPredictionResponse | Error]
    """

    kwargs = _get_kwargs(
        model_name=model_name,
        body=body,
        probabilities=probabilities,
        scores=scores,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_name: str,
    *,
    client: AuthenticatedClient,
    body: BatchPredictionRequest,
    probabilities: bool | Unset = False,
    scores: bool | Unset = False,
) -> BatchPredictionResponse | Error | None:
    """Batch predictions with a named model

     Same as `POST /batch_predict`, with the model named in the path.

    Args:
        model_name (str):
        probabilities (bool | Unset):  Default: False.
        scores (bool | Unset):  Default: False.
        body (BatchPredictionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchPredictionResponse | Error
    """

    return sync_detailed(
        model_name=model_name,
        client=client,
        body=body,
        probabilities=probabilities,
        scores=scores,
    ).parsed


async def asyncio_detailed(
    model_name: str,
    *,
    client: AuthenticatedClient,
    body: BatchPredictionRequest,
    probabilities: bool | Unset = False,
    scores: bool | Unset = False,
) -> Response[BatchPredictionResponse | Error]:
    """Batch predictions with a named model

     Same as `POST /batch_predict`, with the model named in the path.

    Args:
        model_name (str):
        probabilities (bool | Unset):  Default: False.
        scores (bool | Unset):  Default: False.
        body (BatchPredictionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchPredictionResponse | Error]
    """

    kwargs = _get_kwargs(
        model_name=model_name,
        body=body,
        probabilities=probabilities,
        scores=scores,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_name: str,
    *,
    client: AuthenticatedClient,
    body: BatchPredictionRequest,
    probabilities: bool | Unset = False,
    scores: bool | Unset = False,
) -> BatchPredictionResponse | Error | None:
    """Batch predictions with a named model

     Same as `POST /batch_predict`, with the model named in the path.

    Args:
        model_name (str):
        probabilities (bool | Unset):  Default: False.
        scores (bool | Unset):  Default: False.
        body (BatchPredictionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchPredictionResponse | Error
    """

    return (
        await asyncio_detailed(
            model_name=model_name,
            client=client,
            body=body,
            probabilities=probabilities,
            scores=scores,
        )
    ).parsed
