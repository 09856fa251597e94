"""Tag `Predictions`: the default model."""

from specserve.http.context import current_state
from specserve.http.responses import json_response
from specserve.serving import predict as scoring


async def predict(probabilities: bool = False):
    state = current_state()
    model = state["runtime"].registry.ready_model()
    runtime = state["runtime"]
    return json_response(
        await scoring.predict_one(
            model, state["body"], state["request_id"], runtime.settings, probabilities
        )
    )


async def batch_predict(probabilities: bool = False):
    state = current_state()
    model = state["runtime"].registry.ready_model()
    runtime = state["runtime"]
    return json_response(
        await scoring.predict_batch(
            model, state["body"], state["request_id"], runtime.settings, probabilities
        )
    )
