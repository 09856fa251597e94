"""Tag `Models`: the registry, and predictions from a named model."""

from generated.models import ModelList, ModelStatus, ModelSummary
from specserve.http.context import current_state
from specserve.http.responses import json_response, model_response
from specserve.serving import predict as scoring
from specserve.serving import versions


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
    return json_response(current_state()["runtime"].registry.get(model_name).describe())


async def predict_with_model(model_name: str, probabilities: bool = False):
    state = current_state()
    model = state["runtime"].registry.ready_model(model_name)
    runtime = state["runtime"]
    return json_response(
        await scoring.predict_one(
            model, state["body"], state["request_id"], runtime.settings, probabilities
        )
    )


async def batch_predict_with_model(model_name: str, probabilities: bool = False):
    state = current_state()
    model = state["runtime"].registry.ready_model(model_name)
    runtime = state["runtime"]
    return json_response(
        await scoring.predict_batch(
            model, state["body"], state["request_id"], runtime.settings, probabilities
        )
    )


async def get_model_version(model_name: str, version: str):
    registry = current_state()["runtime"].registry
    return json_response((await versions.model_version(registry, model_name, version)).describe())


async def predict_with_model_version(model_name: str, version: str, probabilities: bool = False):
    state = current_state()
    runtime = state["runtime"]
    model = await versions.ready_version(runtime.registry, model_name, version)
    return json_response(
        await scoring.predict_one(
            model, state["body"], state["request_id"], runtime.settings, probabilities
        )
    )


async def batch_predict_with_model_version(
    model_name: str, version: str, probabilities: bool = False
):
    state = current_state()
    runtime = state["runtime"]
    model = await versions.ready_version(runtime.registry, model_name, version)
    return json_response(
        await scoring.predict_batch(
            model, state["body"], state["request_id"], runtime.settings, probabilities
        )
    )
