"""Connection slots go to the clients that use them: at `SPECSERVE_MAX_CONNECTIONS` a worker
closes first the connections that never sent a byte (longest held first), then idle kept-alive
ones; under pressure a new connection gets little time for its first byte; and one address
holds at most `SPECSERVE_MAX_CONNECTIONS_PER_ADDRESS` connections (trusted proxies excepted).

Raw sockets and httpx against one gunicorn worker, from distinct loopback source addresses
(127.0.0.x), with a small connection limit so a few hundred sockets make the flood."""

from __future__ import annotations

import contextlib
import re
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.live import LiveService

pytestmark = pytest.mark.slow

MAX_CONNECTIONS = 50
PER_ADDRESS = 20
PROXY = "127.0.0.2"  # SPECSERVE_TRUSTED_PROXIES: uncapped
CLIENT = "127.0.0.3"  # the legitimate client
BUSY_FIRST_BYTE = 3.0  # worker.BUSY_FIRST_BYTE_SECONDS
STATUS_LINE = re.compile(rb"HTTP/1\.1 (\d{3}) ")
HEALTH = b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.fixture(scope="module")
def svc(workdir, model_dir, keys_file, api_key):
    env = {
        "SPECSERVE_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
        "SPECSERVE_MAX_CONNECTIONS_PER_ADDRESS": str(PER_ADDRESS),
        "SPECSERVE_TRUSTED_PROXIES": PROXY,
    }
    with LiveService(workdir, model_dir, keys_file, workers=1, env=env) as service:
        yield service


def dial(svc: LiveService, source: str) -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", svc.port))
    return sock


def addresses(count: int, first: int = 10) -> Iterator[str]:
    """`count` sources, at most PER_ADDRESS from each of 127.0.0.<first>, <first + 1>, ..."""
    for i in range(count):
        yield f"127.0.0.{first + i // PER_ADDRESS}"


@contextlib.contextmanager
def held(svc: LiveService, sources, payload: bytes = b"") -> Iterator[list[socket.socket]]:
    """Sockets opened from `sources`, each sending `payload` (nothing by default), kept open."""
    socks = []
    try:
        for source in sources:
            socks.append(dial(svc, source))
            if payload:
                socks[-1].sendall(payload)
        time.sleep(0.3)  # the worker accepts them all
        yield socks
    finally:
        for sock in socks:
            sock.close()
        time.sleep(0.3)  # the worker sees them go


