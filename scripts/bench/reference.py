"""A reference service for the head-to-head: started by `BENCH_REF_CMD`, loaded at `BENCH_REF_URL`.

`BENCH_REF_CMD` is a shell command that serves in the foreground (e.g. `uvicorn app:app
--workers 2 --port 8100`); `BENCH_REF_URL` is its base URL (e.g. `http://127.0.0.1:8100`),
to which `/predict` and `/batch_predict` are appended, with the same bodies and `X-API-Key`
header as ours (`BENCH_REF_API_KEY`, else our bench key). Its CPU is every process of the
session the command starts, so workers and any helpers it spawns are all counted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from scripts.bench.service import _stat_fields, connections_by_pid, proc_cpu, proc_rss_mb

NAME = "reference"


def configured() -> tuple[str, str] | None:
    cmd, url = os.environ.get("BENCH_REF_CMD"), os.environ.get("BENCH_REF_URL")
    if bool(cmd) != bool(url):
        raise SystemExit("set both BENCH_REF_CMD (to start it) and BENCH_REF_URL (to load it)")
    return (cmd, url.rstrip("/")) if cmd and url else None


class ReferenceServer:
    def __init__(self, cmd: str, base_url: str, log_path: Path) -> None:
        self.name = NAME
        self.cmd, self.base_url = cmd, base_url
        self.port = urlsplit(base_url).port or 80
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.ready_seconds: float | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self, timeout: float = 60) -> ReferenceServer:
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.cmd, shell=True, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        started = time.monotonic()
        while time.monotonic() < started + timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"BENCH_REF_CMD exited:\n{self.tail()}")
            if self._answers():
                self.ready_seconds = time.monotonic() - started
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"BENCH_REF_URL did not answer within {timeout} s:\n{self.tail()}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def _session(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                fields = _stat_fields(int(entry.name))
                if fields is not None and int(fields[3]) == self.proc.pid:  # session id
                    found.append(int(entry.name))
        return sorted(found)

    def worker_pids(self) -> list[int]:
        """Processes that hold its connections (workers), else the whole session."""
        pids = self._session()
        held = connections_by_pid(self.port, pids)
        busy = [pid for pid in pids if held.get(pid)]
        return busy or [pid for pid in pids if pid != self.proc.pid] or pids

    def cpu_seconds(self) -> dict[int, float]:
        return {pid: cpu for pid in self._session() if (cpu := proc_cpu(pid)) is not None}

    def connections(self) -> dict[int, int]:
        return connections_by_pid(self.port, self.worker_pids())

    def rss_mb(self) -> list[float]:
        return [rss for pid in self.worker_pids() if (rss := proc_rss_mb(pid)) is not None]

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
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
