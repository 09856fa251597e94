"""`specserve keys usage`: usage read where the service keeps it, from the command line.

The same readers as the service (`specserve.state.usage_reader`): the limiter's counters
(Redis with `SPECSERVE_REDIS_URL`) merged with PostgreSQL's copy when keys live there. With
neither shared, the counters live in the serving process and this command sees none.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from specserve.auth.records import KeyStoreError
from specserve.config import Settings
from specserve.ratelimit.durable import reader_for, today
from specserve.ratelimit.limiter import RateLimiter
from specserve.ratelimit.report import MAX_DAYS


async def read_usage(settings: Settings, key_id: str | None, since: date | None) -> list[dict]:
    """Rows of every identity (or one key) from `since` (default: this UTC month) to today."""
    last = today()
    first = since or last.replace(day=1)
    if (last - first).days + 1 > MAX_DAYS:
        raise KeyStoreError(f"--since: at most {MAX_DAYS} days back")
    limiter = RateLimiter(settings)
    reader: Any = reader_for(settings, limiter)
    rows = await reader.read(f"key:{key_id}" if key_id else None, first, last)
    return [asdict(row) for row in rows]
