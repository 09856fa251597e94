"""HTTP framing limits of the worker, over raw sockets against gunicorn: head size, head
timeout, connections per worker, and no request after a body left unread."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from specserve.config import Settings
from tests.live import LiveService

pytestmark = pytest.mark.slow

HEAD_TIMEOUT = 2.0
MAX_CONNECTIONS = 6
MAX_HEAD = 32 * 1024
MiB = 1 << 20
STATUS_LINE = re.compile(rb"HTTP/1\.1 (\d{3}) ")


@pytest.fixture(scope="module")
def svc(workdir, model_dir, keys_file, api_key):
    env = {
        "SPECSERVE_HEAD_TIMEOUT": str(HEAD_TIMEOUT),
        "SPECSERVE_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
        "SPECSERVE_MAX_HEAD_BYTES": str(MAX_HEAD),
    }
    with LiveService(workdir, model_dir, keys_file, workers=1, env=env) as service:
        yield service


class Reader(threading.Thread):
    """Reads a socket until EOF or reset, so answers are seen while the client still sends."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__(daemon=True)
        self.sock, self.data, self.closed_at = sock, b"", None

    def run(self) -> None:
        try:
            while chunk := self.sock.recv(65536):
                self.data += chunk
        except OSError:
            pass
        self.closed_at = time.monotonic()

    def statuses(self) -> list[int]:
        return [int(m) for m in STATUS_LINE.findall(self.data)]

    def problem(self) -> dict:
        head, _, body = self.data.partition(b"\r\n\r\n")
        assert b"content-type: application/problem+json" in head.lower()
        return json.loads(body)


def connect(svc: LiveService) -> tuple[socket.socket, Reader]:
    sock = socket.create_connection(("127.0.0.1", svc.port), timeout=30)
    reader = Reader(sock)
    reader.start()
    return sock, reader


def send_quietly(sock: socket.socket, chunks) -> int:
    """Send until the server stops reading; the number of bytes it accepted."""
    sent = 0
    try:
        for chunk in chunks:
            sock.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    return sent


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def settled_rss(svc: LiveService, pid: int) -> int:
    for _ in range(5):  # a few requests so lazily built state exists before the baseline
        httpx.get(f"{svc.base_url}/health", timeout=5)
    time.sleep(0.5)
    return rss_kib(pid)


def test_an_endless_header_gets_431_and_memory_stays_at_baseline(svc):
    (pid,) = svc.worker_pids()
    before = settled_rss(svc, pid)
    peak = before
    for prefix in (
        b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ",  # one header of 64 MiB
        b"GET /v1/" + b"p" * 1024,  # a 64 MiB path
    ):
        sock, reader = connect(svc)
        started = time.monotonic()
        send_quietly(sock, [prefix, *(b"a" * MiB for _ in range(64))])
        reader.join(10)
        peak = max(peak, rss_kib(pid))
        assert reader.statuses() == [431], reader.data[:200]
        problem = reader.problem()
        assert problem["status"] == 431 and problem["error"] == "headers_too_large"
        assert reader.closed_at - started < 6, "the connection is closed after the answer"
        sock.close()
    after = settled_rss(svc, pid)
    print(f"worker RSS: before {before} KiB, peak {peak} KiB, after {after} KiB")
    assert after - before < 8 * 1024, (before, peak, after)
    assert peak - before < 16 * 1024, (before, peak, after)
    assert httpx.get(f"{svc.base_url}/health").status_code == 200


def test_an_endless_header_behind_a_request_is_refused_after_its_answer(svc):
    sock, reader = connect(svc)
    get = b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
    send_quietly(
        sock, [get + b"GET /v1/health HTTP/1.1\r\nX-Big: ", *(b"a" * MiB for _ in range(8))]
    )
    reader.join(10)
    assert reader.statuses() == [200, 431]


