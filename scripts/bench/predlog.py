"""The prediction log's cost, in process: CPU per `/v1/predict` (the default model, one row)
with the file sink logging every request, against the same app with the log off.

Two apps built as `create_app` builds them (their lifespans started, so the log's writer
thread runs and its CPU is counted: `time.process_time` is the whole process's), called as
ASGI apps on one event loop each, no client and no sockets; rounds interleave the two and
the ratio is taken within each round.

Run as a subprocess by the runner (`python -m scripts.bench.predlog MODEL_DIR CALLS`, alone
with `python -m scripts.bench --only predlog`); prints one JSON object. `goals` and
`markdown_lines` turn it into report lines.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.bench.typed import Asgi, _quiet_logs, _ratio, paired_us

TITLE = "the prediction log"
ONLY = "predlog"  # `python -m scripts.bench --only predlog`: this part alone
LIMIT = 1.10  # logging every request: at most 10 % more CPU per request
ROUNDS = 21
BODY = json.dumps({"features": [1500.5, 2, 0.75]}).encode()


def build(root: Path, work: Path, **settings: Any) -> tuple[Any, str]:
    from specserve.app import create_app
    from specserve.auth.filestore import FileKeyStore
    from specserve.config import Settings

    keys = work / "api_keys.json"
    key = FileKeyStore(keys).create("bench")[1]
    app = create_app(
        Settings(
            model_dir=root,
            keys_file=keys,
            rate_limit="1000000000/minute",
            model_poll_seconds=0,
            **settings,
        )
    )
    _quiet_logs()
    return app, key


def figures(model_dir: Path, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "models"
        shutil.copytree(model_dir / "fraud-detector", root / "fraud-detector")
        (Path(tmp) / "off").mkdir()
        (Path(tmp) / "on").mkdir()
        log_dir = Path(tmp) / "predictions"
        off = Asgi(*build(root, Path(tmp) / "off"))
        on = Asgi(*build(root, Path(tmp) / "on", prediction_log=f"file:{log_dir}"))
        try:
            for client in (off, on):
                status, answer = client.request("POST", "/v1/predict", BODY)
                if status != 200:
                    raise RuntimeError(f"/v1/predict answered {status}: {answer[:300]!r}")
            pair = paired_us(
                lambda: on.request("POST", "/v1/predict", BODY),
                lambda: off.request("POST", "/v1/predict", BODY),
                max(n // 4, 20),
                ROUNDS,
            )
        finally:
            off.close()
            on.close()  # the writer writes what is left
        lines = sum(p.read_bytes().count(b"\n") for p in log_dir.glob("*.jsonl"))
    calls = max(n // 4, 20)
    return {
        "log_off_us": pair["b_us"],
        "log_on_us": pair["a_us"],
        "log_on_over_off": pair["ratio"],
        # the check, `paired_us`'s warm-up and its rounds: fewer records written would mean
        # the buffer dropped some, and their cost went uncounted
        "requests_logged": 1 + max(calls // 10, 1) + ROUNDS * calls,
        "records_written": lines,
    }


def goals(result: dict[str, Any]) -> list[dict[str, Any]]:
    from scripts.bench.report import _goal

    ratio = result["log_on_over_off"]["median"]
    return [
        _goal(
            "prediction log (file sink, every request) / log off: CPU per /v1/predict",
            f"<= {LIMIT}",
            ratio,
            ratio <= LIMIT,
            f"off {result['log_off_us']:.0f} µs, on {result['log_on_us']:.0f} µs, "
            f"{result['records_written']} records written for "
            f"{result['requests_logged']} requests",
        )
    ]


def markdown_lines(result: dict[str, Any] | None) -> list[str]:
    if not result:
        return []
    ratio = result["log_on_over_off"]
    return [
        "",
        "## Prediction log (file sink, in process)",
        "",
        f"CPU µs per `/v1/predict` request (one row, the default model), medians of "
        f"{ratio['n']} interleaved rounds; the ratio paired within a round, median (min–max): "
        "the spread is this machine's noise. Two apps from `create_app`, called as ASGI apps "
        "(no client, no sockets; rate limiter in memory, access log to /dev/null); the log's "
        "writer thread runs in the same process, so its CPU is counted.",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| log off | {result['log_off_us']:,.1f} µs |",
        f"| log on, file sink, every request | {result['log_on_us']:,.1f} µs |",
        f"| on / off | ×{_ratio(ratio)} |",
        f"| records written by the file sink, for requests logged "
        f"| {result['records_written']:,}, {result['requests_logged']:,} |",
    ]


if __name__ == "__main__":
    from scripts.bench.inprocess import part_main

    sys.exit(part_main(figures, sys.argv[1:]))
