"""A gunicorn process tree started like production (`gunicorn.conf.py`), and its /proc figures."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLK_TCK = os.sysconf("SC_CLK_TCK")
# High enough never to trip during a bench, for a service that rate-limits per key.
BENCH_RATE_LIMIT = "1000000000/minute"


def bench_redis_url() -> str | None:
    """Production keeps rate-limit counters in Redis (one worker per core); the bench does
    too: SPECSERVE_REDIS_URL, else SPECSERVE_TEST_REDIS_URL, else a local Redis if one
    answers. Without any, the service runs its exact single-worker in-process mode."""
    url = os.environ.get("SPECSERVE_REDIS_URL") or os.environ.get(
        "SPECSERVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"
    )
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - unreachable for any reason
        return None
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn -c gunicorn.conf.py [APP], on a free loopback port, logs to a file."""

    def __init__(self, name: str, workdir: Path, env: dict[str, str], app: str | None = None):
        self.name = name
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = workdir / f"{name.replace('/', '_')}-{self.port}.log"
        self.env = {
            **os.environ,
            "SPECSERVE_HOST": "127.0.0.1",
            "SPECSERVE_PORT": str(self.port),
            "SPECSERVE_RATE_LIMIT": BENCH_RATE_LIMIT,
            "SPECSERVE_RATE_LIMIT_KEY_PREFIX": f"bench-{self.port}",
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"prom-{self.port}"),
            **env,
        }
        redis_url = bench_redis_url()
        if redis_url and "SPECSERVE_REDIS_URL" not in env:
            self.env["SPECSERVE_REDIS_URL"] = redis_url
        self.app = app
        self.proc: subprocess.Popen | None = None
        self.ready_seconds: float | None = None

    def url(self, path: str) -> str:
        """Where wrk sends `path`: `/predict`, `/batch_predict` under `/v1`; a `/v2/` path
        (the Open Inference Protocol) as it is."""
        base = "" if path.startswith("/v2/") else "/v1"
        return f"http://127.0.0.1:{self.port}{base}{path}"

    def start(self, timeout: float = 60) -> Server:
        cmd = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
        if self.app:
            cmd.append(self.app)
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.tail()}")
            if self._answers() and len(self.worker_pids()) >= self.expected_workers():
                self.ready_seconds = time.monotonic() - started
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not start:\n{self.tail()}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/health", timeout=2):
                return True
        except urllib.error.HTTPError:  # any HTTP answer (the bare floor has no /health)
            return True
        except OSError:
            return False

    def expected_workers(self) -> int:
        limited = self.env.get("SPECSERVE_RATE_LIMIT_ENABLED", "true").lower() != "false"
        if limited and not self.env.get("SPECSERVE_REDIS_URL"):
            return 1  # gunicorn.conf.py keeps in-process limits exact with one worker
        return int(self.env.get("SPECSERVE_WORKERS") or 0) or os.cpu_count() or 1

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid) if self.proc else []

    def cpu_seconds(self) -> dict[int, float]:
        """User + system CPU seconds of the master and each worker, by pid."""
        pids = [self.proc.pid, *self.worker_pids()]
        return {pid: cpu for pid in pids if (cpu := proc_cpu(pid)) is not None}

    def rss_mb(self) -> list[float]:
        """Resident memory of each worker, MB."""
        return [rss for pid in self.worker_pids() if (rss := proc_rss_mb(pid)) is not None]

    def connections(self) -> dict[int, int]:
        """Established client connections each worker holds right now."""
        return connections_by_pid(self.port, self.worker_pids())

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        finally:
            self._log.close()

    def tail(self) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-3000:]


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from 3 (state) on


def proc_cpu(pid: int) -> float | None:
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)


def proc_rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((ln for ln in status.splitlines() if ln.startswith("VmRSS:")), None)
    return int(line.split()[1]) / 1024 if line else None


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        pass
    return inodes


def connections_by_pid(port: int, pids: list[int]) -> dict[int, int]:
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            local_port = int(cols[1].rsplit(":", 1)[1], 16)
            if local_port == port and cols[3] == "01":  # ESTABLISHED, server side
                established.add(cols[9])
    return {pid: len(_socket_inodes(pid) & established) for pid in pids}
