"""Scoring: request bodies in, response bodies out. Handlers call these and nothing else."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from specserve import metrics
from specserve.errors import FeatureCountMismatch
from specserve.registry import Model


def _row_request_id(row: dict[str, Any], fallback: str) -> str:
    metadata = row.get("metadata") or {}
    return metadata.get("request_id") or fallback


def _score(
    model: Model, rows: list[list[float]], batch: bool = False
) -> tuple[np.ndarray, np.ndarray, float]:
    model.check_features(rows, batch)
    started = time.perf_counter()
    x = np.asarray(rows, dtype=np.float64)
    try:
        labels, probs = model.predict(x)
    except ValueError as exc:  # sklearn refuses the values (e.g. too large for float32)
        raise FeatureCountMismatch(
            f"Model '{model.name}' cannot score these features: {str(exc)[:200]}",
            errors=[{"path": "$.features", "message": "values outside what the model accepts"}],
        ) from None
    elapsed_ms = (time.perf_counter() - started) * 1000
    metrics.PREDICTIONS.labels(model.name, model.version).inc()
    metrics.PREDICTION_ROWS.labels(model.name, model.version).inc(len(rows))
    return labels, probs, elapsed_ms


def predict_one(model: Model, body: dict[str, Any], request_id: str) -> dict[str, Any]:
    labels, probs, elapsed_ms = _score(model, [body["features"]])
    return {
        "prediction": float(labels[0]),
        "probability": float(probs[0]),
        "model_version": model.version,
        "request_id": _row_request_id(body, request_id),
        "processing_time_ms": round(elapsed_ms, 4),
    }


def predict_batch(model: Model, body: dict[str, Any], request_id: str) -> dict[str, Any]:
    rows = body["requests"]
    labels, probs, elapsed_ms = _score(model, [row["features"] for row in rows], batch=True)
    per_row = round(elapsed_ms / len(rows), 4)
    return {
        "predictions": [
            {
                "prediction": float(label),
                "probability": float(prob),
                "model_version": model.version,
                "request_id": _row_request_id(row, f"{request_id}-{i}"),
                "processing_time_ms": per_row,
            }
            for i, (row, label, prob) in enumerate(zip(rows, labels, probs, strict=True))
        ],
        "total_processing_time_ms": round(elapsed_ms, 4),
    }
