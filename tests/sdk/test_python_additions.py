"""The Python SDK built today against answers of a later API version (tests/sdk/stub_server.py):
enum values and properties it has never seen pass through; a deprecated operation warns once."""

from __future__ import annotations

import asyncio
import logging
import warnings

import pytest
from specserve_client import (
    APIDeprecationWarning,
    AsyncSpecserveClient,
    PredictionRequest,
    SpecserveClient,
)
from specserve_client.models.health_status import HEALTH_STATUS_VALUES
from specserve_client.models.model_metadata_task import MODEL_METADATA_TASK_VALUES

from tests.sdk.test_generated_types import mypy

ROW = [1500.5, 2, 0.75]


def client(url: str) -> SpecserveClient:
    return SpecserveClient(url, api_key="ssk_stub_key")


def test_an_sdk_built_today_reads_enum_values_and_properties_it_has_never_seen(stub):
    with client(stub.url("future")) as api:
        result = api.predict(ROW)
        batch = api.batch_predict([PredictionRequest(ROW)])
        health = api.health()
        listing = api.models()
        meta = api.model("ranker")
    assert result.prediction == 1.0 and result["drift"] == 0.42
    assert result.additional_keys == ["served_by", "drift"] and result.to_dict()["drift"] == 0.42
    assert batch.predictions[0]["drift"] == 0.42 and batch["served_by"] == "stub-v2"
    assert health.status == "maintenance" and health.status not in HEALTH_STATUS_VALUES
    assert health["served_by"] == "stub-v2"
    assert health.checks["model"].status == "warming"
    assert health.checks["model"]["since"] == "2026-01-01T00:00:00Z"
    assert listing.models[0].status == "draining" and listing.models[0]["owner"] == "ranking-team"
    assert (meta.task, meta.runtime, meta.status) == ("ranking", "tensorrt", "draining")
    assert meta.task not in MODEL_METADATA_TASK_VALUES and meta["owner"] == "ranking-team"
    assert meta.metrics["ndcg"] == 0.9


def test_the_async_client_reads_them_too(stub):
    async def scenario():
        async with AsyncSpecserveClient(stub.url("future"), api_key="ssk_stub_key") as api:
            return await asyncio.gather(api.model("ranker"), api.health())

    meta, health = asyncio.run(scenario())
    assert meta.task == "ranking" and health.status == "maintenance"


def test_a_deprecated_operation_warns_once_with_its_sunset_and_link(stub, caplog):
    caplog.set_level(logging.WARNING, logger="specserve_client")
    with client(stub.url("deprecated")) as api, warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for _ in range(3):
            assert api.predict(ROW).model_version == "1.0.0"
        api.with_options(timeout=5).predict(ROW)  # a copy shares what was reported
        api.with_raw_response.health_check()  # another operation: reported once too
        api.health()
    notices = [w for w in seen if issubclass(w.category, APIDeprecationWarning)]
    assert len(notices) == 2
    first = notices[0].message
    assert isinstance(first, APIDeprecationWarning) and issubclass(
        notices[0].category, DeprecationWarning
    )
    text = str(first)
    assert "predict (POST /" in text and "since 2026-01-01" in text
    assert "2026-07-01" in text and "https://specserve.example/docs/deprecations#predict" in text
    assert first.notice.sunset is not None and first.notice.sunset.year == 2026
    assert all(w.filename == __file__ for w in notices)  # attributed to the calling line
    logged = [r for r in caplog.records if r.name == "specserve_client"]
    assert [r.levelno for r in logged] == [logging.WARNING, logging.WARNING]
    assert "health_check" in logged[1].getMessage()


def test_the_async_client_warns_once_at_the_callers_line(stub):
    async def scenario():
        async with AsyncSpecserveClient(stub.url("deprecated"), api_key="ssk_stub_key") as api:
            await api.predict(ROW)
            await api.predict(ROW)

    with pytest.warns(APIDeprecationWarning) as seen:
        asyncio.run(scenario())
    assert len(seen) == 1 and seen[0].filename == __file__


def test_known_enum_values_still_type_check(tmp_path):
    """Open at run time, but mypy still knows the values: a typo is reported."""
    source = tmp_path / "uses_enums.py"
    source.write_text(
        "from specserve_client.models import Health\n"
        "from specserve_client.models.health_status import HealthStatus\n"
        "def healthy(h: Health) -> bool:\n"
        "    return h.status == 'healthy'\n"
        "wanted: HealthStatus = 'healthy'\n"
        "typo: HealthStatus = 'helthy'\n"
    )
    out = mypy(str(source))
    assert out.returncode == 1, out.stdout
    assert out.stdout.count("error:") == 1 and "uses_enums.py:6:" in out.stdout
