"""The TypeScript SDK's `node --test` suites (tests/sdk/typescript) against live services and
the fault-injecting stub."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "generated" / "typescript-client" / "dist" / "index.js"


def node_suite(name: str, env: dict[str, str]) -> dict[str, str]:
    node = shutil.which("node")
    requires("Node.js", node is not None)
    requires("the built TypeScript SDK (make sdk-deps)", BUILT.exists())
    out = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(ROOT / "tests/sdk/typescript" / name)],
        cwd=ROOT,
        env={**os.environ, **env},
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
    return summary


def test_typescript_sdk_suite(token_service, unhealthy_service, rate_limited_service, api_key):
    env = {
        "SPECSERVE_TEST_URL": token_service.base_url,
        "SPECSERVE_TEST_API_KEY": api_key,
        "SPECSERVE_TEST_UNHEALTHY_URL": unhealthy_service.base_url,
        "SPECSERVE_TEST_RATE_LIMITED_URL": rate_limited_service.base_url,
    }
    assert node_suite("sdk.test.mjs", env)["pass"] == "9"


def test_typescript_sdk_against_faults(stub):
    assert node_suite("faults.test.mjs", {"SPECSERVE_STUB_URL": stub.root})["pass"] == "12"
