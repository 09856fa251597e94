"""Tag `Predictions`: the default model."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from specserve.http.responses import json_response
from specserve.serving.caller import Caller
from specserve.serving.dataplane import DataPlane


async def predict(
    data_plane: DataPlane,
    payload: dict[str, Any],
    request_id: str,
    caller: Caller | None = None,
    probabilities: bool = False,
    scores: bool = False,
) -> ConnexionResponse:
    body = await data_plane.predict(
        payload, request_id, caller, probabilities=probabilities, scores=scores
    )
    return json_response(body, request_id)


async def batch_predict(
    data_plane: DataPlane,
    payload: dict[str, Any],
    request_id: str,
    caller: Caller | None = None,
    probabilities: bool = False,
    scores: bool = False,
) -> ConnexionResponse:
    body = await data_plane.batch_predict(
        payload, request_id, probabilities=probabilities, scores=scores
    )
    return json_response(body, request_id)
