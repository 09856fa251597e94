"""A redis-server of the bench's own, on a free loopback port, so its CPU can be counted."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time

from scripts.bench.service import free_port, proc_cpu

MISSING = "the bench starts its own redis-server: apt-get install -y redis-server"


class RedisServer:
    """`redis-server` with no persistence; `cpu_seconds()` reads its /proc CPU time."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="specserve-bench-redis-")

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(MISSING)
        cmd = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        cmd += ["--appendonly", "no", "--dir", self._dir.name]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def cpu_seconds(self) -> float:
        return (proc_cpu(self.proc.pid) or 0.0) if self.proc else 0.0

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self._dir.cleanup()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
