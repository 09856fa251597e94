"""A deprecated operation tells its clients so on every response: RFC 9745 `Deprecation`,
RFC 8594 `Sunset` and a `Link` to its documentation, taken from the contract."""

from __future__ import annotations

import copy
import datetime as dt
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
import yaml

from specserve import spec
from specserve.app import create_app
from specserve.http import deprecation


@pytest.fixture(scope="module")
def deprecated_spec(tmp_path_factory) -> Any:
    raw = copy.deepcopy(spec.load().raw)
    op = raw["paths"]["/models"]["get"]
    op.update({"deprecated": True, "x-deprecated-at": "2026-11-01", "x-sunset": "2027-05-01"})
    path = tmp_path_factory.mktemp("spec") / "openapi.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client(settings, deprecated_spec, api_key) -> Any:
    app = create_app(settings, spec_path=deprecated_spec)
    with app.test_client(base_url="http://testserver/v1", headers={"X-API-Key": api_key}) as c:
        yield c


def test_a_deprecated_operation_answers_with_deprecation_sunset_and_link(client):
    r = client.get("/models")
    assert r.status_code == 200
    deprecated_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert r.headers["Deprecation"] == f"@{int(deprecated_at.timestamp())}"
    sunset = parsedate_to_datetime(r.headers["Sunset"])
    assert sunset == dt.datetime(2027, 5, 1, tzinfo=dt.UTC) and sunset >= deprecated_at
    assert r.headers["Link"] == (
        '</v1/docs#tag/Models/operation/listModels>; rel="deprecation"; type="text/html"'
    )


def test_its_errors_carry_the_headers_too_and_other_operations_none(client):
    refused = client.get("/models", headers={"X-API-Key": "ssk_wrong"})
    assert refused.status_code == 401 and refused.headers["Deprecation"].startswith("@")
    other = client.get("/models/fraud-detector")
    assert other.status_code == 200 and "Deprecation" not in other.headers


def test_the_service_contract_deprecates_nothing_unannounced():
    raw = spec.load().raw
    assert deprecation.problems(raw) == []


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"deprecated": True}, "needs x-deprecated-at"),
        ({"deprecated": True, "x-deprecated-at": "soon"}, "'soon' is not a date"),
        (
            {"deprecated": True, "x-deprecated-at": "2026-11-01", "x-sunset": "2026-10-01"},
            "x-sunset 2026-10-01 is before x-deprecated-at 2026-11-01",
        ),
        ({"x-sunset": "2027-01-01"}, "need `deprecated: true`"),
    ],
)
def test_a_deprecation_without_valid_dates_is_refused(fields, problem):
    raw = copy.deepcopy(spec.load().raw)
    raw["paths"]["/models"]["get"].update(fields)
    [line] = deprecation.problems(raw)
    assert line.startswith("operation listModels (GET /v1/models): ") and problem in line
