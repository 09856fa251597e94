"""Tag `Models`: the registry, every version of a model, and predictions from a named one.

Each handler is one call of the data plane; the path names the model (and the version).
"""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from generated.models import ModelList, ModelStatus, ModelSummary
from specserve.http.responses import bytes_response, json_response, model_response
from specserve.serving.caller import Caller
from specserve.serving.contract import served_document
from specserve.serving.dataplane import DataPlane
from specserve.state import AppState

Payload = dict[str, Any]


async def list_models(
    data_plane: DataPlane, request_id: str, allowed_models: list[str] | None = None
) -> ConnexionResponse:
    """Every model, or only those a model-limited credential may use (and the default
    model's name only if it is one of them)."""
    default: str | None = data_plane.default_model
    if allowed_models is not None and default not in allowed_models:
        default = None
    summaries = [
        ModelSummary(
            name=m.name,
            version=m.version,
            versions=m.versions,
            status=ModelStatus("ready" if m.ready else "failed"),
            default=m.name == default,
        )
        for m in data_plane.list_models(allowed_models)
    ]
    return model_response(ModelList(default_model=default, models=summaries), request_id)


async def get_model(data_plane: DataPlane, model_name: str, request_id: str) -> ConnexionResponse:
    return json_response(await data_plane.describe(model_name), request_id)


async def get_model_version(
    data_plane: DataPlane, model_name: str, version: str, request_id: str
) -> ConnexionResponse:
    return json_response(await data_plane.describe(model_name, version), request_id)


async def predict_with_model(
    data_plane: DataPlane,
    model_name: str,
    payload: Payload,
    request_id: str,
    caller: Caller | None = None,
    probabilities: bool = False,
    version: str | None = None,
    scores: bool = False,
) -> ConnexionResponse:
    body = await data_plane.predict(
        payload,
        request_id,
        caller,
        name=model_name,
        version=version,
        probabilities=probabilities,
        scores=scores,
    )
    return json_response(body, request_id)


async def batch_predict_with_model(
    data_plane: DataPlane,
    model_name: str,
    payload: Payload,
    request_id: str,
    caller: Caller | None = None,
    probabilities: bool = False,
    version: str | None = None,
    scores: bool = False,
) -> ConnexionResponse:
    body = await data_plane.batch_predict(
        payload,
        request_id,
        caller,
        name=model_name,
        version=version,
        probabilities=probabilities,
        scores=scores,
    )
    return json_response(body, request_id)


# `/models/{model_name}/versions/{version}/...`: the same calls, with the path's version
predict_with_model_version = predict_with_model
batch_predict_with_model_version = batch_predict_with_model


async def get_model_contract(
    data_plane: DataPlane, app_state: AppState, model_name: str, request_id: str
) -> ConnexionResponse:
    body = await served_document(app_state.contract.raw, data_plane, model_name)
    return bytes_response(body, "application/json", request_id)


async def get_model_version_contract(
    data_plane: DataPlane, app_state: AppState, model_name: str, version: str, request_id: str
) -> ConnexionResponse:
    body = await served_document(app_state.contract.raw, data_plane, model_name, version)
    return bytes_response(body, "application/json", request_id)
