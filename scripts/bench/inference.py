"""The Open Inference Protocol (`/v2`) in process for `make bench`: what a V2 infer costs
next to `/v1/predict` on the same model, and that a `[100, k]` infer is one model call.

1. `/v1/predict` (`{"features": [1500.5, 2, 0.75]}`) against `/v2/models/<default>/infer`
   with one `[1, 3]` FP32 tensor, as JSON and as Triton's binary tensor body (what
   `tritonclient` sends by default: the JSON header, then 12 raw bytes, no Content-Type):
   CPU per request of the whole request path of the app `create_app` builds (edge, API key,
   rate limiter in memory, compiled validation, handler, data plane, model, response,
   metrics, access log to /dev/null), called as an ASGI app on one event loop with no client
   and no sockets in between. Rounds interleave the two (alternating which goes first); the
   ratio is taken within each round.
2. One `/v2/models/<default>/infer` of a `[100, 3]` tensor: the calls the served runner gets
   (counted by a delegating wrapper on the loaded version) and the rows they carry.

Run as a subprocess by the runner (`python -m scripts.bench.inference MODEL_DIR CALLS`);
prints one JSON object. `goals` and `markdown_lines` turn it into report lines.
"""

from __future__ import annotations

import json
import struct
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.bench.typed import (
    FORM_BLOCKS,
    FORM_ROUNDS,
    Asgi,
    CountingRunner,
    _ratio,
    build_app,
    paired_us,
)

TITLE = "the Open Inference Protocol (V2)"
ONLY = "v2"  # `python -m scripts.bench --only v2`: this part alone
V2_WRK_PATH = "/v2/models/fraud-detector/infer"  # the full bench's `v2-infer` runs (wrk)
V2_LIMIT = 1.10  # a one-row FP32 infer: at most 10 % more CPU than /v1/predict
ROW = [1500.5, 2.0, 0.75]
BATCH = 100


def infer_body(rows: list[list[float]]) -> bytes:
    tensor = {"name": "input", "shape": [len(rows), 3], "datatype": "FP32"}
    return json.dumps({"inputs": [{**tensor, "data": [v for r in rows for v in r]}]}).encode()


def binary_body(row: list[float]) -> tuple[bytes, bytes]:
    """The body and header length of a binary `[1, 3]` FP32 infer, as tritonclient sends
    it by default (its outputs asked for in binary too)."""
    raw = struct.pack("<3f", *row)
    header = json.dumps(
        {
            "inputs": [
                {
                    "name": "input",
                    "shape": [1, 3],
                    "datatype": "FP32",
                    "parameters": {"binary_data_size": len(raw)},
                }
            ],
            "parameters": {"binary_data_output": True},
        }
    ).encode()
    return header + raw, str(len(header)).encode()


