"""The one home of rate limiting's steps on the request path, and of what their refusals say.

Three steps, each one call of the limiter (`specserve.ratelimit.limiter`):

- `charge_request`: an authenticated operation, charged to the caller's identity (API key or
  token subject) at its tier's limit; a batch costs one unit per row (`cost_of`), a body
  refused as it was read one unit per row it could have held (`invalid_body_cost`);
- `charge_token`: a token issued by `/auth/token`, against the key's token limit;
- `charge_failed_auth`: a failed authentication (401), against the client's address; a valid
  credential is never refused because of someone else's failures;
- `charge_anonymous`: a request for a public document (the spec, Swagger UI, the docs page),
  against the client's address (`/health` is exempt: probes call it every few seconds).

Each returns the rate-limit headers for the answer, or raises the refusal: 429 with
`Retry-After` when over the limit; 429 `cost_exceeds_limit` without `Retry-After`, charged
nothing, when a request costs more than its caller's whole limit (no wait would admit it);
503 when the store is down under fail-closed. Those mappings are made here and nowhere else.
"""

from __future__ import annotations

import math
from typing import Any

from specserve.errors import CostExceedsLimit, RateLimiterUnavailable, TooManyRequests
from specserve.observability import metrics
from specserve.ratelimit.limiter import RETRY_STORE_AFTER, Decision, LimiterUnavailable, RateLimiter
from specserve.spec import Operation, cost_at


def identity_of(info: dict[str, Any]) -> str | None:
    """The bucket of a credential: its API key (tokens it issued share it), or the subject
    of an identity provider's token, in a namespace of its own (`sub:`), so no subject can
    name a key's bucket."""
    if info.get("key_id"):
        return f"key:{info['key_id']}"
    sub = info.get("sub")
    return f"sub:{sub}" if sub else None


ROW_BYTES = 16_384
"""The size of one 1,000-feature row (`maxItems` of `features`) at ~16 bytes a number: the
unit an invalid body is priced in."""


def invalid_body_cost(limiter: RateLimiter, info: dict[str, Any], size: int) -> int:
    """A body refused as it was read costs one unit per row it could have held,
    max(1, ceil(size / ROW_BYTES)), capped at the caller's limit (so the charge can be
    admitted, and the answer stays the 400): 1 MiB of junk costs 64 units, not one."""
    _, item = limiter.item_for(str(info.get("tier", "default")))
    return max(1, min(math.ceil(size / ROW_BYTES), item.amount))


def cost_of(operation: Operation, payload: Any) -> int:
    """One unit per row for operations the spec marks with `x-ratelimit-cost` (the length of
    that array, or that number: `/v2` infer's batch dimension, when it is 1 to the most
    rows a request may hold), else one."""
    if operation.cost_path is None:
        return 1
    return cost_at(operation, payload) or 1


async def charge_request(
    limiter: RateLimiter, info: dict[str, Any], cost: int
) -> dict[str, str] | None:
    """Charge `cost` units to the caller; its headers (None: not limited), or a refusal."""
    identity = identity_of(info)
    if not limiter.enabled or identity is None:
        return None
    tier = str(info.get("tier", "default"))
    _refuse_if_never_admitted(limiter, tier, cost)
    decision = await _decided(limiter.hit_identity(identity, tier, cost))
    what = f"{cost} rows" if cost > 1 else "this request"
    return _admitted(
        decision,
        lambda d, wait: (
            f"Rate limit of {d.limit} per {d.window} seconds exceeded "
            f"({d.remaining} left, {what} refused); retry in {wait} seconds."
        ),
    )


def _refuse_if_never_admitted(limiter: RateLimiter, tier: str, cost: int) -> None:
    """A request costing more than the tier's whole limit could never be admitted, however
    long its client waited: refused at once, charged nothing, without `Retry-After` (no
    store trip either: the answer does not depend on the window's state)."""
    policy, item = limiter.item_for(tier)
    if cost <= item.amount:
        return
    metrics.RATE_LIMITED.labels(policy).inc()
    window = int(item.get_expiry())
    raise CostExceedsLimit(
        f"This request costs {cost} units (one per row), more than this key's whole rate "
        f"limit of {item.amount} per {window} seconds: it can never be admitted. Send at "
        f"most {item.amount} rows per request.",
        headers={
            "RateLimit-Policy": f'"{policy}";q={item.amount};w={window}',
            "X-RateLimit-Limit": str(item.amount),
        },
    )


async def charge_token(limiter: RateLimiter, info: dict[str, Any]) -> dict[str, str] | None:
    """One issued token against the key's token limit; its headers, or a refusal."""
    identity = identity_of(info)
    if not limiter.enabled or identity is None:
        return None
    decision = await _decided(limiter.hit_token(identity))
    return _admitted(
        decision,
        lambda d, wait: (
            f"Token limit of {d.limit} per {d.window} seconds for this key reached; "
            f"retry in {wait} seconds."
        ),
    )


async def charge_failed_auth(limiter: RateLimiter, ip: str) -> None:
    """Count a failed authentication against the client's address; past the limit, refuse
    (the caller answers the refusal in place of the 401)."""
    await _charge_address(limiter, "ip", ip)


async def charge_anonymous(limiter: RateLimiter, ip: str) -> None:
    """Count an anonymous request against the client's address; past the limit, refuse.
    Behind a proxy, the address is the client's only with `SPECSERVE_TRUSTED_PROXIES` set
    (else every client of that proxy shares one allowance)."""
    await _charge_address(limiter, "anon", ip)


async def _charge_address(limiter: RateLimiter, kind: str, ip: str) -> None:
    if not limiter.enabled:
        return
    known = limiter.address_blocked(kind, ip)  # exhausted, as this worker knows: no store trip
    decision = known or await _decided(limiter.hit_address(kind, ip))
    _admitted(
        decision,
        lambda d, wait: f"Too many requests from this client; retry in {wait} seconds.",
    )


async def _decided(call: Any) -> Decision | None:
    """The limiter's decision; the store down under fail-closed is 503 (None: fail-open)."""
    try:
        decision: Decision | None = await call
    except LimiterUnavailable:
        retry = str(math.ceil(RETRY_STORE_AFTER))
        raise RateLimiterUnavailable(headers={"Retry-After": retry}) from None
    return decision


def _admitted(decision: Decision | None, message: Any) -> dict[str, str] | None:
    """The headers of an admitted request, or the 429 of a refused one."""
    if decision is None:
        return None
    headers = decision.headers()
    if not decision.allowed:
        raise TooManyRequests(message(decision, headers["Retry-After"]), headers=headers)
    return headers
