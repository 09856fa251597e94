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
nothing, when a request costs more than its caller's whole limit or whole quota (no wait
would admit it); 429 `quota_exceeded`, charged nothing, when it costs more than what remains
of the caller's quota, with `Retry-After` to the period's end; 503 when the store is down
under fail-closed. Those mappings are made here and nowhere else.

The quota (`specserve.ratelimit.quotas`) is checked and consumed in the same store step as
the rate limit, so it counts exactly what the rate limit charges, on every worker and
instance. Reading one's usage (`QUOTA_FREE`) is rate-limited but never counted against the
quota: that is when it is needed.
"""

from __future__ import annotations

import functools
import math
import time
from typing import Any

from specserve import spec
from specserve.errors import (
    CostExceedsLimit,
    QuotaExceeded,
    RateLimiterUnavailable,
    TooManyRequests,
)
from specserve.observability import metrics
from specserve.ratelimit import quotas
from specserve.ratelimit.limiter import (
    RETRY_STORE_AFTER,
    Decision,
    LimiterUnavailable,
    Quota,
    RateLimiter,
)
from specserve.spec import Operation, cost_at

QUOTA_FREE = frozenset({"getUsage", "listUsage"})
"""Operations never counted against the quota (a key past it can still read why)."""


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
    max(1, ceil(size / ROW_BYTES)), capped at the caller's rate limit and at its whole quota
    (so the charge is never `cost_exceeds_limit`, and the answer stays the 400): 1 MiB of
    junk costs 64 units, not one."""
    cap = limiter.capacity(str(info.get("tier", "default")))
    quota = quota_of(limiter, info)
    if quota is not None:
        cap = min(cap, quota.limit)
    return max(1, min(math.ceil(size / ROW_BYTES), cap))


def cost_of(operation: Operation, payload: Any) -> int:
    """One unit per row for operations the spec marks with `x-ratelimit-cost` (the length of
    that array, or that number: `/v2` infer's batch dimension, when it is 1 to the most
    rows a request may hold), else one."""
    if operation.cost_path is None:
        return 1
    return cost_at(operation, payload) or 1


@functools.lru_cache(maxsize=8)
def _tier_quotas(text: str) -> dict[str, str]:
    return quotas.parse_tiers(text)


def quota_of(limiter: RateLimiter, info: dict[str, Any]) -> Quota | None:
    """The caller's quota: its key's own, else its tier's default (`SPECSERVE_QUOTA_TIERS`);
    None: unlimited (and for identity-provider subjects, which have no key record, their
    tier's default)."""
    tiers = _tier_quotas(limiter.settings.quota_tiers)
    own = info.get("quota")
    text = quotas.effective(own, str(info.get("tier", "default")), tiers)
    if text is None:
        return None
    limit, period = quotas.parse_quota(text)
    return Quota(limit, period)  # type: ignore[arg-type]


async def charge_request(
    limiter: RateLimiter,
    info: dict[str, Any],
    cost: int,
    *,
    model: str | None = None,
    operation_id: str | None = None,
) -> tuple[dict[str, str], str | None] | None:
    """Charge `cost` units to the caller (and its quota), counted as usage of `model`: its
    headers and the UTC day it was counted under (its answer's outcome is counted there
    too, even if the answer comes after midnight); None: not limited. Or a refusal."""
    identity = identity_of(info)
    if not limiter.enabled or identity is None:
        return None
    tier = str(info.get("tier", "default"))
    quota = None if operation_id in QUOTA_FREE else quota_of(limiter, info)
    model = usage_model(model)
    _refuse_if_never_admitted(limiter, tier, cost, quota)
    decision = await _decided(limiter.hit_identity(identity, tier, cost, model=model, quota=quota))
    what = f"{cost} rows" if cost > 1 else "this request"
    if decision is not None and decision.quota_refused:
        metrics.RATE_LIMITED.labels("quota").inc()
        raise _quota_exceeded(decision, what)
    headers = _admitted(
        decision,
        lambda d, wait: (
            f"Rate limit of {d.limit} per {d.window} seconds exceeded "
            f"({d.remaining} left, {what} refused); retry in {wait} seconds."
        ),
    )
    if headers is None or decision is None:
        return None
    if decision.quota is not None:
        headers.update(decision.quota_headers())
    return headers, decision.day


def usage_model(model: str | None) -> str | None:
    """The model a request is counted under: its name as the path gave it, when it is one the
    contract allows (so usage never holds a client's arbitrary text; the limiter folds names
    past a day's bound into `*`), else none."""
    if model is None or not spec.load().model_name.match(model):
        return None
    return model


def _quota_exceeded(decision: Decision, what: str) -> QuotaExceeded:
    """429 `quota_exceeded`: what remains of the quota is less than the cost; it resets at
    the period's end (`Retry-After`, which can be days away)."""
    quota, used = decision.quota, decision.quota_used or 0
    reset = decision.quota_reset or time.time()
    left = max(0, quota.limit - used) if quota is not None else 0
    limit = f"{quota.limit} units per {quota.period}" if quota is not None else "units"
    headers = decision.quota_headers()
    wait = headers.get("Retry-After") or str(max(1, math.ceil(reset - time.time())))
    headers["Retry-After"] = wait
    at = quotas.resets_at(reset)
    return QuotaExceeded(
        f"Quota of {limit} used up ({left} left, {what} refused); it resets at {at}, "
        f"in {wait} seconds.",
        headers=headers,
    )


def _refuse_if_never_admitted(
    limiter: RateLimiter, tier: str, cost: int, quota: Quota | None = None
) -> None:
    """A request costing more than the tier's whole limit (or the caller's whole quota)
    could never be admitted, however long its client waited: refused at once, charged
    nothing, without `Retry-After` (no store trip either: the answer does not depend on the
    window's state)."""
    if quota is not None and cost > quota.limit:
        metrics.RATE_LIMITED.labels("quota").inc()
        raise CostExceedsLimit(
            f"This request costs {cost} units (one per row), more than the caller's whole "
            f"quota of {quota.limit} per {quota.period}: it can never be admitted. Send at "
            f"most {quota.limit} rows per request.",
            headers={"X-Quota-Limit": str(quota.limit)},
        )
    policy, item = limiter.item_for(tier)
    capacity = limiter.capacity(tier)
    if cost <= capacity:
        return
    metrics.RATE_LIMITED.labels(policy).inc()
    window = int(item.get_expiry())
    rate = limiter.rate(policy, item)
    if rate is None:
        whole, q, w = f"rate limit of {item.amount} per {window} seconds", item.amount, window
    else:  # a token bucket: the most it ever holds is its burst
        whole = f"burst of {rate.burst} (refilled at {item.amount} per {window} seconds)"
        q, w = rate.burst, rate.refill_seconds
    raise CostExceedsLimit(
        f"This request costs {cost} units (one per row), more than the caller's whole {whole}: "
        f"it can never be admitted. Send at most {capacity} rows per request.",
        headers={"RateLimit-Policy": f'"{policy}";q={q};w={w}', "X-RateLimit-Limit": str(q)},
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
