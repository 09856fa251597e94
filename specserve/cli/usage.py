"""`specserve keys usage`: usage read where the service keeps it, from the command line.

The same readers as the service (`specserve.state.usage_reader`): the limiter's counters
(Redis with `SPECSERVE_REDIS_URL`) merged with PostgreSQL's copy when keys live there. With
neither shared, the counters live in the serving process and this command has nothing to
read: it says so (exit 2) rather than print an empty table. With PostgreSQL only, it reads
the copy, which trails the serving process's counters by up to one flush interval (said on
stderr). A store out of reach is one line, exit 1; a `--since` it cannot answer, exit 2.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import date
from typing import Any

import psycopg
from redis.exceptions import RedisClusterException, RedisError

from specserve.auth.records import KeyStoreError, KeyStoreUnavailable
from specserve.config import Settings
from specserve.ratelimit.durable import reader_for, today
from specserve.ratelimit.limiter import RateLimiter
from specserve.ratelimit.usage import MAX_DAYS

UNREACHABLE = (RedisError, RedisClusterException, psycopg.Error, OSError, TimeoutError)


async def read_usage(
    settings: Settings, identity: str | None, since: date | None
) -> list[dict[str, Any]]:
    """Rows of every identity (or one: `key:<id>`, `sub:<subject>`) from `since` (default:
    this UTC month) to today."""
    last = today()
    first = since or last.replace(day=1)
    if first > last:
        raise KeyStoreError(f"--since {first.isoformat()} is after today ({last.isoformat()}, UTC)")
    if (last - first).days + 1 > MAX_DAYS:
        raise KeyStoreError(f"--since: at most {MAX_DAYS} days back")
    if not settings.redis_url and not settings.keys_url:
        raise KeyStoreError(
            "usage is counted in the serving process (no SPECSERVE_REDIS_URL nor "
            "SPECSERVE_KEYS_URL): read it with GET /v1/admin/usage"
        )
    if not settings.redis_url:
        print(
            "note: reading PostgreSQL's copy of the serving process's counters (up to "
            f"{settings.usage_flush_seconds:g} s behind)",
            file=sys.stderr,
        )
    limiter = RateLimiter(settings)
    reader: Any = reader_for(settings, limiter, serving=False)
    try:
        rows = await reader.read(identity, first, last)
    except UNREACHABLE as exc:
        where = "Redis" if isinstance(exc, RedisError | RedisClusterException) else "the store"
        if isinstance(exc, psycopg.Error):
            where = "PostgreSQL"
        raise KeyStoreUnavailable(f"usage cannot be read: {where} is out of reach") from None
    return [asdict(row) for row in rows]
