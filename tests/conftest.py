"""Shared fixtures: one trained default model per run, a live service per module."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from specserve.keys import KeyStore
from tests.live import LiveService, train_default_model

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


@pytest.fixture(scope="module")
def service(workdir, model_dir, keys_file, api_key):
    """The service in its default configuration (2 workers, responses validated)."""
    with LiveService(
        workdir,
        model_dir,
        keys_file,
        env={"SPECSERVE_APP": os.environ.get("SPECSERVE_TEST_APP", "async")},
    ) as svc:
        yield svc


def requires(component: str, available: bool):
    """Skip when a system component is missing, except in CI, where it must be there."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{component} is required in CI but is not available")
    pytest.skip(f"{component} is not available on this machine")
