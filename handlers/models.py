"""Tag `Models`: the registry, every version of a model, and predictions from a named one."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from generated.models import ModelList, ModelStatus, ModelSummary
from specserve.auth.access import check_model_access
from specserve.http.responses import json_response, model_response
from specserve.runtime import Runtime
from specserve.serving import predict as scoring
from specserve.serving import versions

Info = dict[str, Any] | None


async def list_models(runtime: Runtime, request_id: str) -> ConnexionResponse:
    registry = runtime.registry
    return model_response(
        ModelList(
            default_model=registry.default_model,
            models=[
                ModelSummary(
                    name=m.name,
                    version=m.version,
                    versions=m.versions,
                    status=ModelStatus("ready" if m.ready else "failed"),
                    default=m.name == registry.default_model,
                )
                for m in registry.models()
            ],
        ),
        request_id,
    )


async def get_model(
    runtime: Runtime, model_name: str, request_id: str, token_info: Info = None
) -> ConnexionResponse:
    check_model_access(token_info, model_name)
    return json_response(runtime.registry.get(model_name).describe(), request_id)


async def predict_with_model(
    runtime: Runtime,
    model_name: str,
    payload: dict[str, Any],
    request_id: str,
    probabilities: bool = False,
    token_info: Info = None,
) -> ConnexionResponse:
    check_model_access(token_info, model_name)
    model = runtime.registry.ready_model(model_name)
    body = await scoring.predict_one(model, payload, request_id, runtime.settings, probabilities)
    return json_response(body, request_id)


async def batch_predict_with_model(
    runtime: Runtime,
    model_name: str,
    payload: dict[str, Any],
    request_id: str,
    probabilities: bool = False,
    token_info: Info = None,
) -> ConnexionResponse:
    check_model_access(token_info, model_name)
    model = runtime.registry.ready_model(model_name)
    body = await scoring.predict_batch(model, payload, request_id, runtime.settings, probabilities)
    return json_response(body, request_id)


async def get_model_version(
    runtime: Runtime, model_name: str, version: str, request_id: str, token_info: Info = None
) -> ConnexionResponse:
    check_model_access(token_info, model_name)
    model = await versions.model_version(runtime.registry, model_name, version)
    return json_response(model.describe(), request_id)


async def predict_with_model_version(
    runtime: Runtime,
    model_name: str,
    version: str,
    payload: dict[str, Any],
    request_id: str,
    probabilities: bool = False,
    token_info: Info = None,
) -> ConnexionResponse:
    check_model_access(token_info, model_name)
    model = await versions.ready_version(runtime.registry, model_name, version)
    body = await scoring.predict_one(model, payload, request_id, runtime.settings, probabilities)
    return json_response(body, request_id)


async def batch_predict_with_model_version(
    runtime: Runtime,
    model_name: str,
    version: str,
    payload: dict[str, Any],
    request_id: str,
    probabilities: bool = False,
    token_info: Info = None,
) -> ConnexionResponse:
    check_model_access(token_info, model_name)
    model = await versions.ready_version(runtime.registry, model_name, version)
    body = await scoring.predict_batch(model, payload, request_id, runtime.settings, probabilities)
    return json_response(body, request_id)
