"""The pieces of a rollout that need no app: who falls in a canary, what a regressor's shadow
agreement reports, which shadow and canary files are valid, and when the agreement reaches
Redis."""

from __future__ import annotations

import asyncio
import math
from types import SimpleNamespace

import pytest

from specserve.serving.agreement import Agreement
from specserve.serving.outputs import Scored
from specserve.serving.rollout import Canary, compare, on_canary, parse, share


def test_the_split_is_stable_independent_per_canary_and_never_takes_anonymous_callers():
    ids = [f"key:{i:06d}" for i in range(10_000)]
    canary = Canary("2.0.0", 20)
    chosen = {i for i in ids if on_canary(canary, "m", i)}
    assert abs(len(chosen) - 2000) <= 4 * math.sqrt(10_000 * 0.2 * 0.8)
    assert chosen == {i for i in ids if on_canary(canary, "m", i)}  # the same every time
    assert share("key:1", "m", "2.0.0") == share("key:1", "m", "2.0.0")
    again = {i for i in ids if on_canary(Canary("2.1.0", 20), "m", i)}
    assert 0.1 < len(chosen & again) / len(chosen) < 0.35  # a new canary draws afresh
    assert {i for i in ids if on_canary(Canary("2.0.0", 40), "m", i)} >= chosen  # widening
    assert not on_canary(Canary("2.0.0", 100), "m", None)


def test_a_regressor_shadow_reports_abs_diff_buckets_and_equal_rows():
    serving = SimpleNamespace(task="regression")
    # a retrain's float noise (|Δ| 1e-9) agrees, as replay's default --tolerance has it
    answered = Scored([1.0, 2.0, 3.0, 4.0, 5.0], [None] * 5, None, None)
    shadow = Scored([1.0, 2.05, 3.5, 40.0, 5.000000001], [None] * 5, None, None)
    tally = compare(serving, answered, shadow)
    agreement = Agreement()
    agreement.count("unit-reg", "2.0.0", "t", tally)
    report = asyncio.run(agreement.read("unit-reg", "2.0.0", "t", "regression"))
    assert (report["scored"], report["agreed"], report["disagreed"]) == (5, 2, 3)
    counts = {b["le"]: b["count"] for b in report["abs_diff"]}
    assert counts[1e-6] == 2 and counts[0.1] == 3 and counts[1.0] == 4 and counts[100.0] == 5
    assert counts[None] == 5
    assert report["scope"] == "instance"  # no Redis: this instance's workers
    assert asyncio.run(agreement.read("unit-reg", "9", "t", "regression"))["scored"] == 0


@pytest.mark.parametrize(
    ("raw", "kind", "reason"),
    [
        (b"[1]", "shadow", "not a JSON object"),
        (b'{"version": "../x"}', "shadow", "'version'"),
        (b'{"version": "1.0.0", "sample": true}', "shadow", "'sample'"),
        (b'{"version": "1.0.0"}', "canary", "'weight'"),
        (b'{"version": "1.0.0", "weight": -0.5}', "canary", "'weight'"),
    ],
)
def test_invalid_files_say_why(raw, kind, reason):
    with pytest.raises(ValueError, match=reason):
        parse(raw, kind)


def test_valid_files_parse():
    assert parse(b'{"version": "1.1.0", "weight": 12.5}', "canary") == Canary("1.1.0", 12.5)
    shadow = parse(b'{"version": "1.1.0"}', "shadow")
    assert (shadow.version, shadow.sample) == ("1.1.0", 1.0) and shadow.token


def test_a_redis_that_is_down_costs_the_counts_nothing_on_this_instance():
    from specserve.serving.agreement import Tally

    agreement = Agreement("redis://127.0.0.1:1/0", "unit")

    async def scenario():
        agreement.count("unit-down", "2.0.0", "t", Tally("ok", 2, 1))
        return await agreement.read("unit-down", "2.0.0", "t", "classification")

    report = asyncio.run(scenario())
    assert (report["scored"], report["agreed"], report["agreement_rate"]) == (3, 2, 0.666667)
    assert report["scope"] == "instance"  # the answer says these are not the service's


def test_agreement_reaches_redis_once_a_second_not_once_a_request(test_redis):
    """Many shadowed requests, one write: nothing in Redis until the worker's flush, then
    every count; stopping writes what is left (a shutdown loses nothing)."""
    import time
    import uuid

    import redis

    from specserve.serving import agreement as module
    from specserve.serving.agreement import Tally

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    agreement = Agreement(test_redis, prefix)
    store = redis.Redis.from_url(test_redis)
    key = agreement.key("unit-flush", "2.0.0", "t")

    def counted() -> dict[str, int]:
        return {k.decode(): int(v) for k, v in store.hgetall(key).items()}

    async def scenario() -> tuple[dict[str, int], dict[str, int], float, dict[str, int]]:
        agreement.start()
        started = time.monotonic()
        for _ in range(50):
            agreement.count("unit-flush", "2.0.0", "t", Tally("ok", 1, 0))
        agreement.count("unit-flush", "2.0.0", "t", Tally("error"))
        at_once = counted()
        while not counted() and time.monotonic() - started < 5:
            await asyncio.sleep(0.05)
        flushed, waited = counted(), time.monotonic() - started
        agreement.count("unit-flush", "2.0.0", "t", Tally("skipped"))
        await agreement.stop()
        return at_once, flushed, waited, counted()

    try:
        at_once, flushed, waited, stopped = asyncio.run(scenario())
    finally:
        store.delete(key)
    assert at_once == {}  # no write per request
    assert flushed == {"ok": 50, "agreed": 50, "error": 1}
    assert waited < module.FLUSH_SECONDS + 2
    assert stopped == {"ok": 50, "agreed": 50, "error": 1, "skipped": 1}
