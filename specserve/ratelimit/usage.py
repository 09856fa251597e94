"""Usage per identity, model and UTC day: what was admitted, and how each request ended.

Two halves, both in the key layout of `specserve.ratelimit.meter`:

- requests and units are counted by the limiter's script as it admits a request (exact,
  no extra round trip); `note_day` hears which day's hash the script wrote;
- outcomes (`ok` < 400, `client_error` 4xx, `server_error` 5xx) are known only once the
  response is made: `record_outcome` adds them to a bounded dict in process, and a
  background task (`start()`/`stop()`, for the app's lifespan) writes them every second,
  one pipeline of small scripts that fold unknown model names as the limiter's does.
  `stop()` writes what is left; a crash loses at most a second of outcomes.

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
from datetime import UTC, date, datetime, timedelta
from typing import Any

from redis.asyncio.cluster import RedisCluster
from redis.exceptions import RedisError

from specserve.ratelimit.meter import (
    MAX_FIELDS,
    QUOTA_READ,
    Quota,
    day_of,
    identity_base,
    model_field,
    period_of,
)

log = logging.getLogger("specserve.ratelimit.usage")

FLUSH_SECONDS = 1.0
MAX_PENDING = 100_000  # (identity, model, day) outcome entries held between two flushes
MAX_DAYS = 3660  # the longest span one read may ask for

OUTCOMES = """
local model = ARGV[1]
local known = 0
for _, name in ipairs({'requests', 'ok', 'client_error', 'server_error'}) do
  known = known + redis.call('hexists', KEYS[1], name .. ':' .. model)
end
if known == 0 and redis.call('hlen', KEYS[1]) >= tonumber(ARGV[6]) then model = '*' end
local names = {'ok', 'client_error', 'server_error'}
for i = 1, 3 do
  local n = tonumber(ARGV[i + 1])
  if n > 0 then redis.call('hincrby', KEYS[1], names[i] .. ':' .. model, n) end
end
redis.call('expireat', KEYS[1], ARGV[5])
"""


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
        self._known_ids: dict[str, set[str]] = {}  # day -> identities added (two days kept)
        self._dropped = 0
        self._task: asyncio.Task | None = None
        # in process: (identity, day) -> {field: count}; (identity, period id) -> used
        self._days: dict[tuple[str, str], dict[str, int]] = {}
        self._quotas: dict[tuple[str, str], tuple[int, float]] = {}
        self._pruned_day = ""
        shared = client is not None
        self._outcome_script: Any = client.register_script(OUTCOMES) if shared else None
        self._quota_script: Any = client.register_script(QUOTA_READ) if shared else None

    # -- outcomes -----------------------------------------------------------------
    def record_outcome(self, identity: str, model: str | None, status: int) -> None:
        """Count how a request of `identity` ended; never blocks, never raises."""
        day, model = day_of(time.time()), model_field(model)
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
        """The limiter wrote `identity`'s usage of `day`: list it there (once per day)."""
        known = self._known_ids.get(day)
        if known is not None and identity in known:
            return
        if known is None:
            self._known_ids = {d: ids for d, ids in self._known_ids.items() if d >= day}
            self._known_ids[day] = set()
        self._new_ids[day].add(identity)

    async def start(self) -> None:
        if self.client is not None and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._flush_every_second())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(RedisError, OSError, TimeoutError):
            await self.flush()

    async def _flush_every_second(self) -> None:
        """Write every second; a store outage is logged once, when it starts and ends (the
        counts wait here, up to MAX_PENDING entries)."""
        failing = False
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            try:
                await self.flush()
            except (RedisError, OSError, TimeoutError) as exc:
                if not failing:
                    reason = {"reason": type(exc).__name__}
                    log.warning("usage outcomes not written; retrying every second", extra=reason)
                failing = True
                continue
            if failing:
                log.warning("usage outcomes written again")
            failing = False

    async def flush(self) -> None:
        """Write the outcomes and new day listings held here (kept for the next try if the
        write fails)."""
        if self.client is None:
            return
        outcomes, self._outcomes = self._outcomes, {}
        for identity, _, day in outcomes:  # an identity only ever refused is listed too
            self.note_day(identity, day)
        new_ids, self._new_ids = self._new_ids, defaultdict(set)
        if not outcomes and not new_ids:
            return
        try:
            await self._write(outcomes, new_ids)
        except BaseException:
            for key, counts in outcomes.items():
                kept = self._outcomes.setdefault(key, [0, 0, 0])
                kept[:] = [a + b for a, b in zip(kept, counts, strict=True)]
            for day, ids in new_ids.items():
                self._new_ids[day] |= ids
            raise
        for day, ids in new_ids.items():
            self._known_ids.setdefault(day, set()).update(ids)
        if self._dropped:  # said once the backlog is written
            log.warning("usage outcomes dropped: too many pending", extra={"count": self._dropped})
            self._dropped = 0

    async def _write(self, outcomes: dict, new_ids: dict) -> None:
        cluster = isinstance(self.client, RedisCluster)  # no scripts in its pipelines
        pipe = self.client.pipeline(transaction=False)
        for (identity, model, day), counts in outcomes.items():
            key = self._usage_key(identity, day)
            args = [model, *counts, self._expire_at(day), MAX_FIELDS]
            await self._outcome_script(keys=[key], args=args, client=None if cluster else pipe)
        for day, ids in new_ids.items():
            key = self._ids_key(day)
            pipe.sadd(key, *sorted(ids))
            pipe.expireat(key, self._expire_at(day))
        await pipe.execute()

    # -- reads ----------------------------------------------------------------------
    async def read(self, identity: str | None, first: date, last: date) -> list[UsageRow]:
        """Rows of `identity` (None: every identity) from day `first` to `last`, inclusive,
        sorted by day, identity, model."""
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
            hashes = await self._read_redis(identity, days)
        rows = [row for (ident, day), fields in hashes.items() for row in _rows(ident, day, fields)]
        return sorted(rows, key=lambda r: (r.day, r.identity, r.model))

    async def _read_redis(self, identity: str | None, days: list[str]) -> dict:
        if identity is None:
            pipe = self.client.pipeline(transaction=False)
            for day in days:
                pipe.smembers(self._ids_key(day))
            members = await pipe.execute()
            pairs = [(_text(i), day) for day, ids in zip(days, members, strict=True) for i in ids]
        else:
            pairs = [(identity, day) for day in days]
        pipe = self.client.pipeline(transaction=False)
        for ident, day in pairs:
            pipe.hgetall(self._usage_key(ident, day))
        found = await pipe.execute() if pairs else []
        return {
            pair: {_text(k): int(v) for k, v in fields.items()}
            for pair, fields in zip(pairs, found, strict=True)
            if fields
        }

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
        fields = self._days.setdefault((identity, day), {})
        known = any(f"{name}:{model}" in fields for name in ("requests", *OUTCOME_NAMES))
        if not known and len(fields) >= MAX_FIELDS:
            model = "*"
        for name, n in counts.items():
            fields[f"{name}:{model}"] = fields.get(f"{name}:{model}", 0) + n

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
        return _start_of(date.fromisoformat(day) + timedelta(days=1)) + self.retention


OUTCOME_NAMES = ("ok", "client_error", "server_error")


def _start_of(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


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


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
