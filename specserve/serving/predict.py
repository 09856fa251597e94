"""Scoring: request bodies in, response bodies out. Handlers call these and nothing else.

The cheapest path for one request: the body arrives parsed and validated (orjson + compiled
schema), the feature count is checked, the rows go straight into one contiguous float64
array and through one `predict_proba` pass. A single row may share that pass with other
concurrent single rows (`specserve.serving.batching`, `SPECSERVE_MICROBATCH`).

For the estimators the service trains itself (a `StandardScaler` + histogram gradient
boosting pipeline) the pass skips scikit-learn's per-call input checks, which cost about as
much as the trees for one row: the input is already a validated, finite float64 matrix of
the right width. That compiled path is built once per loaded estimator and used only if it
reproduces the estimator's own `predict_proba` bit for bit on probe rows; anything else goes
through `predict_proba` unchanged.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from specserve import metrics
from specserve.errors import FeatureCountMismatch
from specserve.serving.batching import Batchers
from specserve.serving.registry import Model

log = logging.getLogger("specserve.serving.predict")

ProbaFn = Callable[[np.ndarray], np.ndarray]


def _row_request_id(row: dict[str, Any], fallback: str) -> str:
    metadata = row.get("metadata") or {}
    return metadata.get("request_id") or fallback


def _model_call(
    model: Model, x: np.ndarray, requests: int | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """One model pass over `x` on behalf of `requests` requests (default: one per row).

    Values the model refuses become a 422 for the request.
    """
    started = time.perf_counter()
    try:
        labels, probs = model.predict(x, compiled_proba(model.estimator))
    except ValueError as exc:  # sklearn refuses the values (e.g. too large for float32)
        raise FeatureCountMismatch(
            f"Model '{model.name}' cannot score these features: {str(exc)[:200]}",
            errors=[{"path": "$.features", "message": "values outside what the model accepts"}],
        ) from None
    elapsed_ms = (time.perf_counter() - started) * 1000
    metrics.PREDICTIONS.labels(model.name, model.version).inc(
        len(x) if requests is None else requests
    )
    metrics.PREDICTION_ROWS.labels(model.name, model.version).inc(len(x))
    return labels, probs, elapsed_ms


_batchers = Batchers(_model_call)


async def predict_one(
    model: Model, body: dict[str, Any], request_id: str, settings: Any
) -> dict[str, Any]:
    features = body["features"]
    model.check_features([features])
    # metadata.json may turn micro-batching on or off for one model (`"microbatch": true`)
    if model.metadata.get("microbatch", settings.microbatch) is True:
        batcher = _batchers.get(
            model, settings.microbatch_max_size, settings.microbatch_max_wait_ms
        )
        label, prob, elapsed_ms = await batcher.predict(features)
    else:
        labels, probs, elapsed_ms = _model_call(model, np.array([features], dtype=np.float64))
        label, prob = labels[0], probs[0]
    return {
        "prediction": float(label),
        "probability": float(prob),
        "model_version": model.version,
        "request_id": _row_request_id(body, request_id),
        "processing_time_ms": round(elapsed_ms, 4),
    }


def predict_batch(model: Model, body: dict[str, Any], request_id: str) -> dict[str, Any]:
    rows = body["requests"]
    matrix = [row["features"] for row in rows]
    model.check_features(matrix, batch=True)
    labels, probs, elapsed_ms = _model_call(model, np.array(matrix, dtype=np.float64), 1)
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
            for i, (row, label, prob) in enumerate(
                zip(rows, labels.tolist(), probs.tolist(), strict=True)
            )
        ],
        "total_processing_time_ms": round(elapsed_ms, 4),
    }


# --- compiled predict_proba for the service's own pipeline ---------------------------------

_compiled: weakref.WeakKeyDictionary[Any, ProbaFn | None] = weakref.WeakKeyDictionary()
_compile_lock = threading.Lock()


def compiled_proba(estimator: Any) -> ProbaFn | None:
    """The estimator's `predict_proba` without per-call input checks, or None (use its own)."""
    try:
        return _compiled[estimator]
    except KeyError:
        pass
    with _compile_lock:
        if estimator not in _compiled:
            _compiled[estimator] = _compile_checked(estimator)
    return _compiled[estimator]


def _compile_checked(estimator: Any) -> ProbaFn | None:
    try:
        fn = _compile(estimator)
        if fn is None:
            return None
        probe = _probe_rows(estimator)
        if np.array_equal(fn(probe), estimator.predict_proba(probe)):
            return fn
        log.warning("compiled scoring differs from predict_proba; using predict_proba")
    except Exception as exc:  # an unexpected estimator layout: the plain path serves
        log.warning("compiled scoring unavailable", extra={"reason": f"{type(exc).__name__}"})
    return None


def _compile(estimator: Any) -> ProbaFn | None:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    steps = [s for _, s in estimator.steps] if type(estimator) is Pipeline else [estimator]
    *pre, clf = steps
    if type(clf) is not HistGradientBoostingClassifier or any(
        type(s) is not StandardScaler for s in pre
    ):
        return None
    scalers = [(s.mean_ if s.with_mean else None, s.scale_ if s.with_std else None) for s in pre]
    known_cat_bitsets, f_idx_map = clf._bin_mapper.make_known_categories_bitsets()
    trees = [(k, p) for per_iter in clf._predictors for k, p in enumerate(per_iter)]
    baseline = clf._baseline_prediction
    n_outputs = clf.n_trees_per_iteration_
    n_features = clf.n_features_in_
    loss = clf._loss

    def proba(x: np.ndarray) -> np.ndarray:
        if x.ndim != 2 or x.shape[1] != n_features:
            return estimator.predict_proba(x)  # let scikit-learn explain the mismatch
        for mean, scale in scalers:
            if mean is not None:
                x = x - mean
            if scale is not None:
                x = x / scale
        raw = np.zeros((x.shape[0], n_outputs), dtype=baseline.dtype, order="F")
        raw += baseline
        for k, tree in trees:
            raw[:, k] += tree.predict(x, known_cat_bitsets, f_idx_map, 1)
        return loss.predict_proba(raw)

    return proba


def _probe_rows(estimator: Any) -> np.ndarray:
    """Rows spread over (and beyond) the training range, to compare the two paths on."""
    from sklearn.pipeline import Pipeline

    n = estimator.n_features_in_
    first = estimator.steps[0][1] if type(estimator) is Pipeline else None
    center = getattr(first, "mean_", None)
    spread = getattr(first, "scale_", None)
    center = np.zeros(n) if center is None else center
    spread = np.ones(n) if spread is None else spread
    rng = np.random.default_rng(0)
    rows = center + spread * rng.normal(scale=2.0, size=(256, n))
    return np.vstack([rows, np.zeros((1, n)), center + 1e6 * spread, center - 1e6 * spread])
