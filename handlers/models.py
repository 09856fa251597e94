"""Tag `Models`: the registry, and predictions from a named model."""

from generated.models import ModelList, ModelStatus, ModelSummary
from specserve.auth.access import require_model_access
from specserve.http.context import current_state
from specserve.http.responses import json_response, model_response
from specserve.serving import predict as scoring


async def list_models():
    registry = current_state()["runtime"].registry
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
        )
    )


async def get_model(model_name: str):
    require_model_access(model_name)
    return json_response(current_state()["runtime"].registry.get(model_name).describe())


async def predict_with_model(model_name: str):
    require_model_access(model_name)
    state = current_state()
    model = state["runtime"].registry.ready_model(model_name)
    runtime = state["runtime"]
    return json_response(
        await scoring.predict_one(model, state["body"], state["request_id"], runtime.settings)
    )


async def batch_predict_with_model(model_name: str):
    require_model_access(model_name)
    state = current_state()
    model = state["runtime"].registry.ready_model(model_name)
    return json_response(scoring.predict_batch(model, state["body"], state["request_id"]))
