"""A shadow version's agreement with the serving one, counted where every worker adds to it.

Always in Prometheus (`specserve_shadow_*`, labelled by model and shadow version: bounded by
the store), which a scrape adds up over this instance's workers. With `SPECSERVE_REDIS_URL`
set, also in one Redis hash per shadow as it was set (`<prefix>:shadow:<model>:<version>:
<token>`, the token a hash of the `shadow` file, so setting a shadow again starts afresh),
which every instance adds to: `GET /v1/models/{name}` then reports the whole service for
the shadow as set (`scope: service`). Without Redis, or while it does not answer, it reports
the Prometheus counts instead (`scope: instance`): this instance's workers since they
started, for every setting of that shadow version; the answer says which it is. The hash expires
`TTL_SECONDS` after its last write.

The Redis counts are added up in this worker and written by a background flush
(`FLUSH_SECONDS`, started and stopped by the app's lifespan, a last flush at shutdown): one
pipeline per second per worker, however many requests are shadowed, where one per request
cost a shadowed request more CPU than its model call. So the service-wide counts lag by up to
a second, a worker that crashes loses at most its last second of them, and a failed write is
dropped, never retried (the Prometheus counts keep them). A read flushes this worker's
pending counts first, so it includes at least everything this worker counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from specserve.observability import metrics

log = logging.getLogger("specserve.serving.agreement")

TTL_SECONDS = 30 * 24 * 3600
FLUSH_SECONDS = 1.0  # how often a worker writes its counts to Redis
WARN_EVERY_SECONDS = 60.0  # a Redis that is down is said once a minute, not once a request
MAX_SERIES = 1024  # cached labelled counters (model, version, outcome)
BUCKETS = metrics.SHADOW_DIFF_BUCKETS
_ROWS, _CALLS = "specserve_shadow_rows_total", "specserve_shadow_calls_total"
_BUCKET = "specserve_shadow_abs_diff_bucket"


@dataclass
class Tally:
    """One shadowed request's counts."""

    outcome: str  # ok, error, skipped
    agreed: int = 0
    disagreed: int = 0
    diffs: list[float] = field(default_factory=list)  # regressors: |Δ| per row


