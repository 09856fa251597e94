"""Rate limits against live gunicorn and real Redis: exact under concurrency on one and two
instances, batch cost, tiers, per-IP limits, headers, Retry-After, and Redis outages."""

from __future__ import annotations

import math
import re
import shutil
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from specserve.auth.filestore import FileKeyStore
from tests.conftest import jwt_secret, requires
from tests.live import LiveService, free_port

SEED = {"features": [1500.50, 2, 0.75]}


def start(workdir, model_dir, keys_file, redis_url, workers=2, **env):
    base = {"SPECSERVE_RATE_LIMIT_ENABLED": "true", "SPECSERVE_REDIS_URL": redis_url or ""}
    base.update(env)
    return LiveService(workdir, model_dir, keys_file, workers=workers, env=base).start()


@pytest.fixture
def keys(tmp_path):
    return FileKeyStore(tmp_path / "keys.json")


def post(url, key, body=None, headers=None):
    return httpx.post(
        f"{url}/predict" if body is None or "features" in body else f"{url}/batch_predict",
        json=body or SEED,
        headers={"X-API-Key": key, **(headers or {})},
        timeout=20,
    )


def burst(urls, key, count):
    """`count` concurrent requests spread round-robin over `urls`."""
    with ThreadPoolExecutor(max_workers=min(count, 64)) as pool:
        futures = [pool.submit(post, urls[i % len(urls)], key) for i in range(count)]
        return [f.result() for f in futures]


# the exactness tests run for the window and the bucket; the bucket refills one unit every
# window / limit, so its limit is per hour there: no unit frees up during a burst
EXACT = {"moving-window": ("minute", 60), "token-bucket": ("hour", 3600)}


def check_429(r, limit, window=60):
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["error"] == "rate_limited" and body["retry_after"] >= 1
    retry = int(r.headers["retry-after"])
    reset = int(r.headers["x-ratelimit-reset"])
    assert retry >= 1 and reset >= time.time() - 1
    assert retry >= math.floor(reset - time.time())  # never earlier than the reset
    assert r.headers["x-ratelimit-limit"] == str(limit)
    assert r.headers["x-ratelimit-remaining"] == "0"
    assert re.fullmatch(rf'"default";q={limit};w={window}', r.headers["ratelimit-policy"])
    assert re.fullmatch(r'"default";r=0;t=\d+', r.headers["ratelimit"])
    assert f"retry in {retry} seconds" in body["detail"]


@pytest.mark.parametrize("strategy", EXACT)
def test_exact_under_concurrency_single_instance(
    tmp_path, trained_model_dir, keys, test_redis, strategy
):
    limit, (per, window) = 40, EXACT[strategy]
    _, key = keys.create("burst")
    env = {"SPECSERVE_RATE_LIMIT": f"{limit}/{per}", "SPECSERVE_RATE_LIMIT_STRATEGY": strategy}
    svc = start(tmp_path, trained_model_dir, keys.path, test_redis, **env)
    try:
        results = burst([svc.base_url], key, limit + 50)
    finally:
        svc.stop()
    codes = [r.status_code for r in results]
    assert codes.count(200) == limit and codes.count(429) == 50, codes
    for r in results:
        if r.status_code == 429:
            check_429(r, limit, window)


@pytest.mark.parametrize("strategy", EXACT)
def test_exact_across_two_instances_sharing_redis(
    tmp_path, trained_model_dir, keys, test_redis, strategy
):
    limit, (per, window) = 60, EXACT[strategy]
    _, key = keys.create("two-instances")
    shared = {
        "SPECSERVE_RATE_LIMIT": f"{limit}/{per}",
        "SPECSERVE_RATE_LIMIT_STRATEGY": strategy,
        "SPECSERVE_RATE_LIMIT_KEY_PREFIX": f"two-{uuid.uuid4().hex[:8]}",
    }
    a = start(tmp_path, trained_model_dir, keys.path, test_redis, **shared)
    b = start(tmp_path, trained_model_dir, keys.path, test_redis, **shared)
    try:
        assert len(a.worker_pids()) == 2 and len(b.worker_pids()) == 2
        results = burst([a.base_url, b.base_url], key, limit + 50)
    finally:
        a.stop()
        b.stop()
    codes = [r.status_code for r in results]
    assert codes.count(200) == limit and codes.count(429) == 50, codes
    for r in results:
        if r.status_code == 429:
            check_429(r, limit, window)


def test_batch_costs_one_unit_per_row_and_headers_decrease(
    tmp_path, trained_model_dir, keys, test_redis
):
    _, key = keys.create("batcher")
    svc = start(
        tmp_path, trained_model_dir, keys.path, test_redis, SPECSERVE_RATE_LIMIT="10/minute"
    )
    try:
        first = post(svc.base_url, key)
        assert first.headers["x-ratelimit-remaining"] == "9"
        assert first.headers["ratelimit"].startswith('"default";r=9;t=')
        batch = post(svc.base_url, key, {"requests": [SEED] * 8})
        assert batch.status_code == 200 and batch.headers["x-ratelimit-remaining"] == "1"
        too_big = post(svc.base_url, key, {"requests": [SEED] * 2})
        assert too_big.status_code == 429 and "2 rows" in too_big.json()["detail"]
        last = post(svc.base_url, key)  # the refused batch consumed nothing
        assert last.status_code == 200 and last.headers["x-ratelimit-remaining"] == "0"
        assert post(svc.base_url, key).status_code == 429
    finally:
        svc.stop()


