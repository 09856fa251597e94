"""The token bucket's settings and its in-process store: the burst syntax and its one-line
refusals, the same GCRA answers as the reference model on a fake clock, bounded memory."""

from __future__ import annotations

import asyncio
import random

import pytest

from specserve.config import Settings
from specserve.ratelimit import bucket
from specserve.ratelimit.bucket import Buckets, Rate
from specserve.ratelimit.limiter import RateLimiter
from tests.integration.test_ratelimit_bucket import reference
from tests.unit.test_config import one_line_of


class FakeClock:
    def __init__(self) -> None:
        self.now = 1024.0  # binary fractions: the clock's arithmetic is exact

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("seed", range(5))
def test_the_in_process_bucket_is_the_reference_gcra(monkeypatch, seed):
    clock = FakeClock()
    monkeypatch.setattr(bucket.time, "monotonic", clock)
    rng = random.Random(seed)
    T, burst = 250_000.0, rng.randint(1, 12)  # µs; 4 per second
    rate = Rate.of(4, 1, burst)
    buckets, tat = Buckets(), 0.0
    for _ in range(500):
        cost = rng.randint(1, burst + 2)
        ok, remaining, reset = buckets.hit("k", cost, rate)
        want_ok, tat_after, want_remaining, want_reset = reference(
            tat, clock.now * 1e6, cost, T, burst
        )
        assert (ok, remaining) == (want_ok, want_remaining)
        assert reset == pytest.approx(want_reset / 1e6, abs=1e-6)
        tat = tat_after
        clock.now += rng.choice([0, 0, 0.125, 0.25, 0.625, 2.0])


def test_refilled_buckets_are_pruned(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(bucket.time, "monotonic", clock)
    buckets, rate = Buckets(), Rate.of(10, 1, 10)
    for i in range(Buckets.PRUNE_EVERY * 5):
        buckets.hit(f"k{i}", 1, rate)
        clock.now += 0.01  # each bucket is full again 0.1 s after its hit
    assert len(buckets) <= Buckets.PRUNE_EVERY


def test_a_tier_names_its_burst_and_capacity_follows():
    settings = Settings(
        rate_limit="100/minute",
        rate_limit_strategy="token-bucket",
        rate_limit_burst=300,
        rate_limit_tiers="pro=1000/minute BURST 2000; free=10/minute",
    )
    limiter = RateLimiter(settings)
    assert [limiter.capacity(t) for t in ("pro", "free", "other")] == [2000, 10, 300]
    windows = RateLimiter(Settings(rate_limit="100/minute", rate_limit_tiers="free=10/minute"))
    assert [windows.capacity(t) for t in ("free", "other")] == [10, 100]


def test_the_in_process_bucket_s_headers_say_burst_and_refill():
    limiter = RateLimiter(Settings(rate_limit="10/minute", rate_limit_strategy="token-bucket"))
    decision = asyncio.run(limiter.hit_identity("key:h", "default", 4))
    headers = decision.headers()
    assert headers["RateLimit-Policy"] == '"default";q=10;w=60'
    assert headers["X-RateLimit-Remaining"] == "6"
    assert 23 <= decision.reset - __import__("time").time() <= 24  # 4 units refill in 24 s


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("rate_limit_tiers", "pro=10/minute burst", "tier=limit[ burst N]"),
        ("rate_limit_tiers", "pro=10/minute burst 0", "tier=limit[ burst N]"),
        ("rate_limit_tiers", "pro=10/minute burst lots", "tier=limit[ burst N]"),
        ("rate_limit_burst", "0", "at least 1"),
        ("rate_limit_burst", "many", "whole number"),
    ],
)
def test_a_bad_burst_is_one_line(monkeypatch, capsys, field, value, words):
    monkeypatch.setenv("SPECSERVE_RATE_LIMIT_STRATEGY", "token-bucket")
    assert words in one_line_of(monkeypatch, capsys, field, value)


@pytest.mark.parametrize(
    "field, value",
    [("rate_limit_burst", "50"), ("rate_limit_tiers", "pro=1000/minute burst 2000")],
)
def test_a_burst_without_the_token_bucket_is_refused(monkeypatch, capsys, field, value):
    line = one_line_of(monkeypatch, capsys, field, value)
    assert "SPECSERVE_RATE_LIMIT_STRATEGY=token-bucket" in line


@pytest.mark.parametrize(
    "field, value",
    [
        ("rate_limit", "100000000/minute"),
        ("token_rate_limit", "50000/second"),
        ("rate_limit_tiers", "bulk=2000000/minute burst 10"),
    ],
)
def test_a_limit_too_fast_for_the_bucket_is_one_line(monkeypatch, capsys, field, value):
    """One unit every 50 µs at the fastest: below, rounding would decide, not the limit."""
    monkeypatch.setenv("SPECSERVE_RATE_LIMIT_STRATEGY", "token-bucket")
    line = one_line_of(monkeypatch, capsys, field, value)
    assert "too fast for the token bucket: at most 20000 per second" in line
    assert value.split(" burst")[0].split("=")[-1] in line


def test_the_fastest_bucket_limit_is_taken():
    settings = Settings(rate_limit="1200000/minute", rate_limit_strategy="token-bucket")
    assert RateLimiter(settings).capacity("default") == 1200000
