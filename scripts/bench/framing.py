"""The worker's framing limits, measured on a live service (one worker, default settings):
its RSS before, during and after a 64 x 1 MiB header flood and a 64 MiB path, and how long
idle connections live. Writes reports/framing.json.

    .venv/bin/python -m scripts.bench.framing --model-dir models --out reports
"""

from __future__ import annotations

import argparse
import contextlib
import json
import select
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

from scripts.bench.service import Server

MiB = 1 << 20
FLOODS = {
    "header_64x1MiB": b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ",
    "path_64MiB": b"GET /v1/",
}


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(ln for ln in status.splitlines() if ln.startswith("VmRSS:")).split()[1])


def flood(port: int, prefix: bytes, pid: int) -> dict:
    """Send the prefix and 64 MiB after it; the answer, when the server closed, peak RSS."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    answer, peak, started = [b""], [rss_kib(pid)], time.monotonic()

    def read() -> None:
        try:
            while chunk := sock.recv(65536):
                answer[0] += chunk
        except OSError:
            pass

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        sock.sendall(prefix)
        for _ in range(64):
            sock.sendall(b"a" * MiB)
            peak[0] = max(peak[0], rss_kib(pid))
    except OSError:
        pass
    reader.join(10)
    sock.close()
    return {
        "status": answer[0][9:12].decode() or None,
        "closed_after_s": round(time.monotonic() - started, 3),
        "peak_rss_kib": max(peak[0], rss_kib(pid)),
    }


def idle_close_seconds(port: int, count: int = 3, limit: float = 60) -> list[float | None]:
    """Seconds until each of `count` silent connections is closed (None: open after `limit`)."""
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    started, closed = time.monotonic(), {}
    while len(closed) < count and time.monotonic() - started < limit:
        readable, _, _ = select.select([s for s in socks if s not in closed], [], [], 0.5)
        for sock in readable:
            with contextlib.suppress(OSError):
                sock.recv(1)
            closed[sock] = round(time.monotonic() - started, 3)
    for sock in socks:
        sock.close()
    return [closed.get(sock) for sock in socks]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="models")
    parser.add_argument("--out", default="reports")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "SPECSERVE_WORKERS": "1",
            "SPECSERVE_MODEL_DIR": str(Path(args.model_dir).resolve()),
            "SPECSERVE_KEYS_FILE": str(Path(tmp) / "keys.json"),
            "SPECSERVE_RATE_LIMIT_ENABLED": "false",
        }
        server = Server("framing", Path(tmp), env).start()
        try:
            (pid,) = server.worker_pids()
            time.sleep(1)
            before = rss_kib(pid)
            floods = {name: flood(server.port, prefix, pid) for name, prefix in FLOODS.items()}
            time.sleep(1)
            after = rss_kib(pid)
            idle = idle_close_seconds(server.port)
        finally:
            server.stop()
    result = {
        "rss_kib": {"before": before, "after": after, "growth": after - before},
        "floods": floods,
        "idle_connection_closed_after_s": idle,
        "idle_median_s": statistics.median(t for t in idle if t is not None) if all(idle) else None,
    }
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "framing.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
