"""The TypeScript SDK's `node --test` suite (tests/sdk/typescript) against live services."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "generated" / "typescript-client" / "dist" / "index.js"


def test_typescript_sdk_suite(token_service, unhealthy_service, rate_limited_service, api_key):
    node = shutil.which("node")
    requires("Node.js", node is not None)
    requires("the built TypeScript SDK (make sdk-deps)", BUILT.exists())
    env = {
        **os.environ,
        "SPECSERVE_TEST_URL": token_service.base_url,
        "SPECSERVE_TEST_API_KEY": api_key,
        "SPECSERVE_TEST_UNHEALTHY_URL": unhealthy_service.base_url,
        "SPECSERVE_TEST_RATE_LIMITED_URL": rate_limited_service.base_url,
    }
    out = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(ROOT / "tests/sdk/typescript/sdk.test.mjs")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    summary = dict(
        line.removeprefix("ℹ ").split(" ", 1)
        for line in out.stdout.splitlines()
        if line.startswith("ℹ ") and line.count(" ") == 2
    )
    assert summary["fail"] == "0", out.stdout[-4000:]
    assert summary["pass"] == "8", out.stdout[-2000:]
