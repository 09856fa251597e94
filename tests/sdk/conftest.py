"""A live service that also issues bearer tokens, and helpers for the SDK tests."""

from __future__ import annotations

import secrets
import subprocess
import sys
import uuid

import httpx
import pytest

from tests.live import ROOT, LiveService, free_port


@pytest.fixture(scope="module")
def jwt_secret() -> str:
    return secrets.token_urlsafe(48)


@pytest.fixture(scope="module")
def token_service(workdir, model_dir, keys_file, api_key, jwt_secret):
    """The service with token issuance on (SPECSERVE_JWT_SECRET: 48 random bytes)."""
    with LiveService(
        workdir, model_dir, keys_file, env={"SPECSERVE_JWT_SECRET": jwt_secret}
    ) as svc:
        yield svc


@pytest.fixture(scope="module")
def unhealthy_service(tmp_path_factory, keys_file, api_key):
    """The service with no model at all: /health and the predictions answer 503."""
    workdir = tmp_path_factory.mktemp("unhealthy")
    (workdir / "models").mkdir()
    with LiveService(workdir, workdir / "models", keys_file, workers=1) as svc:
        yield svc


@pytest.fixture(scope="module")
def rate_limited_service(workdir, model_dir, keys_file, api_key):
    """One worker, 3 requests per second per key (shared Redis when the run has one)."""
    import os

    env = {"SPECSERVE_RATE_LIMIT": "3/second"}
    if os.environ.get("SPECSERVE_TEST_REDIS_URL"):
        env["SPECSERVE_REDIS_URL"] = os.environ["SPECSERVE_TEST_REDIS_URL"]
    with LiveService(workdir, model_dir, keys_file, workers=1, env=env) as svc:
        yield svc


class Stub:
    """The fault-injecting stub server (tests/sdk/stub_server.py) on a free loopback port."""

    def __init__(self, port: int) -> None:
        self.root = f"http://127.0.0.1:{port}"

    def url(self, fault: str) -> str:
        """A base URL whose requests get `fault`, counted apart from every other test's."""
        return f"{self.root}/{fault}.{uuid.uuid4().hex[:10]}/v1"

    def count(self, base_url: str) -> int:
        token = base_url.removeprefix(self.root + "/").split("/")[0]
        return httpx.get(f"{self.root}/_count/{token}", timeout=5).json()["count"]


@pytest.fixture(scope="session")
def stub():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.sdk.stub_server", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield Stub(port)
    finally:
        proc.terminate()
        proc.wait(10)