@pytest.mark.parametrize(
    "strategy", ["moving-window", "fixed-window", "sliding-window-counter", "token-bucket"]
)
def test_a_batch_over_the_whole_limit_is_refused_at_once_and_charged_nothing(
    tmp_path, trained_model_dir, keys, test_redis, strategy
):
    _, key = keys.create("bulk")
    env = {"SPECSERVE_RATE_LIMIT": "5/minute", "SPECSERVE_RATE_LIMIT_STRATEGY": strategy}
    svc = start(tmp_path, trained_model_dir, keys.path, test_redis, workers=1, **env)
    try:
        never = post(svc.base_url, key, {"requests": [SEED] * 6})
        assert never.status_code == 429 and "retry-after" not in never.headers
        body = never.json()
        assert body["error"] == "cost_exceeds_limit" and "retry_after" not in body
        whole = "burst of 5" if strategy == "token-bucket" else "limit of 5 per 60"
        assert "costs 6 units" in body["detail"] and whole in body["detail"]
        fits = post(svc.base_url, key, {"requests": [SEED] * 5})  # the whole limit is left
        assert fits.status_code == 200 and fits.headers["x-ratelimit-remaining"] == "0"
    finally:
        svc.stop()


def test_a_bucket_s_burst_not_its_rate_bounds_a_request(
    tmp_path, trained_model_dir, keys, test_redis
):
    """With a burst above the rate, a batch up to the burst is admitted; past it the answer
    is `cost_exceeds_limit` naming the burst, never a wait that could not help."""
    _, key = keys.create("bursty")
    env = {
        "SPECSERVE_RATE_LIMIT": "5/minute",
        "SPECSERVE_RATE_LIMIT_STRATEGY": "token-bucket",
        "SPECSERVE_RATE_LIMIT_BURST": "8",
    }
    svc = start(tmp_path, trained_model_dir, keys.path, test_redis, workers=1, **env)
    try:
        never = post(svc.base_url, key, {"requests": [SEED] * 9})
        assert never.status_code == 429 and never.json()["error"] == "cost_exceeds_limit"
        assert "burst of 8" in never.json()["detail"] and "retry-after" not in never.headers
        assert never.headers["ratelimit-policy"].startswith('"default";q=8;w=')
        fits = post(svc.base_url, key, {"requests": [SEED] * 8})  # more than the rate's 5
        assert fits.status_code == 200 and fits.headers["x-ratelimit-limit"] == "8"
        assert fits.headers["x-ratelimit-remaining"] == "0"
    finally:
        svc.stop()


def test_tiers(tmp_path, trained_model_dir, keys, test_redis):
    _, basic = keys.create("basic")
    _, pro = keys.create("pro", tier="pro")
    svc = start(
        tmp_path,
        trained_model_dir,
        keys.path,
        test_redis,
        SPECSERVE_RATE_LIMIT="2/minute",
        SPECSERVE_RATE_LIMIT_TIERS="pro=5/minute",
    )
    try:
        assert [post(svc.base_url, basic).status_code for _ in range(3)] == [200, 200, 429]
        codes = [post(svc.base_url, pro) for _ in range(6)]
        assert [r.status_code for r in codes] == [200] * 5 + [429]
        assert codes[0].headers["ratelimit-policy"] == '"pro";q=5;w=60'
    finally:
        svc.stop()


def test_retry_after_is_honoured(tmp_path, trained_model_dir, keys, test_redis):
    _, key = keys.create("patient")
    svc = start(
        tmp_path, trained_model_dir, keys.path, test_redis, SPECSERVE_RATE_LIMIT="3 per 2 seconds"
    )
    try:
        codes = [post(svc.base_url, key) for _ in range(4)]
        assert [r.status_code for r in codes] == [200, 200, 200, 429]
        wait = int(codes[-1].headers["retry-after"])
        assert 1 <= wait <= 2
        time.sleep(wait + 0.1)
        assert post(svc.base_url, key).status_code == 200
    finally:
        svc.stop()


def token_request(url, key=None, headers=None):
    h = dict(headers or {})
    if key:
        h["X-API-Key"] = key
    return httpx.post(
        f"{url}/auth/token", data={"grant_type": "client_credentials"}, headers=h, timeout=10
    )


