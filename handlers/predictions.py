"""Tag `Predictions`: the default model."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from specserve.auth.access import check_model_access
from specserve.http.responses import json_response
from specserve.runtime import Runtime
from specserve.serving import predict as scoring


async def predict(
    runtime: Runtime,
    payload: dict[str, Any],
    request_id: str,
    probabilities: bool = False,
    token_info: dict[str, Any] | None = None,
) -> ConnexionResponse:
    check_model_access(token_info, runtime.registry.default_model)
    model = runtime.registry.ready_model()
    body = await scoring.predict_one(model, payload, request_id, runtime.settings, probabilities)
    return json_response(body, request_id)


async def batch_predict(
    runtime: Runtime,
    payload: dict[str, Any],
    request_id: str,
    probabilities: bool = False,
    token_info: dict[str, Any] | None = None,
) -> ConnexionResponse:
    check_model_access(token_info, runtime.registry.default_model)
    model = runtime.registry.ready_model()
    body = await scoring.predict_batch(model, payload, request_id, runtime.settings, probabilities)
    return json_response(body, request_id)
