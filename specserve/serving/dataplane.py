"""The data plane: the one object that owns this worker's models and scores them.

It holds the registry (every model version on disk, the serving one of each loaded), the
model threads and the micro-batchers, and offers what handlers call: `predict` and
`batch_predict` (for the default model, a named model or a given version), the Open
Inference Protocol's `infer`, `tensor_metadata` and `model_ready` (its tensors in and out:
`specserve.serving.tensors`), `describe`, `list_models`, `reload` and `model_checks` for
health. A handler makes one call and shapes
the response; the request's JSON paths (`$.features[2]`, `$.requests[3].features`) are built
here, at the data plane's edge, from what the model reports, never inside the model.

Model watching is the worker's own background task (`watch`, started in the app's lifespan):
every `SPECSERVE_MODEL_POLL_SECONDS` it compares what is on disk with what is loaded and
reloads in a thread when they differ, so an idle worker loads a new version and reports a
broken one in `/health` within the interval, and no request pays for a poll.

The cheapest path for one request: the body arrives parsed and validated (orjson + compiled
schema), the feature count and range are checked, the rows go into one contiguous float64
array and through one call of the version's runtime (ONNX Runtime when the version has a
gated `model.onnx`, else scikit-learn; `specserve.serving.model`). A single row may share that
call with other concurrent single rows (`specserve.serving.batching`, `SPECSERVE_MICROBATCH`).
Where calls run and how long a caller waits: `specserve.serving.threads`.

On the unversioned routes a model's rollout (`specserve.serving.rollout`) picks the version
that answers (a canary serves its share of callers, sticky per caller) and may hand the same
matrix to a shadow version, which scores it once the response has been sent: the shadow costs
one more model call off the request path and nothing else (no second parsing or validation),
and nothing it does reaches the client.

A prediction of a model with numeric labels (or a regressor) has exactly the five keys the
seed's clients read: `prediction`, `probability` (null when the model gives none),
`model_version`, `request_id`, `processing_time_ms` (clusterers and outlier detectors too:
their `prediction` is the cluster id or ±1). A string-label classifier adds `label`;
`?probabilities=true` adds `probabilities`; `?scores=true` adds `score` (an outlier
detector's decision function, null for other models).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Collection
from typing import Any

import numpy as np

from specserve.config import Settings
from specserve.errors import (
    FeatureCountMismatch,
    FeatureOutOfRange,
    FeaturesRefused,
    ModelUnavailable,
)
from specserve.observability import metrics, tracing
from specserve.predlog import PredictionLog, V2Answers
from specserve.serving import tensors
from specserve.serving.agreement import Agreement
from specserve.serving.artifacts import Limits
from specserve.serving.batching import Batchers
from specserve.serving.caller import Caller
from specserve.serving.model import FLOAT32_MAX, Model
from specserve.serving.outputs import Row, Scored
from specserve.serving.registry import Registry
from specserve.serving.rollout import Shadows, on_canary, sampled
from specserve.serving.threads import ModelCalls

log = logging.getLogger("specserve.serving.dataplane")


class DataPlane:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.registry = Registry(
            settings.model_dir,
            settings.default_model,
            settings.allow_pickle,
            settings.model_versions_loaded,
            Limits.from_settings(settings),
        )
        self.calls = ModelCalls(settings.predict_threads, settings.predict_timeout)
        self.batchers = Batchers(self.calls)
        self.shadows = Shadows(
            self.calls.call, Agreement(settings.redis_url, settings.rate_limit_key_prefix)
        )
        self.prediction_log = PredictionLog(settings)  # started and stopped by the lifespan
        self._load_lock = threading.Lock()  # one scan at a time (start-up, watcher, admin)
        self._scan: asyncio.Future[None] | None = None  # the scan in a thread, if one runs

    # -- the models on disk ---------------------------------------------------------------

    def load(self) -> None:
        """Scan the model directory and swap in what changed (blocking: start-up, threads)."""
        with self._load_lock:
            before = {m.name: m for m in self.registry.models()}
            for model in self.registry.load().values():
                _count_load(before.get(model.name), model)

    async def reload(self) -> None:
        """Rescan in a thread; the registry swaps atomically, so every request is served
        wholly by the old or wholly by the new version. A scan already running is joined,
        never doubled: however many admin reloads and polls arrive, a scan that is slow or
        stuck (a read that never returns) holds one thread, not one more per caller."""
        if self._scan is None or self._scan.done():
            self._scan = asyncio.ensure_future(asyncio.to_thread(self.load))
        await asyncio.shield(self._scan)

    async def poll(self) -> bool:
        """Reload if what is on disk differs from what is loaded; True when it did. Starts
        nothing while a scan runs (the next poll looks again)."""
        if self._scan is not None and not self._scan.done():
            return False
        fingerprint = await asyncio.to_thread(self.registry.fingerprint)
        if fingerprint == self.registry.loaded_fingerprint:
            return False
        await self.reload()
        return True

    async def watch(self) -> None:
        """Poll every `model_poll_seconds` until cancelled (the app's lifespan owns it)."""
        interval = self.settings.model_poll_seconds
        while True:
            await asyncio.sleep(interval)
            try:
                await self.poll()
            except Exception:  # a failed poll must never end the watcher
                log.exception("model poll failed")

    # -- what handlers call ----------------------------------------------------------------

    @property
    def default_model(self) -> str:
        return self.registry.default_model

    def list_models(self, allowed: Collection[str] | None = None) -> list[Model]:
        """Every model's serving version; only `allowed` ones for a model-limited caller."""
        models = self.registry.models()
        return models if allowed is None else [m for m in models if m.name in allowed]

    async def describe(self, name: str, version: str | None = None) -> dict[str, Any]:
        """A version's metadata (loaded or not: a failed one describes itself too)."""
        if version is None:
            model = self.registry.get(name)
            return {**model.describe(), "rollout": await self._rollout_json(model)}
        return (await self._version(name, version)).describe()

    async def _rollout_json(self, model: Model) -> dict[str, Any]:
        """The model's shadow (with its agreement over every worker) and canary."""
        rollout = self.registry.rollout(model.name)
        problems = list(rollout.problems)
        shadow = canary = None
        if rollout.shadow is not None:
            version = rollout.shadow.version
            shadow = {
                "version": version,
                "sample": rollout.shadow.sample,
                "agreement": await self.shadows.agreement.read(
                    model.name, version, rollout.shadow.token, model.task
                ),
            }
            problems += _held_problem(self.registry.held(model.name, version), "shadow")
        if rollout.canary is not None:
            version = rollout.canary.version
            canary = {"version": version, "weight": rollout.canary.weight}
            problems += _held_problem(self.registry.held(model.name, version), "canary")
        return {"shadow": shadow, "canary": canary, "problems": problems}

    async def predict(
        self,
        payload: dict[str, Any],
        request_id: str,
        caller: Caller | None = None,
        *,
        name: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
    ) -> dict[str, Any]:
        model, shadow = await self._route(name, version, caller)
        features = payload["features"]
        x = _matrix(model, [features], "$.features")
        with tracing.model_span(model, 1):
            row, elapsed_ms = await self._score_one(model, features, x)
        extras = (probabilities, scores)
        body = _body(model, row, _row_request_id(payload, request_id), elapsed_ms, extras)
        records = self.prediction_log.records(
            model, caller, body["request_id"], [features], [body], elapsed_ms
        )
        self._after(model, shadow, x, Scored.of(row), records, caller)
        return body

    async def batch_predict(
        self,
        payload: dict[str, Any],
        request_id: str,
        caller: Caller | None = None,
        *,
        name: str | None = None,
        version: str | None = None,
        probabilities: bool = False,
        scores: bool = False,
    ) -> dict[str, Any]:
        model, shadow = await self._route(name, version, caller)
        rows = payload["requests"]
        x = _matrix(model, [row["features"] for row in rows], "$.requests[{row}].features")
        with tracing.model_span(model, len(rows)):
            scored, elapsed_ms = await self._call(model, x, 1)
        per_row = elapsed_ms / len(rows)
        answer = {
            "predictions": [
                _body(
                    model,
                    scored.row(i),
                    _row_request_id(row, f"{request_id}-{i}"),
                    per_row,
                    (probabilities, scores),
                )
                for i, row in enumerate(rows)
            ],
            "total_processing_time_ms": round(elapsed_ms, 4),
        }
        records = self.prediction_log.records(
            model,
            caller,
            request_id,
            [row["features"] for row in rows],
            answer["predictions"],
            per_row,
        )
        self._after(model, shadow, x, scored, records, caller)
        return answer

    async def infer(
        self,
        payload: dict[str, Any],
        request_id: str,
        binary: bytes | memoryview | None = None,
        caller: Caller | None = None,
        *,
        name: str,
        version: str | None = None,
        max_rows: int,
    ) -> tuple[dict[str, Any], bytes]:
        """An Open Inference Protocol infer (`/v2`): the response's JSON and its binary tail.
        One model call for the request's rows (a single row may share one with others)."""
        started = time.perf_counter()
        model, shadow = await self._route(name, version, caller)
        requested = tensors.requested_outputs(payload, model)
        decoded = tensors.decode(payload, binary, model, max_rows)
        if decoded.x is not None:
            x = _in_float32_range(decoded.x, decoded.where)
        else:
            x = _matrix(model, decoded.rows or [], decoded.where)
        with tracing.model_span(model, decoded.n):
            scored = await self._score_rows(model, x)
        records = self.prediction_log.records(
            model,
            caller,
            request_id,
            decoded.rows if decoded.rows is not None else x,
            V2Answers(model, scored, [r.name for r in requested]),
            (time.perf_counter() - started) * 1000,
        )
        self._after(model, shadow, x, scored, records, caller)
        return tensors.encode(model, scored, decoded.n, requested, request_id, payload)

    def _after(
        self,
        model: Model,
        shadow: tuple[Model, str] | None,
        x: np.ndarray,
        scored: Scored,
        records: list[dict[str, Any]] | None,
        caller: Caller | None = None,
    ) -> None:
        """Once the answer is computed: the shadow call, if any, handed to the request's
        "after the response" list (`caller.later`), so it begins once the answer is sent
        (the request's log records go with it, to be submitted with its outputs), else the
        records submitted now. Its agreement is counted under the setting `_route` saw,
        even if the shadow was set again meanwhile."""
        if shadow is not None:
            version, token = shadow
            submit = self.prediction_log.submit
            later = caller.later if caller is not None else None
            self.shadows.start(model, version, token, x, scored, records, submit, later)
        elif records:
            self.prediction_log.submit(records)

    async def tensor_metadata(self, name: str, version: str | None = None) -> dict[str, Any]:
        """The Open Inference Protocol's model metadata: inputs and outputs as tensors."""
        return tensors.metadata(await self._ready(name, version))

    async def model_ready(self, name: str, version: str | None = None) -> dict[str, Any]:
        """`{name, ready: true}`, or 503 when the version is not loaded."""
        model = await self._ready(name, version)
        return {"name": model.name, "ready": True}

    def model_checks(self) -> tuple[dict[str, dict[str, str]], Model | None]:
        """Health: one check per model, and the default model (None when absent)."""
        checks = {f"model:{m.name}": _model_check(m) for m in self.registry.models()}
        default = next((m for m in self.registry.models() if m.name == self.default_model), None)
        if default is None:
            checks[f"model:{self.default_model}"] = {
                "status": "fail",
                "detail": "not found in the model directory",
            }
        return checks, default

    # -- below the handlers ----------------------------------------------------------------

    async def _version(self, name: str, version: str) -> Model:
        """The version this worker holds, or one loaded now, off the event loop."""
        model = self.registry.cached_version(name, version)
        if model is None:
            model = await asyncio.to_thread(self.registry.version, name, version)
        return model

    async def _route(
        self, name: str | None, version: str | None, caller: Caller | None
    ) -> tuple[Model, tuple[Model, str] | None]:
        """(the version that answers, the shadow version that scores it too with the token
        of its setting, if any). A version asked for by name is served as asked: splits and
        shadows are for the unversioned routes."""
        model = await self._ready(name, version)
        if version is not None:
            return model, None
        rollout = self.registry.rollout(model.name)
        canary = rollout.canary
        identity = caller.identity if caller is not None else None
        if canary is not None and on_canary(canary, model.name, identity):
            chosen = self.registry.held(model.name, canary.version)
            if chosen is not None and chosen.ready:
                model = chosen
        shadow = rollout.shadow
        if shadow is None or shadow.version == model.version or not sampled(shadow):
            return model, None
        held = self.registry.held(model.name, shadow.version)
        return model, ((held, shadow.token) if held is not None and held.ready else None)

    async def _ready(self, name: str | None, version: str | None) -> Model:
        if version is None:
            return self.registry.ready_model(name)
        model = await self._version(name or self.default_model, version)
        if not model.ready:
            raise ModelUnavailable(
                f"Model '{model.name}' version {model.version} is not available."
            )
        return model

    async def _score_one(
        self, model: Model, features: Any, x: np.ndarray, where: str = "$.features"
    ) -> tuple[Row, float]:
        settings = self.settings
        # metadata.json may turn micro-batching on or off for one model (`"microbatch": true`)
        if model.metadata.get("microbatch", settings.microbatch) is True:
            batcher = self.batchers.get(
                model, settings.microbatch_max_size, settings.microbatch_max_wait_ms
            )
            result: tuple[Row, float] = await _refused_at(batcher.predict(x[0]), where)
            return result
        scored, elapsed_ms = await self._call(model, x, where=where)
        return scored.row(0), elapsed_ms

    async def _call(
        self, model: Model, x: np.ndarray, requests: int | None = None, where: str | None = None
    ) -> Any:
        where = where or ("$.features" if requests is None else "$.requests")
        return await _refused_at(self.calls.call(model, x, requests), where)

    async def _score_rows(self, model: Model, x: np.ndarray) -> Scored:
        """An infer's rows: a single row as `/v1` predict scores it (micro-batched), more in
        one call, counted as one request."""
        if len(x) == 1:
            row, _ = await self._score_one(model, None, x, "$.inputs")
            return Scored.of(row)
        scored: Scored = (await self._call(model, x, 1, "$.inputs"))[0]
        return scored


def _matrix(model: Model, rows: list[Any], where: str) -> np.ndarray:
    """The rows as one matrix (float64, or object for a model with string inputs), or the
    first row (and value) the model cannot take, named by its JSON path (`where` formats
    `{row}`). Lists of numbers for a model of plain numbers take the shortest path; named
    rows and typed models go through the version's signature."""
    expected = model.n_features
    signature = model.signature
    positional = True
    for i, row in enumerate(rows):
        if type(row) is not list:
            positional = False
        elif len(row) != expected and (signature is None or signature.numeric):
            raise FeatureCountMismatch(
                f"Model '{model.name}' expects {expected} features, got {len(row)}.",
                errors=[
                    {
                        "path": where.format(row=i),
                        "message": f"expected {expected} features, got {len(row)}",
                    }
                ],
            )
    plain = positional and signature is not None and signature.plain_numbers
    if signature is not None and not plain:
        return signature.matrix(rows, where)
    return _in_float32_range(np.array(rows, dtype=np.float64), where)


def _in_float32_range(x: np.ndarray, where: str) -> np.ndarray:
    """`x`, or the first value a float32 graph cannot hold, refused with its JSON path."""
    if x.size and float(np.abs(x).max()) > FLOAT32_MAX:  # a float32 graph cannot hold it
        i, col = (int(v[0]) for v in np.nonzero(np.abs(x) > FLOAT32_MAX))
        raise FeatureOutOfRange(
            f"Feature values must lie within ±{FLOAT32_MAX:.7g}.",
            errors=[
                {"path": f"{where.format(row=i)}[{col}]", "message": f"beyond ±{FLOAT32_MAX:.7g}"}
            ],
        )
    return x


async def _refused_at(call: Any, where: str) -> Any:
    """Name the request's field when the model refuses the values."""
    try:
        return await call
    except FeaturesRefused as exc:
        exc.errors = [{"path": where, "message": "values the model refuses"}]
        raise


def _row_request_id(row: dict[str, Any], fallback: str) -> str:
    metadata = row.get("metadata") or {}
    return metadata.get("request_id") or fallback


def _body(
    model: Model, row: Row, request_id: str, elapsed_ms: float, extras: tuple[bool, bool]
) -> dict[str, Any]:
    """The seed's five keys; `label`, `probabilities`, `score` only when they apply or are
    asked for (`extras`: probabilities, scores)."""
    probabilities, scores = extras
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
    if scores:
        body["score"] = row.score
    return body


def _held_problem(model: Model | None, kind: str) -> list[str]:
    if model is None or model.ready:
        return []
    return [f"{kind} version {model.version} failed to load ({model.error_class}); not used"]


def _model_check(model: Model) -> dict[str, str]:
    if model.ready and model.newer_error:
        return {
            "status": "warn",
            "detail": f"{model.newer_error}; version {model.version} still serves",
        }
    if model.ready:
        return {"status": "pass", "detail": f"version {model.version} loaded"}
    kind = model.error_class or "load failed"  # a short class: never a path or exception text
    return {"status": "fail", "detail": f"version {model.version} failed to load ({kind})"}


def _count_load(previous: Model | None, model: Model) -> None:
    """The `models_ready` gauge and load-failure counter after one scan."""
    if previous is model:
        if model.newer_error:
            metrics.MODEL_LOAD_FAILURES.labels(model.name).inc()
        return
    if previous is not None and previous.ready:
        metrics.MODELS_READY.labels(previous.name, previous.version).set(0)
    if model.ready:
        metrics.MODELS_READY.labels(model.name, model.version).set(1)
    else:
        metrics.MODEL_LOAD_FAILURES.labels(model.name).inc()
