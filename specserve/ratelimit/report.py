"""What `GET /usage` and `GET /admin/usage` answer: usage rows read for a span of UTC days,
their totals, and the caller's quota with what remains of it.

The rows come from the live counters (`specserve.ratelimit.usage`), merged with PostgreSQL's
copy when keys live there (`specserve.ratelimit.durable`). A span is at most `MAX_DAYS`
days, so one answer is bounded by the models used per day.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

import psycopg
from redis.exceptions import RedisClusterException, RedisError

from specserve.errors import BadRequest, UsageUnavailable
from specserve.ratelimit import quotas
from specserve.ratelimit.charge import identity_of, quota_of
from specserve.ratelimit.durable import COUNTS, today
from specserve.ratelimit.usage import MAX_DAYS

RETRY_AFTER = "5"  # seconds


def span(first: str | None, last: str | None) -> tuple[date, date]:
    """The days asked for (by default this UTC month so far). A span longer than
    `MAX_DAYS` is answered for its last `MAX_DAYS` days, and one ending before it starts is
    empty: the answer's `from` and `to` say which days it covers. Not a date: 400."""
    end = _day(last, "to") if last is not None else today()
    start = _day(first, "from") if first is not None else end.replace(day=1)
    if (end - start).days + 1 > MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS - 1)
    return start, end


def identity_filter(key_id: str | None, identity: str | None) -> set[str]:
    """The identities `GET /admin/usage` is asked about (none: every identity). The two
    filters combine: naming two different identities matches no row."""
    return {i for i in (identity, f"key:{key_id}" if key_id else None) if i}


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"'{name}' must be a date, YYYY-MM-DD; got {text[:20]!r}.") from None


async def _read(
    reader: Any, identity: str | None, first: date, last: date, limit: int | None = None
) -> list[Any]:
    """The rows (the first `limit`), or 503 `usage_unavailable` when Redis or PostgreSQL
    is out of reach (a partial answer would understate usage)."""
    if first > last:
        return []
    try:
        return list(await reader.read(identity, first, last, limit))
    except (RedisError, RedisClusterException, psycopg.Error, OSError, TimeoutError):
        raise UsageUnavailable(headers={"Retry-After": RETRY_AFTER}) from None


def _row(row: Any, with_identity: bool) -> dict[str, Any]:
    out = asdict(row)
    out["day"] = row.day.isoformat()
    if not with_identity:
        out.pop("identity")
    return out


async def caller_usage(app_state: Any, info: dict[str, Any], first: date, last: date) -> dict:
    """The caller's own usage from `first` to `last`, its totals, and its quota."""
    identity = identity_of(info)
    reader = app_state.usage_reader
    rows = await _read(reader, identity, first, last) if identity else []
    totals = {c: sum(getattr(r, c) for r in rows) for c in COUNTS}
    return {
        "identity": identity or "-",
        "from": first.isoformat(),
        "to": last.isoformat(),
        "quota": await _quota(app_state, info, identity),
        "totals": totals,
        "days": [_row(r, with_identity=False) for r in rows],
    }


async def _quota(app_state: Any, info: dict[str, Any], identity: str | None) -> dict | None:
    """The caller's quota and what remains; None without one, and when rate limiting is off
    (`SPECSERVE_RATE_LIMIT_ENABLED=false`): nothing charges a quota then, so none applies."""
    limiter = app_state.limiter
    quota = quota_of(limiter, info) if limiter.enabled else None
    if quota is None or identity is None:
        return None
    try:
        used, reset = await limiter.usage.quota_used(identity, quota)
    except (RedisError, RedisClusterException, OSError, TimeoutError):
        raise UsageUnavailable(headers={"Retry-After": RETRY_AFTER}) from None
    return {
        "limit": quota.limit,
        "period": quota.period,
        "used": used,
        "remaining": max(0, quota.limit - used),
        "resets_at": quotas.resets_at(reset),
    }


async def every_usage(
    app_state: Any, first: date, last: date, identities: set[str], limit: int
) -> dict:
    """Every identity's rows (or one's: `key:<id>`, `sub:<subject>`), at most `limit`,
    oldest day first."""
    if len(identities) > 1:
        rows = []  # no row is two identities'
    else:
        identity = next(iter(identities), None)
        rows = await _read(app_state.usage_reader, identity, first, last, limit + 1)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "truncated": len(rows) > limit,
        "rows": [_row(r, with_identity=True) for r in rows[:limit]],
    }
