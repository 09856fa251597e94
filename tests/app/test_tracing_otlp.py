"""OTLP export with the real OpenTelemetry SDK to a small OTLP/HTTP receiver on 127.0.0.1:
the spans arrive in the caller's trace, the request span with its children."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.app.tracelog import access_records, logged
from tests.problem import SEED

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_SPAN = "00f067aa0ba902b7"


class Receiver(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.spans: list[Any] = []
        self.paths: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        export = ExportTraceServiceRequest.FromString(body)
        self.server.paths.append(self.path)
        for resource in export.resource_spans:
            for scoped in resource.scope_spans:
                self.server.spans.extend(scoped.spans)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def app_overrides(receiver) -> dict[str, Any]:
    return {"otlp_endpoint": f"http://127.0.0.1:{receiver.server_port}"}


@pytest.fixture(scope="module", autouse=True)
def _shutdown(app) -> Iterator[None]:
    yield
    app.app_state.tracing.shutdown()


def exported(app: Any, receiver: Receiver, trace_id: str) -> list[Any]:
    assert app.app_state.tracing.flush()
    return [s for s in receiver.spans if s.trace_id.hex() == trace_id]


def test_a_continued_trace_is_exported_with_the_callers_trace_id(app, client, receiver):
    headers = {"traceparent": f"00-{TRACE}-{PARENT_SPAN}-01", "tracestate": "vendor=abc"}
    with access_records() as records:
        r = client.post("/predict", json={"features": SEED}, headers=headers)
    assert r.status_code == 200, r.text
    assert logged(records, r.headers["x-request-id"]).trace_id == TRACE
    version, trace_id, span_id, flags = r.headers["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", TRACE, "01")
    assert span_id != PARENT_SPAN  # the request's own span, a child of the caller's
    assert r.headers["tracestate"] == "vendor=abc"

    spans = {s.name: s for s in exported(app, receiver, TRACE)}
    assert receiver.paths and set(receiver.paths) == {"/v1/traces"}
    request = spans["POST /v1/predict"]
    assert request.parent_span_id.hex() == PARENT_SPAN
    assert request.span_id.hex() == span_id
    attributes = {a.key: a.value for a in request.attributes}
    assert attributes["http.response.status_code"].int_value == 200
    assert attributes["specserve.request_id"].string_value == r.headers["x-request-id"]
    for child in ("auth.api_key", "access", "model.call"):
        assert spans[child].parent_span_id == request.span_id, child


def test_an_invalid_traceparent_starts_a_new_trace(app, client, receiver):
    with access_records() as records:
        r = client.get("/health", headers={"traceparent": "00-nonsense-01"})
    assert r.status_code == 200
    trace_id = logged(records, r.headers["x-request-id"]).trace_id
    assert trace_id and trace_id != TRACE and len(trace_id) == 32
    assert r.headers["traceparent"].split("-")[1] == trace_id
    [span] = [s for s in exported(app, receiver, trace_id) if s.kind == s.SPAN_KIND_SERVER]
    assert span.parent_span_id == b""  # a root: nothing of the invalid header was kept


def test_a_refused_request_is_traced_too(app, anonymous, receiver):
    r = anonymous.post("/predict", json={"features": SEED})
    assert r.status_code == 401
    trace_id = r.headers["traceparent"].split("-")[1]
    [span] = [s for s in exported(app, receiver, trace_id) if s.kind == s.SPAN_KIND_SERVER]
    attributes = {a.key: a.value for a in span.attributes}
    assert attributes["http.response.status_code"].int_value == 401
