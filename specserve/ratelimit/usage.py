"""Usage per identity, model and UTC day: what was admitted, and how each request ended.

Two halves, both in the key layout of `specserve.ratelimit.meter`:

- requests and units are counted by the limiter's script as it admits a request (exact,
  no extra round trip); `note_day` hears which day's hash the script wrote;
- outcomes (`ok` < 400, `client_error` 4xx, `server_error` 5xx) are known only once the
  response is made: `record_outcome` adds them to a bounded dict in process, and a
  background task (`start()`/`stop()`, for the app's lifespan) writes them every second,
  one pipeline of small scripts that fold unknown model names as the limiter's does.
  `stop()` lets a write under way finish, then writes what is left; a crash loses at most a
  second of outcomes. An outcome is filed under the day the limiter's script returned for
  the request (Redis's clock, as its request count), not this worker's.

A write is never repeated once it may have reached Redis, so no outcome is counted twice:
the batch goes back for the next try only when Redis did not answer a PING just before it
(nothing was sent), or, entry by entry, when Redis refused that one command. A write that
fails after sending (a reply timeout) loses its batch, and says how many entries it lost.

`read(None, ...)` lists every identity of a day from `{prefix}:usage-ids:<day>`, a set the
same task fills (so an identity's first request of a day shows there within a second). That
set is outside the identities' hash slots: the read path may touch several slots, the
request path never does.

Without Redis, the same counters live in this process (the limiter's in-process store, one
worker): a restart loses them. Days past the retention are dropped there too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from redis.asyncio.cluster import RedisCluster
from redis.exceptions import ResponseError

from specserve.ratelimit.meter import (
    ADD_USAGE,
    NAMED_FIELDS,
    QUOTA_READ,
    Quota,
    add_usage,
    day_of,
    epoch_of,
    identity_base,
    model_field,
    period_of,
    text,
)

log = logging.getLogger("specserve.ratelimit.usage")

FLUSH_SECONDS = 1.0
MAX_PENDING = 100_000  # (identity, model, day) outcome entries held between two flushes
MAX_PENDING_IDS = 100_000  # (day, identity) listings held between two flushes
MAX_DAYS = 400  # the longest span one read may ask for
READ_CHUNK = 500  # commands per pipeline of a read
DAY_FRESH_SECONDS = 60.0  # an idle worker's last day from Redis gives way to its own clock

OUTCOMES = (
    ADD_USAGE
    + """
