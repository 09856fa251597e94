"""The prediction log under gunicorn: a worker killed mid-write leaves only whole lines; the
PostgreSQL sink fills its table, and with the database cut off (a relay the test cuts, the
server itself keeps running) requests keep succeeding at their usual speed while drops are
counted in `/metrics` and `/health`, then writing resumes; replay agrees with what the
service answered, and reports a candidate version's disagreement as a failed gate."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import orjson
import psycopg
import pytest

from specserve.auth.filestore import FileKeyStore
from tests.integration.test_keystore_postgres import with_schema
from tests.live import LiveService
from tests.tcpproxy import TcpProxy

ROUTES = ("/predict", "/models/fraud-detector/predict")


def rows(n: int, seed: int = 1) -> list[list[float]]:
    rng = random.Random(seed)
    return [
        [round(rng.lognormvariate(5, 1.2), 2), rng.randint(0, 6), round(rng.random(), 3)]
        for _ in range(n)
    ]


def replay(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "specserve.cli", "predictions", "replay", "fraud-detector", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def lines_of(directory: Path) -> list[bytes]:
    return [line for p in sorted(directory.glob("*.jsonl")) for line in p.read_bytes().splitlines()]


def until(check, within: float) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, f"not within {within}s"
        time.sleep(0.05)


@pytest.fixture
def key(tmp_path) -> tuple[Path, str]:
    store = FileKeyStore(tmp_path / "keys.json")
    return store.path, store.create("tests")[1]


def test_replay_agrees_with_what_the_service_answered(tmp_path, trained_model_dir, key):
    keys_file, api_key = key
    log_dir = tmp_path / "predictions"
    env = {"SPECSERVE_PREDICTION_LOG": f"file:{log_dir}"}
    answered = []
    with (
        LiveService(tmp_path, trained_model_dir, keys_file, env=env) as svc,
        httpx.Client(base_url=svc.base_url, headers={"X-API-Key": api_key}) as c,
    ):
        for i, features in enumerate(rows(200)):
            r = c.post(ROUTES[i % 2], json={"features": features})
            assert r.status_code == 200
            answered.append(r.json())
        batch = [{"features": f} for f in rows(50, seed=2)]
        assert c.post("/batch_predict", json={"requests": batch}).status_code == 200
    records = [orjson.loads(line) for line in lines_of(log_dir)]  # stopped: all written
    assert len(records) == 250
    by_id = {r["request_id"]: r for r in records}
    for a in answered:
        assert by_id[a["request_id"]]["outputs"]["prediction"] == a["prediction"]

    same = replay(
        "--version",
        "1.0.0",
        "--from",
        f"file:{log_dir}",
        "--model-dir",
        str(trained_model_dir),
        "--max-disagreement",
        "0",
    )
    assert same.returncode == 0, same.stderr
    assert "1.0.0           1.0.0            250       250         0  0.00%" in same.stdout

    candidate = tmp_path / "candidate"
    shutil.copytree(trained_model_dir, candidate)
    from scripts.train_default_model import train

    train(candidate, "2.0.0", seed=7)
    other = replay(
        "--version",
        "2.0.0",
        "--from",
        f"file:{log_dir}",
        "--model-dir",
        str(candidate),
        "--max-disagreement",
        "0",
        "--json",
    )
    assert other.returncode == 1, other.stderr
    report = orjson.loads(other.stdout)
    assert report["rescored"] == 250 and 0 < report["disagree"] < 250
    assert "above --max-disagreement" in other.stderr
    loose = replay(
        "--version",
        "2.0.0",
        "--from",
        f"file:{log_dir}",
        "--model-dir",
        str(candidate),
        "--max-disagreement",
        "0.5",
    )
    assert loose.returncode == 0, loose.stderr


def test_a_worker_killed_while_writing_leaves_only_whole_lines(tmp_path, trained_model_dir, key):
    keys_file, api_key = key
    log_dir = tmp_path / "predictions"
    env = {
        "SPECSERVE_PREDICTION_LOG": f"file:{log_dir}",
        "SPECSERVE_PREDICTION_LOG_MAX_BYTES": str(256 * 1024),
        "SPECSERVE_PREDICTION_LOG_FILES": "200",
    }
    batch = {"requests": [{"features": f} for f in rows(100)]}  # ~30 KB of lines a request
    stop = threading.Event()
    failures: list[int] = []

    def load(url: str) -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": api_key}, timeout=30) as c:
            while not stop.is_set():
                try:
                    r = c.post("/batch_predict", json=batch)
                    if r.status_code != 200:
                        failures.append(r.status_code)
                except httpx.HTTPError:
                    pass  # the killed worker's connections

    with LiveService(tmp_path, trained_model_dir, keys_file, env=env) as svc:
        threads = [threading.Thread(target=load, args=(svc.base_url,)) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            until(lambda: len(list(log_dir.glob("*.jsonl"))) >= 2, 30)
            for _ in range(2):  # twice, while both workers write
                time.sleep(0.7)
                victim = svc.worker_pids()[0]
                os.kill(victim, signal.SIGKILL)
                until(
                    lambda v=victim: v not in svc.worker_pids() and len(svc.worker_pids()) == 2, 30
                )
            time.sleep(1.0)
        finally:
            stop.set()
            for t in threads:
                t.join()
    assert not failures, failures[:5]
    files = sorted(log_dir.glob("*.jsonl"))
    assert len(files) >= 3
    for path in files:
        data = path.read_bytes()
        assert not data or data.endswith(b"\n"), f"{path.name} ends mid-line"
        for line in data.splitlines():
            assert orjson.loads(line)["model"] == "fraud-detector"
        assert len(data) <= 256 * 1024


@pytest.fixture
def schema(test_postgres):
    name = f"predlog_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield name
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


def logged(url: str) -> int:
    with psycopg.connect(url) as conn:
        exists = conn.execute("SELECT to_regclass('prediction_log')").fetchone()[0]
        if exists is None:
            return 0
        return conn.execute("SELECT count(*) FROM prediction_log").fetchone()[0]


def dropped(metrics: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("specserve_prediction_log_dropped_total{")
    )


def test_postgresql_sink_survives_the_database_going_away(
    tmp_path, trained_model_dir, key, test_postgres, schema
):
    keys_file, api_key = key
    port = int(psycopg.conninfo.conninfo_to_dict(test_postgres).get("port") or 5432)
    direct = with_schema(test_postgres, schema)
    proxy = TcpProxy(port).start()
    env = {
        "SPECSERVE_PREDICTION_LOG": with_schema(test_postgres, schema, proxy.port),
        "SPECSERVE_PREDICTION_LOG_BUFFER": "100",
    }
    try:
        with LiveService(tmp_path, trained_model_dir, keys_file, env=env, workers=1) as svc:
            c = httpx.Client(base_url=svc.base_url, headers={"X-API-Key": api_key}, timeout=10)

            def predict_all(features_rows) -> list[float]:
                took = []
                for features in features_rows:
                    start = time.perf_counter()
                    r = c.post("/predict", json={"features": features})
                    took.append(time.perf_counter() - start)
                    assert r.status_code == 200, r.text
                return took

            for half in range(2):  # never more than the buffer at once: none dropped
                predict_all(rows(50, seed=10 + half))
                until(lambda n=50 * (half + 1): logged(direct) == n, 15)
            with psycopg.connect(direct) as conn:
                row = conn.execute(
                    "SELECT key_id, route, version, inputs, outputs FROM prediction_log LIMIT 1"
                ).fetchone()
            assert row[0] == api_key.split("_")[1] and row[1] == "/v1/predict"
            assert set(row[3]) == {"transaction_amount", "transaction_count", "risk_score"}
            assert "prediction" in row[4]
            before = predict_all(rows(100, seed=3))

            proxy.stop()  # the database is out of reach
            during = predict_all(rows(400, seed=4))
            assert sorted(during)[-5] < max(0.25, 5 * sorted(before)[-5]), during
            # 100 in the buffer, 100 in the writer's kept batch: the rest were dropped
            # (counted by the writer within a tick)
            until(lambda: dropped(c.get("/metrics").text) >= 400 - 2 * 100, 5)
            health = c.get("/health").json()
            assert health["status"] == "degraded"
            check = health["checks"]["prediction_log"]
            assert check["status"] == "warn" and "cannot write" in check["detail"]
            assert schema not in check["detail"] and "127.0.0.1" not in check["detail"]

            proxy.start()  # back
            count = logged(direct)
            predict_all(rows(20, seed=5))
            until(lambda: logged(direct) >= count + 20, 20)
            until(
                lambda: (
                    "cannot write"
                    not in c.get("/health").json()["checks"]["prediction_log"]["detail"]
                ),
                10,
            )
            c.close()
    finally:
        proxy.stop()

    again = replay(
        "--version",
        "1.0.0",
        "--from",
        direct,
        "--model-dir",
        str(trained_model_dir),
        "--max-disagreement",
        "0",
        "--since",
        "1h",
    )
    assert again.returncode == 0, again.stderr
    assert "disagree" in again.stdout and " 0.00%" in again.stdout
