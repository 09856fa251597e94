"""Predictions, models and health against the live gunicorn service."""

from __future__ import annotations

import re

import httpx
import numpy as np
import pytest

SEED = [1500.50, 2, 0.75]


@pytest.fixture(scope="module")
def client(service, api_key):
    with httpx.Client(base_url=service.base_url, headers={"X-API-Key": api_key}, timeout=10) as c:
        yield c


def test_seed_example_prediction_has_exactly_the_seed_fields(client):
    r = client.post("/predict", json={"features": SEED, "metadata": {"request_id": "req-123"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {
        "prediction",
        "probability",
        "model_version",
        "request_id",
        "processing_time_ms",
    }
    assert body["prediction"] in (0.0, 1.0)
    assert 0.5 <= body["probability"] <= 1.0  # probability of the predicted class
    assert body["model_version"] == "1.0.0"
    assert body["request_id"] == "req-123"
    assert body["processing_time_ms"] >= 0
    assert r.headers["content-type"] == "application/json"


def test_prediction_matches_the_model_in_process(client, trained_model_dir):
    import skops.io as sio

    path = trained_model_dir / "fraud-detector" / "1.0.0" / "model.skops"
    model = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    rows = [[1500.5, 2, 0.75], [20.0, 0, 0.05], [9000, 7, 0.99], [120.0, 1, 0.3]]
    expected_labels = model.predict(np.array(rows))
    expected_proba = model.predict_proba(np.array(rows)).max(axis=1)
    for row, label, proba in zip(rows, expected_labels, expected_proba, strict=True):
        body = client.post("/predict", json={"features": row}).json()
        assert body["prediction"] == float(label)
        # the ONNX graph serves: within the parity gate's tolerance
        assert body["probability"] == pytest.approx(float(proba), abs=1e-4)


def test_metadata_null_and_timestamp_are_accepted(client):
    r = client.post("/predict", json={"features": SEED, "metadata": None})
    assert r.status_code == 200, r.text
    r = client.post(
        "/predict",
        json={
            "features": SEED,
            "metadata": {"request_id": "abc", "timestamp": "2026-01-02T03:04:05Z"},
        },
    )
    assert r.status_code == 200 and r.json()["request_id"] == "abc"


def test_request_id_header_echoed_and_used_when_body_has_none(client):
    r = client.post("/predict", json={"features": SEED}, headers={"X-Request-ID": "trace-42"})
    assert r.headers["x-request-id"] == "trace-42"
    assert r.json()["request_id"] == "trace-42"
    r = client.post("/predict", json={"features": SEED})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])
    assert r.json()["request_id"] == r.headers["x-request-id"]


def test_invalid_request_id_header_is_replaced_not_echoed(client):
    r = client.post("/predict", json={"features": SEED}, headers={"X-Request-ID": "x" * 500})
    assert r.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])
    r = client.post("/predict", json={"features": SEED}, headers={"X-Request-ID": "a b<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])


def test_batch_equals_row_by_row(client):
    rows = [[1500.50, 2, 0.75], [2000.00, 3, 0.85], [500.25, 1, 0.60], [5, 0, 0.01]]
    batch = client.post(
        "/batch_predict",
        json={
            "requests": [
                {"features": r, "metadata": {"request_id": f"r{i}"}} for i, r in enumerate(rows)
            ]
        },
    )
    assert batch.status_code == 200, batch.text
    preds = batch.json()["predictions"]
    assert [p["request_id"] for p in preds] == ["r0", "r1", "r2", "r3"]
    for row, pred in zip(rows, preds, strict=True):
        single = client.post("/predict", json={"features": row}).json()
        assert single["prediction"] == pred["prediction"]
        assert single["probability"] == pytest.approx(pred["probability"], abs=1e-12)
    assert batch.json()["total_processing_time_ms"] >= 0


def test_batch_of_100_is_accepted_and_rows_get_distinct_ids(client):
    r = client.post(
        "/batch_predict",
        json={"requests": [{"features": SEED}] * 100},
        headers={"X-Request-ID": "batch-1"},
    )
    assert r.status_code == 200
    ids = [p["request_id"] for p in r.json()["predictions"]]
    assert len(set(ids)) == 100 and ids[0] == "batch-1-0"


def test_named_model_routes(client):
    r = client.post("/models/fraud-detector/predict", json={"features": SEED})
    assert r.status_code == 200
    r = client.post("/models/fraud-detector/batch_predict", json={"requests": [{"features": SEED}]})
    assert r.status_code == 200 and len(r.json()["predictions"]) == 1


def test_models_list_and_metadata(client):
    listing = client.get("/models").json()
    assert listing["default_model"] == "fraud-detector"
    assert listing["models"] == [
        {
            "name": "fraud-detector",
            "version": "1.0.0",
            "versions": ["1.0.0"],
            "status": "ready",
            "default": True,
        }
    ]
    meta = client.get("/models/fraud-detector").json()
    assert meta["n_features"] == 3
    assert meta["feature_names"] == ["transaction_amount", "transaction_count", "risk_score"]
    assert meta["classes"] == [0, 1]
    assert 0.5 < meta["metrics"]["roc_auc"] <= 1


def test_health_is_public_and_healthy(service, api_key):
    r = httpx.get(f"{service.base_url}/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "healthy" and body["model_loaded"] is True
    assert body["model_version"] == "1.0.0" and body["uptime_seconds"] > 0
    # anonymous: one status per kind of check, naming no model and giving no detail
    assert body["checks"]["models"] == {"status": "pass"}
    assert body["checks"]["threads"] == {"status": "pass"}  # one BLAS thread per worker
    detailed = httpx.get(f"{service.base_url}/health", headers={"X-API-Key": api_key}).json()
    assert detailed["checks"]["model:fraud-detector"]["status"] == "pass"  # metrics:read
    assert detailed["checks"]["threads"]["detail"] == "BLAS/OpenMP threads per pool: [1]"


def test_security_headers_and_no_server_version(client):
    r = client.get("/models")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    assert "server" not in r.headers
