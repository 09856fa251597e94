"""A shadow version whose calls run on the event loop (fast ONNX, `Model.inline`): it is
called once the client's response has gone out, in the edge's after-response step, and what
it raises is counted as the shadow's error, never seen; an after-response step that raises
is logged and counted, and the next one still runs."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

import pytest
from starlette.testclient import TestClient

from specserve.cli import main
from specserve.http import edge
from specserve.observability import metrics

MODEL = "fraud-detector"
COPY = "1.0.1-copy"  # the default model's ONNX graph again: inline, and always agreeing
FEATURES = [1500.5, 2.0, 0.75]


@pytest.fixture(scope="module")
def model_dir(trained_model_dir, workdir):
    target = workdir / "models"
    shutil.copytree(trained_model_dir, target)
    shutil.copytree(target / MODEL / "1.0.0", target / MODEL / COPY)
    return target


@pytest.fixture(scope="module")
def app_overrides():
    return {"model_versions_loaded": 0}


@pytest.fixture(scope="module")
def shadowed(app, model_dir):
    assert main(["models", "shadow", MODEL, COPY, "--model-dir", str(model_dir)]) == 0
    app.app_state.data_plane.load()
    held = app.app_state.data_plane.registry.held(MODEL, COPY)
    assert held is not None and held.inline  # the case under test: no thread hop
    return held


class Recorded:
    """The shadow's runner, noting each call in the same list as the response's messages."""

    def __init__(self, runner: Any, events: list[str], fails: bool = False) -> None:
        self.runner, self.events, self.fails = runner, events, fails

    def __getattr__(self, name: str) -> Any:
        return getattr(self.runner, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.events.append("shadow call")
        if self.fails:
            raise RuntimeError("shadow broke")
        return self.runner(*args, **kwargs)


def after_response_errors() -> float:
    found = metrics.samples(("specserve_after_response_errors_total",))
    return sum(value for _, _, value in found)


def agreement(client) -> dict[str, Any]:
    return client.get(f"/models/{MODEL}").json()["rollout"]["shadow"]["agreement"]


def post_recorded(app, api_key: str, events: list[str]) -> Any:
    """One `/v1/predict` through the whole app, its response's messages noted in `events`."""

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        async def noted(message: dict[str, Any]) -> None:
            last = message["type"] == "http.response.body" and not message.get("more_body")
            events.append("response sent" if last else message["type"])
            await send(message)

        await app(scope, receive, noted)

    client = TestClient(recording, base_url="http://testserver/v1")
    return client.post("/predict", json={"features": FEATURES}, headers={"X-API-Key": api_key})


def test_an_inline_shadow_is_called_after_the_response_is_sent(app, client, api_key, shadowed):
    events: list[str] = []
    kept, shadowed.runner = shadowed.runner, Recorded(shadowed.runner, events)
    try:
        before = agreement(client)
        answer = post_recorded(app, api_key, events)
    finally:
        shadowed.runner = kept
    assert answer.status_code == 200 and answer.json()["model_version"] == "1.0.0"
    assert events == ["http.response.start", "response sent", "shadow call"]
    now = agreement(client)
    assert now["agreed"] - before["agreed"] == 1 and now["disagreed"] == before["disagreed"]


def test_an_inline_shadow_that_raises_is_counted_never_seen(app, client, api_key, shadowed):
    plain = client.post(
        "/models/fraud-detector/versions/1.0.0/predict", json={"features": FEATURES}
    )
    events: list[str] = []
    failed = after_response_errors()
    kept, shadowed.runner = shadowed.runner, Recorded(shadowed.runner, events, fails=True)
    try:
        before = agreement(client)
        answer = post_recorded(app, api_key, events)
    finally:
        shadowed.runner = kept
    assert answer.status_code == 200
    assert {
        k: v for k, v in answer.json().items() if k not in ("request_id", "processing_time_ms")
    } == {k: v for k, v in plain.json().items() if k not in ("request_id", "processing_time_ms")}
    assert events[-2:] == ["response sent", "shadow call"]
    now = agreement(client)
    assert now["errors"] - before["errors"] == 1 and now["scored"] == before["scored"]
    assert after_response_errors() == failed  # the shadow counted it itself


def test_after_response_work_that_raises_is_counted_and_the_rest_still_runs():
    ran: list[str] = []

    def broken() -> None:
        raise ValueError("boom")

    failed = after_response_errors()
    edge.after_response([broken, lambda: ran.append("next")], now=True)
    assert ran == ["next"]
    assert after_response_errors() == failed + 1

    async def after_an_error() -> None:  # the request ended in an exception: the next turn
        edge.after_response([lambda: ran.append("later")], now=False)
        assert ran == ["next"]
        await asyncio.sleep(0)

    asyncio.run(after_an_error())
    assert ran == ["next", "later"]
