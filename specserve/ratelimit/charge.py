"""Charging a request to its identity's limit: the cost rule and the refusals."""

from __future__ import annotations

import math
from typing import Any

from specserve.errors import RateLimiterUnavailable, TooManyRequests
from specserve.ratelimit.limiter import RETRY_STORE_AFTER, LimiterUnavailable, RateLimiter
from specserve.spec import Operation


def identity_of(info: dict[str, Any]) -> str | None:
    """The bucket of a credential: its API key (tokens it issued share it), or the subject
    of an identity provider's token, in a namespace of its own (`sub:`), so no subject can
    name a key's bucket."""
    if info.get("key_id"):
        return f"key:{info['key_id']}"
    sub = info.get("sub")
    return f"sub:{sub}" if sub else None


def cost_of(operation: Operation, payload: Any) -> int:
    """One unit per row for operations the spec marks with `x-ratelimit-cost` (the length of
    that array, when it holds 1 to `maxItems` rows), else one."""
    if operation.cost_items and isinstance(payload, dict):
        rows = payload.get(operation.cost_items)
        if isinstance(rows, list) and 1 <= len(rows) <= operation.max_items:
            return len(rows)
    return 1


async def _decided(call: Any) -> Any:
    try:
        return await call
    except LimiterUnavailable:
        raise RateLimiterUnavailable(
            headers={"Retry-After": str(math.ceil(RETRY_STORE_AFTER))}
        ) from None


async def charge_token(limiter: RateLimiter, identity: str) -> dict[str, str] | None:
    """One issued token against the key's token limit; its headers, or a refusal."""
    decision = await _decided(limiter.hit_token(identity))
    if decision is None:
        return None
    headers = decision.headers()
    if not decision.allowed:
        raise TooManyRequests(
            f"Token limit of {decision.limit} per {decision.window} seconds for this key "
            f"reached; retry in {headers['Retry-After']} seconds.",
            headers=headers,
        )
    return headers


async def charge(
    limiter: RateLimiter, identity: str, tier: str, cost: int
) -> dict[str, str] | None:
    """Charge `cost` units; the rate-limit headers, or a refusal (429, or 503 fail-closed)."""
    decision = await _decided(limiter.hit_identity(identity, tier, cost))
    if decision is None:
        return None
    headers = decision.headers()
    if not decision.allowed:
        what = f"{cost} rows" if cost > 1 else "this request"
        raise TooManyRequests(
            f"Rate limit of {decision.limit} per {decision.window} seconds exceeded "
            f"({decision.remaining} left, {what} refused); retry in "
            f"{headers['Retry-After']} seconds.",
            headers=headers,
        )
    return headers
