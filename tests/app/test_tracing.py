"""W3C trace context with tracing off (the default): the trace id of a valid incoming
`traceparent` in the access log and passed back; an invalid one ignored."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from specserve.config import Settings
from tests.app.tracelog import access_records, logged
from tests.problem import SEED

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


def test_tracing_is_off_by_default(app):
    assert app.app_state.tracing is None


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
    assert r.headers["traceparent"] == PARENT  # its version-00 form, never the tail


@pytest.mark.parametrize(
    "state",
    [
        "vendor=abc,Bad Key=1",  # keys are lower case, no spaces
        "vendor=\u00e9t\u00e9",  # values are printable ASCII
        ",".join(f"k{i}=v" for i in range(33)),  # at most 32 members
        "vendor=" + "x" * 600,  # longer than any participant must pass on
    ],
)
def test_an_invalid_or_oversized_tracestate_is_never_echoed(client, state):
    r = client.get(
        "/health", headers=[("traceparent", PARENT), ("tracestate", state.encode("latin-1"))]
    )
    assert r.headers["traceparent"] == PARENT and "tracestate" not in r.headers


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


@pytest.mark.slow  # a fresh interpreter
def test_without_an_endpoint_the_sdk_is_not_imported(model_dir, keys_file):
    code = (
        "import sys\n"
        "from specserve.app import create_app\n"
        "from specserve.config import Settings\n"
        f"create_app(Settings(model_dir={str(model_dir)!r}, keys_file={str(keys_file)!r},"
        " model_poll_seconds=0))\n"
        "assert 'specserve.observability.otlp' not in sys.modules\n"
        "assert 'opentelemetry.sdk.trace' not in sys.modules\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "SPECSERVE_"))}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("endpoint", ["collector:4318", "grpc://collector:4317"])
def test_an_endpoint_that_is_not_an_http_url_is_refused(endpoint):
    with pytest.raises(ValidationError, match="http:// or https:// URL"):
        Settings(otlp_endpoint=endpoint)
