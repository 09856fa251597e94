"""Live service fixtures: real gunicorn processes on free loopback ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def hermetic_environ() -> dict[str, str]:
    """The environment without `SPECSERVE_*` settings (the `SPECSERVE_TEST_*` ones stay)
    nor OpenTelemetry's `OTEL_*`: what a developer's shell or `make serve` set never changes
    what a test sees."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SPECSERVE_", "OTEL_")) or k.startswith("SPECSERVE_TEST_")
    }


def redis_url() -> str | None:
    """The Redis for tests (SPECSERVE_TEST_REDIS_URL), if it answers."""
    url = os.environ.get("SPECSERVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - unreachable for any reason
        return None
    return url


def postgres_url() -> str | None:
    """The PostgreSQL for tests (SPECSERVE_TEST_POSTGRES_URL), if it answers."""
    url = os.environ.get("SPECSERVE_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=2).close()
    except Exception:  # noqa: BLE001 - unreachable for any reason
        return None
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def train_default_model(model_dir: Path, version: str = "1.0.0") -> Path:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_default_model.py"),
            "--model-dir",
            str(model_dir),
            "--version",
            version,
        ],
        check=True,
        capture_output=True,
    )
    return model_dir / "fraud-detector" / version


class LiveService:
    """gunicorn + specserve, started with its production config and a test environment."""

    def __init__(
        self,
        workdir: Path,
        model_dir: Path,
        keys_file: Path,
        *,
        workers: int = 2,
        env: dict[str, str] | None = None,
        app: str | None = None,
    ) -> None:
        self.workdir = workdir
        self.app = app  # another app factory than gunicorn.conf.py's, e.g. a test fixture
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = workdir / f"service-{self.port}.log"
        self.env = {
            **hermetic_environ(),
            "SPECSERVE_HOST": "127.0.0.1",
            "SPECSERVE_PORT": str(self.port),
            "SPECSERVE_WORKERS": str(workers),
            "SPECSERVE_MODEL_DIR": str(model_dir),
            "SPECSERVE_KEYS_FILE": str(keys_file),
            "SPECSERVE_VALIDATE_RESPONSES": "true",
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"prom-{self.port}"),
            # each service counts in its own keys of the shared Redis, unless a test says so
            "SPECSERVE_RATE_LIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
            # services are not throttled unless a test sets a limit; they share Redis as in
            # production when one answers (a test passes "" to run the in-process store)
            "SPECSERVE_RATE_LIMIT": "1000000/minute",
            "SPECSERVE_USAGE_RETENTION_DAYS": "1",  # test usage leaves the shared Redis soon
            **({"SPECSERVE_REDIS_URL": url} if (url := redis_url()) else {}),
            **(env or {}),
        }
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> LiveService:
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
        self.proc = subprocess.Popen(
            command + ([self.app] if self.app else []),
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"service exited:\n{self.logs()[-3000:]}")
            try:
                if httpx.get(f"{self.base_url}/health", timeout=2).status_code in (200, 503):
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"service did not start:\n{self.logs()[-3000:]}")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 30) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait(5)
        finally:
            self._log.close()

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> LiveService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
