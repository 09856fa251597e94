"""The usage store's writer and reads on real Redis: every outcome counted once whatever
fails, what cannot be written said with its count, held state bounded, reads bounded.

A reply that comes late (Redis ran the write; the client gives up, or is stopped, before
reading it) is made by a relay that holds the pipeline's replies back, in front of a Redis
of the test's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import socket
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import redis
from redis.asyncio import Redis

from specserve.config import Settings
from specserve.ratelimit import usage as usage_module
from specserve.ratelimit.limiter import RETRY_STORE_AFTER, Quota, RateLimiter
from specserve.ratelimit.redis_client import client_for
from specserve.ratelimit.usage import UsageStore
from tests.conftest import requires
from tests.integration.test_ratelimit import OwnRedis
from tests.integration.test_ratelimit_meter import BACKENDS, days_around_today, limiters, stop
from tests.tcpproxy import TcpProxy


@pytest.fixture(params=BACKENDS)
def backend(request, test_redis):
    return test_redis if request.param == "redis" else None


@pytest.fixture
def own_redis(tmp_path):
    requires("redis-server", shutil.which("redis-server") is not None)
    own = OwnRedis(tmp_path).start()
    yield own
    own.stop()


class SlowReplies(TcpProxy):
    """A relay that holds back the replies to the usage writer's pipeline (they start with
    its scripts' nil replies) by `delay` seconds; other replies pass at once."""

    delay = 0.0

    def _pump(self, src, dst) -> None:
        replies = src.getpeername() == self.target
        try:
            while data := src.recv(65536):
                if replies and self.delay and data.startswith((b"$-1", b"_")):
                    time.sleep(self.delay)
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def store(url: str, timeout: float = 0.25) -> UsageStore:
    client = client_for(url, timeout, retries=0)  # as the limiter's usage store
    return UsageStore(client, f"usage-{uuid.uuid4().hex[:8]}", 1)


def errors(rows) -> int:
    return sum(r.client_error for r in rows)


def test_a_write_whose_reply_times_out_is_not_written_again(own_redis, caplog):
    """Redis ran the batch but the reply came after the client's timeout: written once (not
    again by the next flush or `stop()`), and the warning says how many entries were at
    stake."""
    relay = SlowReplies(own_redis.port).start()

    async def run():
        usage = store(f"redis://127.0.0.1:{relay.port}/0")
        for i in range(5):
            usage.record_outcome(f"key:{i}", "m", 404)
        relay.delay = 0.6
        with pytest.raises((TimeoutError, redis.exceptions.TimeoutError)):
            await usage.flush()
        relay.delay = 0.0
        await usage.flush()
        await usage.stop()
        return await usage.read(None, *days_around_today())

    try:
        with caplog.at_level(logging.WARNING, "specserve.ratelimit.usage"):
            rows = asyncio.run(run())
    finally:
        relay.stop()
    assert errors(rows) == 5
    [said] = [r for r in caplog.records if "after it was sent" in r.getMessage()]
    assert said.count == 5


def test_stop_during_a_write_lets_it_finish_and_counts_once(own_redis):
    """`stop()` while the writer waits for a reply Redis has not sent yet (it ran the
    batch): the write finishes, and nothing is sent twice."""
    relay = SlowReplies(own_redis.port).start()
    relay.delay = 1.5

    async def run():
        usage = store(f"redis://127.0.0.1:{relay.port}/0", timeout=10)
        await usage.start()
        for _ in range(7):
            usage.record_outcome("key:s", "m", 404)
        await asyncio.sleep(1.7)  # the writer's first flush (at 1 s) waits for its reply
        await usage.stop()
        relay.delay = 0.0
        return await usage.read("key:s", *days_around_today())

    try:
        assert errors(asyncio.run(run())) == 7
    finally:
        relay.stop()


