"""Refusals made before a request reaches the app (the gunicorn worker's framing limits, the
edge's body limit), on `/v2` paths: in the Open Inference Protocol's error object
(`application/json`, `error` the message, `code` ours), so a protocol client shows our
message; the same refusals on `/v1` stay `application/problem+json`. Raw sockets against a
live worker, each test from a loopback address of its own (the per-address cap counts
connections per address, and a refused connection lingers a moment)."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any

import httpx
import numpy as np
import pytest
import tritonclient.http as triton
from tritonclient.utils import InferenceServerException

from tests.live import LiveService

pytestmark = pytest.mark.slow

MAX_HEAD = 16 * 1024
MAX_BODY = 4096
HEAD_TIMEOUT = 1.5
PER_ADDRESS = 4
MiB = 1 << 20
STATUS_LINE = re.compile(rb"HTTP/1\.1 (\d{3}) ")
OPEN_INFERENCE_KEYS = {"error", "code", "status", "type", "request_id"}
INFER = "/v2/models/fraud-detector/infer"


@pytest.fixture(scope="module")
def svc(workdir, model_dir, keys_file, api_key):
    env = {
        "SPECSERVE_MAX_HEAD_BYTES": str(MAX_HEAD),
        "SPECSERVE_MAX_BODY_BYTES": str(MAX_BODY),
        "SPECSERVE_HEAD_TIMEOUT": str(HEAD_TIMEOUT),
        "SPECSERVE_MAX_CONNECTIONS_PER_ADDRESS": str(PER_ADDRESS),
    }
    with LiveService(workdir, model_dir, keys_file, workers=1, env=env) as service:
        yield service


class Reader(threading.Thread):
    """Reads a socket to its end, so an answer is seen while the client still sends."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__(daemon=True)
        self.sock, self.data = sock, b""

    def run(self) -> None:
        try:
            while chunk := self.sock.recv(65536):
                self.data += chunk
        except OSError:
            pass


_sources = iter(range(60, 250))


def dial(svc: LiveService) -> socket.socket:
    """A connection from a loopback address no other test uses."""
    sock = socket.socket()
    sock.settimeout(30)
    sock.bind((f"127.0.0.{next(_sources)}", 0))
    sock.connect(("127.0.0.1", svc.port))
    return sock


def exchange(svc: LiveService, chunks: Iterable[bytes], *, sock: socket.socket | None = None):
    """Send as far as the server reads; its answer, split into status, headers and body."""
    sock = sock or dial(svc)
    reader = Reader(sock)
    reader.start()
    try:
        for chunk in chunks:
            sock.sendall(chunk)
    except OSError:
        pass  # the server answered and stopped reading
    reader.join(15)
    sock.close()
    return parse(reader.data)


def parse(data: bytes) -> tuple[int, dict[str, str], bytes]:
    statuses = STATUS_LINE.findall(data)
    assert len(statuses) == 1, data[:300]
    head, _, body = data.partition(b"\r\n\r\n")
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(statuses[0]), headers, body


def open_inference(answer: tuple[int, dict[str, str], bytes], status: int, code: str) -> str:
    """The protocol's error object; its message."""
    got, headers, body = answer
    assert got == status, body[:300]
    assert headers["content-type"] == "application/json"
    error = json.loads(body)
    assert set(error) - {"retry_after"} == OPEN_INFERENCE_KEYS, error
    assert error["code"] == code and error["status"] == status
    assert error["request_id"] == headers["x-request-id"]
    assert isinstance(error["error"], str) and error["error"]
    return error["error"]


def problem_json(answer: tuple[int, dict[str, str], bytes], status: int, code: str) -> None:
    got, headers, body = answer
    assert got == status, body[:300]
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["error"] == code and problem["status"] == status
    assert problem["detail"] == problem["message"]


def big_headers(total: int) -> bytes:
    return b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 1000) for i in range(total // 1000 + 1))


def head(method: str, path: str, extra: bytes = b"") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: x\r\n".encode() + extra


# -- 431: the head too large ------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path", [("GET", "/v2/health/live"), ("POST", INFER), ("GET", "/v2")]
)
def test_an_oversized_head_on_v2_is_431_in_the_protocols_error_object(svc, method, path):
    answer = exchange(svc, [head(method, path, big_headers(MAX_HEAD + 2000) + b"\r\n")])
    message = open_inference(answer, 431, "headers_too_large")
    assert message == f"The request line and headers exceed {MAX_HEAD} bytes."
    assert answer[1]["connection"] == "close"


def test_an_endless_header_on_v2_is_431_as_it_arrives(svc):
    started = time.monotonic()
    answer = exchange(
        svc, [head("POST", INFER, b"X-Big: "), *(b"a" * 65536 for _ in range(4 * 16))]
    )
    open_inference(answer, 431, "headers_too_large")
    assert time.monotonic() - started < 10


def test_an_endless_path_under_v2_is_431_in_the_protocols_error_object(svc):
    answer = exchange(svc, [b"GET /v2/models/", *(b"p" * 65536 for _ in range(16))])
    open_inference(answer, 431, "headers_too_large")


def test_the_same_head_on_v1_stays_problem_json(svc):
    answer = exchange(svc, [head("GET", "/v1/health", big_headers(MAX_HEAD + 2000) + b"\r\n")])
    problem_json(answer, 431, "headers_too_large")


# -- 413: the body too large ------------------------------------------------------------------


def body_head(path: str, api_key: str, framing: bytes) -> bytes:
    extra = b"Content-Type: application/json\r\nX-API-Key: %s\r\n%s\r\n" % (
        api_key.encode(),
        framing,
    )
    return head("POST", path, extra)


