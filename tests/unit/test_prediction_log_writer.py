"""The prediction log's writer against a real file sink whose directory comes and goes: a
batch that spans a rotation is never written twice, a record no sink can store is dropped
and counted instead of blocking the log, shutdown writes what it can (a recent back-off
aside) and counts the rest; the buffer's bound in bytes; file names from one clock reading;
replay streams the log."""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from pathlib import Path

import orjson

from specserve.config import Settings
from specserve.observability import metrics
from specserve.predlog import BUFFER_BYTES, PredictionLog, estimate
from specserve.predlog.filesink import PATTERN, FileSink, file_name
from specserve.predlog.reader import file_records
from specserve.predlog.writer import Writer

LINE = 1000  # bytes a record's line takes


def record(i: int, size: int = LINE) -> dict:
    base = {"time": f"2026-01-01T00:00:00.{i:06d}Z", "i": i, "inputs": {"p": ""}, "outputs": {}}
    pad = size - len(orjson.dumps(base)) - 1
    return {**base, "inputs": {"p": "x" * pad}}


def writer_for(directory: Path, **settings) -> tuple[PredictionLog, Writer]:
    log = PredictionLog(Settings(prediction_log=f"file:{directory}", **settings))
    writer = Writer(log, FileSink(directory, max_bytes=64 * 1000, files=10))
    log.writer = writer
    return log, writer


def dropped(reason: str) -> float:
    return metrics.PREDICTION_LOG_DROPPED.labels(reason)._value.get()


def ids(*directories: Path) -> list[int]:
    return sorted(r["i"] for d in directories for r in file_records(d))


def test_a_batch_that_spans_a_rotation_is_written_once(tmp_path):
    logs, kept = tmp_path / "log", tmp_path / "kept"
    logs.mkdir()
    kept.mkdir()
    log, writer = writer_for(logs)
    log.submit([record(i) for i in range(40)])
    assert writer.flush()
    (first,) = logs.iterdir()
    os.link(first, kept / first.name)  # its lines stay readable after the directory goes
    shutil.rmtree(logs)  # the next file cannot be created: the batch fails after one chunk
    too_large = dropped("too_large")
    batch = [record(i) for i in range(40, 80)]
    batch.insert(5, record(999, size=70_000))  # larger than a file: counted once, never again
    log.submit(batch)
    assert not writer.flush()
    assert 0 < writer.written - 40 < 40  # the first chunk went into the first file
    logs.mkdir()
    writer._retry_at = 0.0  # as after the back-off
    assert writer.flush()
    assert ids(kept, logs) == list(range(80))  # every record once, none twice
    assert writer.written == 80 and writer.sink.too_large == 1
    assert dropped("too_large") - too_large == 1


def test_a_record_the_sink_cannot_store_is_dropped_and_the_log_goes_on(tmp_path):
    log, writer = writer_for(tmp_path)
    rejected = dropped("rejected")
    log.submit([{"i": -1, "inputs": {"a": object()}, "outputs": {}}])  # not serialisable
    for _ in range(3):
        writer.flush()
        writer._retry_at = 0.0
    log.submit([record(i) for i in range(5)])
    assert writer.flush()
    assert ids(tmp_path) == list(range(5))
    assert dropped("rejected") - rejected == 1 and writer.dropped["rejected"] == 1
    assert "1 dropped" in log.health_check()["detail"]


def test_shutdown_writes_what_is_buffered_even_during_a_back_off(tmp_path):
    logs = tmp_path / "log"
    log, writer = writer_for(logs)
    writer.sink.open()
    log.submit([record(i) for i in range(10)])
    shutil.rmtree(logs)
    assert not writer.flush()  # the sink is down: a back-off begins
    logs.mkdir()  # and it is back, but the back-off has not ended when shutdown comes
    writer._retry_at = time.monotonic() + 60
    writer.start()
    writer.stop()
    assert ids(logs) == list(range(10))
    assert writer.sink.fd is None  # closed by the writer thread, once its writes were done


def test_what_shutdown_cannot_write_is_counted_and_said(tmp_path, caplog):
    logs = tmp_path / "log"
    log, writer = writer_for(logs)
    writer.start()
    time.sleep(0.1)  # the thread has opened the sink
    shutil.rmtree(logs)
    log.submit([record(i) for i in range(7)])
    before = dropped("shutdown")
    writer.stop()
    assert dropped("shutdown") - before == 7 and writer.dropped["shutdown"] == 7
    assert "7 records not written at shutdown" in caplog.text
    assert not log.buffer and not writer.pending


def test_wide_rows_are_bounded_in_bytes_not_only_in_records():
    log = PredictionLog(Settings(prediction_log="file", prediction_log_buffer=10_000))
    wide = {"time": "t", "inputs": {f"f{i}": float(i) for i in range(1000)}, "outputs": {}}
    wide["outputs"] = {"prediction": 1.0, "probability": 0.5}
    tracemalloc.start()
    one = [dict(wide, inputs=dict(wide["inputs"]))]
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert estimate(wide) >= size  # the estimate does not undercount a real record
    for _ in range(10_000):
        log.submit(one)
    assert log.buffered_bytes <= BUFFER_BYTES
    assert 0 < len(log.buffer) < 10_000 and log.full == 10_000 - len(log.buffer)
    taken = log.take(len(log.buffer))
    assert log.buffered_bytes == 0 and len(taken) + log.full == 10_000


def test_file_names_sort_by_time_to_the_microsecond():
    times = [1_700_000_000.9999997, 1_700_000_001.0, 1_700_000_001.0000005, 1_700_000_001.5]
    names = [file_name(t, 42) for t in times]
    assert all(PATTERN.match(n) for n in names)
    assert names[0] == "predictions-20231114T221320.999999Z-42.jsonl"  # never .1000000
    assert sorted(names) == names


def test_replay_streams_a_file_log(tmp_path, trained_model_dir):
    """Without --limit the log is never held whole: memory stays below the log's size."""
    from specserve.predlog.reader import read
    from specserve.predlog.replay import replay
    from specserve.predlog.sinks import Target
    from specserve.serving.artifacts import Limits
    from specserve.serving.registry import Registry

    registry = Registry(
        trained_model_dir, "fraud-detector", False, 0, Limits.from_settings(Settings())
    )
    registry.load()
    model = registry.ready_model(None)
    sink = FileSink(tmp_path, max_bytes=2 * 1024 * 1024, files=100)
    n = 30_000
    for start in range(0, n, 1000):
        sink.write(
            [
                {
                    "time": f"2026-01-01T00:00:00.{i:06d}Z",
                    "model": "fraud-detector",
                    "version": "1.0.0",
                    "inputs": {
                        "transaction_amount": float(i % 500),
                        "transaction_count": i % 7,
                        "risk_score": (i % 10) / 10,
                    },
                    "outputs": {"prediction": float(i % 2)},
                }
                for i in range(start, start + 1000)
            ]
        )
    sink.close()
    on_disk = sum(p.stat().st_size for p in tmp_path.iterdir())
    tracemalloc.start()
    outcome = replay(model, read(Target("file", directory=tmp_path), "fraud-detector"), 1e-6)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert outcome.read == outcome.rows == n
    assert peak < on_disk, (peak, on_disk)
