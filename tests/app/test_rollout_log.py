"""A shadowed request's prediction log records carry the shadow's outputs (or its error),
written once the shadow call is done; a request that is not shadowed is logged as before."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from specserve.cli import main
from tests.rollout_store import DIFFERENT, HANGS, HIGH, LOW, MODEL, RAISES, add_candidates


@pytest.fixture(scope="module")
def model_dir(trained_model_dir, workdir):
    target = workdir / "models"
    shutil.copytree(trained_model_dir, target)
    add_candidates(target)
    return target


@pytest.fixture(scope="module")
def log_dir(workdir) -> Path:
    return workdir / "predictions"


@pytest.fixture(scope="module")
def app_overrides(log_dir) -> dict[str, Any]:
    return {"allow_pickle": True, "predict_timeout": 1.0, "prediction_log": f"file:{log_dir}"}


def logged(log_dir: Path, request_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for path in sorted(log_dir.glob("*.jsonl")):
            for line in path.read_bytes().splitlines():
                record = orjson.loads(line)
                if record["request_id"] == request_id:
                    return record
        time.sleep(0.05)
    raise AssertionError(f"{request_id} not logged")


def shadow(app, model_dir, version: str | None) -> None:
    argv = ["shadow", MODEL, version] if version else ["unshadow", MODEL]
    assert main(["models", *argv, "--model-dir", str(model_dir)]) == 0
    app.app_state.data_plane.load()


def predict(client, features: list[float]) -> dict[str, Any]:
    r = client.post("/predict", json={"features": features})
    assert r.status_code == 200, r.text
    return r.json()


def test_records_carry_the_shadow_outputs_or_its_error(app, client, model_dir, log_dir):
    plain = predict(client, LOW)
    assert "shadow" not in logged(log_dir, plain["request_id"])

    shadow(app, model_dir, DIFFERENT)
    answered = predict(client, LOW)
    record = logged(log_dir, answered["request_id"])
    assert record["outputs"]["prediction"] == answered["prediction"] == 0
    assert record["version"] == "1.0.0"
    assert record["shadow"]["version"] == DIFFERENT
    assert record["shadow"]["outputs"]["prediction"] == 1

    shadow(app, model_dir, RAISES)
    failed = predict(client, HIGH)
    record = logged(log_dir, failed["request_id"])
    assert record["shadow"] == {"version": RAISES, "error": "model_error"}
    shadow(app, model_dir, None)


def test_shutdown_waits_for_shadow_calls_and_writes_their_records(
    settings, api_key, model_dir, log_dir
):
    """A worker stopping with a shadow call still running (here one that hangs until the
    model call timeout) still logs that request: shutdown waits for the call, then the log."""
    from specserve.app import create_app

    assert main(["models", "shadow", MODEL, HANGS, "--model-dir", str(model_dir)]) == 0
    try:
        app = create_app(settings)
        headers = {"X-API-Key": api_key}
        with app.test_client(base_url="http://testserver/v1", headers=headers) as c:
            answered = predict(c, HIGH)
            assert app.app_state.data_plane.shadows.in_flight == 1
        record = logged(log_dir, answered["request_id"])
        assert record["shadow"] == {"version": HANGS, "error": "model_timeout"}
    finally:
        assert main(["models", "unshadow", MODEL, "--model-dir", str(model_dir)]) == 0


def test_a_shadow_call_is_not_counted_as_a_prediction_served(app, client, model_dir):
    from specserve.observability import metrics

    def served(version: str) -> float:
        return metrics.PREDICTIONS.labels(MODEL, version)._value.get()

    def calls() -> float:
        return metrics.SHADOW_CALLS.labels(MODEL, DIFFERENT, "ok")._value.get()

    shadow(app, model_dir, DIFFERENT)
    before = served(DIFFERENT), served("1.0.0"), calls()
    for _ in range(3):
        predict(client, LOW)
    deadline = time.monotonic() + 10
    while calls() - before[2] < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    shadow(app, model_dir, None)
    assert calls() - before[2] == 3  # the shadow scored each request
    assert served(DIFFERENT) == before[0]  # but served none of them
    assert served("1.0.0") - before[1] == 3