def test_one_refused_command_retries_only_itself(test_redis):
    """The day's listing key is of the wrong type, so its SADD fails every second: the
    outcomes in the same pipeline are written once, and the listing once the key is fixed."""

    async def run():
        usage = store(test_redis)
        today = datetime.now(UTC).date().isoformat()
        ids_key = f"{usage.prefix}:usage-ids:{today}"
        plain = Redis.from_url(test_redis)
        await plain.set(ids_key, "not a set", ex=60)
        usage.record_outcome("key:r", "m", 404, day=today)
        for _ in range(3):
            await usage.flush()
        await plain.delete(ids_key)
        await usage.flush()
        mine = await usage.read("key:r", *days_around_today())
        everyone = await usage.read(None, *days_around_today())
        await plain.aclose()
        return mine, everyone

    mine, everyone = asyncio.run(run())
    assert errors(mine) == 1
    assert [r.identity for r in everyone] == ["key:r"]


def test_stop_says_how_many_outcomes_it_could_not_write(own_redis, caplog):
    async def run():
        usage = store(own_redis.url)
        for i in range(4):
            usage.record_outcome(f"key:{i}", None, 200)
        own_redis.stop()
        await usage.stop()  # never raises

    with caplog.at_level(logging.WARNING, "specserve.ratelimit.usage"):
        asyncio.run(run())
    [said] = [r for r in caplog.records if "lost at shutdown" in r.getMessage()]
    assert said.count == 4


def test_the_writer_keeps_going_after_an_unexpected_error(test_redis, monkeypatch):
    usage = store(test_redis)
    real_write, calls = usage._write, []

    async def failing_once(*args):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("unexpected")
        return await real_write(*args)

    monkeypatch.setattr(usage, "_write", failing_once)
    monkeypatch.setattr(usage_module, "FLUSH_SECONDS", 0.05)

    async def run():
        await usage.start()
        usage.record_outcome("key:k", None, 404)
        await asyncio.sleep(0.2)  # the first write fails; the next one (a new outcome) runs
        usage.record_outcome("key:k", None, 404)
        deadline = time.monotonic() + 5
        while len(calls) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        alive = not usage._task.done()
        await usage.stop()
        return alive, await usage.read("key:k", *days_around_today())

    alive, rows = asyncio.run(run())
    assert alive and errors(rows) == 1  # the failed write's outcome is lost, said; not the next


def test_listings_held_without_a_writer_stay_bounded(test_redis, monkeypatch, caplog):
    monkeypatch.setattr(usage_module, "MAX_PENDING_IDS", 100)

    async def run():
        limiter, _ = limiters(test_redis, "moving-window")
        for i in range(250):
            await limiter.hit_identity(f"key:{i}", "default", 1)
        held = sum(len(ids) for ids in limiter.usage._new_ids.values())
        await limiter.usage.flush()
        listed = await limiter.usage.read(None, *days_around_today())
        return held, listed

    with caplog.at_level(logging.WARNING, "specserve.ratelimit.usage"):
        held, listed = asyncio.run(run())
    assert held == 100 and len(listed) == 100
    [said] = [r for r in caplog.records if "listings dropped" in r.getMessage()]
    assert said.count == 150


def test_an_outcome_is_filed_under_the_day_its_request_was_charged(backend):
    async def run():
        limiter, _ = limiters(backend, "moving-window")
        decision = await limiter.hit_identity("key:d", "default", 1, model="m")
        limiter.usage.record_outcome("key:d", "m", 200, day=decision.day)
        limiter.usage.record_outcome("key:d", "m", 500, day=yesterday.isoformat())
        await stop(limiter)
        return decision.day, await limiter.usage.read("key:d", *days_around_today())

    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    day, rows = asyncio.run(run())
    assert day == datetime.now(UTC).date().isoformat()
    assert [(r.day, r.requests, r.ok, r.server_error) for r in rows] == [
        (yesterday, 0, 0, 1),
        (yesterday + timedelta(days=1), 1, 1, 0),
    ]


def test_a_read_spans_at_most_400_days(backend):
    async def run():
        limiter, _ = limiters(backend, "moving-window")
        first = date(2026, 1, 1)
        await limiter.usage.read(None, first, first + timedelta(days=399))
        with pytest.raises(ValueError, match="400 days"):
            await limiter.usage.read(None, first, first + timedelta(days=400))

    asyncio.run(run())


