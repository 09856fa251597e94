"""Quotas and usage metering, charged with the rate limit in one step, with every strategy,
on real Redis (two limiters with clients of their own, as two instances) and in process.

What a caller relies on: usage counts exactly what was admitted, a quota admits exactly its
units however many hits race for them, a refusal (quota or rate limit) charges nothing, and
outcomes written by `record_outcome` add up once the stores stop.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import redis
from redis.exceptions import RedisError

from specserve.config import Settings
from specserve.ratelimit.limiter import Quota, RateLimiter
from specserve.ratelimit.meter import CALENDAR, MAX_FIELDS, period_of
from tests.conftest import requires
from tests.integration import test_ratelimit_windows
from tests.integration.test_ratelimit import OwnRedis

servers = test_ratelimit_windows.servers  # redis-servers of the test's own (a cluster)
STRATEGIES = ["moving-window", "fixed-window", "sliding-window-counter", "token-bucket"]
BACKENDS = ["redis", "memory"]


@pytest.fixture(params=BACKENDS)
def backend(request, test_redis):
    return test_redis if request.param == "redis" else None


def limiters(url: str | None, strategy: str, limit: str = "1000000/minute"):
    """Two limiters sharing one store: with Redis, two clients (two instances); in process,
    the one limiter a single worker has."""
    settings = Settings(
        rate_limit=limit,
        rate_limit_strategy=strategy,
        redis_url=url,
        usage_retention_days=1,  # the shared Redis forgets the test's usage soon
        rate_limit_key_prefix=f"meter-{uuid.uuid4().hex[:8]}",
    )
    first = RateLimiter(settings)
    return first, RateLimiter(settings) if url else first


def days_around_today() -> tuple[date, date]:
    today = datetime.now(UTC).date()
    return today - timedelta(days=1), today + timedelta(days=1)


async def stop(*limiters_: RateLimiter) -> None:
    for limiter in limiters_:
        await limiter.usage.stop()


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_usage_counts_exactly_what_two_instances_admitted(backend, strategy):
    rng = random.Random(7)
    identities = ["key:alpha", "key:beta", "sub:gamma}{"]  # braces: the hash tag still holds
    plan = [
        (rng.choice(identities), rng.randint(1, 9), rng.choice(["m1", None])) for _ in range(90)
    ]

    async def run():
        a, b = limiters(backend, strategy)
        hits = [
            (a if i % 2 else b).hit_identity(ident, "default", cost, model=model)
            for i, (ident, cost, model) in enumerate(plan)
        ]
        decisions = await asyncio.gather(*hits)
        await stop(a, b)
        each = {i: await b.usage.read(i, *days_around_today()) for i in identities}
        return decisions, await a.usage.read(None, *days_around_today()), each

    decisions, rows, each = asyncio.run(run())
    assert all(d.allowed for d in decisions)
    for ident in identities:
        mine = [(cost, model) for i, cost, model in plan if i == ident]
        got = [r for r in rows if r.identity == ident]
        assert sum(r.requests for r in got) == len(mine)
        assert sum(r.units for r in got) == sum(cost for cost, _ in mine)
        by_model = {r.model: r.units for r in got}
        assert by_model.get("-", 0) == sum(c for c, m in mine if m is None)
        assert by_model.get("m1", 0) == sum(c for c, m in mine if m == "m1")
        assert each[ident] == got


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_quota_admits_exactly_its_units_under_concurrency(backend, strategy):
    async def run():
        a, b = limiters(backend, strategy)
        quota = Quota(50, "day")
        hits = [
            (a if i % 2 else b).hit_identity("key:q", "default", 1, quota=quota) for i in range(80)
        ]
        decisions = await asyncio.gather(*hits)
        used = await b.usage.quota_used("key:q", quota)
        await stop(a, b)
        return decisions, used, await a.usage.read("key:q", *days_around_today())

    decisions, (used, reset), rows = asyncio.run(run())
    admitted = [d for d in decisions if d.allowed]
    refused = [d for d in decisions if not d.allowed]
    assert len(admitted) == 50 and len(refused) == 30
    assert all(d.quota_refused for d in refused)
    assert sorted(d.quota_used for d in admitted) == list(range(1, 51))
    assert used == 50 and reset == period_of(time.time(), "day")[1]
    assert sum(r.units for r in rows) == 50 and sum(r.requests for r in rows) == 50
    headers = refused[0].quota_headers()
    assert headers["X-Quota-Limit"] == "50" and headers["X-Quota-Remaining"] == "0"
    assert int(headers["X-Quota-Reset"]) == reset
    assert 1 <= int(headers["Retry-After"]) <= 86400


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_batch_over_what_remains_is_refused_whole_and_consumes_nothing(backend, strategy):
    async def run():
        limiter, _ = limiters(backend, strategy, "20/minute")
        quota = Quota(10, "month")
        first = await limiter.hit_identity("key:b", "default", 7, model="m", quota=quota)
        refused = await limiter.hit_identity("key:b", "default", 4, model="m", quota=quota)
        last = await limiter.hit_identity("key:b", "default", 3, model="m", quota=quota)
        await stop(limiter)
        return first, refused, last, await limiter.usage.read("key:b", *days_around_today())

    first, refused, last, rows = asyncio.run(run())
    assert first.allowed and first.quota_used == 7 and first.remaining == 13
    assert not refused.allowed and refused.quota_refused and refused.quota_used == 7
    assert refused.remaining == 13  # the rate limit was not charged either
    assert last.allowed and last.quota_used == 10 and last.remaining == 10
    assert last.quota_reset == period_of(time.time(), "month")[1]
    assert [(r.model, r.requests, r.units) for r in rows] == [("m", 2, 10)]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_rate_limit_refusal_consumes_no_quota_and_no_usage(backend, strategy):
    async def run():
        limiter, _ = limiters(backend, strategy, "5/minute")
        quota = Quota(100, "day")
        admitted = await limiter.hit_identity("key:r", "default", 3, quota=quota)
        refused = await limiter.hit_identity("key:r", "default", 3, quota=quota)
        used = await limiter.usage.quota_used("key:r", quota)
        await stop(limiter)
        return admitted, refused, used, await limiter.usage.read("key:r", *days_around_today())

    admitted, refused, (used, _), rows = asyncio.run(run())
    assert admitted.allowed and not refused.allowed and not refused.quota_refused
    assert refused.quota_used == used == 3
    assert [(r.requests, r.units) for r in rows] == [(1, 3)]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_outcomes_add_up_after_stop(backend, strategy):
    statuses = [200, 201, 400, 404, 429, 500, 503, 200]

    async def run():
        a, b = limiters(backend, strategy)
        for limiter in (a, b):
            await limiter.usage.start()
        await a.hit_identity("key:o", "default", 2, model="m")
        for i, status in enumerate(statuses * 5):
            (a if i % 2 else b).usage.record_outcome("key:o", "m", status)
        await stop(a, b)
        return await a.usage.read("key:o", *days_around_today())

    [row] = asyncio.run(run())
    assert (row.requests, row.units) == (1, 2)
    assert (row.ok, row.client_error, row.server_error) == (15, 15, 10)


def fields_of(rows) -> int:
    """The fields a day's hash holds: one per counter that is not zero."""
    counters = ("requests", "units", "ok", "client_error", "server_error")
    return sum(bool(getattr(r, name)) for r in rows for name in counters)


