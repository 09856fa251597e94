"""`make serve` then `make test` in one clone: what serving set up never reaches the tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.live import ROOT, LiveService


def test_no_specserve_setting_reaches_a_test():
    leaked = [k for k in os.environ if k.startswith("SPECSERVE_") and "_TEST_" not in k]
    assert leaked == []


def test_a_live_service_ignores_the_shell_and_the_clones_var(tmp_path, monkeypatch):
    secret_file = tmp_path / "jwt_secret"  # what `make serve` writes to var/jwt_secret
    secret_file.write_text("s" * 8 + "0123456789abcdefghijklmnopqrstuvwxyz")
    monkeypatch.setenv("SPECSERVE_JWT_SECRET_FILE", str(secret_file))
    monkeypatch.setenv("SPECSERVE_MODEL_DIR", str(ROOT / "models"))
    monkeypatch.setenv("SPECSERVE_TEST_REDIS_URL", "redis://127.0.0.1:1/0")
    svc = LiveService(tmp_path, tmp_path / "models", tmp_path / "keys.json")
    assert "SPECSERVE_JWT_SECRET_FILE" not in svc.env
    assert svc.env["SPECSERVE_MODEL_DIR"] == str(tmp_path / "models")
    assert svc.env["SPECSERVE_TEST_REDIS_URL"] == "redis://127.0.0.1:1/0"


@pytest.mark.slow  # runs `make`
def test_the_makefile_exports_no_setting_to_recipes(tmp_path):
    probe = tmp_path / "probe.mk"
    probe.write_text("print-env:\n\t@env\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPECSERVE_")}
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "-f", "Makefile", "-f", str(probe), "print-env"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    exported = [line for line in out.splitlines() if line.startswith("SPECSERVE_")]
    assert exported == [], exported
    assert Path(ROOT / "Makefile").read_text().count("export SPECSERVE") == 0
