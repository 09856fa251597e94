"""Model watching is each worker's own background task: an app that receives no request
still loads a new version, refuses a broken one and reports it in `/health` within
`SPECSERVE_MODEL_POLL_SECONDS`; no request pays for a poll."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import Any

import pytest

from specserve.app import create_app
from specserve.auth.filestore import FileKeyStore
from specserve.config import Settings

POLL = 0.2


@pytest.fixture
def model_dir(trained_model_dir, tmp_path) -> Any:
    """A fresh model directory per test: each changes it."""
    shutil.copytree(trained_model_dir, tmp_path / "models")
    return tmp_path / "models"


def make_app(model_dir, keys_file, poll: float) -> Any:
    settings = Settings(
        model_dir=model_dir, keys_file=keys_file, model_poll_seconds=poll, rate_limit_enabled=False
    )
    return create_app(settings)


def within(seconds: float, condition: Callable[[], bool]) -> float:
    """How long `condition` took to hold (fails past `seconds`)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "not seen in time"
        time.sleep(0.02)
    return time.monotonic() - started


def serving(app: Any) -> Any:
    return app.app_state.data_plane.registry.get("fraud-detector")


def add_version(model_dir, version: str, broken: bool = False) -> None:
    folder = model_dir / "fraud-detector" / version
    shutil.copytree(model_dir / "fraud-detector" / "1.0.0", folder)
    if broken:
        for artifact in ("model.onnx", "model.skops"):
            (folder / artifact).write_bytes(b"not a model")


def test_an_idle_app_loads_a_new_version_and_reports_a_broken_one(model_dir, keys_file):
    app = make_app(model_dir, keys_file, POLL)
    with app.test_client(base_url="http://testserver/v1") as client:  # lifespan: the watcher
        add_version(model_dir, "1.1.0")
        within(POLL * 10, lambda: serving(app).version == "1.1.0")
        add_version(model_dir, "1.2.0", broken=True)
        within(POLL * 10, lambda: serving(app).newer_error is not None)
        assert serving(app).version == "1.1.0"  # the broken one never replaces it
        key = FileKeyStore(keys_file).create("operator", scopes=["metrics:read"])[1]
        health = client.get("/health", headers={"X-API-Key": key})  # the app's first request
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "degraded" and body["model_version"] == "1.1.0"
        assert body["checks"]["model:fraud-detector"]["status"] == "warn"
        assert "1.2.0 failed to load" in body["checks"]["model:fraud-detector"]["detail"]
    assert app.app_state.watcher.done()  # stopped at shutdown


def test_requests_never_poll(model_dir, keys_file):
    """Without the watcher (interval 0) a new version waits for a reload, however many
    requests come: the request path never looks at the disk."""
    app = make_app(model_dir, keys_file, 0)
    with app.test_client(base_url="http://testserver/v1") as client:
        add_version(model_dir, "2.0.0")
        for _ in range(5):
            assert client.get("/health").json()["model_version"] == "1.0.0"
            time.sleep(POLL)
        assert app.app_state.watcher is None and serving(app).version == "1.0.0"
