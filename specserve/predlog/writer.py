"""The writer thread: drains the log's buffer in batches into the sink, off the request path.

It wakes every `INTERVAL` seconds (a request never wakes it: no per-request handoff), writes
what is buffered in batches of at most `BATCH` records, and on a failure keeps the batch,
backs off (doubling up to `MAX_BACKOFF`) and tries again; meanwhile the buffer fills and
`submit` drops past it. A batch the sink refuses for what it holds (a value the database will
not store: the sink's `refused`), or that fails `MAX_TRIES` times for a reason other than an
unreachable sink, is dropped and counted `rejected`: retried forever it would stop the log.
A sink that wrote part of a batch before failing says how many records (`written` on the
exception), and only the rest is retried, so no record is written twice.

The sink is opened and closed by the writer thread only, so shutdown can never close it
under a write still running; what is left when the thread gives up at shutdown is counted
`shutdown`. Counts reach `/metrics` from here, not from the request path.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from specserve.config import Settings
from specserve.observability import metrics
from specserve.predlog.sinks import parse_target

log = logging.getLogger("specserve.predlog")

INTERVAL = 0.2
BATCH = 1000
MAX_BACKOFF = 5.0
STOP_SECONDS = 5.0  # what shutdown waits for the last records
RECENT = 60.0  # a drop this recent degrades /health
MAX_TRIES = 5  # a batch failing this often while the sink is reachable is dropped
REASONS = ("buffer_full", "too_large", "rejected", "shutdown")


def open_sink(settings: Settings) -> Any:
    target = parse_target(settings.prediction_log.get_secret_value())
    if target.kind == "file":
        from specserve.predlog.filesink import FileSink

        assert target.directory is not None
        return FileSink(
            target.directory, settings.prediction_log_max_bytes, settings.prediction_log_files
        )
    from specserve.predlog.pgsink import PostgresSink

    assert target.url is not None
    return PostgresSink(target.url, settings.prediction_log_retention_days)


class Writer:
    def __init__(self, owner: Any, sink: Any) -> None:
        self.owner = owner  # the PredictionLog: its buffer and its count of drops
        self.sink = sink
        self.pending: list[dict[str, Any]] = []  # a batch the sink refused, retried first
        self.failing: str | None = None  # why the last write failed, until one succeeds
        self.written = 0
        self.dropped: dict[str, int] = dict.fromkeys(REASONS, 0)
        self.last_drop = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="prediction-log", daemon=True)
        self._backoff = 0.0
        self._retry_at = 0.0
        self._tries = 0  # failures of the pending batch
        self._too_large = 0  # the sink's count of too large records, as last seen
        self._own = {"rejected": 0, "shutdown": 0}  # drops counted here, not by the request path
        self._flushing = threading.Lock()  # the thread, or a caller that flushes now

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Signal the thread and wait for it (a bounded time); the thread closes the sink
        itself once its last write has returned."""
        self._stop.set()
        self._thread.join(STOP_SECONDS)

    def _run(self) -> None:
        try:
            self.sink.open()
        except OSError as exc:
            self.failing = f"cannot open the sink ({type(exc).__name__})"
            log.warning("prediction log: %s", self.failing)
        try:
            while not self._stop.wait(INTERVAL):
                self.flush()
            self._last()
        finally:
            self.sink.close()

    def _last(self) -> None:
        """Shutdown: write what is left within a bound, a recent failure's back-off aside,
        then count (and say) what could not be written."""
        deadline = time.monotonic() + STOP_SECONDS / 2
        while (self.pending or self.owner.buffer) and time.monotonic() < deadline:
            self._retry_at = 0.0
            if not self.flush():
                time.sleep(INTERVAL)
        left = len(self.pending) + len(self.owner.buffer)
        if left:
            self.pending = []
            self.owner.take(len(self.owner.buffer))
            self._own["shutdown"] += left
            log.warning("prediction log: %d records not written at shutdown", left)
        self._count_drops()

    def flush(self) -> bool:
        """Write what is buffered; False when the sink refused (the batch is kept)."""
        with self._flushing:
            return self._flush()

    def _flush(self) -> bool:
        self._count_drops()
        while self.pending or self.owner.buffer:
            if not self.pending:
                self.pending = self.owner.take(BATCH)
            if time.monotonic() < self._retry_at:
                return False
            try:
                self.sink.write(self.pending)
            except Exception as exc:  # any failure of the sink: keep the batch, back off
                self._failed(exc)
                return False
            if self.failing:
                log.info("prediction log: writing to %s again", self.sink.describe())
            self.failing, self._backoff = None, 0.0
            self._wrote(len(self.pending))
            self._count_drops()
        return True

    def _wrote(self, n: int) -> None:
        """The first `n` pending records are done: written, or dropped by the sink as too
        large (counted there, not as written)."""
        too_large = getattr(self.sink, "too_large", 0)
        lines = n - (too_large - self._too_large)
        self._too_large = too_large
        metrics.PREDICTION_LOG_RECORDS.inc(lines)
        self.written += lines
        self.pending = self.pending[n:]
        self._tries = 0

    def _failed(self, exc: Exception) -> None:
        done = getattr(exc, "written", 0)
        if done:
            self._wrote(done)
        self._tries += 1
        why = type(exc).__name__  # never the message: it may carry the URL
        refused = self.sink.refused(exc) or (
            self._tries >= MAX_TRIES and not self.sink.unreachable(exc)
        )
        if refused and self.pending:
            log.warning(
                "prediction log: %s refused %d records (%s); dropped",
                self.sink.describe(),
                len(self.pending),
                why,
            )
            self._own["rejected"] += len(self.pending)
            self.pending, self._tries = [], 0
            self._count_drops()
            return
        if self.failing is None:
            log.warning("prediction log: cannot write to %s (%s)", self.sink.describe(), why)
        self.failing = f"cannot write to {self.sink.describe()} ({why})"
        self._backoff = min(MAX_BACKOFF, max(INTERVAL, self._backoff * 2))
        self._retry_at = time.monotonic() + self._backoff

    def _count_drops(self) -> None:
        """Move the request path's count of drops (and the sink's, and this thread's) into
        the counters."""
        for reason, total in (
            ("buffer_full", self.owner.full),
            ("too_large", getattr(self.sink, "too_large", 0)),
            ("rejected", self._own["rejected"]),
            ("shutdown", self._own["shutdown"]),
        ):
            new = total - self.dropped[reason]
            if new > 0:
                metrics.PREDICTION_LOG_DROPPED.labels(reason).inc(new)
                self.dropped[reason] = total
                self.last_drop = time.monotonic()

    def health(self) -> dict[str, str]:
        dropped = sum(self.dropped.values())
        counts = f"{self.written} records written, {dropped} dropped"
        if self.failing:
            return {"status": "warn", "detail": f"{self.failing}; {counts}"}
        if self.last_drop and time.monotonic() - self.last_drop < RECENT:
            return {"status": "warn", "detail": f"records dropped in the last minute; {counts}"}
        return {"status": "pass", "detail": f"writing to {self.sink.describe()}; {counts}"}
