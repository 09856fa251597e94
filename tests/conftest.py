"""Shared fixtures: one trained default model per run, a live service per module."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.live import hermetic_environ

# Hermetic: no SPECSERVE_* setting from the developer's shell or the Makefile reaches a test
# (only the SPECSERVE_TEST_* variables tests read). Done before anything builds Settings.
_environ = hermetic_environ()
os.environ.clear()
os.environ.update(_environ)

from specserve.auth.keys import KeyStore  # noqa: E402
from tests.live import LiveService, postgres_url, redis_url, train_default_model  # noqa: E402

# Writes reports/api_test_results.json and reports/integration_report.md at the end of a run.
pytest_plugins = ["tests.reporting"]


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory) -> Path:
    """The default model, trained once per run; copy it before changing it."""
    model_dir = tmp_path_factory.mktemp("models")
    train_default_model(model_dir)
    return model_dir


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("svc")


@pytest.fixture(scope="module")
def model_dir(trained_model_dir, workdir) -> Path:
    target = workdir / "models"
    shutil.copytree(trained_model_dir, target)
    return target


@pytest.fixture(scope="module")
def keys_file(workdir) -> Path:
    return workdir / "api_keys.json"


@pytest.fixture(scope="module")
def api_key(keys_file) -> str:
    return KeyStore(keys_file).create("tests")[1]


@pytest.fixture(scope="session")
def test_redis() -> str:
    url = redis_url()
    requires("Redis (SPECSERVE_TEST_REDIS_URL)", url is not None)
    return url


@pytest.fixture(scope="session")
def test_postgres() -> str:
    url = postgres_url()
    requires("PostgreSQL (SPECSERVE_TEST_POSTGRES_URL)", url is not None)
    return url


def jwt_secret() -> str:
    import secrets

    return secrets.token_urlsafe(48)


@pytest.fixture(scope="module")
def service(workdir, model_dir, keys_file, api_key, test_redis):
    """The service as in production: 2 workers sharing Redis for rate limits (set high by
    LiveService), bearer tokens on, responses validated against the spec."""
    env = {
        "SPECSERVE_APP": os.environ.get("SPECSERVE_TEST_APP", "async"),
        "SPECSERVE_REDIS_URL": test_redis,
        "SPECSERVE_JWT_SECRET": jwt_secret(),
    }
    with LiveService(workdir, model_dir, keys_file, env=env) as svc:
        yield svc


def requires(component: str, available: bool):
    """Skip when a system component is missing, except in CI, where it must be there."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{component} is required in CI but is not available")
    pytest.skip(f"{component} is not available on this machine")


SECRET_PATTERNS = [
    re.compile(r"ssk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"),  # API keys
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWTs
]


@pytest.fixture(scope="session", autouse=True)
def no_credentials_in_any_log(tmp_path_factory):
    """After the whole run: no service log written by any test holds a key or a token."""
    yield
    root = tmp_path_factory.getbasetemp()
    leaks = []
    for log in root.rglob("service-*.log"):
        text = log.read_text(errors="replace")
        for pattern in SECRET_PATTERNS:
            leaks += [f"{log.name}: {m[:16]}..." for m in pattern.findall(text)]
    assert not leaks, f"credentials found in service logs: {leaks[:5]}"


# Suites that start live processes (gunicorn, nginx, Chromium, wrk, generators under test).
LIVE_SUITES = ("integration", "contract", "sdk", "bench", "deploy")


def pytest_collection_modifyitems(config, items):
    """Mark every test of the live suites `slow`: `make test-fast` (-m "not slow") is the
    unit and in-process layer."""
    root = Path(__file__).parent
    for item in items:
        parts = Path(item.fspath).relative_to(root).parts
        if parts and parts[0] in LIVE_SUITES:
            item.add_marker(pytest.mark.slow)
