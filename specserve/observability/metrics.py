"""Prometheus metrics, correct under several gunicorn workers.

gunicorn.conf.py points `PROMETHEUS_MULTIPROC_DIR` at a fresh directory before any worker
starts; each scrape then aggregates every worker's files with a fresh `MultiProcessCollector`.
Without that variable (a single process), the default registry serves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

HTTP_REQUESTS = Counter(
    "specserve_http_requests_total",
    "HTTP requests by route, method and status.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "specserve_http_request_duration_seconds",
    "Request latency by route, in seconds.",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
PREDICTIONS = Counter(
    "specserve_predictions_total",
    "Prediction requests served, by model and version.",
    ["model", "version"],
)
PREDICTION_ROWS = Counter(
    "specserve_prediction_rows_total",
    "Rows scored, by model and version.",
    ["model", "version"],
)
MICROBATCH_SIZE = Histogram(
    "specserve_microbatch_size_rows",
    "Rows scored per coalesced model call (micro-batching), by model.",
    ["model"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
)
MICROBATCH_QUEUE_WAIT = Histogram(
    "specserve_microbatch_queue_wait_seconds",
    "Time a single-row prediction waited for its coalesced model call to start, by model.",
    ["model"],
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
)
MODEL_LOAD_FAILURES = Counter(
    "specserve_model_load_failures_total",
    "Model artifacts that failed to load.",
    ["model"],
)
MODELS_READY = Gauge(
    "specserve_model_ready",
    "1 when the model serves in a worker, else 0.",
    ["model", "version"],
    multiprocess_mode="liveall",
)

RATE_LIMITED = Counter(
    "specserve_rate_limited_total",
    "Requests refused by the rate limiter, by tier.",
    ["tier"],
)
RATE_LIMITER_ERRORS = Counter(
    "specserve_rate_limiter_errors_total",
    "Rate-limit store failures (requests then follow SPECSERVE_RATE_LIMIT_FAIL).",
)

# Shadow versions (`specserve.serving.rollout`): labelled by model and version only, so
# bounded by the model store; `GET /v1/models/{name}` reads them back, added up over workers.
SHADOW_DIFF_BUCKETS = (1e-6, 1e-4, 1e-3, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)
AFTER_RESPONSE_ERRORS = Counter(
    "specserve_after_response_errors_total",
    "Work run after a response was sent (shadow calls) that raised; the client never sees it.",
)
SHADOW_CALLS = Counter(
    "specserve_shadow_calls_total",
    "Shadow model calls by model, shadow version and outcome (ok, error, skipped).",
    ["model", "version", "outcome"],
)
SHADOW_ROWS = Counter(
    "specserve_shadow_rows_total",
    "Rows a shadow version scored, by model, shadow version and outcome (agreed, disagreed).",
    ["model", "version", "outcome"],
)
SHADOW_ABS_DIFF = Histogram(
    "specserve_shadow_abs_diff",
    "Regressors: |serving prediction - shadow prediction| per row, by model and shadow version.",
    ["model", "version"],
    buckets=SHADOW_DIFF_BUCKETS,
)
PREDICTION_LOG_RECORDS = Counter(
    "specserve_prediction_log_records_total",
    "Prediction log records written to the sink.",
)
PREDICTION_LOG_DROPPED = Counter(
    "specserve_prediction_log_dropped_total",
    "Prediction log records dropped, by reason (buffer_full: the sink was slow or down; "
    "too_large: a record larger than a whole file; rejected: the sink refused the records' "
    "data; shutdown: not written when the worker stopped).",
    ["reason"],
)

METRICS_CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def exposition() -> bytes:
    """The metrics text, aggregated over every worker when running under gunicorn."""
    return generate_latest(_registry())


def samples(names: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str], float]]:
    """(sample name, labels, value) of the named samples, over every worker like a scrape."""
    for metric in _registry().collect():
        for sample in metric.samples:
            if sample.name in names:
                yield sample.name, sample.labels, sample.value
