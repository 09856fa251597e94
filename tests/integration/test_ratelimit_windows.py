"""The one-round-trip Redis scripts agree with `limits` on real Redis, in every URL form.

For each strategy we expose, every hit through `RedisWindows` is checked against what
`limits` itself reads back from the same keys (`get_window_stats`), and hits from both on one
key share one budget: the key layout and arithmetic are `limits`' own.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis
from limits import parse
from limits.aio import strategies
from limits.storage import storage_from_string

from specserve.ratelimit.redis_client import client_for
from specserve.ratelimit.windows import RedisWindows
from tests.conftest import requires

STRATEGIES = ["moving-window", "fixed-window", "sliding-window-counter"]
COSTS = [1, 3, 4, 3, 1, 1, 5, 1]


def pair(url: str, strategy: str):
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    ours = RedisWindows(client_for(url, 0.25), strategy, prefix)
    storage = storage_from_string(f"async+{url}", implementation="redispy", key_prefix=prefix)
    return ours, strategies.STRATEGIES[strategy](storage)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_each_hit_matches_what_limits_reads_back(test_redis, strategy):
    async def run():
        ours, ref = pair(test_redis, strategy)
        item = parse("10/minute")
        admitted = []
        for cost in COSTS:
            ok, remaining, reset = await ours.hit(item, "id", "k", cost=cost)
            stats = await ref.get_window_stats(item, "id", "k")
            admitted.append(ok)
            assert max(0, remaining) == stats.remaining, (strategy, cost)
            if strategy != "sliding-window-counter":  # its reset is `pttl % window`: ms-jittery
                assert reset == pytest.approx(stats.reset_time, abs=1.01), (strategy, cost)
        return admitted

    admitted = asyncio.run(run())
    if strategy == "fixed-window":  # limits' fixed window counts refused hits too
        assert admitted == [True, True, True, False, False, False, False, False]
    else:  # a refused batch consumes nothing; smaller hits still fit
        assert admitted == [True, True, True, False, True, True, False, False]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_limits_and_the_script_share_one_budget(test_redis, strategy):
    async def run():
        ours, ref = pair(test_redis, strategy)
        item = parse("7/minute")
        results = []
        for i in range(12):
            if i % 2:
                results.append(await ref.hit(item, "id", "shared"))
            else:
                results.append((await ours.hit(item, "id", "shared"))[0])
        return results

    assert asyncio.run(run()) == [True] * 7 + [False] * 5


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_window_frees_up_as_limits_says(test_redis, strategy):
    async def run():
        ours, ref = pair(test_redis, strategy)
        item = parse("4/second")
        first = [(await ours.hit(item, "id", "w"))[0] for _ in range(5)]
        await asyncio.sleep(1.05)
        stats = await ref.get_window_stats(item, "id", "w")
        ok, remaining, _ = await ours.hit(item, "id", "w")
        return first, stats.remaining, ok, remaining

    first, before, ok, remaining = asyncio.run(run())
    assert first == [True] * 4 + [False]
    assert ok is True
    if strategy == "sliding-window-counter":  # the previous window still weighs a little
        assert 0 <= remaining <= before - 1
    else:
        assert remaining == before - 1 == 3


def _concurrent(url: str, strategy: str, flush_scripts: bool = False) -> list[bool]:
    """20 hits in one event-loop pass (one pipeline) on a 7/minute budget."""

    async def run():
        client = client_for(url, 0.5)
        ours = RedisWindows(client, strategy, f"t-{uuid.uuid4().hex[:8]}")
        item = parse("7/minute")
        await ours.hit(item, "id", "warm")  # the script is loaded
        if flush_scripts:
            await client.script_flush()  # as after a Redis restart: EVALSHA answers NOSCRIPT
        hits = await asyncio.gather(*(ours.hit(item, "id", "c") for _ in range(20)))
        await client.aclose()
        return [ok for ok, _, _ in hits], sorted(remaining for _, remaining, _ in hits)

    return asyncio.run(run())


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("flush_scripts", [False, True])
def test_concurrent_hits_pipelined_stay_exact(test_redis, strategy, flush_scripts):
    admitted, remaining = _concurrent(test_redis, strategy, flush_scripts)
    assert admitted == [True] * 7 + [False] * 13  # in order: the pipeline keeps it
    if strategy != "fixed-window":
        assert remaining == [0] * 14 + [1, 2, 3, 4, 5, 6]


# -- the other URL forms, each on real redis-server processes of its own -------------------
def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port(cluster: bool = False) -> int:
    """A free port; for a cluster node also its bus port (port + 10000, which must exist:
    an ephemeral port above 55535 has none, and redis-server then refuses to start)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if not cluster or (port + 10000 <= 65535 and _bindable(port + 10000)):
            return port


def _wait(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@pytest.fixture
def servers(tmp_path):
    requires("redis-server", shutil.which("redis-server") is not None)
    procs = []

    def start(*args: str) -> int:
        port = _free_port(cluster="--cluster-enabled" in args)
        workdir = tmp_path / str(port)
        workdir.mkdir()
        cmd = [shutil.which("redis-server"), *args, "--port", str(port), "--bind", "127.0.0.1"]
        cmd += ["--save", "", "--appendonly", "no", "--dir", str(workdir)]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait(port)
        return port

    yield start
    for proc in procs:
        proc.kill()
        proc.wait(10)


def _exact(url: str, strategy: str = "moving-window") -> list[bool]:
    async def run():
        ours = RedisWindows(client_for(url, 0.5), strategy, f"t-{uuid.uuid4().hex[:8]}")
        item = parse("5/minute")
        admitted = [(await ours.hit(item, "id", "form"))[0] for _ in range(7)]
        await ours.client.aclose()
        return admitted

    return asyncio.run(run())


def test_password_in_a_redis_url(servers):
    port = servers("--requirepass", "s3cret")
    assert _exact(f"redis://:s3cret@127.0.0.1:{port}/0") == [True] * 5 + [False] * 2


def test_sentinel_url_finds_the_master(servers, tmp_path):
    master = servers()
    conf = tmp_path / "sentinel.conf"
    conf.write_text(f"sentinel monitor svc 127.0.0.1 {master} 1\n")
    sentinel = _free_port()
    proc = subprocess.Popen(
        [shutil.which("redis-server"), str(conf), "--sentinel", "--port", str(sentinel)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(sentinel)
        for strategy in STRATEGIES:
            url = f"redis+sentinel://127.0.0.1:{sentinel}/svc"
            expected = [True] * 5 + [False] * 2
            assert _exact(url, strategy) == expected, strategy
            assert _concurrent(url, strategy)[0] == [True] * 7 + [False] * 13, strategy
    finally:
        proc.kill()
        proc.wait(10)


def test_cluster_url_runs_every_strategy(servers):
    port = servers("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
    node = redis.Redis(port=port)
    node.execute_command("CLUSTER", "ADDSLOTSRANGE", 0, 16383)
    deadline = time.monotonic() + 10
    while b"cluster_state:ok" not in node.execute_command("CLUSTER", "INFO"):
        assert time.monotonic() < deadline, "single-node cluster did not become ready"
        time.sleep(0.1)
    node.close()
    for strategy in STRATEGIES:  # sliding window: both keys in one hash slot
        assert _exact(f"redis+cluster://127.0.0.1:{port}", strategy) == [True] * 5 + [False] * 2
        admitted, _ = _concurrent(f"redis+cluster://127.0.0.1:{port}", strategy)
        assert admitted.count(True) == 7, strategy  # one call per hit: any order
