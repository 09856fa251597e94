"""Every bad input gets its documented 4xx in the error shape; the app stays up (in process)."""

from __future__ import annotations

import json

import pytest

from tests.problem import SEED, assert_problem

RAW_BODIES = [
    ("nan", b'{"features": [NaN, 2, 0.75]}', 400),
    ("infinity", b'{"features": [Infinity, 2, 0.75]}', 400),
    ("minus_infinity", b'{"features": [-Infinity, 2, 0.75]}', 400),
    ("overflow", b'{"features": [1e999, 2, 0.75]}', 400),
    ("bool", b'{"features": [true, 2, 0.75]}', 400),
    ("string", b'{"features": ["1.5", 2, 0.75]}', 400),
    ("null", b'{"features": [null, 2, 0.75]}', 400),
    ("nested", b'{"features": [[1], 2, 0.75]}', 400),
    ("empty_features", b'{"features": []}', 400),
    ("too_many", json.dumps({"features": [0.5] * 1001}).encode(), 400),
    ("empty_body", b"", 400),
    ("not_json", b"features=1,2,3", 400),
    ("array_body", b"[1, 2, 3]", 400),
    ("scalar_body", b"42", 400),
    ("duplicate_keys", b'{"features": [1, 2, 3], "features": [1500.5, 2, 0.75]}', 400),
    ("invalid_utf8", b'{"features": [1, 2, 3], "metadata": {"request_id": "\xff\xfe"}}', 400),
    ("deep_nesting", b'{"features": ' + b"[" * 10000 + b"]" * 10000 + b"}", 400),
    ("extra_field", b'{"features": [1, 2, 3], "admin": true}', 400),
    ("bad_timestamp", b'{"features": [1, 2, 3], "metadata": {"timestamp": "yesterday"}}', 400),
    ("wrong_feature_count", b'{"features": [1, 2]}', 422),
]


@pytest.mark.parametrize("name,raw,status", RAW_BODIES, ids=[c[0] for c in RAW_BODIES])
def test_bad_body_rejected(client, name, raw, status):
    r = client.post("/predict", content=raw, headers={"Content-Type": "application/json"})
    body = assert_problem(r, status)
    if status == 422:
        assert "expects 3 features" in body["detail"]
        assert body["errors"][0]["path"] == "$.features"
    # the service answers a valid request right after
    assert client.post("/predict", json={"features": SEED}).status_code == 200


def test_validation_errors_name_each_field_by_json_path(client):
    r = client.post(
        "/batch_predict", json={"requests": [{"features": SEED}, {"features": [True, 2, "x"]}]}
    )
    body = assert_problem(r, 400, "validation_error")
    paths = {e["path"] for e in body["errors"]}
    assert {"$.requests[1].features[0]", "$.requests[1].features[2]"} <= paths


def test_batch_over_100_rejected(client):
    r = client.post("/batch_predict", json={"requests": [{"features": SEED}] * 101})
    body = assert_problem(r, 400)
    assert body["errors"][0]["path"] == "$.requests"


def test_batch_feature_count_mismatch_names_the_row(client):
    r = client.post("/batch_predict", json={"requests": [{"features": SEED}, {"features": [1, 2]}]})
    body = assert_problem(r, 422, "feature_count_mismatch")
    assert body["errors"][0]["path"] == "$.requests[1].features"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_wrong_content_type_is_415(client, content_type):
    r = client.post(
        "/predict", content=json.dumps({"features": SEED}), headers={"Content-Type": content_type}
    )
    assert_problem(r, 415)


def test_missing_content_type_is_415(client):
    raw = json.dumps({"features": SEED}).encode()
    assert_problem(client.post("/predict", content=raw, headers={"Content-Type": ""}), 415)


def test_content_encoding_is_refused(client):
    import gzip

    bomb = gzip.compress(b'{"features": [' + b"1," * 5_000_000 + b"1]}")
    r = client.post(
        "/predict",
        content=bomb,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert_problem(r, 415)


@pytest.mark.parametrize(
    "path,status",
    [
        ("/models/does-not-exist", 404),
        ("/models/..%2F..%2Fetc%2Fpasswd", 404),  # decodes to extra segments: no route
        ("/models/%2E%2E", 400),
        ("/models/fraud-detector/", 404),
        ("/models/%C3%A9t%C3%A9", 400),
        ("/models/a%0Ab", 404),  # control characters: no route has them
        ("/predict%0A", 404),
        ("/models/" + "a" * 65, 400),
        ("/nope", 404),
        ("/", 404),
    ],
)
def test_bad_paths(client, path, status):
    assert_problem(client.get(path), status)


def test_unknown_model_predict_is_404(client):
    r = client.post("/models/nope/predict", json={"features": SEED})
    assert_problem(r, 404, "model_not_found")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "GET"])
def test_methods_not_in_spec_are_405(client, method):
    r = client.request(method, "/predict")
    assert_problem(r, 405)


def test_missing_and_wrong_keys_are_401(anonymous, api_key):
    for headers in (
        {},
        {"X-API-Key": "nope"},
        {"X-API-Key": api_key[:-1] + ("B" if api_key.endswith("A") else "A")},
        {"X-API-Key": "ssk_000000000000_" + "A" * 43},
    ):
        r = anonymous.post("/predict", json={"features": SEED}, headers=headers)
        assert_problem(r, 401, "unauthorized")
        assert "WWW-Authenticate" in r.headers
        if "X-API-Key" in headers:
            assert headers["X-API-Key"] not in r.text


def test_every_authenticated_route_needs_a_key(anonymous):
    for method, path in [
        ("GET", "/models"),
        ("GET", "/models/fraud-detector"),
        ("GET", "/metrics"),
        ("POST", "/batch_predict"),
        ("POST", "/models/fraud-detector/predict"),
    ]:
        assert_problem(anonymous.request(method, path), 401)


def test_huge_header_is_refused_cleanly(client):
    assert_problem(client.get("/models", headers={"X-Junk": "a" * 100_000}), 431)


def test_many_headers_are_refused_cleanly(client):
    headers = {f"X-Junk-{i}": "a" for i in range(300)}
    assert_problem(client.get("/models", headers=headers), 431)


def test_long_request_id_is_replaced_not_echoed(client):
    r = client.get("/models", headers={"X-Request-ID": "a" * 10_000})
    assert r.status_code == 200 and len(r.headers["x-request-id"]) == 32
