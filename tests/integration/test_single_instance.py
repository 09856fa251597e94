"""A second instance on a taken address refuses to start, with one clear line, instead of
binding beside the first and silently taking a share of its connections."""

from __future__ import annotations

import httpx
import pytest

from tests.live import LiveService
from tests.procs import BIN, ROOT, run

pytestmark = pytest.mark.slow


def test_a_second_instance_on_a_taken_port_fails_to_start(tmp_path, trained_model_dir):
    first = LiveService(tmp_path, trained_model_dir, tmp_path / "keys.json", workers=1)
    with first:
        env = {**first.env, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom-second")}
        second = run([str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], env)
        assert second.returncode == 2, second.stderr
        errors = [ln for ln in second.stderr.splitlines() if "[INFO]" not in ln]
        assert errors == [
            f"specserve: cannot listen on 127.0.0.1:{first.port} (SPECSERVE_HOST, "
            "SPECSERVE_PORT): Address already in use; is another instance running there?"
        ], second.stderr
        assert "Booting worker" not in second.stderr
        for _ in range(20):  # the first instance alone answers
            assert httpx.get(f"{first.base_url}/health", timeout=5).status_code == 200