local all, names, counts = {'ok', 'client_error', 'server_error'}, {}, {}
for i = 1, 3 do
  local n = tonumber(ARGV[i + 1])
  if n > 0 then names[#names + 1] = all[i]; counts[#counts + 1] = n end
end
add_usage(KEYS[1], ARGV[1], names, counts, tonumber(ARGV[6]))
redis.call('expireat', KEYS[1], ARGV[5])
"""
)


@dataclass(frozen=True)
class UsageRow:
    identity: str
    model: str
    day: date
    requests: int
    units: int
    ok: int
    client_error: int
    server_error: int


def outcome_index(status: int) -> int:
    return 0 if status < 400 else 1 if status < 500 else 2


class UsageStore:
    """Usage per identity, model and day, in Redis (`client`) or in this process (None)."""

    def __init__(self, client, prefix: str, retention_days: int) -> None:
        self.client = client  # None: in process
        self.prefix = prefix
        self.retention = retention_days * 86400
        self._outcomes: dict[tuple[str, str, str], list[int]] = {}
        self._new_ids: dict[str, set[str]] = defaultdict(set)  # day -> identities to add
        self._new_count = 0  # entries of `_new_ids`, at most MAX_PENDING_IDS
        self._known_ids: dict[str, set[str]] = {}  # day -> identities added (two days kept)
        self._dropped = 0  # outcomes not held: too many pending
        self._dropped_ids = 0  # listings not held: too many pending
        self._last_day = ("", 0.0)  # the limiter's script's latest day (Redis's clock), when
        self._task: asyncio.Task | None = None
        self._stopping = asyncio.Event()
        # in process: (identity, day) -> {field: count}; (identity, period id) -> used
        self._days: dict[tuple[str, str], dict[str, int]] = {}
        self._quotas: dict[tuple[str, str], tuple[int, float]] = {}
        self._pruned_day = ""
        shared = client is not None
        self._outcome_script: Any = client.register_script(OUTCOMES) if shared else None  # cluster
        self._quota_script: Any = client.register_script(QUOTA_READ) if shared else None

    # -- outcomes -----------------------------------------------------------------
    def record_outcome(
        self, identity: str, model: str | None, status: int, day: str | None = None
    ) -> None:
        """Count how a request of `identity` ended; never blocks, never raises. `day` is the
        one the limiter charged the request to (`Decision.day`); without it, the newest day
        the limiter's script returned (within DAY_FRESH_SECONDS), so requests and outcomes
        follow the same clock."""
        day, model = day or self._store_day() or day_of(time.time()), model_field(model)
        if self.client is None:
            self._count(identity, model, day, {OUTCOME_NAMES[outcome_index(status)]: 1})
            return
        entry = self._outcomes.get((identity, model, day))
        if entry is None:
            if len(self._outcomes) >= MAX_PENDING:
                self._dropped += 1
                return
            entry = self._outcomes[(identity, model, day)] = [0, 0, 0]
        entry[outcome_index(status)] += 1

    def note_day(self, identity: str, day: str) -> None:
        """The limiter wrote `identity`'s usage of `day`: list it there (once per day).
        Held listings are capped (MAX_PENDING_IDS) whether or not the writer runs."""
        self.saw_day(day)
        known = self._known_ids.get(day)
        if known is not None and identity in known:
            return
        if known is None:  # a new day: keep it and the day before (midnight's stragglers)
            keep = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
            self._known_ids = {d: ids for d, ids in self._known_ids.items() if d >= keep}
            self._known_ids[day] = set()
        held = self._new_ids.get(day)
        if held is not None and identity in held:
            return
        if self._new_count >= MAX_PENDING_IDS:
            self._dropped_ids += 1
            return
        self._new_ids[day].add(identity)
        self._new_count += 1

    def saw_day(self, day: str) -> None:
        """The limiter's script answered `day` (admitted or not): outcomes follow it."""
        if day >= self._last_day[0]:
            self._last_day = (day, time.monotonic())

    def _store_day(self) -> str:
        day, at = self._last_day
        return day if time.monotonic() - at < DAY_FRESH_SECONDS else ""

    async def start(self) -> None:
        if self.client is not None and self._task is None:
            self._stopping.clear()
            self._task = asyncio.get_running_loop().create_task(self._flush_every_second())

    async def stop(self) -> None:
        """Let a write under way finish (cancelling it could count its batch twice), then
        write what is left; what cannot be written is logged with its count."""
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None
        try:
            await self.flush()
        except Exception as exc:  # noqa: BLE001 - shutting down: say what is lost, go on
            lost = len(self._outcomes)
            self._outcomes, self._new_ids, self._new_count = {}, defaultdict(set), 0
            log.warning(
                "usage outcomes lost at shutdown: the store did not take them",
                extra={"count": lost, "reason": type(exc).__name__},
            )

    async def _flush_every_second(self) -> None:
        """Write every second until `stop()`; a failure is logged once, when it starts and
        ends (the counts wait here, up to MAX_PENDING entries), and never ends the loop."""
        failing = False
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):  # a second passed, or `stop()` asked
                await asyncio.wait_for(self._stopping.wait(), FLUSH_SECONDS)
            try:
                await self.flush()
            except Exception as exc:  # noqa: BLE001 - any failure: log, try again in a second
                if not failing:
                    reason = {"reason": type(exc).__name__}
                    log.warning("usage outcomes not written; retrying every second", extra=reason)
                failing = True
                continue
            if failing:
                log.warning("usage outcomes written again")
            failing = False

    async def flush(self) -> None:
        """Write the outcomes and new day listings held here. Kept for the next try: the
        whole batch when Redis did not answer before it was sent, else only the entries
        Redis refused; a write that fails after sending loses its batch (logged)."""
        if self.client is None:
            return
        self._say_dropped()
        outcomes, self._outcomes = self._outcomes, {}
        for identity, _, day in outcomes:  # an identity only ever refused is listed too
            self.note_day(identity, day)
        new_ids, self._new_ids, self._new_count = self._new_ids, defaultdict(set), 0
        if not outcomes and not new_ids:
            return
        try:  # nothing of the batch sent yet: a store that does not answer keeps it
            sha = await self._ready()
        except BaseException:
            self._put_back(outcomes, new_ids)
            raise
        try:
            failed, failed_ids = await self._write(sha, outcomes, new_ids)
        except BaseException as exc:
            log.warning(
                "usage outcomes may be lost: the write failed after it was sent",
                extra={"count": len(outcomes), "reason": type(exc).__name__},
            )
            raise
        for day, ids in new_ids.items():
            if day not in failed_ids:
                self._known_ids.setdefault(day, set()).update(ids)
        self._put_back(
            {key: outcomes[key] for key in failed}, {day: new_ids[day] for day in failed_ids}
        )

    def _put_back(self, outcomes: dict, new_ids: dict) -> None:
        for key, counts in outcomes.items():
            kept = self._outcomes.setdefault(key, [0, 0, 0])
            kept[:] = [a + b for a, b in zip(kept, counts, strict=True)]
        for day, ids in new_ids.items():
            fresh = ids - self._new_ids[day]
            self._new_ids[day] |= fresh
            self._new_count += len(fresh)

    def _say_dropped(self) -> None:
        if self._dropped:
            log.warning("usage outcomes dropped: too many pending", extra={"count": self._dropped})
            self._dropped = 0
        if self._dropped_ids:
            extra = {"count": self._dropped_ids}
            log.warning("usage day listings dropped: too many pending", extra=extra)
            self._dropped_ids = 0

    async def _ready(self) -> str | None:
        """One command before the batch: the outcomes script loaded (its SHA; a cluster
        loads it per call instead, and only answers a PING here)."""
        if isinstance(self.client, RedisCluster):
            await self.client.ping()
            return None
        return text(await self.client.script_load(OUTCOMES))

    async def _write(self, sha: str | None, outcomes: dict, new_ids: dict) -> tuple[list, set]:
        """Send the batch; (the outcome keys, the listing days) Redis refused. A script
        Redis lost since `_ready` (a restart) is refused, so retried."""
        cluster = sha is None  # no scripts in its pipelines
        pipe = self.client.pipeline(transaction=False)
        keys, failed = list(outcomes), []
        for identity, model, day in keys:
            key = self._usage_key(identity, day)
            args = [model, *outcomes[(identity, model, day)], self._expire_at(day), NAMED_FIELDS]
            if not cluster:
                pipe.evalsha(sha, 1, key, *args)
                continue
            try:
                await self._outcome_script(keys=[key], args=args)
            except ResponseError:  # refused: not applied
                failed.append((identity, model, day))
        days = list(new_ids)
        for day in days:
            key = self._ids_key(day)
            pipe.sadd(key, *sorted(new_ids[day]))
            pipe.expireat(key, self._expire_at(day))
        results = await pipe.execute(raise_on_error=False)
        if not cluster:
            scripts, results = results[: len(keys)], results[len(keys) :]
            failed = [key for key, r in zip(keys, scripts, strict=True) if _refused(r)]
        failed_ids = {day for i, day in enumerate(days) if _refused(results[2 * i])}
        return failed, failed_ids

    # -- reads ----------------------------------------------------------------------
    async def read(
        self, identity: str | None, first: date, last: date, limit: int | None = None
    ) -> list[UsageRow]:
        """Rows of `identity` (None: every identity) from day `first` to `last`, inclusive,
        sorted by day, identity, model; the first `limit` of them (None: all). With Redis,
        the hashes are read in that order and the read stops once `limit` rows are in hand,
        so a small page of a long span does not read every identity's every day."""
        if first > last or (last - first).days >= MAX_DAYS:
            raise ValueError(f"expected first <= last, at most {MAX_DAYS} days apart")
        days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
        if self.client is None:
            hashes = {
                (ident, day): dict(fields)
                for (ident, day), fields in self._days.items()
                if day in days and identity in (None, ident)
            }
        else:
            hashes = await self._read_redis(identity, days, limit)
        rows = [row for (ident, day), fields in hashes.items() for row in _rows(ident, day, fields)]
        return sorted(rows, key=lambda r: (r.day, r.identity, r.model))[:limit]

    async def _read_redis(self, identity: str | None, days: list[str], limit: int | None) -> dict:
        if identity is None:
            members = await self._chunked([("smembers", self._ids_key(day)) for day in days])
            pairs = [
                (i, day)
                for day, ids in zip(days, members, strict=True)
                for i in sorted(map(text, ids))
            ]
        else:
            pairs = [(identity, day) for day in days]
        hashes: dict = {}
        rows = 0
        for start in range(0, len(pairs), READ_CHUNK):
            chunk = pairs[start : start + READ_CHUNK]
            found = await self._chunked([("hgetall", self._usage_key(i, day)) for i, day in chunk])
            for pair, fields in zip(chunk, found, strict=True):
                if fields:
                    hashes[pair] = {text(k): int(v) for k, v in fields.items()}
                    rows += len(_rows(*pair, hashes[pair]))
            if limit is not None and rows >= limit:
                break
        return hashes

    async def _chunked(self, commands: list[tuple[str, str]]) -> list:
        """Replies to one-key reads, READ_CHUNK commands a pipeline: a read over many
        identities and days never holds one huge request or reply."""
        replies = []
        for start in range(0, len(commands), READ_CHUNK):
            pipe = self.client.pipeline(transaction=False)
            for name, key in commands[start : start + READ_CHUNK]:
                getattr(pipe, name)(key)
            replies.extend(await pipe.execute())
        return replies

    async def quota_used(self, identity: str, quota: Quota) -> tuple[int, float]:
        """(units used in the current period, the period's end in epoch seconds)."""
        if self.client is None:
            return self.local_quota(identity, quota, time.time())
        base = identity_base(self.prefix, identity)
        used, reset = await self._quota_script(keys=[base], args=[quota.period])
        return int(used), float(reset)

    # -- the in-process store (the limiter's, under its lock) ----------------------------
    def local_quota(self, identity: str, quota: Quota, now: float) -> tuple[int, float]:
        period, end = period_of(now, quota.period)
        used, _ = self._quotas.get((identity, period), (0, end))
        return used, end

    def local_charge(
        self, identity: str, model: str | None, cost: int, quota: Quota | None, now: float
    ) -> int | None:
        """Charge an admitted hit: the quota's period (its new use), and the day's usage."""
        used = None
        if quota is not None:
            period, end = period_of(now, quota.period)
            used = self._quotas.get((identity, period), (0, end))[0] + cost
            self._quotas[(identity, period)] = (used, end)
        self._count(identity, model_field(model), day_of(now), {"requests": 1, "units": cost})
        return used

    def _count(self, identity: str, model: str, day: str, counts: dict[str, int]) -> None:
        if day != self._pruned_day:  # once a day: retention and quota periods end on days
            self._prune(time.time())
            self._pruned_day = day
        add_usage(self._days.setdefault((identity, day), {}), model, counts)

    def _prune(self, now: float) -> None:
        """Drop days past the retention and quota periods that have ended."""
        oldest = day_of(now - self.retention)
        for key in [k for k in self._days if k[1] < oldest]:
            del self._days[key]
        for key in [k for k, (_, end) in self._quotas.items() if end <= now]:
            del self._quotas[key]

    def _usage_key(self, identity: str, day: str) -> str:
        return f"{identity_base(self.prefix, identity)}:usage:{day}"

    def _ids_key(self, day: str) -> str:
        return f"{self.prefix}:usage-ids:{day}"

    def _expire_at(self, day: str) -> int:
        return int(epoch_of(date.fromisoformat(day) + timedelta(days=1))) + self.retention


OUTCOME_NAMES = ("ok", "client_error", "server_error")


def _refused(reply) -> bool:
    return isinstance(reply, ResponseError)


def _rows(identity: str, day: str, fields: dict[str, int]) -> list[UsageRow]:
    per: dict[str, dict[str, int]] = defaultdict(dict)
    for field, value in fields.items():
        name, _, model = field.partition(":")
        per[model][name] = value
    return [
        UsageRow(
            identity,
            model,
            date.fromisoformat(day),
            c.get("requests", 0),
            c.get("units", 0),
            c.get("ok", 0),
            c.get("client_error", 0),
            c.get("server_error", 0),
        )
        for model, c in per.items()
    ]