def test_a_complete_but_oversized_head_gets_431(svc):
    sock, reader = connect(svc)
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 1000) for i in range(40))
    sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    reader.join(10)
    assert reader.statuses() == [431]
    assert reader.problem()["error"] == "headers_too_large"


def test_an_idle_connection_is_closed_after_the_head_timeout(svc):
    sock, reader = connect(svc)
    started = time.monotonic()
    reader.join(HEAD_TIMEOUT + 10)
    waited = reader.closed_at - started
    print(f"idle connection closed after {waited:.2f} s (SPECSERVE_HEAD_TIMEOUT={HEAD_TIMEOUT})")
    assert reader.data == b""
    assert HEAD_TIMEOUT - 0.2 < waited < HEAD_TIMEOUT + 1.5


def test_a_dripping_head_gets_408_at_the_head_timeout(svc):
    sock, reader = connect(svc)
    started = time.monotonic()
    sock.sendall(b"GET /v1/health HTTP/1.1\r\n")
    for i in range(int(HEAD_TIMEOUT * 4) + 8):  # a header every 0.25 s, never the blank line
        if reader.closed_at:
            break
        send_quietly(sock, [b"X-Drip-%d: 1\r\n" % i])
        time.sleep(0.25)
    reader.join(5)
    assert reader.closed_at - started < HEAD_TIMEOUT + 1.5
    assert reader.statuses() == [408]
    assert reader.problem()["error"] == "request_timeout"


def test_a_kept_alive_connection_times_out_a_slow_next_head(svc):
    sock, reader = connect(svc)
    sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.5)
    started = time.monotonic()
    sock.sendall(b"GET /v1/health HTTP/1.1\r\n")  # the next head never completes
    reader.join(HEAD_TIMEOUT + 10)
    assert reader.statuses() == [200, 408]
    assert reader.closed_at - started < HEAD_TIMEOUT + 1.5


def test_beyond_max_connections_a_request_gets_503(svc):
    """Only when every slot is in use (each held connection is mid-head: silent ones would
    give way, tests/integration/test_connection_slots.py) does a newcomer get 503."""
    held = [socket.create_connection(("127.0.0.1", svc.port)) for _ in range(MAX_CONNECTIONS)]
    for s in held:
        s.sendall(b"GET /v1/health HTTP/1.1\r\n")
    try:
        time.sleep(0.2)
        sock, reader = connect(svc)
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        reader.join(5)
        assert reader.statuses() == [503]
        head = reader.data.split(b"\r\n\r\n")[0].lower()
        assert b"retry-after: 1" in head and b"connection: close" in head
        assert reader.problem()["error"] == "server_busy"
    finally:
        for s in held:
            s.close()
    time.sleep(0.3)
    assert httpx.get(f"{svc.base_url}/health").status_code == 200


def test_after_a_413_on_a_chunked_body_the_connection_closes(svc, api_key):
    sock, reader = connect(svc)
    chunk = b"1" * 65536
    chunks = Settings.model_fields["max_body_bytes"].default // len(chunk) + 8  # past the limit
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(chunks)) + b"0\r\n\r\n"
    head = (
        b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nX-API-Key: " + api_key.encode() + b"\r\n\r\n"
    )
    # a request pipelined behind the body: it is body bytes to the server, never a request
    send_quietly(sock, [head, body, b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"])
    reader.join(10)
    assert reader.closed_at is not None, "the connection stays open"
    assert reader.statuses() == [413]


def test_keep_alive_and_pipelining_still_work(svc):
    sock, reader = connect(svc)
    get = b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
    sock.sendall(get + get + b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    reader.join(10)
    assert reader.statuses() == [200, 200, 200]


def test_a_malformed_request_still_gets_400_in_the_error_shape(svc):
    sock, reader = connect(svc)
    sock.sendall(b"GET /v1/health HTTP/1.1\r\nHo\x01st: x\r\n\r\n")
    reader.join(10)
    assert reader.statuses() == [400]
    assert reader.problem()["error"] == "malformed_request"
