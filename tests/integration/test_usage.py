"""Usage metering and quotas against live gunicorn: two instances sharing Redis count every
key's requests and rows exactly, a quota stops a key at exactly its number on either
instance (`quota_exceeded`, a batch refused whole), each caller reads only its own usage
and an admin every key's, the CLI shows the same, and with keys in PostgreSQL a restart
keeps usage."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from specserve.auth.filestore import FileKeyStore
from specserve.ratelimit.charge import ROW_BYTES
from tests.integration.test_keystore_postgres import with_schema
from tests.live import LiveService
from tests.procs import BIN, clean_env, run

SEED = {"features": [1500.50, 2, 0.75]}
MODEL = "fraud-detector"


def rows(n: int) -> dict:
    return {"requests": [SEED] * n}


def call(base: str, key: str, path: str = "/predict", body: object = None) -> httpx.Response:
    if body is None and path == "/predict":
        body = SEED
    if body is None:
        return httpx.get(f"{base}{path}", headers={"X-API-Key": key}, timeout=10)
    return httpx.post(f"{base}{path}", json=body, headers={"X-API-Key": key}, timeout=10)


def model_usage(body: dict) -> dict:
    """The totals of the model's rows (reading usage is counted too, as model `-`)."""
    days = [d for d in body["days"] if d["model"] == MODEL]
    return {c: sum(d[c] for d in days) for c in ("requests", "units", "ok", "client_error")}


def settled(base: str, key: str, expected_ok: int) -> dict:
    """The caller's usage once the answers' outcomes are flushed (about a second)."""
    deadline = time.monotonic() + 10
    while True:
        body = call(base, key, "/usage").json()
        if model_usage(body)["ok"] + model_usage(body)["client_error"] >= expected_ok:
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.2)


@pytest.fixture(scope="module")
def setup(tmp_path_factory, trained_model_dir, test_redis):
    workdir = tmp_path_factory.mktemp("usage")
    keys = FileKeyStore(workdir / "keys.json")
    env = {
        "SPECSERVE_REDIS_URL": test_redis,
        "SPECSERVE_RATE_LIMIT_KEY_PREFIX": f"usage-{uuid.uuid4().hex[:8]}",
        "SPECSERVE_QUOTA_TIERS": "metered=10/day",
    }
    a = LiveService(workdir, trained_model_dir, keys.path, env=env).start()
    b = LiveService(workdir, trained_model_dir, keys.path, env=env).start()
    try:
        yield keys, a, b, env
    finally:
        a.stop()
        b.stop()


def test_usage_is_exact_per_key_across_two_instances(setup):
    keys, a, b, _ = setup
    plan = {"one": (7, [3, 5]), "two": (4, [10]), "three": (0, [1, 2, 100])}
    made = {name: keys.create(name) for name in plan}
    for name, (singles, batches) in plan.items():
        key = made[name][1]
        for i in range(singles):
            assert call((a, b)[i % 2].base_url, key).status_code == 200
        for i, n in enumerate(batches):
            r = call((b, a)[i % 2].base_url, key, "/batch_predict", rows(n))
            assert r.status_code == 200
    for name, (singles, batches) in plan.items():
        record, key = made[name]
        n, m = singles + len(batches), singles + sum(batches)
        body = settled(a.base_url, key, n)
        assert body["identity"] == f"key:{record.id}" and body["quota"] is None
        assert model_usage(body) == {"requests": n, "units": m, "ok": n, "client_error": 0}
        today = datetime.now(UTC).date().isoformat()
        assert body["to"] == today and body["from"] == today[:8] + "01"
        assert body["totals"]["requests"] >= n  # plus the usage reads themselves


