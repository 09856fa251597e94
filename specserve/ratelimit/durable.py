"""Usage kept in PostgreSQL (`specserve_usage_daily`) when keys live there.

The live counters (`specserve.ratelimit.usage`: Redis, or this process) are the truth for
the days they hold; a background task in each worker copies the recent days' counters into
the table every `SPECSERVE_USAGE_FLUSH_SECONDS`, with upserts that keep the larger of the
stored and the live count (each worker writes the same shared counters: idempotent), and
deletes the days past `SPECSERVE_USAGE_RETENTION_DAYS`. Never on the request path. Reads
merge both, field by field, so a restart keeps usage: of the service (in-process counters)
up to the last copy, at most one flush interval lost; of Redis, the days before and, for the
current day, the stored count until the new counters pass it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from specserve.auth import pgschema as q
from specserve.auth.pgstore import CONNECT
from specserve.ratelimit.usage import UsageRow

log = logging.getLogger("specserve.usage")

COUNTS = ("requests", "units", "ok", "client_error", "server_error")
RECENT_DAYS = 2  # copied each time: today and yesterday (a flush across midnight)
UPSERT = (
    f"INSERT INTO {q.USAGE} (identity, model, day, {', '.join(COUNTS)}) "
    f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(COUNTS))}) "
    "ON CONFLICT (day, identity, model) DO UPDATE SET "
    + ", ".join(f"{c} = GREATEST({q.USAGE}.{c}, EXCLUDED.{c})" for c in COUNTS)
)
SELECT = (
    f"SELECT identity, model, day, {', '.join(COUNTS)} FROM {q.USAGE} "
    "WHERE day BETWEEN %s AND %s AND (%s::text IS NULL OR identity = %s) "
    "ORDER BY day, identity, model LIMIT %s"
)
PRUNE = f"DELETE FROM {q.USAGE} WHERE day < %s"


def reader_for(settings: Any, limiter: Any, serving: bool = True) -> Any:
    """Where usage is read: the live counters, merged with PostgreSQL's copy when keys live
    there. A serving worker with keys in PostgreSQL but no Redis says at start-up that its
    quotas are its own process's: the shared table does not make them shared."""
    url = settings.keys_url.get_secret_value() if settings.keys_url else None
    if not url:
        return limiter.usage
    if serving and not settings.redis_url and limiter.enabled and settings.quota_tiers:
        log.warning(
            "SPECSERVE_REDIS_URL is not set: quotas are counted in this process only (each "
            "instance enforces the whole quota on its own, a restart starts them again); "
            "PostgreSQL keeps a copy of usage, not the quota counters. Set "
            "SPECSERVE_REDIS_URL for quotas shared by every instance."
        )
    every, days = settings.usage_flush_seconds, settings.usage_retention_days
    return DurableUsage(url, limiter.usage, every, days)


def today() -> date:
    return datetime.now(UTC).date()


def merged(live: Iterable[UsageRow], stored: Iterable[UsageRow]) -> list[UsageRow]:
    """One row per (identity, model, day), each count the larger of the two."""
    rows: dict[tuple[str, str, date], UsageRow] = {}
    for row in [*stored, *live]:
        key = (row.identity, row.model, row.day)
        seen = rows.get(key)
        if seen is not None:
            row = replace(row, **{c: max(getattr(row, c), getattr(seen, c)) for c in COUNTS})
        rows[key] = row
    return sorted(rows.values(), key=lambda r: (r.day, r.identity, r.model))


class DurableUsage:
    def __init__(self, url: str, usage: Any, every: float, retention_days: int) -> None:
        self.url = url
        self.usage = usage
        self.every = every
        self.retention = timedelta(days=retention_days)
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop copying; one last copy first, so a clean shutdown loses nothing. Never
        raises: the rest of the worker's shutdown must still run; a last copy that fails is
        said (what is lost is the live counts since the previous copy)."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        try:
            await self.flush()
        except Exception as exc:  # noqa: BLE001 - shutdown goes on whatever failed
            log.warning(
                "last usage copy to PostgreSQL failed (%s): the counts since the previous "
                "copy are kept only where the live counters are",
                type(exc).__name__,
            )

    async def _run(self) -> None:
        """Copy every interval until stopped. Any failure (PostgreSQL, or Redis while the
        live counters are read) is said once per outage and retried at the next interval:
        an error must not end the copying for the worker's life."""
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.flush()
            except Exception as exc:  # noqa: BLE001 - the next interval retries
                if not self._failing:
                    log.warning("usage not copied to PostgreSQL (%s)", type(exc).__name__)
                self._failing = True
            else:
                if self._failing:
                    log.warning("usage copied to PostgreSQL again")
                self._failing = False

    async def flush(self) -> None:
        """Copy the recent days' live counters; delete the days past retention."""
        last = today()
        rows = await self.usage.read(None, last - timedelta(days=RECENT_DAYS - 1), last)
        await asyncio.to_thread(self._write, rows, last - self.retention)

    def _write(self, rows: list[UsageRow], oldest: date) -> None:
        with psycopg.connect(self.url, **CONNECT) as conn, conn.transaction():
            with conn.cursor() as cur:
                cur.executemany(UPSERT, [_values(r) for r in rows])
            conn.execute(PRUNE, (oldest,))

    async def read(
        self, identity: str | None, first: date, last: date, limit: int | None = None
    ) -> list[UsageRow]:
        """The stored rows merged with the live ones (`identity` None: every identity), the
        first `limit` (None: all). Both sides are read in the same order and cut at `limit`:
        the first `limit` rows of the merge are among them."""
        live = await self.usage.read(identity, first, last, limit)
        stored = await asyncio.to_thread(self._read, identity, first, last, limit)
        return merged(live, stored)[:limit]

    def _read(
        self, identity: str | None, first: date, last: date, limit: int | None
    ) -> list[UsageRow]:
        with psycopg.connect(self.url, **CONNECT) as conn:
            found = conn.execute(SELECT, (first, last, identity, identity, limit)).fetchall()
        names = [f.name for f in fields(UsageRow)]
        return [UsageRow(**dict(zip(names, row, strict=True))) for row in found]


def _values(row: UsageRow) -> tuple:
    return (row.identity, row.model, row.day, *(getattr(row, c) for c in COUNTS))
