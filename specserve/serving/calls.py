"""Where model calls run, and how long a caller waits for one.

A CPU-bound call on the event loop cannot be interrupted, and while it runs the worker
answers nothing else (`/health` included). So:

- an ONNX Runtime call that scored a full micro-batch of probe rows within 2 ms at load
  (`Model.inline`; microseconds for the models measured) runs on the event loop: a thread hop
  would cost more than the call;
- every other call (scikit-learn, or a slow graph) runs in a small per-worker thread pool
  (`SPECSERVE_PREDICT_THREADS`), and the caller waits at most `SPECSERVE_PREDICT_TIMEOUT`
  seconds: past that it gets 504 `model_timeout`, and the worker goes on serving. A call
  that never ends keeps its thread; the pool is bounded, so a stuck model costs at most that
  many threads, and its later requests time out too while every other model serves.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from specserve import metrics
from specserve.errors import ModelTimeout
from specserve.serving.model import Model
from specserve.serving.outputs import Scored


def timed_call(model: Model, x: np.ndarray, requests: int | None = None) -> tuple[Scored, float]:
    """One model call over `x` on behalf of `requests` requests (default: one per row)."""
    started = time.perf_counter()
    scored = model.score(x)
    elapsed_ms = (time.perf_counter() - started) * 1000
    metrics.PREDICTIONS.labels(model.name, model.version).inc(
        len(x) if requests is None else requests
    )
    metrics.PREDICTION_ROWS.labels(model.name, model.version).inc(len(x))
    return scored, elapsed_ms


class ModelCalls:
    def __init__(self, threads: int, timeout: float) -> None:
        self.threads = threads
        self.timeout = timeout
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:  # made in the worker that uses it, never before a fork
            with self._lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self.threads, "specserve-model")
        return self._pool

    async def call(self, model: Model, x: np.ndarray, requests: int | None = None) -> Any:
        if model.inline:
            return timed_call(model, x, requests)
        loop = asyncio.get_running_loop()
        return await self.wait(
            model, loop.run_in_executor(self.pool, timed_call, model, x, requests)
        )

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
