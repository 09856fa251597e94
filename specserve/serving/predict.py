"""Scoring: request bodies in, response bodies out. Handlers call these and nothing else.

The cheapest path for one request: the body arrives parsed and validated (orjson + compiled
schema), the feature count and range are checked, the rows go into one contiguous float64
array and through one call of the version's runtime (ONNX Runtime when the version has a
gated `model.onnx`, else scikit-learn; see `specserve.serving.model`). A single row may share
that call with other concurrent single rows (`specserve.serving.batching`,
`SPECSERVE_MICROBATCH`). Where calls run and how long a caller waits:
`specserve.serving.calls`.

A prediction of a model with numeric labels (or a regressor) has exactly the five keys the
seed's clients read: `prediction`, `probability` (null when the model gives none),
`model_version`, `request_id`, `processing_time_ms`. A string-label classifier adds `label`;
`?probabilities=true` adds `probabilities`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from specserve import tracecontext
from specserve.serving.batching import Batchers
from specserve.serving.calls import ModelCalls
from specserve.serving.model import Model
from specserve.serving.outputs import Row

# One pool of model threads (and its batchers) per worker and configuration.
_runners: dict[tuple[int, float], tuple[ModelCalls, Batchers]] = {}


def runners(settings: Any) -> tuple[ModelCalls, Batchers]:
    """This worker's model threads, timeout and batchers (made on first use)."""
    key = (getattr(settings, "predict_threads", 2), getattr(settings, "predict_timeout", 10.0))
    found = _runners.get(key)
    if found is None:
        calls = ModelCalls(*key)
        found = _runners.setdefault(key, (calls, Batchers(calls)))
    return found


def _row_request_id(row: dict[str, Any], fallback: str) -> str:
    metadata = row.get("metadata") or {}
    return metadata.get("request_id") or fallback


def _body(
    model: Model, row: Row, request_id: str, elapsed_ms: float, probabilities: bool
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "prediction": row.prediction,
        "probability": row.probability,
        "model_version": model.version,
        "request_id": request_id,
        "processing_time_ms": round(elapsed_ms, 4),
    }
    if row.label is not None:
        body["label"] = row.label
    if probabilities:
        body["probabilities"] = row.probabilities
    return body


async def predict_one(
    model: Model,
    body: dict[str, Any],
    request_id: str,
    settings: Any,
    probabilities: bool = False,
) -> dict[str, Any]:
    features = body["features"]
    model.check_features([features])
    x = np.array([features], dtype=np.float64)
    model.check_range(x)
    tracing = tracecontext.ACTIVE.get()
    if tracing is None:
        row, elapsed_ms = await _score_one(model, features, x, settings)
    else:
        with tracing.model_span(model, 1):
            row, elapsed_ms = await _score_one(model, features, x, settings)
    return _body(model, row, _row_request_id(body, request_id), elapsed_ms, probabilities)


async def _score_one(model: Model, features: Any, x: np.ndarray, settings: Any) -> Any:
    calls, batchers = runners(settings)
    # metadata.json may turn micro-batching on or off for one model (`"microbatch": true`)
    if model.metadata.get("microbatch", settings.microbatch) is True:
        batcher = batchers.get(model, settings.microbatch_max_size, settings.microbatch_max_wait_ms)
        return await batcher.predict(features)
    scored, elapsed_ms = await calls.call(model, x)
    return scored.row(0), elapsed_ms


async def predict_batch(
    model: Model,
    body: dict[str, Any],
    request_id: str,
    settings: Any,
    probabilities: bool = False,
) -> dict[str, Any]:
    rows = body["requests"]
    matrix = [row["features"] for row in rows]
    model.check_features(matrix, batch=True)
    x = np.array(matrix, dtype=np.float64)
    model.check_range(x, batch=True)
    tracing = tracecontext.ACTIVE.get()
    if tracing is None:
        scored, elapsed_ms = await runners(settings)[0].call(model, x, 1)
    else:
        with tracing.model_span(model, len(rows)):
            scored, elapsed_ms = await runners(settings)[0].call(model, x, 1)
    per_row = elapsed_ms / len(rows)
    return {
        "predictions": [
            _body(
                model,
                scored.row(i),
                _row_request_id(row, f"{request_id}-{i}"),
                per_row,
                probabilities,
            )
            for i, row in enumerate(rows)
        ],
        "total_processing_time_ms": round(elapsed_ms, 4),
    }
