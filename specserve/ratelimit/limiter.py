"""Rate limiting with `limits`: per identity (API key or token subject) and per client IP.

- The store is Redis when `SPECSERVE_REDIS_URL` is set (shared by every worker and every
  instance, so limits are exact across them), else an in-process store (`limits`' memory
  storage, or the bucket's own; gunicorn then runs a single worker, see gunicorn.conf.py).
- With Redis, a request costs one round trip: one Lua script admits or refuses it and returns
  what the headers need (specserve/ratelimit/windows.py, `limits`' semantics; its key layout
  for the address and token limits, the identity's hash tag for the identity limits); hits
  made in the same event-loop pass share one pipeline.
- A batch costs one unit per row. The moving-window strategy (default) only admits a request
  whose whole cost fits, atomically.
- The token bucket (`token-bucket`, GCRA: `specserve.ratelimit.bucket`) admits a burst
  (`SPECSERVE_RATE_LIMIT_BURST`, a tier's `burst N`; by default the limit's amount) and then
  the limit's steady rate; its headers say `q=<burst>;w=<seconds to refill it>`.
- An identity's hit also carries its quota (units per UTC day or month) and meters usage
  (`specserve.ratelimit.meter`): in the same script run with Redis; in process under this
  limiter's lock (one worker; a restart loses the counts). A quota refusal charges nothing.
- Store failures never become 500s: fail-open (serve, warn once per outage, count) or
  fail-closed (503). Timeouts are short, a command is never sent twice (it may have run:
  a charge would count twice), and after a failure the store is not retried for a second,
  so a dead or slow Redis cannot stall requests; limiting resumes by itself.
  Fail-open serves without limits, quotas or metering until the store is back.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse
from limits.aio import strategies
from limits.errors import StorageError
from limits.storage import storage_from_string
from redis.exceptions import RedisClusterException, RedisError

from specserve.config import Settings, split_tier
from specserve.observability import metrics
from specserve.ratelimit.bucket import Buckets, Rate
from specserve.ratelimit.meter import Metered, Metering, Quota, day_of
from specserve.ratelimit.redis_client import client_for
from specserve.ratelimit.usage import UsageStore
from specserve.ratelimit.windows import Outcome, RedisWindows

__all__ = ["Decision", "LimiterUnavailable", "Quota", "RateLimiter"]

log = logging.getLogger("specserve.ratelimit.limiter")

STRATEGIES: dict[str, Any] = {
    "moving-window": strategies.MovingWindowRateLimiter,
    "fixed-window": strategies.FixedWindowRateLimiter,
    "sliding-window-counter": strategies.SlidingWindowCounterRateLimiter,
    "token-bucket": None,  # specserve.ratelimit.bucket.Buckets
}
STORE_TIMEOUT = 0.25
RETRY_STORE_AFTER = 1.0


class LimiterUnavailable(Exception):
    """The store is down and the policy is fail-closed."""


@dataclass
class Decision:
    allowed: bool
    policy: str
    limit: int
    window: int
    remaining: int
    reset: float  # epoch seconds
    quota: Quota | None = None
    quota_used: int | None = None  # units used in the current period after this hit
    quota_reset: float | None = None  # epoch seconds of the period's end (UTC)
    quota_refused: bool = False  # refused by the quota; the rate limit was not charged
    day: str | None = None  # the UTC day the hit was charged to (usage and outcomes)

    def headers(self, now: float | None = None) -> dict[str, str]:
        now = time.time() if now is None else now
        wait = max(0, math.ceil(self.reset - now))
        headers = {
            "RateLimit-Policy": f'"{self.policy}";q={self.limit};w={self.window}',
            "RateLimit": f'"{self.policy}";r={self.remaining};t={wait}',
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset)),
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, wait))
        return headers

    def quota_headers(self, now: float | None = None) -> dict[str, str]:
        """`X-Quota-Limit/Remaining/Reset` (epoch seconds) when a quota applies, and
        `Retry-After` to the period's end when the quota refused the request (one costing
        more than the whole quota never gets here: `charge` refuses it first, without
        `Retry-After`)."""
        if self.quota is None or self.quota_reset is None:
            return {}
        used = self.quota_used or 0
        headers = {
            "X-Quota-Limit": str(self.quota.limit),
            "X-Quota-Remaining": str(max(0, self.quota.limit - used)),
            "X-Quota-Reset": str(math.ceil(self.quota_reset)),
        }
        if self.quota_refused:
            now = time.time() if now is None else now
            headers["Retry-After"] = str(max(1, math.ceil(self.quota_reset - now)))
        return headers


def parse_tier_bursts(text: str) -> dict[str, tuple[RateLimitItem, int | None]]:
    """`pro=1000/minute burst 2000;free=10/minute` → each tier's limit and burst (if any)."""
    tiers = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, spec = part.partition("=")
        limit, burst = split_tier(spec)
        tiers[name.strip()] = (parse(limit), burst)
    return tiers