def test_model_names_a_client_makes_up_stay_bounded(backend):
    """A day's hash holds at most MAX_FIELDS fields, however the models' requests and
    outcomes arrive; what does not fit counts under `*`, and every count is kept."""
    names = MAX_FIELDS // 2 + 10  # a hit writes two fields (requests, units)

    async def run():
        limiter, _ = limiters(backend, "moving-window")
        for i in range(names):
            await limiter.hit_identity("key:m", "default", 1, model=f"made-up-{i}")
        for i in range(names):  # known models' first outcomes: new fields too
            for status in (200, 404, 500):
                limiter.usage.record_outcome("key:m", f"made-up-{i}", status)
            limiter.usage.record_outcome("key:m", f"other-{i}", 404)
        await stop(limiter)
        return await limiter.usage.read("key:m", *days_around_today())

    rows = asyncio.run(run())
    assert fields_of(rows) <= MAX_FIELDS
    assert sum(r.requests for r in rows) == sum(r.ok for r in rows) == names
    assert sum(r.client_error for r in rows) == 2 * names
    assert next(r for r in rows if r.model == "*").requests > 0


def test_redis_and_the_in_process_store_fold_models_alike(test_redis):
    """A model known only by its outcomes, a request of it once the hash is full: both
    stores file it in the same place."""

    async def run(url):
        limiter, _ = limiters(url, "moving-window")
        limiter.usage.record_outcome("key:f", "early", 200)
        await limiter.usage.flush()
        for i in range(MAX_FIELDS // 2):
            await limiter.hit_identity("key:f", "default", 1, model=f"m-{i}")
        await limiter.hit_identity("key:f", "default", 1, model="early")
        limiter.usage.record_outcome("key:f", "early", 404)
        await stop(limiter)
        rows = await limiter.usage.read("key:f", *days_around_today())
        return sorted((r.model, r.requests, r.ok, r.client_error) for r in rows)

    shared, local = asyncio.run(run(test_redis)), asyncio.run(run(None))
    assert shared == local
    assert ("early", 0, 1, 0) in shared  # its first outcome kept; new fields fold to `*`


def test_without_a_quota_the_decision_names_none(backend):
    async def run():
        limiter, _ = limiters(backend, "token-bucket")
        return await limiter.hit_identity("key:n", "default", 1)

    decision = asyncio.run(run())
    assert decision.quota is None and decision.quota_headers() == {}


SECONDS = [
    0,
    86399,
    86400,
    951782399,  # 2000-02-28 23:59:59 (a leap year divisible by 400)
    951868800,  # 2000-03-01
    4107542399,  # 2100-02-28 23:59:59 (not a leap year)
    1798761599,  # 2026-12-31 23:59:59
    1798761600,  # 2027-01-01
]


def test_the_scripts_calendar_is_python_s(test_redis):
    """The script's day and month (from Redis's clock) are the ones Python computes."""
    client = redis.Redis.from_url(test_redis)
    rng = random.Random(3)
    script = client.register_script(CALENDAR + "return {calendar(tonumber(ARGV[1]))}")
    for secs in SECONDS + [rng.randrange(0, 4_102_444_800) for _ in range(300)]:
        day, day_end, month, month_end = script(args=[secs])
        assert day.decode() == datetime.fromtimestamp(secs, UTC).date().isoformat()
        assert (f"d:{day.decode()}", day_end) == period_of(secs, "day")
        assert (f"m:{month.decode()}", month_end) == period_of(secs, "month")


def test_a_cluster_runs_the_metered_script_in_the_identity_s_slot(servers):
    """Every key one hit touches shares the identity's slot: the script runs on a cluster,
    and the read path (several slots) reads back what it counted."""
    port = servers("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
    node = redis.Redis(port=port)
    node.execute_command("CLUSTER", "ADDSLOTSRANGE", 0, 16383)
    deadline = time.monotonic() + 10
    while b"cluster_state:ok" not in node.execute_command("CLUSTER", "INFO"):
        assert time.monotonic() < deadline, "single-node cluster did not become ready"
        time.sleep(0.1)
    node.close()
    url = f"redis+cluster://127.0.0.1:{port}"

    async def run(strategy):
        limiter, _ = limiters(url, strategy, "5/minute")
        quota = Quota(4, "day")
        hits = [await limiter.hit_identity("key:z", "default", 1, quota=quota) for _ in range(6)]
        limiter.usage.record_outcome("key:z", None, 200)
        await stop(limiter)
        rows = await limiter.usage.read(None, *days_around_today())
        return [(d.allowed, d.quota_refused) for d in hits], rows

    for strategy in STRATEGIES:
        hits, rows = asyncio.run(run(strategy))
        assert hits == [(True, False)] * 4 + [(False, True)] * 2, strategy
        assert [(r.identity, r.requests, r.units, r.ok) for r in rows] == [("key:z", 4, 4, 1)]


def test_quota_and_usage_cost_no_extra_command(servers):
    """On a redis-server of the test's own, watched with MONITOR: a hit with a quota and
    usage sends one command (EVALSHA; what the script runs is Redis's own work), with every
    strategy."""
    port = servers()
    url = f"redis://127.0.0.1:{port}/0"
    marker = redis.Redis(port=port)
    marker.ping()  # its connection is made before anything is watched

    async def hits(strategy: str) -> None:
        limiter, _ = limiters(url, strategy)
        quota = Quota(1000, "month")
        await limiter.hit_identity("key:t", "default", 1, model="m", quota=quota)  # warm
        marker.echo("start")
        for _ in range(20):
            await limiter.hit_identity("key:t", "default", 1, model="m", quota=quota)
        marker.echo("end")

    for strategy in STRATEGIES:
        with redis.Redis(port=port).monitor() as monitor:
            asyncio.run(hits(strategy))
            sent, started = [], False
            for command in monitor.listen():
                if command["command"] in ("ECHO start", "ECHO end"):
                    if started:
                        break
                    started = True
                elif started and command.get("client_type") != "lua":
                    sent.append(command["command"].split()[0])
        assert sent == ["EVALSHA"] * 20, (strategy, sent[:5])


def test_an_identity_only_ever_refused_is_listed_with_its_outcomes(backend):
    async def run():
        limiter, _ = limiters(backend, "moving-window", "1/minute")
        await limiter.hit_identity("key:first", "default", 1)
        limiter.usage.record_outcome("key:first", None, 200)
        for _ in range(3):  # the limit is spent: refused, so no usage; its 429s are outcomes
            assert not (await limiter.hit_identity("key:first", "default", 1)).allowed
            limiter.usage.record_outcome("key:first", None, 429)
        limiter.usage.record_outcome("key:never", None, 401)
        await stop(limiter)
        return await limiter.usage.read(None, *days_around_today())

    rows = [(r.identity, r.requests, r.units, r.ok, r.client_error) for r in asyncio.run(run())]
    assert rows == [("key:first", 1, 1, 1, 3), ("key:never", 0, 0, 0, 1)]


def test_outcomes_wait_out_a_redis_outage(tmp_path):
    """Outcomes that could not be written stay in process and are written once Redis is
    back (an empty Redis, as after a restart)."""
    requires("redis-server", shutil.which("redis-server") is not None)
    own = OwnRedis(tmp_path).start()

    async def run():
        limiter, _ = limiters(own.url, "token-bucket")
        limiter.usage.record_outcome("key:w", "m", 200)
        own.stop()
        with pytest.raises((RedisError, OSError)):
            await limiter.usage.flush()
        limiter.usage.record_outcome("key:w", "m", 500)
        own.start()
        await limiter.usage.flush()
        return await limiter.usage.read(None, *days_around_today())

    try:
        rows = asyncio.run(run())
    finally:
        own.stop()
    assert [(r.identity, r.model, r.ok, r.server_error) for r in rows] == [("key:w", "m", 1, 1)]
