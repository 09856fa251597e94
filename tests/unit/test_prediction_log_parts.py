"""The prediction log's parts, without a service: sampling, the bounded buffer and its count
of drops, the file sink's whole lines, rotation and disk bound, the trim of a dead worker's
fragment, the settings that refuse a bad sink without echoing it."""

from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

import orjson
import pytest

from specserve.config import Settings, load_settings
from specserve.predlog import PredictionLog
from specserve.predlog.filesink import FileSink, trim_orphans
from specserve.predlog.reader import file_records
from specserve.serving.caller import Caller
from specserve.serving.registry import Registry

CALLER = Caller("key:abc", "abc", "0" * 32, "/v1/predict")


@pytest.fixture(scope="module")
def model(trained_model_dir):
    from specserve.serving.artifacts import Limits

    settings = Settings()
    registry = Registry(
        trained_model_dir, "fraud-detector", False, 0, Limits.from_settings(settings)
    )
    registry.load()
    return registry.ready_model(None)


def answer(i: int) -> dict:
    return {"prediction": 1.0, "probability": 0.5, "model_version": "1.0.0", "request_id": f"r{i}"}


def test_half_the_requests_are_logged_within_binomial_bounds(model, tmp_path):
    log = PredictionLog(Settings(prediction_log="file", prediction_log_sample=0.5))
    n = 2000
    logged = sum(
        log.records(model, CALLER, f"r{i}", [[1.0, 2, 0.5]], [answer(i)], 0.1) is not None
        for i in range(n)
    )
    bound = 5 * math.sqrt(n * 0.25)  # 5 sigma: a false failure once in millions of runs
    assert abs(logged - n / 2) < bound, logged


def test_nothing_is_built_when_off_or_never_sampled(model):
    for settings in (Settings(), Settings(prediction_log="file", prediction_log_sample=0)):
        log = PredictionLog(settings)
        assert all(
            log.records(model, CALLER, "r", [[1.0, 2, 0.5]], [answer(0)], 0.1) is None
            for _ in range(200)
        )


def test_a_record_names_its_inputs_and_redacts_the_ones_asked(model):
    log = PredictionLog(Settings(prediction_log="file", prediction_log_redact=" risk_score "))
    (record,) = log.records(model, CALLER, "r", [[1500.5, 2, 0.75]], [answer(7)], 0.123456)
    assert record["inputs"] == {
        "transaction_amount": 1500.5,
        "transaction_count": 2,
        "risk_score": "[redacted]",
    }
    assert record["request_id"] == "r7" and record["key_id"] == "abc"
    assert record["outputs"] == {"prediction": 1.0, "probability": 0.5}
    assert record["latency_ms"] == 0.1235


def test_a_full_buffer_drops_and_counts_never_blocks(model):
    log = PredictionLog(Settings(prediction_log="file", prediction_log_buffer=10))
    rows = log.records(model, CALLER, "r", [[1.0, 2, 0.5]] * 4, [answer(i) for i in range(4)], 1)
    for _ in range(5):
        log.submit(rows)
    assert len(log.buffer) == 8  # two batches of 4 fit in 10; the rest are counted
    assert log.full == 12


def test_the_writer_reports_drops_and_health_says_so(model, tmp_path):
    from specserve.observability import metrics

    log = PredictionLog(Settings(prediction_log=f"file:{tmp_path}", prediction_log_buffer=4))
    log.start()
    try:
        before = metrics.PREDICTION_LOG_DROPPED.labels("buffer_full")._value.get()
        records = log.records(model, CALLER, "r", [[1.0, 2, 0.5]] * 3, [answer(0)] * 3, 1)
        log.submit(records)
        log.submit(records)  # past the buffer: dropped
        log.writer.flush()
        after = metrics.PREDICTION_LOG_DROPPED.labels("buffer_full")._value.get()
        assert after - before == 3
        check = log.health_check()
        assert check["status"] == "warn" and "3 dropped" in check["detail"]
    finally:
        log.stop()
    assert len(list(file_records(tmp_path))) == 3


def record(i: int, pad: int = 200) -> dict:
    return {"time": f"2026-01-01T00:00:{i % 60:02d}.000000Z", "i": i, "pad": "x" * pad}


def test_rotation_keeps_at_most_n_files_each_within_max_bytes(tmp_path):
    # another worker, still running, wrote its file first: it is never removed under it
    other = tmp_path / f"predictions-20000101T000000.000000Z-{os.getppid()}.jsonl"
    other.write_bytes(orjson.dumps(record(-1)) + b"\n")
    sink = FileSink(tmp_path, max_bytes=64 * 1024, files=3)
    sink.open()
    for start in range(0, 3000, 100):
        sink.write([record(i) for i in range(start, start + 100)])
    sink.close()
    files = sorted(tmp_path.iterdir())
    assert len(files) == 3 and files[0] == other
    assert all(f.stat().st_size <= 64 * 1024 for f in files)
    kept = [r["i"] for r in file_records(tmp_path)]
    assert kept == sorted(kept) and kept[0] == -1 and kept[-1] == 2999
    assert all(f.read_bytes().endswith(b"\n") for f in files)


def test_a_record_larger_than_a_file_is_dropped_and_counted(tmp_path):
    sink = FileSink(tmp_path, max_bytes=64 * 1024, files=3)
    sink.write([record(1), record(2, pad=70_000), record(3)])
    sink.close()
    assert [r["i"] for r in file_records(tmp_path)] == [1, 3]
    assert sink.too_large == 1


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


