"""In-process references for `make bench`: CPU per call of the pieces a request goes through.

Run as a subprocess by the runner (`python -m scripts.bench.inprocess MODEL_DIR N`), with
`PROMETHEUS_MULTIPROC_DIR` set as under gunicorn, so metrics write their mmap files as they
do in production. Prints one JSON object: microseconds of CPU per call, median of rounds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROUNDS = 5
ROW = [1500.5, 2.0, 0.75]


def cpu_us(fn: Any, n: int) -> float:
    """Median over rounds of the CPU time per call, in microseconds."""
    for _ in range(max(n // 10, 1)):
        fn()
    samples = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(n):
            fn()
        samples.append((time.process_time() - started) / n * 1e6)
    return round(statistics.median(samples), 2)


def rows(n: int) -> list[list[float]]:
    return [[100.0 + 37.0 * i, float(i % 7), (i % 10) / 10] for i in range(n)]


def model_figures(model: Any, n: int) -> dict[str, Any]:
    """The default model's call as served (its runtime, decoding, metrics)."""
    import numpy as np

    from specserve.serving.threads import timed_call

    return {
        "default_model_onnx": model.runtime == "onnx",
        "model_call_1row_us": cpu_us(lambda: timed_call(model, np.array([ROW])), n),
        "model_call_32rows_us": cpu_us(lambda: timed_call(model, np.array(rows(32))), n),
        "model_call_100rows_us": cpu_us(lambda: timed_call(model, np.array(rows(100))), n),
    }


def batcher_figures(model_dir: Path, n: int) -> dict[str, float]:
    """A lone request through the micro-batcher vs the direct call, on an event loop: the
    data plane's `predict`, as a handler calls it."""
    from specserve.config import Settings
    from specserve.serving.dataplane import DataPlane

    def plane(microbatch: bool) -> DataPlane:
        p = DataPlane(Settings(model_dir=model_dir, microbatch=microbatch, model_poll_seconds=0))
        p.load()
        return p

    body = {"features": ROW}
    on, off = plane(True), plane(False)
    loop = asyncio.new_event_loop()
    try:
        direct = cpu_us(lambda: loop.run_until_complete(off.predict(body, "r")), n)
        batched = cpu_us(lambda: loop.run_until_complete(on.predict(body, "r")), n)

        async def burst() -> None:
            await asyncio.gather(*(on.predict(body, "r") for _ in range(32)))

        burst_us = cpu_us(lambda: loop.run_until_complete(burst()), max(n // 32, 2)) / 32
    finally:
        loop.close()
    return {
        "predict_one_direct_us": direct,
        "predict_one_batcher_alone_us": batched,
        "predict_one_batcher_32_concurrent_per_row_us": round(burst_us, 2),
    }


def validation_figures(n: int) -> dict[str, float]:
    import yaml
    from connexion.json_schema import Draft4RequestValidator
    from jsonschema import Draft4Validator

    from specserve.config import SPEC_PATH
    from specserve.http.validation import compiled_validator, parse_json

    spec = yaml.safe_load(SPEC_PATH.read_text())
    schemas = spec["components"]["schemas"]

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(schemas[node["$ref"].rsplit("/", 1)[1]])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    out = {}
    for label, schema_name, body in (
        ("1row", "PredictionRequest", {"features": ROW}),
        ("100rows", "BatchPredictionRequest", {"requests": [{"features": r} for r in rows(100)]}),
    ):
        schema = resolve(schemas[schema_name])
        raw = json.dumps(body).encode()

        def connexion_default(schema=schema, raw=raw) -> None:
            Draft4RequestValidator(schema, format_checker=Draft4Validator.FORMAT_CHECKER).validate(
                json.loads(raw.decode())
            )

        def compiled(schema=schema, raw=raw) -> None:
            list(compiled_validator(schema).iter_errors(parse_json(raw)))

        reps = n if label == "1row" else max(n // 20, 5)
        out[f"validate_connexion_default_{label}_us"] = cpu_us(connexion_default, reps)
        out[f"validate_compiled_{label}_us"] = cpu_us(compiled, reps)
    return out


def observability_figures(n: int) -> dict[str, float]:
    from specserve.observability import logs, metrics

    logs.configure("INFO")
    handler = logging.getLogger().handlers[0]
    handler.setStream(open(os.devnull, "w"))  # noqa: SIM115
    access = logging.getLogger("specserve.access")

    def log_line() -> None:
        access.info(
            "request",
            extra={
                "request_id": "0123456789abcdef0123456789abcdef",
                "method": "POST",
                "route": "/v1/predict",
                "status": 200,
                "latency_ms": 1.234,
                "key_id": "0123456789ab",
                "client": "127.0.0.1",
            },
        )

    def record_metrics() -> None:
        metrics.HTTP_REQUESTS.labels("/v1/predict", "POST", "200").inc()
        metrics.HTTP_LATENCY.labels("/v1/predict").observe(0.001)

    return {
        "access_log_line_us": cpu_us(log_line, n),
        "prometheus_request_metrics_us": cpu_us(record_metrics, n),
        "prometheus_multiprocess": bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR")),
    }


def main(argv: list[str]) -> int:
    from scripts.bench import models
    from specserve.serving.blas import pin_thread_pools
    from specserve.serving.registry import Registry

    model_dir, n = Path(argv[0]), int(argv[1])
    pin_thread_pools()
    registry = Registry(model_dir, "fraud-detector")
    registry.load()
    model = registry.ready_model()
    figures: dict[str, Any] = {}
    figures.update(model_figures(model, n))
    figures.update(models.figures(model_dir, n))  # scikit-learn vs ONNX Runtime
    figures.update(batcher_figures(model_dir, n))
    figures.update(validation_figures(n))
    figures.update(observability_figures(n * 5))
    print(json.dumps(figures))
    return 0


def part_main(figures: Any, argv: list[str]) -> int:
    """A part's subprocess (`python -m scripts.bench.<part> MODEL_DIR N`, run by `--only`):
    thread pools pinned as under gunicorn, its figures printed as one JSON object."""
    from specserve.serving.blas import pin_thread_pools

    pin_thread_pools()
    print(json.dumps(figures(Path(argv[0]), int(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
