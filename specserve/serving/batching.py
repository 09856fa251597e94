"""Adaptive micro-batching: concurrent single-row predictions for one model, scored together.

The model call is CPU-bound and its cost barely grows with the rows it scores (one
`predict_proba` pass over 1 or 64 rows costs about the same), so a worker that coalesces the
single-row requests it holds at the same moment serves more of them per second:

- a row that arrives while no call runs is scored at the next turn of the event loop; if
  more rows reached the queue during that turn (requests the loop was already working on),
  the call waits one more turn, and so on while the queue keeps growing, up to `max_size`
  rows: no timer, and no added wait when idle (a lone row goes at the first turn);
- rows that arrive while a call runs queue up; when it ends they go together, at most
  `max_size` rows per call (the rest in the calls that follow);
- with `max_wait` > 0, a call that finds rows already queueing (more than one) may wait up
  to that long, counted from the oldest row's arrival, for the batch to fill (default 0);
- every caller gets exactly its own row's result, or its own error: when a coalesced call
  fails, each of its rows is scored alone, so a bad row fails only its own request, and every
  failure (the model raising, an output that is no prediction) resolves every waiting caller;
- a call runs where `specserve.serving.threads` says: on the event loop for a fast ONNX graph,
  in the model threads otherwise; a caller waits at most `SPECSERVE_PREDICT_TIMEOUT` (504),
  and a caller that gives up takes its row out of the queue.

Handlers run on the worker's one event loop, model calls in the model threads. Rows are
queued under a lock, each result is handed back on the loop its caller awaits (a pooled call
ends in a thread), and the next call is started on the loop of a caller still waiting (an
app built in process by a test may be driven from more than one loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import numpy as np

from specserve.observability import metrics
from specserve.serving.outputs import Row
from specserve.serving.threads import ModelCalls, timed_call

Result = tuple[Row, float]  # the row's decoded outputs, model time in ms


def score_rows(model: Any, x: np.ndarray) -> list[Result | BaseException]:
    """Every row's result or its own error; never raises."""
    try:
        scored, elapsed_ms = timed_call(model, x, 1 if len(x) == 1 else len(x))
        return [(scored.row(i), elapsed_ms) for i in range(len(x))]
    except BaseException as exc:
        if len(x) == 1 or not isinstance(exc, Exception):
            return [exc] * len(x)
    return [score_rows(model, x[i : i + 1])[0] for i in range(len(x))]


@dataclass(slots=True)
class _Row:
    features: np.ndarray  # the row, validated: one row of the model's matrix
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop
    queued: float


