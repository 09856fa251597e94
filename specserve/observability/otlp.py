"""OpenTelemetry spans exported over OTLP/HTTP — imported only when an endpoint is set.

One SERVER span per request, continuing the caller's trace from `traceparent`/`tracestate`
(an invalid header starts a new trace), with children for authentication, authorisation
with the rate limiter, and the model call. The endpoint is the base URL, as in
`OTEL_EXPORTER_OTLP_ENDPOINT`: spans go to `<endpoint>/v1/traces`. The SDK reads its
other variables itself (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
`OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_BSP_*`, ...).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import context, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

PROPAGATOR = TraceContextTextMapPropagator()


class OtlpSpans:
    def __init__(self, endpoint: str) -> None:
        attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": "specserve"}
        self.provider = TracerProvider(resource=Resource.create(attributes))
        exporter = OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces")
        self.provider.add_span_processor(BatchSpanProcessor(exporter))
        self.tracer = self.provider.get_tracer("specserve")

    def start(self, headers: dict[bytes, bytes], method: str, path: str) -> tuple[Any, Any]:
        """The request's span, current until `finish`; with the token to detach it."""
        carrier = {
            name: headers[key].decode("latin-1")
            for name, key in (("traceparent", b"traceparent"), ("tracestate", b"tracestate"))
            if key in headers
        }
        parent = PROPAGATOR.extract(carrier)
        span = self.tracer.start_span(
            f"{method} {path}",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": path},
        )
        return span, context.attach(trace.set_span_in_context(span, parent))

    @staticmethod
    def ids(span: Any) -> tuple[str, list[tuple[bytes, bytes]]]:
        """The trace id for the log and the trace context headers for the response."""
        carrier: dict[str, str] = {}
        PROPAGATOR.inject(carrier, context=trace.set_span_in_context(span))
        headers = [(k.encode(), v.encode("latin-1")) for k, v in carrier.items()]
        return trace.format_trace_id(span.get_span_context().trace_id), headers

    @staticmethod
    def finish(span: Any, token: Any, status: int, route: str, request_id: str) -> None:
        context.detach(token)
        span.update_name(f"{span.name.split(' ', 1)[0]} {route}")
        span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", status)
        span.set_attribute("specserve.request_id", request_id)
        if status >= 500:
            span.set_status(Status(StatusCode.ERROR))
        span.end()

    @contextmanager
    def child(self, name: str) -> Iterator[Any]:
        with self.tracer.start_as_current_span(name) as span:
            yield span

    @contextmanager
    def model_span(self, model: Any, rows: int) -> Iterator[Any]:
        with self.tracer.start_as_current_span("model.call") as span:
            span.set_attribute("specserve.model", model.name)
            span.set_attribute("specserve.model_version", model.version)
            span.set_attribute("specserve.rows", rows)
            yield span

    def flush(self) -> bool:
        return self.provider.force_flush()

    def shutdown(self) -> None:
        self.provider.shutdown()
