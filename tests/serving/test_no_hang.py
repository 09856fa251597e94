"""No request can hang: every failure resolves every waiting caller, in the error shape.

Models that raise, answer a dtype that is no label, refuse values, or are slow; and the
string-label classifier whose coalesced call once never answered.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from specserve.config import Settings
from specserve.errors import FeaturesRefused, ModelFault, ModelTimeout
from specserve.serving.dataplane import DataPlane
from tests.serving.conftest import make_client
from tests.serving.faulty import TRIGGER

NORMAL = [1.0, 2.0, 0.5]
BAD = [TRIGGER, 2.0, 0.5]


def data_plane(zoo_dir, microbatch: bool = True, timeout: float = 10.0) -> DataPlane:
    plane = DataPlane(
        Settings(
            model_dir=zoo_dir,
            allow_pickle=True,
            microbatch=microbatch,
            predict_timeout=timeout,
            model_poll_seconds=0,
        )
    )
    plane.load()
    return plane


@pytest.fixture(scope="module")
def client(zoo_dir, tmp_path_factory):
    app, key = make_client(zoo_dir, tmp_path_factory.mktemp("keys"), predict_timeout=1.0)
    with app.test_client(headers={"X-API-Key": key}) as http:
        yield http


async def gather_bounded(*calls, limit: float = 10.0):
    """Every call's result or exception; fails (never hangs) if any does not settle."""
    return await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), limit)


@pytest.mark.parametrize("microbatch", [True, False])
@pytest.mark.parametrize("name", ["loan-onnx", "loan-sklearn", "loan-joblib"])
def test_string_label_classifier_answers_every_caller(zoo_dir, name, microbatch):
    plane = data_plane(zoo_dir, microbatch)
    rows = [[900.0 + 20 * i, 3.0, 0.5] for i in range(24)]
    results = asyncio.run(
        gather_bounded(*(plane.predict({"features": r}, "r", name=name) for r in rows))
    )
    assert all(isinstance(r, dict) for r in results), results
    assert {r["label"] for r in results} <= {"approve", "deny"}
    assert all(r["prediction"] == ["approve", "deny"].index(r["label"]) for r in results)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("faulty-raise", ModelFault),
        ("faulty-dtype", ModelFault),
        ("faulty-refuse", FeaturesRefused),
    ],
)
@pytest.mark.parametrize("microbatch", [True, False])
def test_a_failing_row_fails_only_its_own_caller(zoo_dir, name, error, microbatch):
    plane = data_plane(zoo_dir, microbatch)
    rows = [BAD if i % 3 == 0 else NORMAL for i in range(12)]
    results = asyncio.run(
        gather_bounded(*(plane.predict({"features": r}, "r", name=name) for r in rows))
    )
    for row, result in zip(rows, results, strict=True):
        if row is BAD:
            assert isinstance(result, error), result
        else:
            assert isinstance(result, dict) and result["prediction"] == 1.0


@pytest.mark.parametrize("microbatch", [True, False])
def test_a_slow_model_times_out_and_stalls_nothing_else(zoo_dir, microbatch):
    plane = data_plane(zoo_dir, microbatch, timeout=0.5)

    async def scenario():
        started = time.perf_counter()
        stuck = asyncio.create_task(plane.predict({"features": BAD}, "s", name="faulty-slow"))
        await asyncio.sleep(0.05)
        answered = await plane.predict({"features": NORMAL}, "f", name="hgb-onnx")
        fast_after = time.perf_counter() - started
        assert not stuck.done()
        with pytest.raises(ModelTimeout):
            await asyncio.wait_for(stuck, 5)
        return answered, fast_after, time.perf_counter() - started

    answered, fast_after, timed_out_after = asyncio.run(scenario())
    assert answered["model_version"] == "1"
    assert fast_after < 0.4
    assert 0.5 <= timed_out_after < 1.5


def test_errors_over_http_are_in_the_error_shape(client):
    cases = [
        ("faulty-raise", 500, "model_error"),
        ("faulty-dtype", 500, "model_error"),
        ("faulty-refuse", 422, "features_refused"),
        ("faulty-slow", 504, "model_timeout"),
    ]
    for name, status, code in cases:
        r = client.post(
            f"/v1/models/{name}/predict", json={"features": BAD}, headers={"X-Request-ID": "rq-1"}
        )
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["error"] == code and body["status"] == status
        assert body["request_id"] == "rq-1"
        assert "Traceback" not in r.text and "model bug" not in r.text
        batch = client.post(
            f"/v1/models/{name}/batch_predict",
            json={"requests": [{"features": NORMAL}, {"features": BAD}]},
        )
        assert batch.status_code == status and batch.json()["error"] == code
    assert (
        client.post("/v1/models/faulty-raise/predict", json={"features": NORMAL}).status_code == 200
    )
    assert client.get("/v1/health").status_code == 200
