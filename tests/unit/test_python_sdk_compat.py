"""The generated Python SDK's models and deprecation notices, in process: what a later API
version may send (new enum values, new properties, Deprecation headers) never breaks it."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime

import httpx
import pytest
from specserve_client import APIDeprecationWarning
from specserve_client.lib._deprecation import DeprecationTracker, deprecation_notice
from specserve_client.models import Health, ModelMetadata, PredictionRequest, PredictionResponse
from specserve_client.models.model_metadata_task import check_model_metadata_task

PREDICTION = {
    "prediction": 1.0,
    "probability": 0.9,
    "model_version": "1.0.0",
    "request_id": "r-1",
    "processing_time_ms": 0.5,
}
HEADERS = {
    "Deprecation": "@1767225600",
    "Sunset": "Wed, 01 Jul 2026 00:00:00 GMT",
    "Link": '</v1/docs>; rel="help", <https://specserve.example/deprecations>; rel="deprecation"',
}


def response(headers: dict[str, str], path: str = "/v1/predict") -> httpx.Response:
    return httpx.Response(200, headers=headers, request=httpx.Request("POST", f"http://h{path}"))


def test_an_unknown_property_is_kept_and_round_trips():
    result = PredictionResponse.from_dict({**PREDICTION, "drift": 0.3, "explanation": {"a": 1}})
    assert result.prediction == 1.0 and result["drift"] == 0.3 and "explanation" in result
    assert sorted(result.additional_keys) == ["drift", "explanation"]
    assert result.to_dict() == {**PREDICTION, "drift": 0.3, "explanation": {"a": 1}}
    assert PredictionResponse.from_dict(PREDICTION).additional_properties == {}


def test_a_request_body_sends_only_what_was_set():
    assert PredictionRequest(features=[1.0, 2.0]).to_dict() == {"features": [1.0, 2.0]}


def test_an_unknown_enum_value_passes_through_as_the_string():
    health = Health.from_dict(
        {
            "status": "maintenance",
            "uptime_seconds": 1.0,
            "model_loaded": True,
            "model_version": "1.0.0",
            "checks": {"model": {"status": "warming"}},
        }
    )
    assert health.status == "maintenance" and health.checks["model"].status == "warming"
    assert check_model_metadata_task("classification") == "classification"
    assert check_model_metadata_task("ranking") == "ranking"


def test_an_enum_value_of_the_wrong_type_is_still_refused():
    with pytest.raises(TypeError, match="expected a str"):
        check_model_metadata_task(3)  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        ModelMetadata.from_dict({"name": "m"})  # a required property missing


def test_the_notice_reads_rfc_9745_8594_and_the_deprecation_link():
    notice = deprecation_notice("predict", response(HEADERS))
    assert notice is not None
    assert notice.deprecated_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert notice.sunset == datetime(2026, 7, 1, tzinfo=UTC)
    assert notice.link == "https://specserve.example/deprecations"
    assert notice.operation == "predict (POST /v1/predict)"
    assert "since 2026-01-01" in notice.message() and "2026-07-01 00:00 UTC" in notice.message()


def test_a_future_deprecation_and_headers_without_dates_or_link():
    future = deprecation_notice("predict", response({"Deprecation": "@4102444800"}))
    assert future is not None and "will be deprecated on 2100-01-01" in future.message()
    bare = deprecation_notice("predict", response({"Deprecation": "true", "Sunset": "soon"}))
    assert bare is not None and (bare.deprecated_at, bare.sunset, bare.link) == (None, None, None)
    assert bare.message() == "The operation predict (POST /v1/predict) is deprecated."
    assert deprecation_notice("predict", response({})) is None


def test_the_tracker_warns_once_per_operation():
    tracker = DeprecationTracker()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for operation in ("predict", "predict", "health_check", "predict"):
            tracker.check(operation, response(HEADERS))
        tracker.check("list_models", response({}))
    assert [type(w.message) for w in seen] == [APIDeprecationWarning] * 2
    assert "health_check" in str(seen[1].message)
