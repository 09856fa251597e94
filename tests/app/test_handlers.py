"""Handlers are plain functions: called here with plain values, no request, no scope."""

from __future__ import annotations

import asyncio

import orjson

from handlers import models, predictions
from tests.problem import SEED


def test_predict_takes_its_inputs_as_parameters(app):
    payload = {"features": SEED, "metadata": {"request_id": "mine"}}
    response = asyncio.run(predictions.predict(app.runtime, payload, "rid-1"))
    body = orjson.loads(response.body)
    assert body["request_id"] == "mine" and body["model_version"] == "1.0.0"
    assert response.headers["X-Request-ID"] == "rid-1"


def test_get_model_takes_the_path_parameter(app):
    response = asyncio.run(models.get_model(app.runtime, "fraud-detector", "rid-2"))
    assert orjson.loads(response.body)["n_features"] == 3
