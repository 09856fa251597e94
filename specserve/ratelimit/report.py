"""What `GET /usage` and `GET /admin/usage` answer: usage rows read for a span of UTC days,
their totals, and the caller's quota with what remains of it.

The rows come from the live counters (`specserve.ratelimit.usage`), merged with PostgreSQL's
copy when keys live there (`specserve.ratelimit.durable`). A span is at most `MAX_DAYS`
days, so one answer is bounded by the models used per day.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from specserve.errors import BadRequest
from specserve.ratelimit.charge import identity_of, quota_of
from specserve.ratelimit.durable import COUNTS, today

MAX_DAYS = 400


def span(first: str | None, last: str | None) -> tuple[date, date]:
    """The days asked for (by default this UTC month so far); 400 when they make no span."""
    end = _day(last, "to") if last else today()
    start = _day(first, "from") if first else end.replace(day=1)
    if start > end:
        raise BadRequest(f"'from' ({start}) is after 'to' ({end}).")
    if (end - start).days + 1 > MAX_DAYS:
        raise BadRequest(f"Ask for at most {MAX_DAYS} days at once (from {start} to {end}).")
    return start, end


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"'{name}' must be a date, YYYY-MM-DD; got {text[:20]!r}.") from None


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
    rows = await reader.read(identity, first, last) if identity else []
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
    limiter = app_state.limiter
    quota = quota_of(limiter, info)
    if quota is None or identity is None:
        return None
    used, reset = await limiter.usage.quota_used(identity, quota)
    at = datetime.fromtimestamp(reset, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return {
        "limit": quota.limit,
        "period": quota.period,
        "used": used,
        "remaining": max(0, quota.limit - used),
        "resets_at": at,
    }


async def every_usage(
    app_state: Any, first: date, last: date, key_id: str | None, limit: int
) -> dict:
    """Every identity's rows (or one key's), at most `limit`, oldest day first."""
    identity = f"key:{key_id}" if key_id else None
    rows = await app_state.usage_reader.read(identity, first, last)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "truncated": len(rows) > limit,
        "rows": [_row(r, with_identity=True) for r in rows[:limit]],
    }
