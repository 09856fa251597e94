"""The token bucket (GCRA) on real Redis, against a reference model written here, and its
promises: a burst of B at once, then R per period, exactly, across two instances too.

The script reads Redis's clock, so the model is checked with Redis's `TIME` read just before
and just after each call: the script's `now` lies between them. A decision must match the
model at both ends whenever they agree (they differ only when a unit frees up during the
call, which the interval bounds), and the stored arrival time must lie between the model's
two answers; the model then continues from what Redis stored.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
import uuid

import pytest
import redis
from limits import parse

from specserve.config import Settings
from specserve.ratelimit.bucket import Rate
from specserve.ratelimit.limiter import RateLimiter
from specserve.ratelimit.redis_client import client_for
from specserve.ratelimit.windows import RedisWindows


def reference(tat: float, now: float, cost: int, T: float, burst: int):
    """GCRA as written down: (admitted, new TAT, remaining, µs to reset)."""
    tau = T * burst
    new = max(tat, now) + cost * T
    if new - now <= tau:
        return True, new, math.floor((tau - (new - now)) / T), new - now
    return False, tat, math.floor((tau - (max(tat, now) - now)) / T), new - tau - now


def server_us(client: redis.Redis) -> int:
    seconds, micros = client.time()
    return seconds * 1_000_000 + micros


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_script_is_gcra_for_random_costs_and_sleeps(test_redis, seed):
    rng = random.Random(seed)
    item = parse("20/second")  # T = 50 ms: sleeps of 0-120 ms free 0-2 units
    burst = 6
    T = 50_000.0
    sync = redis.Redis.from_url(test_redis)
    prefix = f"gcra-{uuid.uuid4().hex[:8]}"
    key = f"{prefix}:gcra:{item.key_for('id', 'ref')}"

    async def run():
        windows = RedisWindows(client_for(test_redis, 0.5), "token-bucket", prefix)
        rate = Rate.of(item.amount, item.get_expiry(), burst)
        tat, checked, ambiguous = 0.0, 0, 0
        for _ in range(100):
            cost = rng.choice([1, 1, 1, 2, 3, 6, 7])
            before = server_us(sync)
            ok, remaining, reset = await windows.hit(item, "id", "ref", cost=cost, rate=rate)
            after = server_us(sync)
            early = reference(tat, before, cost, T, burst)
            late = reference(tat, after, cost, T, burst)
            stored = float(sync.get(key) or 0)
            if early[0] != late[0]:
                ambiguous += 1
            else:
                checked += 1
                assert ok is early[0], (cost, tat, before)
                assert min(early[2], late[2]) <= remaining <= max(early[2], late[2])
            if ok:
                low, high = sorted((early[1], late[1]) if early[0] == late[0] else (0, late[1]))
                assert low - 1 <= stored <= high + 1
                tat = stored
            if cost > burst:
                assert not ok  # never fits
            await asyncio.sleep(rng.choice([0, 0, 0.01, 0.03, 0.06, 0.12]))
        await windows.client.aclose()
        return checked, ambiguous

    checked, ambiguous = asyncio.run(run())
    assert checked >= 90, (checked, ambiguous)


def bucket_limiters(url: str | None, limit: str, burst: int, prefix: str | None = None):
    settings = Settings(
        rate_limit=limit,
        rate_limit_strategy="token-bucket",
        rate_limit_burst=burst,
        redis_url=url,
        usage_retention_days=1,  # the shared Redis forgets the test's usage soon
        rate_limit_key_prefix=prefix or f"gcra-{uuid.uuid4().hex[:8]}",
    )
    first = RateLimiter(settings)
    return first, RateLimiter(settings) if url else first


@pytest.mark.parametrize("backend", ["redis", "memory"])
def test_a_burst_of_b_then_r_per_period_exactly(test_redis, backend):
    """`5 per 10 seconds`, burst 10: ten at once, then five per ten seconds (a unit every
    2 s: the 17 hits have nearly 2 s to run before a sixth unit frees up)."""

    async def run():
        limiter, _ = bucket_limiters(
            test_redis if backend == "redis" else None, "5 per 10 seconds", 10
        )
        burst = [await limiter.hit_identity("key:b", "default", 1) for _ in range(11)]
        refused_at = time.time()
        await asyncio.sleep(10.05)
        period = [await limiter.hit_identity("key:b", "default", 1) for _ in range(6)]
        return burst, refused_at, period

    burst, refused_at, period = asyncio.run(run())
    assert [d.allowed for d in burst] == [True] * 10 + [False]
    assert [d.remaining for d in burst[:10]] == list(range(9, -1, -1))
    assert [d.allowed for d in period] == [True] * 5 + [False]
    refused = burst[-1]
    headers = refused.headers(refused_at)
    assert headers["RateLimit-Policy"] == '"default";q=10;w=20'  # ten units refill in 20 s
    assert headers["X-RateLimit-Limit"] == "10" and headers["X-RateLimit-Remaining"] == "0"
    assert headers["Retry-After"] == "2"  # one unit frees up in (nearly) 2 s
    assert 1 < refused.reset - refused_at <= 2


def test_exactly_the_burst_is_admitted_from_two_instances(test_redis):
    """Two limiters with clients of their own (two instances), 300 concurrent hits on a
    bucket that refills one unit an hour: exactly the burst is admitted."""

    async def run():
        a, b = bucket_limiters(test_redis, "24/day", 120)
        hits = [(a if i % 2 else b).hit_identity("key:c", "default", 1) for i in range(300)]
        return await asyncio.gather(*hits)

    decisions = asyncio.run(run())
    assert sum(d.allowed for d in decisions) == 120
    assert sorted(d.remaining for d in decisions if d.allowed) == list(range(120))


@pytest.mark.parametrize("backend", ["redis", "memory"])
def test_a_cost_over_the_burst_never_fits_and_capacity_says_so(test_redis, backend):
    async def run():
        url = test_redis if backend == "redis" else None
        limiter, _ = bucket_limiters(url, "100/minute", 150)
        never = await limiter.hit_identity("key:x", "default", 151)
        whole = await limiter.hit_identity("key:x", "default", 150)
        return limiter, never, whole

    limiter, never, whole = asyncio.run(run())
    assert limiter.capacity("default") == 150
    assert not never.allowed and whole.allowed and whole.remaining == 0
    assert never.headers()["RateLimit-Policy"] == '"default";q=150;w=90'


def test_tiers_name_their_burst(test_redis):
    settings = Settings(
        rate_limit="10/minute",
        rate_limit_strategy="token-bucket",
        rate_limit_tiers="pro=1000/minute burst 2000;free=10/minute",
        redis_url=test_redis,
        usage_retention_days=1,
        rate_limit_key_prefix=f"gcra-{uuid.uuid4().hex[:8]}",
    )
    limiter = RateLimiter(settings)
    assert (limiter.capacity("pro"), limiter.capacity("free"), limiter.capacity("x")) == (
        2000,
        10,
        10,
    )
    decision = asyncio.run(limiter.hit_identity("key:p", "pro", 2000))
    assert decision.allowed and decision.headers()["RateLimit-Policy"] == '"pro";q=2000;w=120'
