"""Tag `Predictions`: the default model."""

from specserve.auth.access import require_model_access
from specserve.http.context import current_state
from specserve.http.responses import json_response
from specserve.serving import predict as scoring


async def predict():
    state = current_state()
    require_model_access(state["runtime"].registry.default_model)
    model = state["runtime"].registry.ready_model()
    runtime = state["runtime"]
    return json_response(
        await scoring.predict_one(model, state["body"], state["request_id"], runtime.settings)
    )


async def batch_predict():
    state = current_state()
    require_model_access(state["runtime"].registry.default_model)
    model = state["runtime"].registry.ready_model()
    return json_response(scoring.predict_batch(model, state["body"], state["request_id"]))