def test_a_quota_stops_a_key_at_exactly_its_number_on_either_instance(setup):
    keys, a, b, _ = setup
    record, key = keys.create("metered", tier="metered")  # 10 rows a day, from the tier
    for i in range(10):
        r = call((a, b)[i % 2].base_url, key)
        assert r.status_code == 200, r.text
        assert r.headers["X-Quota-Limit"] == "10"
        assert r.headers["X-Quota-Remaining"] == str(9 - i)
    refused = call(b.base_url, key)
    assert refused.status_code == 429
    problem = refused.json()
    assert problem["error"] == "quota_exceeded" and "10 units per day" in problem["detail"]
    midnight = datetime.now(UTC).date() + timedelta(days=1)
    until = datetime(midnight.year, midnight.month, midnight.day, tzinfo=UTC).timestamp()
    wait = int(refused.headers["Retry-After"])
    assert abs(wait - (until - time.time())) < 5 and problem["retry_after"] == wait
    assert refused.headers["X-Quota-Remaining"] == "0"
    assert int(refused.headers["X-Quota-Reset"]) == int(until)
    usage = call(a.base_url, key, "/usage").json()  # past the quota, still readable
    assert usage["quota"]["used"] == 10 and usage["quota"]["remaining"] == 0
    assert usage["quota"]["resets_at"] == f"{midnight.isoformat()}T00:00:00Z"
    assert model_usage(usage)["requests"] == 10  # the refused request is not counted


def test_concurrent_requests_on_two_instances_admit_exactly_the_quota(setup):
    """Many requests at once, spread over both instances (and their workers): exactly the
    quota's number are served, every other one is `quota_exceeded`, and usage counts the
    served ones only."""
    keys, a, b, _ = setup
    _, key = keys.create("raced", quota="25/day")
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda i: call((a, b)[i % 2].base_url, key), range(80)))
    codes = [r.status_code for r in answers]
    assert codes.count(200) == 25 and codes.count(429) == 55
    assert {r.json()["error"] for r in answers if r.status_code == 429} == {"quota_exceeded"}
    usage = call(b.base_url, key, "/usage").json()
    assert usage["quota"]["used"] == 25 and model_usage(usage)["requests"] == 25


def test_a_batch_larger_than_what_remains_is_refused_whole(setup):
    keys, a, b, _ = setup
    _, key = keys.create("batches", quota="10/month")
    assert call(a.base_url, key, "/batch_predict", rows(4)).status_code == 200
    r = call(b.base_url, key, "/batch_predict", rows(7))
    assert r.status_code == 429 and r.json()["error"] == "quota_exceeded"
    assert r.headers["X-Quota-Remaining"] == "6"  # nothing of the 7 was consumed
    too_big = call(a.base_url, key, "/batch_predict", rows(11))
    assert too_big.status_code == 429 and too_big.json()["error"] == "cost_exceeds_limit"
    assert "Retry-After" not in too_big.headers
    assert call(b.base_url, key, "/batch_predict", rows(6)).status_code == 200
    assert call(a.base_url, key).json()["error"] == "quota_exceeded"
    quota = call(a.base_url, key, "/usage").json()["quota"]
    assert quota["period"] == "month" and quota["used"] == 10


def test_an_invalid_body_consumes_its_size_priced_units(setup):
    keys, a, _, _ = setup
    _, key = keys.create("junk", quota="100/day")
    junk = b" " * (3 * ROW_BYTES) + b"!"
    r = httpx.post(
        f"{a.base_url}/batch_predict",
        content=junk,
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )
    assert r.status_code == 400
    cost = math.ceil(len(junk) / ROW_BYTES)
    assert r.headers["X-Quota-Remaining"] == str(100 - cost)
    body = settled(a.base_url, key, 1)
    assert model_usage(body) == {"requests": 1, "units": cost, "ok": 0, "client_error": 1}
    assert body["quota"]["used"] == cost


def test_each_caller_reads_only_its_own_usage_and_an_admin_every_keys(setup):
    keys, a, b, _ = setup
    mine, my_key = keys.create("mine", ["models:read"])  # any scope reads its own usage
    other, other_key = keys.create("other")
    _, admin = keys.create("admin", ["admin"])
    assert call(a.base_url, other_key, "/batch_predict", rows(3)).status_code == 200
    body = call(b.base_url, my_key, "/usage").json()
    assert body["identity"] == f"key:{mine.id}" and model_usage(body)["requests"] == 0
    assert call(a.base_url, my_key, "/admin/usage").status_code == 403
    listed = call(a.base_url, admin, f"/admin/usage?key_id={other.id}").json()
    assert {r["identity"] for r in listed["rows"]} == {f"key:{other.id}"}
    assert sum(r["units"] for r in listed["rows"] if r["model"] == MODEL) == 3
    both = {f"key:{mine.id}", f"key:{other.id}"}
    deadline = time.monotonic() + 5  # a day's list of identities is written each second
    while not both <= {
        r["identity"] for r in call(b.base_url, admin, "/admin/usage").json()["rows"]
    }:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    bad = call(a.base_url, admin, "/admin/usage?from=2026-02-30")
    assert bad.status_code == 400 and bad.json()["error"] == "validation_error"


