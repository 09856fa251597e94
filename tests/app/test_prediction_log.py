"""The prediction log in process: what one record holds for each prediction route, the key id
(never the key), redaction, sampling; the file sink's lines as the writer leaves them."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

FEATURES = [1500.5, 2, 0.75]


@pytest.fixture(scope="module")
def log_dir(workdir) -> Path:
    return workdir / "predictions"


@pytest.fixture(scope="module")
def app_overrides(log_dir) -> dict[str, Any]:
    return {"prediction_log": f"file:{log_dir}", "prediction_log_redact": "risk_score"}


@pytest.fixture(scope="module")
def lifespan_client(app, api_key):
    """The lifespan runs (it starts the writer) while the client is open."""
    with app.test_client(base_url="http://testserver", headers={"X-API-Key": api_key}) as c:
        yield c


def records(log_dir: Path, count: int, timeout: float = 10) -> list[dict[str, Any]]:
    """Every record written so far, once there are at least `count`."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            orjson.loads(line)
            for path in sorted(log_dir.glob("*.jsonl"))
            for line in path.read_bytes().splitlines()
        ]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def by_request(log_dir: Path, request_id: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [r for r in records(log_dir, 0) if r["request_id"].startswith(request_id)]
        if found:
            return found
        time.sleep(0.05)
    return []


def test_a_prediction_is_logged_with_who_asked_and_what_was_answered(
    lifespan_client, log_dir, keys_file, api_key
):
    r = lifespan_client.post(
        "/v1/predict", json={"features": FEATURES, "metadata": {"request_id": "one-1"}}
    )
    assert r.status_code == 200
    (record,) = by_request(log_dir, "one-1")
    key_id = api_key.split("_")[1]
    assert record["key_id"] == key_id
    assert api_key not in orjson.dumps(record).decode()
    assert record["route"] == "/v1/predict"
    assert record["model"] == "fraud-detector" and record["version"] == "1.0.0"
    assert record["time"].endswith("Z") and len(record["time"]) == 27
    answer = r.json()
    assert record["outputs"] == {
        "prediction": answer["prediction"],
        "probability": answer["probability"],
    }
    assert record["latency_ms"] >= 0
    assert "shadow" not in record
    # the default model's inputs by name; `amount` redacted by the setting
    names = lifespan_client.get("/v1/models/fraud-detector").json()["feature_names"]
    expected = dict(zip(names, FEATURES, strict=True))
    expected["risk_score"] = "[redacted]"
    assert record["inputs"] == expected


def test_every_row_of_a_batch_is_logged_with_its_own_request_id(lifespan_client, log_dir):
    rows = [
        {"features": [100.0 * i, i, 0.5], "metadata": {"request_id": f"batch-{i}"}}
        for i in range(3)
    ]
    r = lifespan_client.post("/v1/models/fraud-detector/batch_predict", json={"requests": rows})
    assert r.status_code == 200
    found = sorted(by_request(log_dir, "batch-"), key=lambda x: x["request_id"])
    assert [x["request_id"] for x in found] == ["batch-0", "batch-1", "batch-2"]
    assert {x["route"] for x in found} == {"/v1/models/{model_name}/batch_predict"}
    answers = r.json()["predictions"]
    assert [x["outputs"]["prediction"] for x in found] == [a["prediction"] for a in answers]


def test_a_v2_infer_logs_each_row_by_output_name(lifespan_client, log_dir):
    body = {
        "id": "v2-req",
        "inputs": [{"name": "input", "datatype": "FP64", "shape": [2, 3], "data": FEATURES * 2}],
    }
    r = lifespan_client.post("/v2/models/fraud-detector/infer", json=body)
    assert r.status_code == 200, r.text
    found = by_request(log_dir, r.headers["X-Request-ID"])
    assert len(found) == 2
    assert {x["route"] for x in found} == {"/v2/models/{model_name}/infer"}
    outputs = {o["name"]: o["data"] for o in r.json()["outputs"]}
    assert found[0]["outputs"]["predict"] == outputs["predict"][0]
    assert found[1]["outputs"]["predict_proba"] == outputs["predict_proba"][2:4]


def test_replay_names_the_rows_it_cannot_rescore_because_of_redaction(
    lifespan_client, log_dir, model_dir, capsys
):
    from specserve.cli import main

    r = lifespan_client.post("/v1/predict", json={"features": FEATURES})
    assert r.status_code == 200
    assert by_request(log_dir, r.json()["request_id"])  # this request's record is written
    logged = len(records(log_dir, 0))
    argv = ["predictions", "replay", "fraud-detector", "--version", "1.0.0"]
    argv += ["--from", f"file:{log_dir}", "--model-dir", str(model_dir)]
    assert main([*argv, "--max-disagreement", "0"]) == 1  # nothing compared: no pass
    out = capsys.readouterr()
    assert f"not re-scored: {logged} rows (redacted inputs)" in out.out
    assert "no row could be compared" in out.err
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["not_rescored"] == {"redacted inputs": logged} and report["rescored"] == 0


def test_health_has_a_prediction_log_check(lifespan_client):
    detailed = lifespan_client.get("/v1/health").json()
    check = detailed["checks"]["prediction_log"]
    assert check["status"] == "pass" and "records written, 0 dropped" in check["detail"]
    # anonymous (the same client, its key left out: a second client would run the lifespan
    # again, and its end would stop the writer)
    request = lifespan_client.build_request("GET", "/v1/health")
    del request.headers["X-API-Key"]
    anonymous = lifespan_client.send(request).json()
    assert anonymous["checks"]["prediction_log"] == {"status": "pass"}


def test_the_callers_trace_is_recorded(lifespan_client, log_dir):
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    r = lifespan_client.post(
        "/v1/predict",
        json={"features": FEATURES, "metadata": {"request_id": "traced-1"}},
        headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"},
    )
    assert r.status_code == 200
    (record,) = by_request(log_dir, "traced-1")
    assert record["trace_id"] == trace
