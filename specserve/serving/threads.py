"""Where model calls run, and how long a caller waits for one.

A CPU-bound call on the event loop cannot be interrupted, and while it runs the worker
answers nothing else (`/health` included). So:

- an ONNX Runtime call that scored a full micro-batch of probe rows within 2 ms at load
  (`Model.inline`; microseconds for the models measured) runs on the event loop: a thread hop
  would cost more than the call;
- every other call (scikit-learn, or a slow graph) runs in a small thread pool of the model
  version's own (`SPECSERVE_PREDICT_THREADS` threads, made on its first call), and the caller
  waits at most `SPECSERVE_PREDICT_TIMEOUT` seconds: past that it gets 504 `model_timeout`,
  and the worker goes on serving. A call that never ends keeps its thread; the pool is
  bounded and the model's own, so a stuck model costs at most that many threads, and its
  later requests time out too while every other model serves.

A shadow call (`shadow=True`) runs on the version's threads, within the timeout: a version
that is not inline is called this way after the client's response has been sent (an inline
one is called with `timed_call` right there: `specserve.serving.rollout`). It is not a
request served, so it does not count in `specserve_predictions_total` /
`specserve_prediction_rows_total` (the `specserve_shadow_*` metrics count shadow calls).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from specserve.errors import ModelTimeout
from specserve.observability import metrics
from specserve.serving.model import Model
from specserve.serving.outputs import Scored


def timed_call(
    model: Model, x: np.ndarray, requests: int | None = None, served: bool = True
) -> tuple[Scored, float]:
    """One model call over `x` on behalf of `requests` requests (default: one per row);
    counted as served unless it is a shadow call (`served=False`)."""
    started = time.perf_counter()
    scored = model.score(x)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if not served:
        return scored, elapsed_ms
    metrics.PREDICTIONS.labels(model.name, model.version).inc(
        len(x) if requests is None else requests
    )
    metrics.PREDICTION_ROWS.labels(model.name, model.version).inc(len(x))
    return scored, elapsed_ms


class ModelCalls:
    def __init__(self, threads: int, timeout: float) -> None:
        self.threads = threads
        self.timeout = timeout
        self._pools: dict[tuple[str, str], tuple[int, ThreadPoolExecutor]] = {}
        self._lock = threading.Lock()

    def pool(self, model: Model) -> ThreadPoolExecutor:
        """The version's own threads (made in the worker that uses them, never before a
        fork); a reloaded version gets new ones, the old ones end when idle."""
        key = (model.name, model.version)
        found = self._pools.get(key)
        if found is not None and found[0] == model.stamp:
            return found[1]
        with self._lock:
            found = self._pools.get(key)
            if found is None or found[0] != model.stamp:
                if found is not None:
                    found[1].shutdown(wait=False, cancel_futures=False)
                pool = ThreadPoolExecutor(self.threads, f"specserve-model-{model.name[:16]}")
                found = self._pools[key] = (model.stamp, pool)
        return found[1]

    async def call(
        self, model: Model, x: np.ndarray, requests: int | None = None, shadow: bool = False
    ) -> Any:
        if model.inline and not shadow:
            return timed_call(model, x, requests)
        loop = asyncio.get_running_loop()
        pool = self.pool(model)
        pending = loop.run_in_executor(pool, timed_call, model, x, requests, not shadow)
        return await self.wait(model, pending)

    async def wait(self, model: Model, pending: Awaitable[Any]) -> Any:
        try:
            return await asyncio.wait_for(pending, self.timeout)
        except TimeoutError:
            raise timeout_error(model, self.timeout) from None


def timeout_error(model: Model, timeout: float) -> ModelTimeout:
    return ModelTimeout(
        f"Model '{model.name}' did not answer within {timeout:g} s "
        "(SPECSERVE_PREDICT_TIMEOUT); try again later."
    )