class Agreement:
    def __init__(self, redis_url: str | None = None, prefix: str = "specserve") -> None:
        self._prefix = prefix
        self._redis: Any = None
        # counts not yet written to Redis, by hash key: bounded by the shadows set in a second
        self._pending: dict[str, Counter[str]] = {}
        self._flusher: asyncio.Task[None] | None = None
        self._labelled: dict[tuple[str, str, str], tuple[Any, Any, Any]] = {}
        self._warned = -WARN_EVERY_SECONDS
        if redis_url:
            from specserve.ratelimit.redis_client import client_for

            self._redis = client_for(redis_url, 0.5)

    def key(self, model: str, version: str, token: str) -> str:
        return f"{self._prefix}:shadow:{model}:{version}:{token}"

    def count(self, model: str, version: str, token: str, tally: Tally) -> None:
        """This worker's Prometheus counters, and the counts the next flush writes to Redis
        (on the event loop, no I/O: cheap)."""
        calls, agreed, disagreed = self._series(model, version, tally.outcome)
        calls.inc()
        if tally.agreed:
            agreed.inc(tally.agreed)
        if tally.disagreed:
            disagreed.inc(tally.disagreed)
        if tally.diffs:
            histogram = metrics.SHADOW_ABS_DIFF.labels(model, version)
            for diff in tally.diffs:
                histogram.observe(diff)
        if self._redis is None:
            return
        key = self.key(model, version, token)
        fields = self._pending.get(key)
        if fields is None:
            fields = self._pending[key] = Counter()
        fields[tally.outcome] += 1
        if tally.agreed:
            fields["agreed"] += tally.agreed
        if tally.disagreed:
            fields["disagreed"] += tally.disagreed
        for diff in tally.diffs:
            fields[_bucket_field(diff)] += 1

    def _series(self, model: str, version: str, outcome: str) -> tuple[Any, Any, Any]:
        """The labelled counters, looked up once (`labels()` validates and locks on every
        call, a tenth of a shadow's cost); the cache is capped, like the edge's."""
        key = (model, version, outcome)
        found = self._labelled.get(key)
        if found is None:
            found = (
                metrics.SHADOW_CALLS.labels(model, version, outcome),
                metrics.SHADOW_ROWS.labels(model, version, "agreed"),
                metrics.SHADOW_ROWS.labels(model, version, "disagreed"),
            )
            if len(self._labelled) < MAX_SERIES:
                self._labelled[key] = found
        return found

    def start(self) -> None:
        """The background flush (the app's lifespan); nothing to do without Redis."""
        if self._redis is not None and self._flusher is None:
            self._flusher = asyncio.get_running_loop().create_task(self._flush_every())

    async def stop(self) -> None:
        """End the background flush, then write what is left."""
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
            self._flusher = None
        await self.flush()

    async def _flush_every(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            await self.flush()

    async def flush(self) -> None:
        """Write the pending counts in one pipeline; on failure they are dropped (the
        Prometheus counts keep them) and the failure said once a minute."""
        if self._redis is None or not self._pending:
            return
        pending, self._pending = self._pending, {}
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for key, fields in pending.items():
                    for name, value in fields.items():
                        if value:
                            pipe.hincrby(key, name, value)
                    pipe.expire(key, TTL_SECONDS)
                await pipe.execute()
        except Exception as exc:  # Redis down or slow: the counts stay this instance's
            self._warn("shadow agreement not written", exc)

    async def read(self, model: str, version: str, token: str, task: str) -> dict[str, Any]:
        """The agreement over the whole service for this setting (Redis), else over this
        instance's workers; `scope` says which."""
        if self._redis is not None:
            await self.flush()
            try:
                found = await self._redis.hgetall(self.key(model, version, token))
                return _report(_from_hash(found), task, "service")
            except Exception as exc:
                self._warn("shadow agreement not read", exc)
        return _report(_from_metrics(model, version), task, "instance")

    def _warn(self, message: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned >= WARN_EVERY_SECONDS:
            self._warned = now
            log.warning(message, extra={"reason": type(exc).__name__})


def _bucket_field(diff: float) -> str:
    for le in BUCKETS:
        if diff <= le:
            return f"le:{le!r}"
    return "le:inf"


def _from_hash(found: dict[Any, Any]) -> dict[str, Any]:
    counts = {_text(k): int(v) for k, v in found.items()}
    cumulative, total = {}, 0
    for le in (*BUCKETS, float("inf")):
        total += counts.get(f"le:{le!r}" if le != float("inf") else "le:inf", 0)
        cumulative[le] = total
    return {**counts, "buckets": cumulative}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _from_metrics(model: str, version: str) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    buckets: dict[float, float] = {}
    for name, labels, value in metrics.samples((_ROWS, _CALLS, _BUCKET)):
        if labels.get("model") != model or labels.get("version") != version:
            continue
        if name == _BUCKET:
            le = float(labels["le"])
            buckets[le] = buckets.get(le, 0.0) + value
        else:
            counts[labels["outcome"]] = counts.get(labels["outcome"], 0) + int(value)
    return {**counts, "buckets": {le: int(v) for le, v in buckets.items()}}


def _report(counts: dict[str, Any], task: str, scope: str) -> dict[str, Any]:
    agreed, disagreed = counts.get("agreed", 0), counts.get("disagreed", 0)
    scored = agreed + disagreed
    report: dict[str, Any] = {
        "scored": scored,
        "agreed": agreed,
        "disagreed": disagreed,
        "errors": counts.get("error", 0),
        "skipped": counts.get("skipped", 0),
        "agreement_rate": round(agreed / scored, 6) if scored else None,
        "abs_diff": None,
        "scope": scope,
    }
    if task == "regression":
        buckets = counts["buckets"]
        report["abs_diff"] = [
            {"le": None if le == float("inf") else le, "count": int(buckets.get(le, 0))}
            for le in (*BUCKETS, float("inf"))
        ]
    return report
