"""Tag `Predictions`: the default model."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from specserve.http.responses import json_response
from specserve.runtime import Runtime
from specserve.serving import predict as scoring


async def predict(runtime: Runtime, payload: dict[str, Any], request_id: str) -> ConnexionResponse:
    model = runtime.registry.ready_model()
    body = await scoring.predict_one(model, payload, request_id, runtime.settings)
    return json_response(body, request_id)


async def batch_predict(
    runtime: Runtime, payload: dict[str, Any], request_id: str
) -> ConnexionResponse:
    model = runtime.registry.ready_model()
    return json_response(scoring.predict_batch(model, payload, request_id), request_id)
