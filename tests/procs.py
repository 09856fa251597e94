"""Short-lived commands (the CLI, gunicorn refusing to start) run with a clean environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def clean_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The test's own settings only: nothing from the developer's shell or the Makefile."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SPECSERVE_") or k.startswith("SPECSERVE_TEST_")
    }
    env["SPECSERVE_KEYS_FILE"] = str(tmp_path / "keys.json")
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "prom")
    env.update({f"SPECSERVE_{k.upper()}": v for k, v in settings.items()})
    return env


def run(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run to completion; on a hang, end the whole process group (a master and its workers)."""
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"{command[0]} did not exit:\n{err[-2000:]}")
    return subprocess.CompletedProcess(command, proc.returncode, out, err)
