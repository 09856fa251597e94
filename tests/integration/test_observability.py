"""/metrics is real and aggregated over workers; /health tracks model state; JSON logs."""

from __future__ import annotations

import json
import re
import shutil

import httpx
import pytest

from specserve.auth.filestore import FileKeyStore
from tests.live import LiveService

SEED = [1500.50, 2, 0.75]


def metric(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        named = line.startswith(name + "{") or line.startswith(name + " ")
        if named and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_move_after_calls_across_workers(service, api_key):
    headers = {"X-API-Key": api_key}
    with httpx.Client(base_url=service.base_url, headers=headers, timeout=10) as c:
        before = c.get("/metrics").text
        n = 40
        for _ in range(n):  # new connections, spread over both workers by the kernel
            assert (
                httpx.post(
                    f"{service.base_url}/predict", json={"features": SEED}, headers=headers
                ).status_code
                == 200
            )
        c.post("/batch_predict", json={"requests": [{"features": SEED}] * 7})
        c.post("/predict", json={"features": [1]})
        after = c.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = after.text
    labels = {"route": "/v1/predict", "method": "POST", "status": "200"}
    assert (
        metric(text, "specserve_http_requests_total", **labels)
        - metric(before, "specserve_http_requests_total", **labels)
        == n
    )
    assert metric(text, "specserve_http_requests_total", route="/v1/predict", status="422") >= 1
    rows = metric(
        text, "specserve_prediction_rows_total", model="fraud-detector", version="1.0.0"
    ) - metric(before, "specserve_prediction_rows_total", model="fraud-detector", version="1.0.0")
    assert rows == n + 7
    assert metric(text, "specserve_http_request_duration_seconds_count", route="/v1/predict") >= n
    workers = {str(pid) for pid in service.worker_pids()}
    assert len(workers) == 2
    # one scrape shows every live worker (the per-worker model gauge), not one worker's view
    ready = re.findall(r'^specserve_model_ready\{[^}]*pid="(\d+)"[^}]*\} 1\.0$', text, re.M)
    assert set(ready) == workers


def test_one_json_log_line_per_request_with_key_id_not_key(service, api_key):
    r = httpx.post(
        f"{service.base_url}/predict",
        json={"features": SEED},
        headers={"X-API-Key": api_key, "X-Request-ID": "log-probe-1"},
    )
    assert r.status_code == 200
    key_id = api_key.split("_")[1]
    import time

    for _ in range(50):
        lines = [json.loads(line) for line in service.logs().splitlines() if "log-probe-1" in line]
        if lines:
            break
        time.sleep(0.1)
    assert len(lines) == 1
    entry = lines[0]
    assert entry["route"] == "/v1/predict" and entry["status"] == 200
    assert entry["key_id"] == key_id and entry["latency_ms"] > 0
    assert api_key not in service.logs()


@pytest.fixture
def broken_models(trained_model_dir, tmp_path):
    models = tmp_path / "models"
    shutil.copytree(trained_model_dir, models)
    return models


def _start(tmp_path, models, **env):
    keys = tmp_path / "keys.json"
    key = FileKeyStore(keys).create("t")[1]
    return LiveService(tmp_path, models, keys, workers=1, env=env), key


def corrupt(version_dir) -> None:
    """Every artifact of a version (the ONNX graph serves when present)."""
    for artifact in version_dir.glob("model.*"):
        artifact.write_bytes(b"corrupt")


def test_corrupt_default_model_starts_unhealthy_and_answers_503(broken_models, tmp_path):
    corrupt(broken_models / "fraud-detector" / "1.0.0")
    svc, key = _start(tmp_path, broken_models)
    with svc:
        health = httpx.get(f"{svc.base_url}/health", headers={"X-API-Key": key})
        assert health.status_code == 503
        body = health.json()
        assert body["status"] == "unhealthy" and body["model_loaded"] is False
        assert body["model_version"] is None
        assert body["checks"]["model:fraud-detector"]["status"] == "fail"
        anonymous = httpx.get(f"{svc.base_url}/health").json()["checks"]
        assert anonymous["models"] == {"status": "fail"} and "model:fraud-detector" not in anonymous
        r = httpx.post(
            f"{svc.base_url}/predict", json={"features": SEED}, headers={"X-API-Key": key}
        )
        assert r.status_code == 503 and r.json()["error"] == "model_unavailable"
        assert (
            httpx.get(f"{svc.base_url}/models/fraud-detector", headers={"X-API-Key": key}).json()[
                "status"
            ]
            == "failed"
        )
        m = httpx.get(f"{svc.base_url}/metrics", headers={"X-API-Key": key}).text
        assert metric(m, "specserve_model_load_failures_total", model="fraud-detector") == 1
    assert "model failed to load" in svc.logs()


def test_other_broken_model_makes_service_degraded(broken_models, tmp_path):
    shutil.copytree(broken_models / "fraud-detector", broken_models / "churn")
    corrupt(broken_models / "churn" / "1.0.0")
    svc, key = _start(tmp_path, broken_models)
    with svc:
        body = httpx.get(f"{svc.base_url}/health").json()
        assert body["status"] == "degraded" and body["model_loaded"] is True
        headers = {"X-API-Key": key}
        assert (
            httpx.post(
                f"{svc.base_url}/predict", json={"features": SEED}, headers=headers
            ).status_code
            == 200
        )
        r = httpx.post(
            f"{svc.base_url}/models/churn/predict", json={"features": SEED}, headers=headers
        )
        assert r.status_code == 503


def test_a_control_character_in_the_path_is_a_404(model_dir, tmp_path):
    svc, key = _start(tmp_path, model_dir)
    with svc:
        headers = {"X-API-Key": key}
        # found by fuzzing: a newline in a path parameter matched no route
        r = httpx.get(f"{svc.base_url}/models/a%0Ab", headers=headers)
        assert r.status_code == 404 and r.json()["error"] == "not_found"
