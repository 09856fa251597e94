"""Handlers are plain functions: called here with plain values, no request, no scope."""

from __future__ import annotations

import asyncio

import orjson

from handlers import models, predictions
from tests.problem import SEED


def test_predict_takes_its_inputs_as_parameters(app):
    payload = {"features": SEED, "metadata": {"request_id": "mine"}}
    response = asyncio.run(predictions.predict(app.app_state.data_plane, payload, "rid-1"))
    body = orjson.loads(response.body)
    assert body["request_id"] == "mine" and body["model_version"] == "1.0.0"
    assert response.headers["X-Request-ID"] == "rid-1"


def test_get_model_takes_the_path_parameter(app):
    response = asyncio.run(models.get_model(app.app_state.data_plane, "fraud-detector", "rid-2"))
    assert orjson.loads(response.body)["n_features"] == 3


def test_hand_built_bodies_validate_against_the_generated_models(app):
    """Prediction and model bodies are built as dicts (orjson, the hot path): each must be
    what the contract's generated model accepts, with nothing extra."""
    from generated import models as generated

    def body(response):
        return orjson.loads(response.body)

    data_plane = app.app_state.data_plane
    one = body(asyncio.run(predictions.predict(data_plane, {"features": SEED}, "r")))
    generated.PredictionResponse.model_validate(one, strict=False)
    batch = {"requests": [{"features": SEED}] * 3}
    many = body(asyncio.run(predictions.batch_predict(data_plane, batch, "r")))
    generated.BatchPredictionResponse.model_validate(many)
    described = body(asyncio.run(models.get_model(data_plane, "fraud-detector", "r")))
    generated.ModelMetadata.model_validate(described)
    for name, doc in (("PredictionResponse", one), ("ModelMetadata", described)):
        declared = set(getattr(generated, name).model_fields)
        assert set(doc) <= declared, (name, set(doc) - declared)