def test_the_cli_shows_a_keys_usage_as_a_table_and_as_json(setup, tmp_path):
    keys, a, _, env = setup
    record, key = keys.create("cli")
    assert call(a.base_url, key, "/batch_predict", rows(5)).status_code == 200
    settings = {k.removeprefix("SPECSERVE_").lower(): v for k, v in env.items()}
    cli_env = clean_env(tmp_path, **settings, keys_file=str(keys.path))
    cli_env.pop("PROMETHEUS_MULTIPROC_DIR")  # an operator's shell: no serving workers' metrics
    out = run([str(BIN / "specserve"), "keys", "usage", record.id, "--json"], cli_env)
    assert out.returncode == 0, out.stderr
    found = [r for r in json.loads(out.stdout) if r["model"] == MODEL]
    assert [(r["identity"], r["requests"], r["units"]) for r in found] == [
        (f"key:{record.id}", 1, 5)
    ]
    table = run([str(BIN / "specserve"), "keys", "usage", record.id], cli_env)
    lines = table.stdout.splitlines()
    assert lines[0].split()[:5] == ["IDENTITY", "DAY", "MODEL", "REQUESTS", "UNITS"]
    assert any(f"key:{record.id}" in line and MODEL in line for line in lines[1:])


@pytest.fixture
def pg_url(test_postgres):
    name = f"usage_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield with_schema(test_postgres, name)
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


def test_a_restart_keeps_usage_with_keys_in_postgresql(tmp_path, trained_model_dir, pg_url):
    from specserve.auth.pgstore import PostgresKeyStore

    store = PostgresKeyStore(pg_url, watch=False)
    record, key = store.create("durable", quota="1000/day")
    store.close()
    env = {
        "SPECSERVE_KEYS_URL": pg_url,
        "SPECSERVE_REDIS_URL": "",  # in-process counters: a restart loses them
        "SPECSERVE_USAGE_FLUSH_SECONDS": "1",
    }
    with LiveService(
        tmp_path, trained_model_dir, tmp_path / "none.json", workers=1, env=env
    ) as svc:
        for n in (1, 4, 9):
            assert call(svc.base_url, key, "/batch_predict", rows(n)).status_code == 200
        before = model_usage(settled(svc.base_url, key, 3))
    with LiveService(
        tmp_path, trained_model_dir, tmp_path / "none.json", workers=1, env=env
    ) as svc:
        after = call(svc.base_url, key, "/usage").json()
    assert before == {"requests": 3, "units": 14, "ok": 3, "client_error": 0}
    assert model_usage(after) == before