@pytest.mark.slow  # starts a process (for a pid that is surely gone)
def test_a_dead_workers_fragment_is_trimmed_and_a_live_ones_left(tmp_path):
    whole = orjson.dumps(record(1)) + b"\n"
    dead = tmp_path / f"predictions-20260101T000000.000000Z-{dead_pid()}.jsonl"
    live = tmp_path / f"predictions-20260101T000001.000000Z-{os.getpid()}.jsonl"
    for path in (dead, live):
        path.write_bytes(whole * 3 + b'{"time": "2026-01-01T00:0')
    trim_orphans(tmp_path)
    assert dead.read_bytes() == whole * 3
    assert live.read_bytes().endswith(b"00:0")
    assert len(list(file_records(tmp_path))) == 6  # a reader skips the live one's fragment


def test_a_sink_that_is_not_one_is_refused_without_echoing_it(monkeypatch, capsys):
    secret = "s3://user:hunter2@bucket/x"
    monkeypatch.setenv("SPECSERVE_PREDICTION_LOG", secret)
    with pytest.raises(SystemExit):
        load_settings()
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "hunter2" not in err
    assert "SPECSERVE_PREDICTION_LOG=<hidden>" in err and "postgresql://" in err


@pytest.mark.parametrize(
    "value, kind",
    [("file", "file"), ("file:/tmp/x", "file"), ("postgresql://u@h:5432/db", "postgresql")],
)
def test_the_sinks_a_setting_may_name(value, kind):
    from specserve.predlog.sinks import parse_target

    assert Settings(prediction_log=value).prediction_log.get_secret_value() == value
    assert parse_target(value).kind == kind


def test_the_default_directory_is_var_predictions():
    from specserve.predlog.sinks import parse_target

    assert parse_target("file").directory == Path("var/predictions")


def test_an_input_the_signature_marks_redact_is_logged_redacted(trained_model_dir, tmp_path):
    import json
    import shutil

    from specserve.serving.artifacts import Limits

    root = tmp_path / "models"
    shutil.copytree(trained_model_dir, root)
    md_path = root / "fraud-detector" / "1.0.0" / "metadata.json"
    md = json.loads(md_path.read_text())
    md["inputs"] = [
        {"name": "transaction_amount", "redact": True},
        {"name": "transaction_count"},
        {"name": "risk_score"},
    ]
    md_path.write_text(json.dumps(md))
    registry = Registry(root, "fraud-detector", False, 0, Limits.from_settings(Settings()))
    registry.load()
    model = registry.ready_model(None)
    assert model.ready, model.error
    log = PredictionLog(Settings(prediction_log="file"))
    (record,) = log.records(model, CALLER, "r", [[1500.5, 2, 0.75]], [answer(1)], 1)
    assert record["inputs"] == {
        "transaction_amount": "[redacted]",
        "transaction_count": 2,
        "risk_score": 0.75,
    }
    md["inputs"][0]["redact"] = "yes"
    md_path.write_text(json.dumps(md))
    fresh = Registry(root, "fraud-detector", False, 0, Limits.from_settings(Settings()))
    fresh.load()
    assert not fresh.get("fraud-detector").ready  # a flag that is not true/false: refused
    assert "redact must be true or false" in fresh.get("fraud-detector").error


def test_replay_counts_rows_it_cannot_rescore_by_reason_and_compares_the_rest(model):
    from specserve.predlog.replay import replay

    good = {"transaction_amount": 1500.5, "transaction_count": 2, "risk_score": 0.75}
    answered = model.score(model.signature.matrix([good], "$")).row(0).prediction

    def logged(inputs: dict, prediction: float, version: str = "1.0.0") -> dict:
        return {"version": version, "inputs": inputs, "outputs": {"prediction": prediction}}

    outcome = replay(
        model,
        [
            logged(good, answered),
            logged(good, 1 - answered, version="0.9.0"),  # an older version answered otherwise
            logged({**good, "risk_score": "[redacted]"}, answered),
            logged({"amount": 1.0}, answered),  # not this version's inputs
            logged({**good, "transaction_count": "two"}, answered),
        ],
        tolerance=1e-6,
    )
    assert outcome.skipped == {"redacted inputs": 1, "inputs the version does not take": 2}
    assert outcome.rows == 2 and outcome.disagree == 1 and outcome.rate == 0.5
    groups = outcome.to_json()["by_version"]
    assert [(g["logged_version"], g["agree"], g["disagree"]) for g in groups] == [
        ("1.0.0", 1, 0),
        ("0.9.0", 0, 1),
    ]


@pytest.mark.parametrize("text", ["7d", "12h", "30m", "2026-12-01", "2026-12-01T08:00:00+01:00"])
def test_replay_since_takes_a_duration_or_an_iso_time(text):
    from specserve.cli.predictions import since

    value = since(text)
    assert value.endswith("Z") and len(value) == 27
    if text.startswith("2026-12-01T08"):
        assert value == "2026-12-01T07:00:00.000000Z"


@pytest.mark.parametrize(
    "extra",
    [
        ["--since", "last tuesday"],
        ["--max-disagreement", "2"],
        ["--from", "s3://x"],
        ["--limit", "0"],
        ["--limit", "-5"],
        ["--tolerance", "nan"],
        ["--tolerance", "-1e-6"],
        ["--tolerance", "inf"],
    ],
)
def test_replay_bad_usage_is_exit_2(extra, capsys):
    from specserve.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["predictions", "replay", "fraud-detector", "--version", "1", *extra])
    assert stopped.value.code == 2
    assert "s3://x" not in capsys.readouterr().err


def test_replay_without_a_log_to_read_is_exit_2(capsys):
    from specserve.cli import main

    assert main(["predictions", "replay", "fraud-detector", "--version", "1"]) == 2
    assert "SPECSERVE_PREDICTION_LOG" in capsys.readouterr().err
