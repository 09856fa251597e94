"""The PostgreSQL sink and reader against the real server: the table is created, retention
deletes old rows (not recent ones), and the reader filters by model and time, keeps the most
recent `limit` rows and returns them oldest first, as the file reader does."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from specserve.predlog import reader
from specserve.predlog.filesink import FileSink
from specserve.predlog.pgsink import PostgresSink
from specserve.predlog.sinks import Target
from tests.integration.test_keystore_postgres import with_schema


@pytest.fixture
def url(test_postgres):
    """A schema of this test's own: the table is created in it, and dropped with it."""
    name = f"predlog_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield with_schema(test_postgres, name)
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


def record(i: int, days_ago: float, model: str = "m") -> dict:
    when = datetime.now(UTC) - timedelta(days=days_ago, seconds=i)
    return {
        "time": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "request_id": f"r{i}",
        "trace_id": None,
        "key_id": "abc",
        "route": "/v1/predict",
        "model": model,
        "version": "1",
        "inputs": {"a": i, "b": "x"},
        "outputs": {"prediction": float(i % 2)},
        "latency_ms": 0.5,
        **({"shadow": {"version": "2", "outputs": {"prediction": 1.0}}} if i == 3 else {}),
    }


def count(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM prediction_log").fetchone()[0]


def test_rows_land_old_ones_expire_and_read_back_in_order(url, tmp_path):
    sink = PostgresSink(url, retention_days=7)
    recent = [record(i, days_ago=0.5) for i in range(10)] + [record(50, 0.1, model="other")]
    sink.write(recent)  # creates the table; its retention pass finds nothing old
    old = [record(i, days_ago=10) for i in range(100, 105)]
    sink.write(old)
    assert count(url) == 16  # retention runs at most once an hour
    sink._pruned = time.monotonic() - 3601  # as an hour later
    sink.write([])
    sink.close()
    with psycopg.connect(url) as conn:
        ids = {r[0] for r in conn.execute("SELECT request_id FROM prediction_log").fetchall()}
    assert ids == {f"r{i}" for i in range(10)} | {"r50"}

    target = Target("postgresql", url=url)
    everything = list(reader.read(target, "m"))  # streamed, oldest first
    assert [r["request_id"] for r in everything] == [f"r{i}" for i in reversed(range(10))]
    assert everything[-1]["inputs"] == {"a": 0, "b": "x"}
    assert everything[6]["shadow"]["version"] == "2" and "shadow" not in everything[0]
    latest = reader.read(target, "m", limit=3)
    assert [r["request_id"] for r in latest] == ["r2", "r1", "r0"]
    since = (datetime.now(UTC) - timedelta(days=0.5, seconds=4.5)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert [r["request_id"] for r in list(reader.read(target, "m", since=since))] == [
        "r4",
        "r3",
        "r2",
        "r1",
        "r0",
    ]

    files = FileSink(tmp_path, 1024 * 1024, 5)  # the same rows, the same answers from files
    files.write(recent)
    files.close()
    as_file = Target("file", directory=tmp_path)
    for kwargs in ({}, {"limit": 3}, {"since": since}):
        from_files = sorted(reader.read(as_file, "m", **kwargs), key=lambda r: r["time"])
        assert from_files == list(reader.read(target, "m", **kwargs))


def test_a_nul_in_a_string_input_is_stored_and_a_refused_batch_never_blocks_the_log(url):
    """PostgreSQL refuses U+0000 in jsonb and text: the sink stores it as U+FFFD. A batch the
    database refuses for its data (here a time that is none) is dropped and counted once,
    and the records after it are written: the log is never stuck on it."""
    from specserve.config import Settings
    from specserve.observability import metrics
    from specserve.predlog import PredictionLog
    from specserve.predlog.writer import Writer

    log = PredictionLog(Settings(prediction_log=url))
    writer = Writer(log, PostgresSink(url, retention_days=7))
    rejected = metrics.PREDICTION_LOG_DROPPED.labels("rejected")._value.get()
    nul = record(1, 0.1)
    nul["inputs"] = {"note": "a\u0000b", "path": "c:\\u0000d"}  # a NUL, and a literal \u0000
    log.submit([nul])
    assert writer.flush()
    bad = record(2, 0.1)
    bad["time"] = "not a time"
    log.submit([bad])
    assert not writer.flush()  # refused: dropped at once, counted
    log.submit([record(3, 0.1)])
    assert writer.flush()
    writer.sink.close()
    rows = list(reader.read(Target("postgresql", url=url), "m"))
    assert [r["request_id"] for r in rows] == ["r3", "r1"]
    assert rows[1]["inputs"] == {"note": "a\ufffdb", "path": "c:\\u0000d"}
    assert metrics.PREDICTION_LOG_DROPPED.labels("rejected")._value.get() - rejected == 1
    assert writer.written == 2 and writer.dropped["rejected"] == 1


def test_a_failed_retention_writes_no_row_twice_and_is_tried_again(url):
    sink = PostgresSink(url, retention_days=7)
    sink.write([record(1, 0.1)])  # the table exists
    with psycopg.connect(url, autocommit=True) as conn:  # a DELETE that fails, as a lock would
        conn.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'no deletes now'; END $$"
        )
        conn.execute(
            "CREATE TRIGGER refuse BEFORE DELETE ON prediction_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse()"
        )
    sink._pruned = time.monotonic() - 3601  # retention is due
    sink.write([record(2, 10)])  # committed; the deletion fails and is not raised
    assert count(url) == 2
    assert sink._pruned < time.monotonic() - 3600  # still due
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TRIGGER refuse ON prediction_log")
    sink.write([record(3, 0.1)])
    sink.close()
    with psycopg.connect(url) as conn:
        ids = sorted(r[0] for r in conn.execute("SELECT request_id FROM prediction_log"))
    assert ids == ["r1", "r3"]  # each row once; the old one deleted at the next write
