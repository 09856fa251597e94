"""W3C trace context with tracing off (the default): the trace id of a valid incoming
`traceparent` in the access log and passed back; an invalid one ignored."""

from __future__ import annotations

import pytest

from tests.app.tracelog import access_records, logged
from tests.problem import SEED

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


def test_tracing_is_off_by_default(app):
    assert app.runtime.tracing is None


def test_a_valid_traceparent_is_logged_and_passed_back(client):
    headers = {"traceparent": PARENT, "tracestate": "vendor=abc,other=1"}
    with access_records() as records:
        r = client.post("/predict", json={"features": SEED}, headers=headers)
    assert r.status_code == 200, r.text
    line = logged(records, r.headers["x-request-id"])
    assert line.trace_id == TRACE
    assert r.headers.get_list("traceparent") == [PARENT]
    assert r.headers["tracestate"] == "vendor=abc,other=1"


def test_a_future_version_is_read_by_its_first_fields(client):
    header = f"cc-{TRACE}-00f067aa0ba902b7-01-whatever"
    with access_records() as records:
        r = client.get("/health", headers={"traceparent": header})
    assert logged(records, r.headers["x-request-id"]).trace_id == TRACE


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        f"00-{TRACE}-00f067aa0ba902b7",  # a field missing
        f"00-{TRACE.upper()}-00f067aa0ba902b7-01",  # upper case hex
        f"00-{'0' * 32}-00f067aa0ba902b7-01",  # all-zero trace id
        f"00-{TRACE}-{'0' * 16}-01",  # all-zero parent id
        f"ff-{TRACE}-00f067aa0ba902b7-01",  # the forbidden version
        f"00-{TRACE}-00f067aa0ba902b7-01-extra",  # version 00 has four fields
        "",
    ],
)
def test_an_invalid_traceparent_is_ignored_never_an_error(client, header):
    with access_records() as records:
        r = client.post("/predict", json={"features": SEED}, headers={"traceparent": header})
    assert r.status_code == 200, r.text
    assert logged(records, r.headers["x-request-id"]).trace_id is None
    assert "traceparent" not in r.headers


def test_without_a_traceparent_the_log_has_no_trace_id(client):
    with access_records() as records:
        r = client.get("/health")
    assert logged(records, r.headers["x-request-id"]).trace_id is None
    assert "traceparent" not in r.headers