def test_a_read_of_many_identities_and_days_goes_in_chunks(test_redis, monkeypatch):
    monkeypatch.setattr(usage_module, "READ_CHUNK", 7)

    async def run():
        limiter, _ = limiters(test_redis, "moving-window")
        for i in range(20):
            await limiter.hit_identity(f"key:{i}", "default", 1)
        await stop(limiter)
        return await limiter.usage.read(None, *days_around_today())

    rows = asyncio.run(run())
    assert sorted(r.identity for r in rows) == sorted(f"key:{i}" for i in range(20))


def test_a_cost_above_the_whole_quota_is_refused_and_charges_nothing(backend):
    async def run():
        limiter, _ = limiters(backend, "moving-window")
        quota = Quota(5, "day")
        never = await limiter.hit_identity("key:q", "default", 6, model="m", quota=quota)
        fits = await limiter.hit_identity("key:q", "default", 5, model="m", quota=quota)
        over = await limiter.hit_identity("key:q", "default", 1, model="m", quota=quota)
        await stop(limiter)
        return never, fits, over

    never, fits, over = asyncio.run(run())
    assert never.quota_refused and not never.allowed
    assert fits.allowed and fits.quota_used == 5  # the refused 6 charged nothing
    assert over.quota_refused and not over.allowed
    assert "Retry-After" in over.quota_headers()


class LateReply(TcpProxy):
    """A relay that holds back the next reply from Redis by `delay` seconds (once set);
    the replies after it pass at once (a client that retries gets its answer)."""

    delay = 0.0

    def _pump(self, src, dst) -> None:
        replies = src.getpeername() == self.target
        try:
            while data := src.recv(65536):
                if replies and self.delay:
                    delay, self.delay = self.delay, 0.0
                    time.sleep(delay)
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def test_a_charge_whose_reply_times_out_is_not_charged_twice(own_redis):
    """Redis ran the metered script, but its reply came after the limiter's timeout: the
    request is served without limits (fail-open) and is charged once, not again by a retry
    (quota and usage count it once)."""
    relay = LateReply(own_redis.port).start()
    settings = Settings(
        redis_url=f"redis://127.0.0.1:{relay.port}/0",
        rate_limit_key_prefix=f"late-{uuid.uuid4().hex[:8]}",
        usage_retention_days=1,
    )
    quota = Quota(100, "day")

    async def run():
        limiter = RateLimiter(settings)
        first = await limiter.hit_identity("key:late", "default", 1, model="m", quota=quota)
        relay.delay = 0.4  # past the store's 0.25 s timeout
        late = await limiter.hit_identity("key:late", "default", 1, model="m", quota=quota)
        await asyncio.sleep(RETRY_STORE_AFTER + 0.2)
        used, _ = await limiter.usage.quota_used("key:late", quota)
        await limiter.usage.stop()
        return first, late, used, await limiter.usage.read("key:late", *days_around_today())

    try:
        first, late, used, rows = asyncio.run(run())
    finally:
        relay.stop()
    assert first is not None and first.allowed and late is None  # late: served, fail-open
    assert used == 2
    assert sum(r.requests for r in rows) == 2 and sum(r.units for r in rows) == 2


def test_a_limited_read_answers_the_first_rows_of_the_whole_read(backend):
    """`/admin/usage?limit=N` reads at most N rows' worth (plus one, for `truncated`): the
    rows are the first of the whole, in the same order."""

    async def run():
        limiter, _ = limiters(backend, "moving-window")
        for i in range(30):
            for model in ("a", "b"):
                await limiter.hit_identity(f"key:{i:012x}", "default", 1, model=model)
        await stop(limiter)
        span = days_around_today()
        return await limiter.usage.read(None, *span), await limiter.usage.read(None, *span, 5)

    every, first = asyncio.run(run())
    assert len(every) == 60 and first == every[:5]