def form_figures(client: Asgi, model: str, n: int) -> dict[str, Any]:
    v1 = json.dumps({"features": ROW}).encode()
    v2 = infer_body([ROW])
    binary, length = binary_body(ROW)
    path = f"/v2/models/{model}/infer"
    binary_headers = ((b"content-type", b""), (b"inference-header-content-length", length))
    checks = [
        ("/v1/predict", v1, ()),
        (path, v2, ()),
        (path, binary, binary_headers),
    ]
    for where, body, headers in checks:
        status, answer = client.request("POST", where, body, headers)
        if status != 200:
            raise RuntimeError(f"{where} answered {status}: {answer[:300]!r}")
    calls = max(n // FORM_BLOCKS, 20)
    json_pair = paired_us(
        lambda: client.request("POST", path, v2),
        lambda: client.request("POST", "/v1/predict", v1),
        calls,
        FORM_ROUNDS,
    )
    binary_pair = paired_us(
        lambda: client.request("POST", path, binary, binary_headers),
        lambda: client.request("POST", "/v1/predict", v1),
        calls,
        FORM_ROUNDS,
    )
    return {
        "v1_predict_us": json_pair["b_us"],
        "v2_infer_json_us": json_pair["a_us"],
        "v2_json_over_v1": json_pair["ratio"],
        "v2_infer_binary_us": binary_pair["a_us"],
        "v2_binary_over_v1": binary_pair["ratio"],
    }


def batch_figures(client: Asgi, app: Any, model: str) -> dict[str, Any]:
    served = app.app_state.data_plane.registry.ready_model(model)
    counting = served.runner = CountingRunner(served.runner)
    rows = [
        [round(20.0 + 97.3 * i, 2), i % 6, round((i * 37 % 100) / 100, 2)] for i in range(BATCH)
    ]
    try:
        status, answer = client.request("POST", f"/v2/models/{model}/infer", infer_body(rows))
    finally:
        served.runner = counting.runner
    outputs = json.loads(answer).get("outputs", []) if status == 200 else []
    predict = next((o for o in outputs if o["name"] == "predict"), {"shape": [0]})
    return {
        "v2_batch_rows": BATCH,
        "v2_batch_status": status,
        "v2_batch_answered_rows": predict["shape"][0],
        "v2_batch_runtime": served.runtime,
        "v2_batch_runner_calls": counting.calls,
        "v2_batch_runner_rows": counting.rows,
    }


def figures(model_dir: Path, n: int) -> dict[str, Any]:
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        root, work = Path(tmp) / "models", Path(tmp)
        shutil.copytree(model_dir / "fraud-detector", root / "fraud-detector")
        app, key = build_app(root, work)
        client = Asgi(app, key)
        try:
            model = app.app_state.data_plane.default_model
            out = {"v2_model": model, **form_figures(client, model, n)}
            out.update(batch_figures(client, app, model))
        finally:
            client.close()
    return out


# --- goals and report lines --------------------------------------------------------------------


def goals(v2: dict[str, Any]) -> list[dict[str, Any]]:
    from scripts.bench.report import _goal

    ratio = v2["v2_json_over_v1"]["median"]
    calls = v2["v2_batch_runner_calls"]
    return [
        _goal(
            "V2 infer (one [1, 3] FP32 row, JSON) / /v1/predict CPU per request, in process",
            f"<= {V2_LIMIT}",
            ratio,
            ratio <= V2_LIMIT,
            f"/v1/predict {v2['v1_predict_us']:.0f} µs, V2 infer {v2['v2_infer_json_us']:.0f} µs "
            f"(binary form {v2['v2_infer_binary_us']:.0f} µs, "
            f"×{v2['v2_binary_over_v1']['median']:.2f})",
        ),
        _goal(
            f"model calls for one V2 infer of a [{v2['v2_batch_rows']}, 3] tensor",
            "== 1",
            calls,
            calls == 1 and v2["v2_batch_runner_rows"] == v2["v2_batch_rows"],
            f"status {v2['v2_batch_status']}, rows per call "
            f"{v2['v2_batch_runner_rows']}/{max(calls, 1)}",
        ),
    ]


def markdown_lines(v2: dict[str, Any] | None) -> list[str]:
    if not v2:
        return []
    json_form, binary = v2["v2_json_over_v1"], v2["v2_binary_over_v1"]
    return [
        "",
        "## Open Inference Protocol (V2, in process)",
        "",
        f"CPU µs per request, medians of {json_form['n']} interleaved rounds; ratios paired "
        "within a round, median (min–max): the spread is this machine's noise. The app from "
        "`create_app`, called as an ASGI app (no client, no sockets; rate limiter in memory, "
        f"access log to /dev/null); model `{v2['v2_model']}`.",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| `/v1/predict`, one row | {v2['v1_predict_us']:,.1f} µs |",
        f"| V2 infer, one `[1, 3]` FP32 row, JSON | {v2['v2_infer_json_us']:,.1f} µs |",
        f"| V2 JSON / `/v1/predict` | ×{_ratio(json_form)} |",
        f"| V2 infer, same row, binary tensors | {v2['v2_infer_binary_us']:,.1f} µs |",
        f"| V2 binary / `/v1/predict` | ×{_ratio(binary)} |",
        f"| `[{v2['v2_batch_rows']}, 3]` infer: runner calls (rows), runtime "
        f"| {v2['v2_batch_runner_calls']} ({v2['v2_batch_runner_rows']}), "
        f"{v2['v2_batch_runtime']} |",
    ]


if __name__ == "__main__":
    from scripts.bench.inprocess import part_main

    sys.exit(part_main(figures, sys.argv[1:]))