class MicroBatcher:
    """Coalesces the single-row predictions of one model within one worker process."""

    def __init__(self, model: Any, calls: ModelCalls, *, max_size: int, max_wait: float) -> None:
        self.model = model
        self.max_size = max_size
        self.max_wait = max_wait
        self._calls = calls
        self._lock = threading.Lock()
        self._queue: list[_Row] = []
        self._draining = False
        self._size_metric = metrics.MICROBATCH_SIZE.labels(model.name)
        self._wait_metric = metrics.MICROBATCH_QUEUE_WAIT.labels(model.name)

    async def predict(self, features: np.ndarray) -> Result:
        """Score one row (already checked against the model's feature count and range)."""
        loop = asyncio.get_running_loop()
        row = _Row(features, loop.create_future(), loop, time.perf_counter())
        with self._lock:
            self._queue.append(row)
            start = not self._draining
            self._draining = True
        if start:
            loop.call_soon(self._drain, loop, False, 1)
        if self.model.inline:
            return await row.future
        try:
            return await self._calls.wait(self.model, row.future)
        finally:
            if not row.future.done() or row.future.cancelled():
                self._forget(row)

    def _forget(self, row: _Row) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._queue.remove(row)

    def _drain(self, loop: asyncio.AbstractEventLoop, waited: bool, seen: int = 0) -> None:
        """Score queued rows until none are left (a loop callback: never cancelled).

        `seen`: the queue length when this turn was scheduled; a longer queue now means rows
        are still arriving from requests in progress, so the call waits one more turn. A call
        handed to the model threads ends this turn; its completion starts the next one.
        """
        while True:
            with self._lock:
                queued = len(self._queue)
                if not queued:
                    self._draining = False
                    return
                if seen and seen < queued < self.max_size:
                    loop.call_soon(self._drain, loop, waited, queued)
                    return
                seen = 0
                delay = 0.0 if waited else self._fill_delay()
                if delay > 0:
                    loop.call_later(delay, self._drain, loop, True)
                    return
                batch = self._queue[: self.max_size]
                del self._queue[: self.max_size]
            waited = False
            if self._run(batch):
                return

    def _fill_delay(self) -> float:
        """How long to wait for more rows before scoring what is queued (lock held)."""
        queued = len(self._queue)
        if self.max_wait <= 0 or queued < 2 or queued >= self.max_size:
            return 0.0
        return self.max_wait - (time.perf_counter() - self._queue[0].queued)

    def _run(self, batch: list[_Row]) -> bool:
        """Score a batch; True if the call went to the model threads (it settles later)."""
        started = time.perf_counter()
        for row in batch:
            self._wait_metric.observe(started - row.queued)
        self._size_metric.observe(len(batch))
        try:
            x = np.stack([row.features for row in batch])
            if self.model.inline:
                _settle(batch, score_rows(self.model, x))
                return False
            pending = self._calls.pool(self.model).submit(score_rows, self.model, x)
        except BaseException as exc:  # every caller must get an answer
            _settle(batch, [exc] * len(batch))
            return False
        pending.add_done_callback(lambda done: self._finished(batch, done))
        return True

    def _finished(self, batch: list[_Row], done: Future) -> None:
        """A pooled call ended (in its thread): answer its rows, start the next call."""
        try:
            results = done.result()
        except BaseException as exc:
            results = [exc] * len(batch)
        _settle(batch, results)
        self._kick()

    def _kick(self) -> None:
        """Start the next call on the loop of a caller still waiting (the loop that started
        this call may be gone: a test's loop ends with it)."""
        with self._lock:
            for row in self._queue:
                try:
                    row.loop.call_soon_threadsafe(self._drain, row.loop, False)
                    return
                except RuntimeError:  # that loop has closed: nobody waits there
                    continue
            self._queue.clear()
            self._draining = False


def _settle(batch: list[_Row], results: list[Result | BaseException]) -> None:
    for row, result in zip(batch, results, strict=True):
        if isinstance(result, BaseException):
            _deliver(row, None, result)
        else:
            _deliver(row, result, None)


def _deliver(row: _Row, result: Result | None, exc: BaseException | None) -> None:
    def settle() -> None:
        if row.future.done():  # the caller went away
            return
        if exc is not None:
            row.future.set_exception(exc)
        else:
            row.future.set_result(result)

    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is row.loop:
        settle()
    else:
        # RuntimeError: the caller's loop has closed, nobody waits for this row.
        with contextlib.suppress(RuntimeError):
            row.loop.call_soon_threadsafe(settle)


class Batchers:
    """One `MicroBatcher` per model version; a reloaded model gets a fresh one."""

    def __init__(self, calls: ModelCalls) -> None:
        self._calls = calls
        self._lock = threading.Lock()
        self._by_name: dict[tuple[str, str], MicroBatcher] = {}

    def get(self, model: Any, max_size: int, max_wait_ms: float) -> MicroBatcher:
        key = (model.name, model.version)
        batcher = self._by_name.get(key)
        if batcher is not None and batcher.model is model:
            return batcher
        with self._lock:
            batcher = self._by_name.get(key)
            if batcher is None or batcher.model is not model:
                batcher = MicroBatcher(
                    model, self._calls, max_size=max_size, max_wait=max_wait_ms / 1000
                )
                self._by_name[key] = batcher
        return batcher
