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
- every caller gets exactly its own row's result; when a coalesced call fails, each of its
  rows is scored alone, so a bad row fails only its own request.

Both app flavours work: under AsyncApp every handler runs on the worker's one event loop;
under FlaskApp each handler runs on its own short-lived loop in a thread of its own. Rows are
queued under a lock and each result is handed back on the loop its caller awaits.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from specserve import metrics

# score(model, x) -> (labels, probabilities, elapsed_ms); raises for a batch it cannot score.
Score = Callable[[Any, np.ndarray], tuple[np.ndarray, np.ndarray, float]]
Result = tuple[float, float, float]  # label, probability, model time in ms


@dataclass(slots=True)
class _Row:
    features: list[float]
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop
    queued: float


class MicroBatcher:
    """Coalesces the single-row predictions of one model within one worker process."""

    def __init__(self, model: Any, score: Score, *, max_size: int, max_wait: float) -> None:
        self.model = model
        self.max_size = max_size
        self.max_wait = max_wait
        self._score = score
        self._lock = threading.Lock()
        self._queue: list[_Row] = []
        self._draining = False
        self._size_metric = metrics.MICROBATCH_SIZE.labels(model.name)
        self._wait_metric = metrics.MICROBATCH_QUEUE_WAIT.labels(model.name)

    async def predict(self, features: list[float]) -> Result:
        """Score one row (already checked against the model's feature count)."""
        loop = asyncio.get_running_loop()
        row = _Row(features, loop.create_future(), loop, time.perf_counter())
        with self._lock:
            self._queue.append(row)
            start = not self._draining
            self._draining = True
        if start:
            loop.call_soon(self._drain, loop, False, 1)
        return await row.future

    def _drain(self, loop: asyncio.AbstractEventLoop, waited: bool, seen: int = 0) -> None:
        """Score queued rows until none are left (a loop callback: never cancelled).

        `seen`: the queue length when this turn was scheduled; a longer queue now means rows
        are still arriving from requests in progress, so the call waits one more turn.
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
            self._run(batch)

    def _fill_delay(self) -> float:
        """How long to wait for more rows before scoring what is queued (lock held)."""
        queued = len(self._queue)
        if self.max_wait <= 0 or queued < 2 or queued >= self.max_size:
            return 0.0
        return self.max_wait - (time.perf_counter() - self._queue[0].queued)

    def _run(self, batch: list[_Row]) -> None:
        started = time.perf_counter()
        for row in batch:
            self._wait_metric.observe(started - row.queued)
        self._size_metric.observe(len(batch))
        try:
            x = np.array([row.features for row in batch], dtype=np.float64)
            labels, probs, elapsed_ms = self._score(self.model, x)
        except BaseException as exc:  # every caller must get an answer
            if len(batch) == 1 or not isinstance(exc, Exception):
                for row in batch:
                    _deliver(row, None, exc)
                return
            for row in batch:  # isolate the failure: each row alone
                self._run([row])
            return
        for row, label, prob in zip(batch, labels.tolist(), probs.tolist(), strict=True):
            _deliver(row, (float(label), float(prob), elapsed_ms), None)


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
    """One `MicroBatcher` per model name; a reloaded model gets a fresh one."""

    def __init__(self, score: Score) -> None:
        self._score = score
        self._lock = threading.Lock()
        self._by_name: dict[str, MicroBatcher] = {}

    def get(self, model: Any, max_size: int, max_wait_ms: float) -> MicroBatcher:
        batcher = self._by_name.get(model.name)
        if batcher is not None and batcher.model is model:
            return batcher
        with self._lock:
            batcher = self._by_name.get(model.name)
            if batcher is None or batcher.model is not model:
                batcher = MicroBatcher(
                    model, self._score, max_size=max_size, max_wait=max_wait_ms / 1000
                )
                self._by_name[model.name] = batcher
        return batcher