def test_token_limit_per_key_and_failed_auth_per_address(
    tmp_path, trained_model_dir, keys, test_redis
):
    """Tokens are limited per key (not per address); failed authentications per address,
    and a valid key from that address still works (no lockout by someone else's failures)."""
    _, key = keys.create("client")
    _, other = keys.create("other client")
    env = {
        "SPECSERVE_AUTH_RATE_LIMIT": "4/minute",
        "SPECSERVE_TOKEN_RATE_LIMIT": "4/minute",
        "SPECSERVE_JWT_SECRET": jwt_secret(),
        "SPECSERVE_TRUSTED_PROXIES": "127.0.0.1",
    }
    svc = start(tmp_path, trained_model_dir, keys.path, test_redis, **env)
    try:
        hops = [{"X-Forwarded-For": f"203.0.113.{i}"} for i in range(5)]
        codes = [token_request(svc.base_url, key, hop).status_code for hop in hops]
        assert codes == [200, 200, 200, 200, 429]
        assert token_request(svc.base_url, other, hops[0]).status_code == 200  # another key
        # failed authentications from one address: past the limit, 429 instead of 401
        bad = [
            post(
                svc.base_url,
                "ssk_0123456789ab_" + "A" * 43,
                headers={"X-Forwarded-For": "198.51.100.9"},
            ).status_code
            for _ in range(6)
        ]
        assert bad == [401] * 4 + [429] * 2
        r = post(
            svc.base_url,
            "ssk_0123456789ab_" + "B" * 43,
            headers={"X-Forwarded-For": "198.51.100.9"},
        )
        assert r.status_code == 429 and r.json()["error"] == "rate_limited"
        assert int(r.headers["retry-after"]) >= 1 and r.json()["retry_after"] >= 1
        assert (
            post(svc.base_url, key, headers={"X-Forwarded-For": "198.51.100.9"}).status_code == 200
        )
    finally:
        svc.stop()


def test_forged_forwarded_for_from_untrusted_peer_is_ignored(
    tmp_path, trained_model_dir, keys, test_redis
):
    _, key = keys.create("forger")
    svc = start(
        tmp_path,
        trained_model_dir,
        keys.path,
        test_redis,
        SPECSERVE_AUTH_RATE_LIMIT="3/minute",
        SPECSERVE_JWT_SECRET=jwt_secret(),
    )
    try:
        # no trusted proxies: every failure counts against the real peer, 127.0.0.1 ...
        codes = [
            post(
                svc.base_url,
                "ssk_0123456789ab_" + "C" * 43,
                headers={"X-Forwarded-For": f"192.0.2.{i}"},
            ).status_code
            for i in range(4)
        ]
        assert codes == [401, 401, 401, 429]
    finally:
        svc.stop()


class OwnRedis:
    """A Redis server of the test's own, on another port (never the shared one)."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait(10)


@pytest.mark.parametrize("strategy", EXACT)
@pytest.mark.parametrize("policy", ["open", "closed"])
def test_redis_outage_and_recovery(tmp_path, trained_model_dir, keys, policy, strategy):
    requires("redis-server", shutil.which("redis-server") is not None)
    _, key = keys.create("outage")
    redis = OwnRedis(tmp_path).start()
    svc = start(
        tmp_path,
        trained_model_dir,
        keys.path,
        redis.url,
        SPECSERVE_RATE_LIMIT="5/minute",
        SPECSERVE_RATE_LIMIT_FAIL=policy,
        SPECSERVE_RATE_LIMIT_STRATEGY=strategy,
    )
    try:
        assert [post(svc.base_url, key).status_code for _ in range(6)][-1] == 429
        redis.stop()
        during = [post(svc.base_url, key) for _ in range(20)]
        codes = {r.status_code for r in during}
        if policy == "open":
            assert codes == {200}
        else:
            assert codes == {503}
            body = during[0].json()
            assert body["error"] == "rate_limiter_unavailable"
            assert during[0].headers["content-type"] == "application/problem+json"
        health = httpx.get(f"{svc.base_url}/health").json()
        assert health["status"] == "degraded"
        assert health["checks"]["rate_limiter"]["status"] == "fail"
        metrics = httpx.get(f"{svc.base_url}/metrics", headers={"X-API-Key": key}).text
        if policy == "open":
            assert re.search(r"^specserve_rate_limiter_errors_total [1-9]", metrics, re.M)
        redis.start()  # same port, empty: limiting resumes without a restart
        time.sleep(1.2)
        after = [post(svc.base_url, key).status_code for _ in range(8)]
        assert after[:5] == [200] * 5 and after[5:] == [429] * 3
        assert httpx.get(f"{svc.base_url}/health").json()["status"] == "healthy"
        logs = svc.logs()
        assert "rate-limit store unavailable" in logs and "limiting resumed" in logs
        assert logs.count("rate-limit store unavailable") <= 2  # once per outage per worker
        assert "Traceback" not in logs
    finally:
        svc.stop()
        redis.stop()


def test_in_process_store_runs_one_exact_worker(tmp_path, trained_model_dir, keys):
    _, key = keys.create("local")
    svc = start(tmp_path, trained_model_dir, keys.path, None, SPECSERVE_RATE_LIMIT="7/minute")
    try:
        assert len(svc.worker_pids()) == 1
        codes = [r.status_code for r in burst([svc.base_url], key, 20)]
        assert codes.count(200) == 7
        assert "rate limits are counted in process" in svc.logs()
    finally:
        svc.stop()