def _store(settings: Settings):
    """(one-trip Redis windows, None) with a shared store, else (None, `limits` in memory)."""
    if settings.redis_url:
        # no retry: a script whose reply came late has usually run, and running it again
        # would charge the rate limit, the quota and usage twice (a stale connection after a
        # Redis restart costs one request's fail-open or 503 instead)
        client = client_for(settings.redis_url, STORE_TIMEOUT, retries=0)
        strategy, prefix = settings.rate_limit_strategy, settings.rate_limit_key_prefix
        return RedisWindows(client, strategy, prefix), None
    if settings.rate_limit_strategy == "token-bucket":
        return None, Buckets()
    storage = storage_from_string(
        "async+memory://", wrap_exceptions=True, key_prefix=settings.rate_limit_key_prefix
    )
    return None, STRATEGIES[settings.rate_limit_strategy](storage)


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.enabled = settings.rate_limit_enabled
        self.shared = bool(settings.redis_url)
        self.windows, self.strategy = _store(settings)
        self.default = parse(settings.rate_limit)
        tiers = parse_tier_bursts(settings.rate_limit_tiers)
        self.tiers = {name: item for name, (item, _) in tiers.items()}
        self.bucket = settings.rate_limit_strategy == "token-bucket"
        self.bursts = {name: burst for name, (_, burst) in tiers.items() if burst}
        if settings.rate_limit_burst and "default" not in self.tiers:
            self.bursts["default"] = settings.rate_limit_burst
        # the usage writer's own client never retries: a retried write may count twice
        url = settings.redis_url
        client = client_for(str(url), STORE_TIMEOUT, retries=0) if url else None
        prefix = settings.rate_limit_key_prefix
        self.usage = UsageStore(client, prefix, settings.usage_retention_days)
        self._lock = asyncio.Lock()  # the in-process store's quota, strategy and usage
        # per client address: failed authentications (`ip`), anonymous requests (`anon`)
        self.address_limits = {
            "ip": parse(settings.auth_rate_limit),
            "anon": parse(settings.anon_rate_limit),
        }
        self.token_limit = parse(settings.token_rate_limit)
        self.fail_closed = settings.rate_limit_fail == "closed"
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._blocked: dict[tuple[str, str], float] = {}  # (kind, address) -> until
        self._probe: Any = None

    # -- store health -----------------------------------------------------------
    @property
    def degraded(self) -> bool:
        return self._down_since is not None

    def _failed(self, exc: Exception) -> None:
        metrics.RATE_LIMITER_ERRORS.inc()
        now = time.monotonic()
        self._retry_at = now + RETRY_STORE_AFTER
        if self._down_since is None:
            self._down_since = now
            policy = "refusing requests (503)" if self.fail_closed else "serving unlimited"
            log.warning(
                "rate-limit store unavailable; %s until it returns",
                policy,
                extra={"reason": type(exc).__name__},
            )

    def _recovered(self) -> None:
        if self._down_since is not None:
            log.warning(
                "rate-limit store available again; limiting resumed",
                extra={"outage_seconds": round(time.monotonic() - self._down_since, 1)},
            )
            self._down_since = None

    async def _guarded(self, call):
        """Run a store call; None when the store is down (fail-open)."""
        if self._down_since is not None and time.monotonic() < self._retry_at:
            if self.fail_closed:
                raise LimiterUnavailable()
            return None
        try:
            result = await call()
        except (RedisError, RedisClusterException, StorageError, OSError, TimeoutError) as exc:
            self._failed(exc)
            if self.fail_closed:
                raise LimiterUnavailable() from None
            return None
        self._recovered()
        return result

    async def health_check(self) -> dict[str, str]:
        """`/health`'s `rate_limiter` check."""
        if await self.check():
            where = "Redis" if self.shared else "in-process (single worker)"
            return {"status": "pass", "detail": f"rate-limit store {where} available"}
        policy = "refusing (503)" if self.fail_closed else "serving without limits"
        return {"status": "fail", "detail": f"rate-limit store unavailable; {policy}"}

    async def check(self) -> bool:
        """Health probe of the store (a sync client, in a thread, apart from the request
        path's connections)."""
        if not self.shared:
            return True
        if self._probe is None:
            self._probe = storage_from_string(
                str(self.settings.redis_url).removeprefix("async+"),
                wrap_exceptions=True,
                socket_timeout=STORE_TIMEOUT,
                socket_connect_timeout=STORE_TIMEOUT,
            )
        try:
            return bool(await asyncio.to_thread(self._probe.check))
        except Exception:  # noqa: BLE001 - any failure means "not available"
            return False

    # -- decisions ---------------------------------------------------------------
    def item_for(self, tier: str) -> tuple[str, RateLimitItem]:
        if tier in self.tiers:
            return tier, self.tiers[tier]
        return "default", self.default

    def rate(self, policy: str, item: RateLimitItem) -> Rate | None:
        """The token bucket's rate for a limit (None for the window strategies)."""
        if not self.bucket:
            return None
        return Rate.of(item.amount, item.get_expiry(), self.bursts.get(policy, item.amount))

    def capacity(self, tier: str) -> int:
        """The most one request can ever cost at this tier: the burst of a bucket, else the
        limit's amount. A costlier request is never admitted (`cost_exceeds_limit`)."""
        policy, item = self.item_for(tier)
        rate = self.rate(policy, item)
        return rate.burst if rate is not None else item.amount

    def _decision(self, policy: str, item: RateLimitItem, rate: Rate | None, result) -> Decision:
        allowed, remaining, reset = result
        window = int(item.get_expiry())
        reset = reset if reset > 0 else time.time() + window
        limit, window = (rate.burst, rate.refill_seconds) if rate else (item.amount, window)
        return Decision(allowed, policy, limit, window, max(0, remaining), reset)

    async def _decide(
        self, item: RateLimitItem, policy: str, kind: str, ident: str, cost: int
    ) -> Decision | None:
        rate = self.rate("", item)  # address and token limits: a burst of their amount
        if self.windows is not None:
            hit = self.windows.hit
            result = await self._guarded(lambda: hit(item, kind, ident, cost=cost, rate=rate))
        else:
            result = await self._guarded(lambda: self._in_process(item, rate, kind, ident, cost))
        return None if result is None else self._decision(policy, item, rate, result)

    async def _in_process(
        self, item: RateLimitItem, rate: Rate | None, kind: str, ident: str, cost: int
    ) -> Outcome:
        """One hit in process; cost 0 only reads the state (not admitted)."""
        if rate is not None:
            ok, remaining, reset = self.strategy.hit(item.key_for(kind, ident), cost, rate)
            return ok and cost > 0, remaining, time.time() + reset
        allowed = cost > 0 and await self.strategy.hit(item, kind, ident, cost=cost)
        stats = await self.strategy.get_window_stats(item, kind, ident)
        return allowed, stats.remaining, stats.reset_time

    async def hit_identity(
        self,
        identity: str,
        tier: str,
        cost: int,
        *,
        model: str | None = None,
        quota: Quota | None = None,
    ) -> Decision | None:
        """Charge `cost` to the identity: quota, rate limit and usage, all or nothing."""
        policy, item = self.item_for(tier)
        rate = self.rate(policy, item)
        if self.windows is not None:
            meter = Metering(quota, model, self.usage.retention)
            hit = self.windows.hit_identity
            result = await self._guarded(lambda: hit(item, identity, cost, meter, rate))
        else:
            result = await self._guarded(
                lambda: self._identity_in_process(item, rate, identity, cost, model, quota)
            )
        if result is None:
            return None
        outcome, metered = result
        decision = self._decision(policy, item, rate, outcome)
        if self.windows is not None:
            self.usage.saw_day(metered.day)
            if decision.allowed:
                self.usage.note_day(identity, metered.day)
        decision.day = metered.day
        if quota is not None:
            decision.quota, decision.quota_used = quota, metered.quota_used
            decision.quota_reset, decision.quota_refused = (
                metered.quota_reset,
                metered.quota_refused,
            )
        if not decision.allowed and not metered.quota_refused:
            metrics.RATE_LIMITED.labels(policy).inc()
        return decision

    async def _identity_in_process(
        self, item, rate, identity: str, cost: int, model: str | None, quota: Quota | None
    ) -> tuple[Outcome, Metered]:
        """`hit_identity`'s script, in process: one hit at a time, under the lock."""
        async with self._lock:
            now = time.time()
            used, end = self.usage.local_quota(identity, quota, now) if quota else (0, 0.0)
            if quota is not None and used + cost > quota.limit:
                peek = await self._in_process(item, rate, "id", identity, 0)
                return peek, Metered(True, used, end, day_of(now))
            outcome = await self._in_process(item, rate, "id", identity, cost)
            if outcome[0]:
                used = self.usage.local_charge(identity, model, cost, quota, now) or 0
            return outcome, Metered(False, used, end, day_of(now))

    async def hit_address(self, kind: str, ip: str) -> Decision | None:
        """One hit against a per-address limit (`kind`: `ip` or `anon`)."""
        decision = await self._decide(self.address_limits[kind], kind, kind, ip, 1)
        if decision is not None and not decision.allowed:
            metrics.RATE_LIMITED.labels(kind).inc()
            self._blocked[(kind, ip)] = decision.reset
            if len(self._blocked) > 10_000:
                self._prune()
        return decision

    async def hit_token(self, identity: str) -> Decision | None:
        """One token issued to `identity` (an API key), against the per-key token limit."""
        decision = await self._decide(self.token_limit, "token", "token", identity, 1)
        if decision is not None and not decision.allowed:
            metrics.RATE_LIMITED.labels("token").inc()
        return decision

    def address_blocked(self, kind: str, ip: str) -> Decision | None:
        """Known-exhausted address (seen by this worker): refused without a store trip."""
        until = self._blocked.get((kind, ip))
        if until is None:
            return None
        if until <= time.time():
            del self._blocked[(kind, ip)]
            return None
        item = self.address_limits[kind]
        return Decision(False, kind, item.amount, int(item.get_expiry()), 0, until)

    def _prune(self) -> None:
        now = time.time()
        for key in [key for key, until in self._blocked.items() if until <= now]:
            del self._blocked[key]