def test_a_declared_body_over_the_limit_on_v2_is_413(svc, api_key):
    framing = b"Content-Length: %d\r\n" % (MAX_BODY + 1)
    answer = exchange(svc, [body_head(INFER, api_key, framing), b"{" * (MAX_BODY + 1)])
    message = open_inference(answer, 413, "payload_too_large")
    assert message == f"The request body exceeds {MAX_BODY} bytes."


def test_a_chunked_body_over_the_limit_on_v2_is_413(svc, api_key):
    piece = b" " * 1024
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(2 * MAX_BODY // len(piece))]
    framing = b"Transfer-Encoding: chunked\r\n"
    answer = exchange(svc, [body_head(INFER, api_key, framing), *chunks, b"0\r\n\r\n"])
    open_inference(answer, 413, "payload_too_large")


def test_a_body_over_the_limit_on_v1_stays_problem_json(svc, api_key):
    framing = b"Content-Length: %d\r\n" % (MAX_BODY + 1)
    answer = exchange(svc, [body_head("/v1/predict", api_key, framing), b" " * (MAX_BODY + 1)])
    problem_json(answer, 413, "payload_too_large")


def test_tritonclient_shows_the_413_message(svc, api_key):
    """A [100, 3] FP64 tensor is 2,400 bytes in binary and over 4 KiB as JSON numbers."""
    client = triton.InferenceServerClient(f"127.0.0.1:{svc.port}", network_timeout=30)
    rows = np.random.default_rng(5).normal(size=(100, 3)) * [400.0, 2.0, 0.2] + 1000.0

    def infer(binary: bool) -> Any:
        tensor = triton.InferInput("input", [100, 3], "FP64")
        tensor.set_data_from_numpy(rows, binary_data=binary)
        return client.infer("fraud-detector", [tensor], headers={"X-API-Key": api_key})

    try:
        assert infer(binary=True).as_numpy("predict").shape == (100,)
        with pytest.raises(InferenceServerException) as caught:
            infer(binary=False)
    finally:
        client.close()
    assert caught.value.status() == "413"
    assert caught.value.message() == f"The request body exceeds {MAX_BODY} bytes."


# -- 408, 400, 429: the worker's other refusals ------------------------------------------------


def test_a_head_that_does_not_finish_on_v2_is_408(svc):
    sock = dial(svc)
    sock.sendall(head("GET", "/v2/health/live"))  # no blank line: the head never ends
    reader = Reader(sock)
    reader.start()
    reader.join(HEAD_TIMEOUT + 5)
    sock.close()
    open_inference(parse(reader.data), 408, "request_timeout")


# targets the app routes under /v2 (as uvicorn makes the path: an absolute-form target's path,
# percent-decoded), so the worker's refusals of them speak the protocol too
V2_TARGETS = ["/v2/health/live", "http://127.0.0.1/v2/health/live", "/%762/health/live"]


@pytest.mark.parametrize("target", V2_TARGETS)
def test_every_form_of_a_v2_target_is_routed_to_v2(svc, target):
    status, headers, body = exchange(svc, [head("GET", target, b"\r\n")])
    assert (status, json.loads(body)) == (200, {"live": True})


@pytest.mark.parametrize("target", V2_TARGETS)
def test_a_malformed_head_on_v2_is_400_in_the_protocols_error_object(svc, target):
    answer = exchange(svc, [head("GET", target, b"Content-Length: nope\r\n\r\n")])
    assert open_inference(answer, 400, "malformed_request") == "The HTTP request is malformed."


@pytest.mark.parametrize("target", V2_TARGETS)
def test_an_endless_header_on_any_form_of_a_v2_target_is_431_in_its_dialect(svc, target):
    answer = exchange(svc, [head("GET", target, b"X-Big: "), *(b"a" * 65536 for _ in range(8))])
    open_inference(answer, 431, "headers_too_large")


def test_a_malformed_head_on_v1_stays_problem_json(svc):
    answer = exchange(svc, [head("GET", "/v1/health", b"Content-Length: nope\r\n\r\n")])
    problem_json(answer, 400, "malformed_request")


def test_too_many_connections_from_one_address_is_429_on_v2(svc):
    source = f"127.0.0.{next(_sources)}"
    held = []
    try:
        for _ in range(PER_ADDRESS):
            sock = socket.socket()
            sock.bind((source, 0))
            sock.connect(("127.0.0.1", svc.port))
            held.append(sock)
        extra = socket.socket()
        extra.settimeout(30)
        extra.bind((source, 0))
        extra.connect(("127.0.0.1", svc.port))
        answer = exchange(svc, [head("GET", "/v2/health/live", b"\r\n")], sock=extra)
    finally:
        for sock in held:
            sock.close()
    open_inference(answer, 429, "too_many_connections")
    assert answer[1]["retry-after"] == "1"


def test_a_full_worker_is_503_on_v2(tmp_path, model_dir, keys_file):
    """Every slot held by a connection in the middle of its request: a new one is refused."""
    env = {"SPECSERVE_MAX_CONNECTIONS": "2", "SPECSERVE_HEAD_TIMEOUT": "10"}
    with LiveService(tmp_path, model_dir, keys_file, workers=1, env=env) as full:
        busy = [dial(full) for _ in range(2)]
        try:
            for sock in busy:
                sock.sendall(head("GET", "/v2/health/live"))  # a head begun, not finished
            time.sleep(0.3)
            answer = exchange(full, [head("GET", "/v2/health/ready", b"\r\n")])
        finally:
            for sock in busy:
                sock.close()
        open_inference(answer, 503, "server_busy")
        assert answer[1]["retry-after"] == "1"
        assert httpx.get(f"http://127.0.0.1:{full.port}/v2/health/live").status_code == 200
