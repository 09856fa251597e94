"""The prediction log: one record per scored row, written off the request path.

Off by default; `SPECSERVE_PREDICTION_LOG` names the sink: `file` (JSON lines under
`var/predictions`, or `file:/a/dir`; `specserve.predlog.filesink`) or a `postgresql://` URL
(a table the service creates; `specserve.predlog.pgsink`). The data plane asks `records` after
scoring (None when the log is off or the request is not sampled: one comparison and one
random number) and hands what it gets to `submit`, which only appends to a buffer bounded in
records (`SPECSERVE_PREDICTION_LOG_BUFFER`) and in bytes (`BUFFER_BYTES`, from an estimate per
record: its number of input and output values, counted at submit without walking them): a
full buffer drops the records and counts them, so a sink that is slow or down never slows
or fails a request, and wide rows cannot make a worker's buffer grow past the bytes bound.
A writer thread (`specserve.predlog.writer`) drains the buffer in batches; drops and writes
reach `/metrics` and `/health` from there.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from typing import Any

import numpy as np

from specserve.config import Settings
from specserve.predlog.records import Naming, V2Answers, build
from specserve.serving.caller import Caller
from specserve.serving.model import Model

__all__ = ["PredictionLog", "V2Answers"]

BUFFER_BYTES = 64 * 1024 * 1024  # a worker's buffer, as estimated by `estimate`
RECORD_BYTES = 1024  # a record's dicts, time, ids and names
VALUE_BYTES = 96  # an input or output value: its dict slot, the object, its JSON


def estimate(record: dict[str, Any]) -> int:
    """What a record holds in memory, roughly: a fixed part and a share per value (a list,
    such as `probabilities`, as one: they are short)."""
    return RECORD_BYTES + VALUE_BYTES * (len(record["inputs"]) + len(record["outputs"]))


class PredictionLog:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.enabled = bool(settings.prediction_log)
        self.sample = settings.prediction_log_sample
        self.capacity = settings.prediction_log_buffer
        self.capacity_bytes = BUFFER_BYTES
        redact = (n.strip() for n in settings.prediction_log_redact.split(","))
        self.naming = Naming(n for n in redact if n)
        self.buffer: deque[tuple[int, dict[str, Any]]] = deque()  # (estimate, record)
        self.full = 0  # records dropped because the buffer was full (the writer reports them)
        # the buffer's estimated bytes are added - taken: each count has one writer (the
        # request path, the writer thread), so neither loses an update to the other
        self.added_bytes = 0
        self.taken_bytes = 0
        self.writer: Any = None
        self._random = random.Random().random

    def records(
        self,
        model: Model,
        caller: Caller | None,
        request_id: str,
        rows: Sequence[Any] | np.ndarray,
        answers: Sequence[dict[str, Any]],
        latency_ms: float,
    ) -> list[dict[str, Any]] | None:
        """The request's records, or None when the log is off or the request not sampled
        (every row of a sampled batch is logged: a batch is one request)."""
        if not self.enabled or (self.sample < 1.0 and self._random() >= self.sample):
            return None
        return build(self.naming, model, caller, request_id, rows, answers, latency_ms)

    def submit(self, records: list[dict[str, Any]]) -> None:
        """Queue records for the writer; never blocks. Past the buffer they are dropped and
        counted (the writer only ever shortens it, so the check is safe to race). A request's
        records share a shape: the first one's estimate stands for each."""
        if not records:
            return
        size = estimate(records[0])
        over = self.added_bytes - self.taken_bytes + size * len(records) > self.capacity_bytes
        if over or len(self.buffer) + len(records) > self.capacity:
            self.full += len(records)
            return
        self.added_bytes += size * len(records)
        self.buffer.extend((size, r) for r in records)

    def take(self, n: int) -> list[dict[str, Any]]:
        """Up to `n` records from the buffer's head (the writer thread only)."""
        out = []
        for _ in range(min(n, len(self.buffer))):
            size, record = self.buffer.popleft()
            self.taken_bytes += size
            out.append(record)
        return out

    @property
    def buffered_bytes(self) -> int:
        return self.added_bytes - self.taken_bytes

    def start(self) -> None:
        """Open the sink and start the writer (the app's lifespan, in each worker)."""
        if not self.enabled or self.writer is not None:
            return
        from specserve.predlog.writer import Writer, open_sink

        self.writer = Writer(self, open_sink(self.settings))
        self.writer.start()

    def stop(self) -> None:
        """Write what is buffered (within a bound) and stop the writer."""
        if self.writer is not None:
            self.writer.stop()
            self.writer = None

    def health_check(self) -> dict[str, str] | None:
        """`/health`'s `prediction_log` check (None when the log is off)."""
        if not self.enabled:
            return None
        if self.writer is None:
            return {"status": "warn", "detail": "the writer is not running"}
        result: dict[str, str] = self.writer.health()
        return result