def is_open(sock: socket.socket) -> bool:
    """No end of stream waiting on the socket: the server has not closed it."""
    try:
        return sock.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def read_answer(sock: socket.socket) -> bytes:
    """One response on a kept-alive connection (the head and its Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head.lower()).group(1))
    while len(body) < length:
        body += sock.recv(65536)
    return head


def client(source: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=10)


def test_prompt_clients_are_served_while_hundreds_of_silent_sockets_are_held(svc, api_key):
    statuses = []
    with held(svc, addresses(300)) as silent:
        for _ in range(10):  # each request on a new connection, as a client of its own
            with client(CLIENT) as http:
                statuses.append(http.get(f"{svc.base_url}/health").status_code)
            with client(CLIENT) as http:
                r = http.post(
                    f"{svc.base_url}/predict",
                    json={"features": [1500.5, 2, 0.75]},
                    headers={"X-API-Key": api_key},
                )
                statuses.append(r.status_code)
        still_open = sum(map(is_open, silent))
    print(f"prompt requests: {statuses}; silent sockets still open: {still_open} of 300")
    assert statuses == [200] * 20
    assert still_open <= MAX_CONNECTIONS


def test_silent_sockets_give_way_before_idle_kept_alive_ones(svc):
    kept = [dial(svc, CLIENT) for _ in range(10)]
    try:
        for sock in kept:
            sock.sendall(HEALTH)
            assert b" 200 " in read_answer(sock)
        with held(svc, addresses(MAX_CONNECTIONS - 10)) as silent, client(CLIENT) as http:
            assert http.get(f"{svc.base_url}/health").status_code == 200
            time.sleep(0.1)
            assert [is_open(s) for s in kept] == [True] * 10, "an idle kept-alive one closed"
            assert not is_open(silent[0]), "the longest-held silent socket gives way first"
            assert all(map(is_open, silent[1:]))
    finally:
        for sock in kept:
            sock.close()
        time.sleep(0.3)


def test_at_the_limit_the_longest_idle_kept_alive_connection_gives_way(svc):
    kept = [dial(svc, source) for source in addresses(MAX_CONNECTIONS)]
    try:
        for sock in kept:  # all served, all idle within gunicorn's 5 s keep-alive
            sock.sendall(HEALTH)
            assert b" 200 " in read_answer(sock)
        with client(CLIENT) as http:
            assert http.get(f"{svc.base_url}/health").status_code == 200
        time.sleep(0.1)
        assert not is_open(kept[0])
        assert all(map(is_open, kept[1:]))
    finally:
        for sock in kept:
            sock.close()
        time.sleep(0.3)


def test_under_pressure_a_silent_socket_gets_little_time_for_its_first_byte(svc):
    # more than half the slots held: a new connection has BUSY_FIRST_BYTE seconds, not 15
    with held(svc, addresses(MAX_CONNECTIONS // 2 + 1)), held(svc, [CLIENT]) as (late,):
        late.settimeout(BUSY_FIRST_BYTE + 5)
        started = time.monotonic()
        assert late.recv(1) == b""  # closed without an answer: it asked nothing
        waited = time.monotonic() - started
    print(f"silent socket under pressure closed after {waited:.2f} s")
    assert waited < BUSY_FIRST_BYTE + 1


def test_one_address_beyond_its_share_gets_429_and_others_are_served(svc):
    with held(svc, [CLIENT] * PER_ADDRESS), held(svc, [CLIENT]) as (extra,):
        extra.sendall(HEALTH)
        extra.settimeout(5)
        data = b""
        with contextlib.suppress(OSError):
            while chunk := extra.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        assert STATUS_LINE.findall(head) == [b"429"], data[:200]
        assert b"retry-after: 1" in head.lower() and b"connection: close" in head.lower()
        assert b"application/problem+json" in head.lower()
        assert httpx.Response(429, content=body).json()["error"] == "too_many_connections"
        with client("127.0.0.4") as other:
            assert other.get(f"{svc.base_url}/health").status_code == 200


def test_a_trusted_proxy_is_not_capped_per_address(svc):
    with held(svc, [PROXY] * (PER_ADDRESS + 5)), client(PROXY) as proxy:
        assert proxy.get(f"{svc.base_url}/health").status_code == 200


def test_when_every_slot_is_reading_a_request_a_newcomer_gets_503(svc):
    partial = b"GET /v1/health HTTP/1.1\r\n"  # a head begun: the connection is in use
    with held(svc, addresses(MAX_CONNECTIONS), partial), client(CLIENT) as http:
        r = http.get(f"{svc.base_url}/health")
        assert r.status_code == 503 and r.json()["error"] == "server_busy"
        assert r.headers["retry-after"] == "1"


def test_an_ipv6_host_counts_as_its_64_and_trusted_proxies_are_not_counted():
    from specserve.http.worker import FramingLimits
    from specserve.ratelimit.clientip import trusted_networks

    limits = FramingLimits(1024, 15, 50, PER_ADDRESS, tuple(trusted_networks("10.0.0.0/8")))
    key = limits.address_key
    assert key(("2001:db8::1", 1)) == key(("2001:db8::ffff:1", 2)) == "2001:db8::/64"
    assert key(("2001:db8:0:1::1", 1)) != key(("2001:db8::1", 1))
    assert key(("::ffff:192.0.2.7", 1)) == key(("192.0.2.7", 2)) == "192.0.2.7"
    assert key(("10.1.2.3", 1)) is None and key(("::ffff:10.1.2.3", 1)) is None
    assert FramingLimits(1024, 15, 50, 0).address_key(("192.0.2.7", 1)) is None
