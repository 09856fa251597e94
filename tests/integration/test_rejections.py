"""Every bad input gets its documented 4xx in the error shape; the service stays up."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

SEED = [1500.50, 2, 0.75]
ERROR_FIELDS = {"type", "title", "status", "detail", "error", "message", "request_id", "timestamp"}


@pytest.fixture(scope="module")
def client(service, api_key):
    with httpx.Client(base_url=service.base_url, headers={"X-API-Key": api_key}, timeout=10) as c:
        yield c


def assert_problem(r: httpx.Response, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert set(body) >= ERROR_FIELDS, body
    assert body["status"] == status
    assert body["request_id"] == r.headers["x-request-id"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    if code:
        assert body["error"] == code, body
    return body


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


def test_missing_content_type_is_415(service, api_key):
    raw = json.dumps({"features": SEED}).encode()
    r = httpx.post(
        f"{service.base_url}/predict",
        content=raw,
        headers={"X-API-Key": api_key, "Content-Type": ""},
    )
    assert_problem(r, 415)


def test_content_encoding_is_refused(client):
    import gzip

    bomb = gzip.compress(b'{"features": [' + b"1," * 5_000_000 + b"1]}")
    r = client.post(
        "/predict",
        content=bomb,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert_problem(r, 415)


def raw_exchange(port: int, head: bytes, chunks, pause: float = 0.0) -> bytes:
    """Send a request over a raw socket as far as the server lets us; return its answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        started = time.monotonic()
        try:
            for chunk in chunks:
                sock.sendall(chunk)
                if pause:
                    time.sleep(pause)
                if time.monotonic() - started > 20:
                    break
        except OSError:
            pass  # the server answered and closed while we were still sending
        try:
            return sock.recv(65536)
        except OSError:
            return b""


def _head(api_key: str, extra: bytes) -> bytes:
    return (
        b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-API-Key: " + api_key.encode() + b"\r\n" + extra + b"\r\n"
    )


def test_body_over_limit_is_413_without_reading_it(service, api_key, client):
    size = 12 * 1024 * 1024
    head = _head(api_key, b"Content-Length: %d\r\n" % size)
    answer = raw_exchange(service.port, head, (b"1" * 65536 for _ in range(size // 65536)))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"payload_too_large" in answer
    assert client.post("/predict", json={"features": SEED}).status_code == 200


def _chunked(total: int, size: int = 16384):
    piece = b"1.0," * (size // 4)
    for _ in range(total // len(piece)):
        yield b"%x\r\n%s\r\n" % (len(piece), piece)


def test_chunked_body_over_limit_is_413(service, api_key, client):
    head = _head(api_key, b"Transfer-Encoding: chunked\r\n")
    answer = raw_exchange(service.port, head, _chunked(4_000_000))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert client.post("/predict", json={"features": SEED}).status_code == 200


def test_slow_body_over_limit_is_413(service, api_key, client):
    head = _head(api_key, b"Transfer-Encoding: chunked\r\n")
    answer = raw_exchange(service.port, head, _chunked(2_000_000), pause=0.002)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert client.post("/predict", json={"features": SEED}).status_code == 200


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


def test_missing_and_wrong_keys_are_401(service, api_key):
    url = f"{service.base_url}/predict"
    for headers in (
        {},
        {"X-API-Key": "nope"},
        {"X-API-Key": api_key[:-1] + ("B" if api_key.endswith("A") else "A")},
        {"X-API-Key": "ssk_000000000000_" + "A" * 43},
    ):
        r = httpx.post(url, json={"features": SEED}, headers=headers)
        assert_problem(r, 401, "unauthorized")
        assert "WWW-Authenticate" in r.headers
        if "X-API-Key" in headers:
            assert headers["X-API-Key"] not in r.text


def test_every_authenticated_route_needs_a_key(service):
    for method, path in [
        ("GET", "/models"),
        ("GET", "/models/fraud-detector"),
        ("GET", "/metrics"),
        ("POST", "/batch_predict"),
        ("POST", "/models/fraud-detector/predict"),
    ]:
        assert_problem(httpx.request(method, service.base_url + path), 401)


def test_huge_header_is_refused_cleanly(client):
    assert_problem(client.get("/models", headers={"X-Junk": "a" * 100_000}), 431)


def test_many_headers_are_refused_cleanly(client):
    headers = {f"X-Junk-{i}": "a" for i in range(300)}
    assert_problem(client.get("/models", headers=headers), 431)


def test_keys_never_appear_in_logs(service, api_key, client):
    client.post("/predict", json={"features": SEED})
    secret = api_key.split("_", 2)[2]
    assert secret not in service.logs()


@pytest.mark.parametrize("raw_id", [b"abc\rdef", b"abc\ndef: 1", b"abc\x00def"])
def test_request_id_with_control_characters_is_refused_in_the_error_shape(service, raw_id):
    head = b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Request-ID: " + raw_id + b"\r\n\r\n"
    answer = raw_exchange(service.port, head, [])
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 400 Bad Request"
    headers, _, body = rest.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in headers
    assert b"abc" not in headers  # nothing of the value is echoed
    doc = json.loads(body)
    assert doc["status"] == 400 and doc["error"] == "malformed_request"


def test_long_request_id_is_replaced_not_echoed(client):
    r = client.get("/models", headers={"X-Request-ID": "a" * 10_000})
    assert r.status_code == 200 and len(r.headers["x-request-id"]) == 32