def test_a_v2_infer_counts_its_batch_dimension(setup):
    keys, a, _, _ = setup
    record, key = keys.create("v2", quota="100/day")
    body = {"inputs": [{"name": "input", "datatype": "FP32", "shape": [4, 3], "data": [1.0] * 12}]}
    v2 = a.base_url.removesuffix("/v1") + "/v2"
    r = httpx.post(f"{v2}/models/{MODEL}/infer", json=body, headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    assert r.headers["X-Quota-Remaining"] == "96"
    usage = settled(a.base_url, key, 1)
    assert model_usage(usage) == {"requests": 1, "units": 4, "ok": 1, "client_error": 0}


def test_the_postgresql_copy_outlives_a_redis_outage_and_its_stop_never_raises(pg_url, caplog):
    """The live counters cannot be read (Redis out of reach): each worker's copy to
    PostgreSQL says so once and keeps trying, and stopping it (at shutdown) logs the lost
    last copy instead of raising, so the rest of the shutdown runs."""
    from specserve.auth.pgschema import create_schema
    from specserve.ratelimit.durable import DurableUsage
    from specserve.ratelimit.redis_client import client_for
    from specserve.ratelimit.usage import UsageStore

    with psycopg.connect(pg_url) as conn:
        create_schema(conn)  # the keys' schema, with the usage table
    live = UsageStore(client_for("redis://127.0.0.1:1/0", 0.25, retries=0), "down", 1)

    async def run():
        copy = DurableUsage(pg_url, live, 0.05, 30)
        copy.start()
        await asyncio.sleep(0.5)
        running = not copy._task.done()
        await copy.stop()
        return running

    with caplog.at_level(logging.WARNING, "specserve.usage"):
        assert asyncio.run(run()) is True
    said = [r.getMessage() for r in caplog.records if r.name == "specserve.usage"]
    assert sum("usage not copied to PostgreSQL" in m for m in said) == 1
    assert any("last usage copy to PostgreSQL failed" in m for m in said)


@pytest.mark.parametrize(
    ("settings", "args", "status", "says"),
    [
        ({"redis_url": "redis://127.0.0.1:1/0"}, ["--since", "2099-01-01"], 2, "after today"),
        ({"redis_url": "redis://127.0.0.1:1/0"}, [], 1, "Redis is out of reach"),
        ({"redis_url": ""}, [], 2, "counted in the serving process"),
        ({"redis_url": ""}, ["--identity", "user-1"], 2, "key:<key id> or sub:"),
    ],
)
def test_the_cli_says_in_one_line_why_it_cannot_show_usage(tmp_path, settings, args, status, says):
    env = clean_env(tmp_path, **settings)
    env.pop("PROMETHEUS_MULTIPROC_DIR")
    out = run([str(BIN / "specserve"), "keys", "usage", *args], env)
    assert out.returncode == status, out.stderr
    assert says in out.stderr.strip().splitlines()[-1] and "Traceback" not in out.stderr
    assert out.stdout == ""  # no empty table


def test_the_cli_reads_one_subjects_usage(setup, tmp_path):
    _, a, _, env = setup
    settings = {k.removeprefix("SPECSERVE_").lower(): v for k, v in env.items()}
    cli_env = clean_env(tmp_path, **settings)
    cli_env.pop("PROMETHEUS_MULTIPROC_DIR")
    args = ["keys", "usage", "--identity", "sub:nobody-yet", "--json"]
    out = run([str(BIN / "specserve"), *args], cli_env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_quotas_without_redis_are_said_to_be_per_process_at_start_up(pg_url, caplog):
    """Keys (and usage's copy) in PostgreSQL do not share the quota counters: without Redis
    a serving worker says so once at start-up; with Redis, or with rate limiting off (no
    quota is enforced then), nothing."""
    from specserve.config import Settings
    from specserve.ratelimit.durable import reader_for
    from specserve.ratelimit.limiter import RateLimiter

    def said(**values) -> list[str]:
        caplog.clear()
        settings = Settings(keys_url=pg_url, quota_tiers="free=10/day", **values)
        with caplog.at_level(logging.WARNING, "specserve.usage"):
            reader_for(settings, RateLimiter(settings))
        return [r.getMessage() for r in caplog.records if "quotas are counted" in r.getMessage()]

    assert len(said(redis_url=None)) == 1
    assert said(redis_url="redis://127.0.0.1:6379/0") == []
    assert said(redis_url=None, rate_limit_enabled=False) == []


def test_a_limited_read_of_the_postgresql_copy_answers_the_first_rows(pg_url):
    """The stored rows are cut at the limit in SQL, and the merge with the live counters
    still answers the first rows of the whole."""
    from specserve.auth.pgschema import create_schema
    from specserve.ratelimit.durable import DurableUsage, today
    from specserve.ratelimit.usage import UsageRow, UsageStore

    with psycopg.connect(pg_url) as conn:
        create_schema(conn)  # the keys' schema, with the usage table
    day = today()
    stored = [UsageRow(f"key:{i:012x}", "m", day, 1, 1, 1, 0, 0) for i in range(0, 20, 2)]
    copy = DurableUsage(pg_url, UsageStore(None, "limited", 30), 60, 30)
    copy._write(stored, day - timedelta(days=30))
    live = copy.usage
    for i in range(1, 20, 2):
        live.local_charge(f"key:{i:012x}", "m", 1, None, time.time())

    async def run():
        return await copy.read(None, day, day), await copy.read(None, day, day, 5)

    every, first = asyncio.run(run())
    assert len(every) == 20 and first == every[:5]
    assert [r.identity for r in first] == [f"key:{i:012x}" for i in range(5)]
