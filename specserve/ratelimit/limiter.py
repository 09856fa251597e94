"""Rate limiting with `limits`: per identity (API key or token subject) and per client IP.

- The store is Redis when `SPECSERVE_REDIS_URL` is set (shared by every worker and every
  instance, so limits are exact across them), else an in-process store (`limits`' memory
  storage; gunicorn then runs a single worker, see gunicorn.conf.py).
- With Redis, a request costs one round trip: one Lua script admits or refuses it and returns
  what the headers need (specserve/ratelimit/windows.py, `limits`' key layout and semantics);
  hits made in the same event-loop pass share one pipeline.
- A batch costs one unit per row. The moving-window strategy (default) only admits a request
  whose whole cost fits, atomically.
- Store failures never become 500s: fail-open (serve, warn once per outage, count) or
  fail-closed (503). Timeouts are short, and after a failure the store is not retried for
  a second, so a dead or slow Redis cannot stall requests; limiting resumes by itself.
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
from redis.exceptions import RedisError

from specserve.config import Settings
from specserve.observability import metrics
from specserve.ratelimit.redis_client import client_for
from specserve.ratelimit.windows import RedisWindows

log = logging.getLogger("specserve.ratelimit.limiter")

STRATEGIES: dict[str, Any] = {
    "moving-window": strategies.MovingWindowRateLimiter,
    "fixed-window": strategies.FixedWindowRateLimiter,
    "sliding-window-counter": strategies.SlidingWindowCounterRateLimiter,
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


def parse_tiers(text: str) -> dict[str, RateLimitItem]:
    tiers = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, limit = part.partition("=")
        tiers[name.strip()] = parse(limit.strip())
    return tiers


def _store(settings: Settings):
    """(one-trip Redis windows, None) with a shared store, else (None, `limits` in memory)."""
    if settings.redis_url:
        client = client_for(settings.redis_url, STORE_TIMEOUT)
        strategy, prefix = settings.rate_limit_strategy, settings.rate_limit_key_prefix
        return RedisWindows(client, strategy, prefix), None
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
        self.tiers = parse_tiers(settings.rate_limit_tiers)
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
        except (RedisError, StorageError, OSError, TimeoutError) as exc:
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

    async def _decide(
        self, item: RateLimitItem, policy: str, kind: str, ident: str, cost: int
    ) -> Decision | None:
        if self.windows is not None:
            result = await self._guarded(lambda: self.windows.hit(item, kind, ident, cost=cost))
        else:
            result = await self._guarded(lambda: self._in_process(item, kind, ident, cost))
        if result is None:
            return None
        allowed, remaining, reset = result
        window = int(item.get_expiry())
        reset = reset if reset > 0 else time.time() + window
        return Decision(allowed, policy, item.amount, window, max(0, remaining), reset)

    async def _in_process(self, item, kind: str, ident: str, cost: int):
        allowed = await self.strategy.hit(item, kind, ident, cost=cost)
        stats = await self.strategy.get_window_stats(item, kind, ident)
        return allowed, stats.remaining, stats.reset_time

    async def hit_identity(self, identity: str, tier: str, cost: int) -> Decision | None:
        policy, item = self.item_for(tier)
        decision = await self._decide(item, policy, "id", identity, cost)
        if decision is not None and not decision.allowed:
            metrics.RATE_LIMITED.labels(policy).inc()
        return decision

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
