"""A live service that also issues bearer tokens, and helpers for the SDK tests."""

from __future__ import annotations

import secrets

import pytest

from tests.live import LiveService


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
