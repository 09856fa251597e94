"""API keys in PostgreSQL: shared by every instance, changes seen within a second, and the
database going away (through a relay a test can cut) leaves known keys working."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest

from specserve.auth.pgstore import PostgresKeyStore
from specserve.auth.records import KeyStoreUnavailable
from tests.live import LiveService
from tests.tcpproxy import TcpProxy

SEED = {"features": [1500.50, 2, 0.75]}


def with_schema(url: str, schema: str, port: int | None = None) -> str:
    """`url` with its tables in `schema` (and through 127.0.0.1:`port` if given)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if port is not None:
        netloc = netloc.rpartition("@")[0] + ("@" if "@" in netloc else "") + f"127.0.0.1:{port}"
    query = "&".join(filter(None, [parts.query, f"options=-csearch_path%3D{schema}"]))
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


@pytest.fixture
def schema(test_postgres):
    """A schema of this test's own (runs and tests never share tables)."""
    name = f"keys_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield name
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def url(test_postgres, schema):
    return with_schema(test_postgres, schema)


@pytest.fixture
def proxy(test_postgres):
    port = int(psycopg.conninfo.conninfo_to_dict(test_postgres).get("port") or 5432)
    with TcpProxy(port) as relay:
        yield relay


def until(check, within: float) -> float:
    """Seconds until `check()` holds; fails past `within`."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < within, f"not within {within}s"
        time.sleep(0.01)
    return time.monotonic() - start


def cli(url, *args, check=True):
    env = {**os.environ, "SPECSERVE_KEYS_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "specserve.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=60,
    )


def test_schema_is_created_once_and_start_ups_may_race(url, test_postgres, schema):
    stores = [PostgresKeyStore(url) for _ in range(3)]
    try:
        assert all(s.healthy()[0] for s in stores)
        with psycopg.connect(test_postgres) as conn:
            tables = conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            ).fetchall()
        assert sorted(t for (t,) in tables) == [
            "specserve_api_keys",
            "specserve_api_keys_version",
            "specserve_usage_daily",  # each key's usage, copied from the counters
        ]
    finally:
        for s in stores:
            s.close()


def test_create_revoke_rotate_reach_another_instance_within_a_second(url):
    writer, reader = PostgresKeyStore(url, watch=False), PostgresKeyStore(url)
    try:
        record, key = writer.create("alice", models=["churn"])
        assert writer.authenticate(key) is not None  # the writer at once
        until(lambda: reader.authenticate(key) is not None, 1.0)
        assert reader.get(record.id).models == ["churn"]
        _, new = writer.rotate(record.id, timedelta(0))
        until(lambda: reader.authenticate(key) is None and reader.authenticate(new), 1.0)
        assert reader.match(new)[1] == 1
        writer.revoke(record.id)
        until(lambda: reader.authenticate(new) is None, 1.0)
        assert [r.id for r in writer.records()] == [record.id]
        assert writer.records()[0].revoked
    finally:
        writer.close()
        reader.close()


def _create_many(url, barrier, out):
    store = PostgresKeyStore(url, watch=False)
    barrier.wait()
    out.put([store.create(f"p{os.getpid()}-{i}")[1] for i in range(10)])
    store.close()


def test_parallel_writers_lose_nothing(url):
    PostgresKeyStore(url, watch=False).close()  # the schema
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(3), ctx.Queue()
    procs = [ctx.Process(target=_create_many, args=(url, barrier, out)) for _ in range(3)]
    for proc in procs:
        proc.start()
    keys = [key for _ in procs for key in out.get(timeout=60)]
    for proc in procs:
        proc.join(30)
    reader = PostgresKeyStore(url)
    try:
        assert len(keys) == 30 and all(reader.authenticate(k) for k in keys)
    finally:
        reader.close()


def test_database_down_known_keys_work_writes_fail_health_says_so(
    test_postgres, schema, url, proxy
):
    relayed = with_schema(test_postgres, schema, proxy.port)
    direct = PostgresKeyStore(url, watch=False)
    store = PostgresKeyStore(relayed)
    try:
        _, key = direct.create("known")
        until(lambda: store.authenticate(key) is not None, 1.0)
        proxy.stop()
        until(lambda: not store.healthy()[0], 5.0)
        ok, detail = store.healthy()
        assert "unreachable" in detail and "1 keys known" in detail
        assert store.authenticate(key) is not None
        with pytest.raises(KeyStoreUnavailable, match="unreachable"):
            store.create("nope")
        out = cli(relayed, "keys", "create", "--name", "nope", check=False)
        assert out.returncode == 1 and out.stdout == ""
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert out.stderr.startswith("error: the PostgreSQL key store at postgresql://")
        _, later = direct.create("made-while-down")
        proxy.start()
        until(lambda: store.healthy()[0] and store.authenticate(later) is not None, 10.0)
    finally:
        store.close()
        direct.close()


def call(svc, key):
    return httpx.post(f"{svc.base_url}/predict", json=SEED, headers={"X-API-Key": key}, timeout=10)


def health(svc):
    return httpx.get(f"{svc.base_url}/health", timeout=10).json()


def test_live_service_on_postgres(tmp_path, trained_model_dir, test_postgres, schema, proxy):
    relayed = with_schema(test_postgres, schema, proxy.port)
    env = {"SPECSERVE_KEYS_URL": relayed}
    with LiveService(tmp_path, trained_model_dir, tmp_path / "unused.json", env=env) as svc:
        key = cli(relayed, "keys", "create", "--name", "live", "--quiet").stdout.strip()
        until(lambda: call(svc, key).status_code == 200, 1.0)
        assert all(call(svc, key).status_code == 200 for _ in range(4))  # every worker
        assert health(svc)["checks"]["key_store"]["status"] == "pass"
        doomed = cli(relayed, "keys", "create", "--name", "doomed", "--quiet").stdout.strip()
        until(lambda: call(svc, doomed).status_code == 200, 1.0)
        cli(relayed, "keys", "revoke", doomed.split("_")[1])
        until(lambda: call(svc, doomed).status_code == 401, 1.0)
        assert all(call(svc, doomed).status_code == 401 for _ in range(4))
        proxy.stop()
        until(lambda: health(svc)["status"] == "degraded", 5.0)
        assert health(svc)["checks"]["key_store"]["status"] == "fail"
        assert all(call(svc, key).status_code == 200 for _ in range(6))
        assert all(call(svc, doomed).status_code == 401 for _ in range(6))


def test_a_lost_notification_is_caught_up_within_a_second(url, test_postgres, schema):
    writer, reader = PostgresKeyStore(url, watch=False), PostgresKeyStore(url)
    try:
        record, key = writer.create("quiet")
        until(lambda: reader.authenticate(key) is not None, 1.0)
        with psycopg.connect(url) as conn, conn.transaction():  # a revocation, no NOTIFY
            conn.execute("UPDATE specserve_api_keys_version SET version = version + 1")
            conn.execute(
                "UPDATE specserve_api_keys SET revoked = now(), version = "
                "(SELECT version FROM specserve_api_keys_version) WHERE id = %s",
                (record.id,),
            )
        until(lambda: reader.authenticate(key) is None, 1.0)
    finally:
        writer.close()
        reader.close()
