"""Refusals that need a real server: bodies on the wire, raw framing, the service's logs."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from specserve.config import Settings
from tests.problem import SEED

# the default SPECSERVE_MAX_BODY_BYTES (the services here keep it)
OVER_LIMIT = Settings.model_fields["max_body_bytes"].default + 1


@pytest.fixture(scope="module")
def client(service, api_key):
    with httpx.Client(base_url=service.base_url, headers={"X-API-Key": api_key}, timeout=10) as c:
        yield c


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
    # JSON whitespace: within every shape bound, so only the size limit can stop it (a body
    # of values past the schema's bounds is refused sooner, 400, at its first chunks)
    piece = b" " * size
    for _ in range(total // len(piece)):
        yield b"%x\r\n%s\r\n" % (len(piece), piece)


def test_chunked_body_over_limit_is_413(service, api_key, client):
    head = _head(api_key, b"Transfer-Encoding: chunked\r\n")
    answer = raw_exchange(service.port, head, _chunked(OVER_LIMIT + 16384))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert client.post("/predict", json={"features": SEED}).status_code == 200


def test_slow_body_over_limit_is_413(service, api_key, client):
    head = _head(api_key, b"Transfer-Encoding: chunked\r\n")
    answer = raw_exchange(service.port, head, _chunked(OVER_LIMIT + 16384), pause=0.001)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert client.post("/predict", json={"features": SEED}).status_code == 200


def test_keys_never_appear_in_logs(service, api_key, client):
    client.post("/predict", json={"features": SEED})
    secret = api_key.split("_", 2)[2]
    assert secret not in service.logs()


@pytest.mark.parametrize("raw_id", [b"qzx\rwvy", b"qzx\nwvy: 1", b"qzx\x00wvy"])
def test_request_id_with_control_characters_is_refused_in_the_error_shape(service, raw_id):
    head = b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Request-ID: " + raw_id + b"\r\n\r\n"
    answer = raw_exchange(service.port, head, [])
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 400 Bad Request"
    headers, _, body = rest.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in headers
    assert b"qzx" not in headers  # nothing of the value is echoed
    doc = json.loads(body)
    assert doc["status"] == 400 and doc["error"] == "malformed_request"
