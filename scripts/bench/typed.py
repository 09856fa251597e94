"""Named, typed features in process for `make bench`: what the named form and a mixed-type
pipeline cost, and that a named batch is one model call.

1. `/v1/predict` for the default model, positional (`[1500.5, 2, 0.75]`) against named
   (`{"transaction_amount": 1500.5, ...}`): CPU per request of the whole request path of the
   app `create_app` builds (edge, API key, rate limiter in memory, compiled validation,
   handler, data plane, model, response, metrics, access log to /dev/null), called as an
   ASGI app on one event loop with no client and no sockets in between. Rounds interleave
   the two forms (alternating which goes first); the ratio is taken within each round.
2. A mixed-type pipeline (three numbers, two string categories: a ColumnTransformer of a
   OneHotEncoder and a StandardScaler, then LogisticRegression, fitted on a DataFrame),
   published with `add_estimator` and loaded as a worker loads it: one row through the
   served runtime as the data plane calls it (`Model.score(signature.matrix([row], "$"))`)
   against the estimator's own `predict_proba` on a one-row DataFrame, paired the same way;
   and the parity of the two (max |Δp| over 200 rows).
3. One `/v1/models/mixed/batch_predict` of 100 named rows: the calls the served runner gets
   (counted by a delegating wrapper on the loaded version), cross-checked with the
   Prometheus counters the call moves (`specserve_predictions_total` counts one per model
   call of a batch, `specserve_prediction_rows_total` its rows).

Run as a subprocess by the runner (`python -m scripts.bench.typed MODEL_DIR CALLS`); prints
one JSON object. `goals` and `markdown_lines` turn it into report lines.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TITLE = "named, typed features"
ONLY = "typed"  # `python -m scripts.bench --only typed`: this part alone
ROUNDS = 5
FORM_ROUNDS, FORM_BLOCKS = 21, 4  # named vs positional: 21 rounds of CALLS / 4 requests each
MIXED = "mixed"
CITIES = ["lyon", "nice", "paris", "lille"]
CHANNELS = ["web", "branch", "phone"]
NAMED_LIMIT, SPEEDUP_LIMIT = 1.15, 10.0


def paired_us(
    a: Callable[[], Any], b: Callable[[], Any], n: int, rounds: int = ROUNDS
) -> dict[str, Any]:
    """CPU µs per call of `a` and `b`, `n` calls each per round, interleaved over rounds
    (which goes first alternates); medians of each, and the median (min–max) of the
    per-round ratio a / b."""
    for _ in range(max(n // 10, 1)):
        a(), b()
    costs: dict[str, list[float]] = {"a": [], "b": []}
    for r in range(rounds):
        for key in "ab" if r % 2 == 0 else "ba":
            fn = a if key == "a" else b
            started = time.process_time()
            for _ in range(n):
                fn()
            costs[key].append((time.process_time() - started) / n * 1e6)
    ratios = [x / y for x, y in zip(costs["a"], costs["b"], strict=True)]
    return {
        "a_us": round(statistics.median(costs["a"]), 2),
        "b_us": round(statistics.median(costs["b"]), 2),
        "ratio": {
            "median": round(statistics.median(ratios), 3),
            "min": round(min(ratios), 3),
            "max": round(max(ratios), 3),
            "n": rounds,
        },
    }


def calls_for(fn: Callable[[], Any], n: int, budget_s: float = 0.2) -> int:
    """How many calls of `fn` make about `budget_s` of CPU (at most `n`, at least 10)."""
    started = time.process_time()
    fn()
    cost = max(time.process_time() - started, 1e-6)
    return max(10, min(n, int(budget_s / cost)))


# --- the mixed-type pipeline -------------------------------------------------------------------


def mixed_frame(n: int, seed: int) -> tuple[Any, Any]:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "income": rng.normal(50_000, 10_000, n).round(2),
            "debt": rng.normal(9_000, 2_000, n).round(2),
            "age": rng.integers(20, 70, n),
            "city": rng.choice(CITIES, n),
            "channel": rng.choice(CHANNELS, n),
        }
    )
    score = frame.income - 2 * frame.debt + (frame.city == "lyon") * 5_000
    return frame, (score + rng.normal(0, 3_000, n) > 30_000).astype(int).to_numpy()


def mixed_pipeline(frame: Any, y: Any) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    columns = ColumnTransformer(
        [
            ("categories", OneHotEncoder(), ["city", "channel"]),
            ("numbers", StandardScaler(), ["income", "debt", "age"]),
        ]
    )
    return make_pipeline(columns, LogisticRegression(max_iter=500)).fit(frame, y)


def load(root: Path, name: str, runtime: str) -> Any:
    """The version loaded with one runtime; its metadata.json is left as published."""
    from scripts.bench.models import _load

    path = root / name / "1" / "metadata.json"
    published = path.read_text()
    try:
        return _load(root, name, runtime)
    finally:
        path.write_text(published)


def mixed_figures(root: Path, estimator: Any, n: int) -> dict[str, Any]:
    """One row through the served ONNX runtime vs `predict_proba` on a one-row DataFrame."""
    import numpy as np
    import pandas as pd

    parity = json.loads((root / MIXED / "1" / "parity.json").read_text())
    onnx, served_sklearn = load(root, MIXED, "onnx"), load(root, MIXED, "sklearn")
    out: dict[str, Any] = {"mixed_runtime": onnx.runtime, "mixed_onnx_gate": parity["passed"]}
    check, _ = mixed_frame(200, seed=1)
    rows = check.to_dict("records")
    served = onnx.score(onnx.signature.matrix(rows, "$")).probabilities
    own = estimator.predict_proba(check)
    out["mixed_parity_max_abs_dp"] = float(np.abs(np.array(served) - own).max())
    row = rows[0]

    def served_call() -> Any:
        return onnx.score(onnx.signature.matrix([row], "$"))

    def sklearn_call() -> Any:
        return estimator.predict_proba(pd.DataFrame([row]))

    reps = calls_for(sklearn_call, n)
    pair = paired_us(sklearn_call, served_call, reps)
    out["mixed_sklearn_predict_proba_1row_us"] = pair["a_us"]
    out["mixed_onnx_served_1row_us"] = pair["b_us"]
    out["mixed_onnx_speedup"] = pair["ratio"]
    x = served_sklearn.signature.matrix([row], "$")
    out["mixed_sklearn_served_1row_us"] = paired_us(
        lambda: served_sklearn.score(x), served_call, reps
    )["a_us"]
    return out


# --- the app, called as an ASGI app ------------------------------------------------------------


class Asgi:
    """The app on one event loop: its lifespan started, requests sent without a client."""

    def __init__(self, app: Any, api_key: str) -> None:
        self.app, self.key = app, api_key.encode()
        self.loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._started = asyncio.Event()
        self._lifespan = self.loop.create_task(self._life())
        self.loop.run_until_complete(self._started.wait())

    async def _life(self) -> None:
        events = iter([{"type": "lifespan.startup"}])

        async def receive() -> dict[str, Any]:
            nxt = next(events, None)
            if nxt is not None:
                return nxt
            await self._stop.wait()
            return {"type": "lifespan.shutdown"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"].startswith("lifespan.startup"):
                self._started.set()

        await self.app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)

    def close(self) -> None:
        self._stop.set()
        self.loop.run_until_complete(self._lifespan)
        self.loop.close()

    def request(
        self, method: str, path: str, body: bytes = b"", headers: Any = ()
    ) -> tuple[int, bytes]:
        """One request; `headers` are added to the defaults (a `content-type` replaces
        theirs; an empty one sends none)."""
        return self.loop.run_until_complete(self._request(method, path, body, tuple(headers)))

    async def _request(
        self, method: str, path: str, body: bytes, extra: tuple[tuple[bytes, bytes], ...]
    ) -> tuple[int, bytes]:
        names = {name for name, _ in extra}
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"bench"),
                *([] if b"content-type" in names else [(b"content-type", b"application/json")]),
                (b"content-length", str(len(body)).encode()),
                (b"x-api-key", self.key),
                *((name, value) for name, value in extra if value),
            ],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        status, chunks = 0, []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)  # a client that stays connected
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)


def build_app(root: Path, workdir: Path) -> tuple[Any, str]:
    from specserve.app import create_app
    from specserve.auth.filestore import FileKeyStore
    from specserve.config import Settings

    keys = workdir / "api_keys.json"
    key = FileKeyStore(keys).create("bench")[1]
    settings = Settings(
        model_dir=root,
        keys_file=keys,
        rate_limit="1000000000/minute",
        model_poll_seconds=0,
    )
    app = create_app(settings)
    _quiet_logs()
    return app, key


def _quiet_logs() -> None:
    """The access log is written, as in production, but to /dev/null."""
    import logging

    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115


def form_figures(client: Asgi, names: list[str], n: int) -> dict[str, Any]:
    row = [1500.5, 2, 0.75]
    positional = json.dumps({"features": row}).encode()
    named = json.dumps({"features": dict(zip(names, row, strict=True))}).encode()
    for body in (positional, named):
        status, answer = client.request("POST", "/v1/predict", body)
        if status != 200:
            raise RuntimeError(f"/v1/predict answered {status}: {answer[:300]!r}")
    # a difference of a few per cent under other load: many short rounds, so that a change
    # of load hits both forms of a round alike
    pair = paired_us(
        lambda: client.request("POST", "/v1/predict", named),
        lambda: client.request("POST", "/v1/predict", positional),
        max(n // FORM_BLOCKS, 20),
        FORM_ROUNDS,
    )
    plane, run = client.app.app_state.data_plane, client.loop.run_until_complete
    rows = {"positional": {"features": row}, "named": json.loads(named)}
    inner = paired_us(
        lambda: run(plane.predict(rows["named"], "r")),
        lambda: run(plane.predict(rows["positional"], "r")),
        max(n // FORM_BLOCKS, 20),
        FORM_ROUNDS,
    )
    return {
        "predict_positional_us": pair["b_us"],
        "predict_named_us": pair["a_us"],
        "predict_named_over_positional": pair["ratio"],
        # the part that differs, without the HTTP stack: the data plane's `predict`
        "dataplane_positional_us": inner["b_us"],
        "dataplane_named_us": inner["a_us"],
        "dataplane_named_over_positional": inner["ratio"],
    }


class CountingRunner:
    """The served runner, counting its calls and the rows they carry."""

    def __init__(self, runner: Any) -> None:
        self.runner, self.calls, self.rows = runner, 0, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.runner, name)

    def __call__(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.rows += len(x)
        return self.runner(x, *args, **kwargs)


def counters(client: Asgi, name: str) -> dict[str, float]:
    status, text = client.request("GET", "/v1/metrics")
    if status != 200:
        raise RuntimeError(f"/v1/metrics answered {status}")
    out = {"predictions": 0.0, "rows": 0.0}
    for line in text.decode().splitlines():
        for key, metric in (
            ("predictions", "specserve_predictions_total"),
            ("rows", "specserve_prediction_rows_total"),
        ):
            if line.startswith(f"{metric}{{") and f'model="{name}"' in line:
                out[key] += float(line.rsplit(" ", 1)[1])
    return out


def batch_figures(client: Asgi, app: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    model = app.app_state.data_plane.registry.ready_model(MIXED)
    counting = model.runner = CountingRunner(model.runner)
    before = counters(client, MIXED)
    body = json.dumps({"requests": [{"features": r} for r in rows]}).encode()
    status, answer = client.request("POST", f"/v1/models/{MIXED}/batch_predict", body)
    after = counters(client, MIXED)
    model.runner = counting.runner
    predictions = json.loads(answer).get("predictions", []) if status == 200 else []
    return {
        "batch_named_runtime": model.runtime,
        "batch_named_rows": len(rows),
        "batch_named_status": status,
        "batch_named_predictions": len(predictions),
        "batch_named_runner_calls": counting.calls,
        "batch_named_runner_rows": counting.rows,
        "batch_named_metric_calls": after["predictions"] - before["predictions"],
        "batch_named_metric_rows": after["rows"] - before["rows"],
    }


def figures(model_dir: Path, n: int) -> dict[str, Any]:
    import shutil

    from specserve.serving.publish import add_estimator

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root, work = Path(tmp) / "models", Path(tmp)
        shutil.copytree(model_dir / "fraud-detector", root / "fraud-detector")
        frame, y = mixed_frame(400, seed=0)
        estimator = mixed_pipeline(frame, y)
        add_estimator(root, MIXED, "1", estimator, example=frame.to_dict("records"))
        out.update(mixed_figures(root, estimator, n))
        app, key = build_app(root, work)
        client = Asgi(app, key)
        try:
            names = list(app.app_state.data_plane.registry.ready_model().signature.names)
            out.update(form_figures(client, names, n))
            rows, _ = mixed_frame(100, seed=2)
            out.update(batch_figures(client, app, rows.to_dict("records")))
        finally:
            client.close()
    return out


# --- goals and report lines --------------------------------------------------------------------


def goals(typed: dict[str, Any]) -> list[dict[str, Any]]:
    from scripts.bench.report import _goal

    named = typed["predict_named_over_positional"]["median"]
    speedup = typed["mixed_onnx_speedup"]["median"]
    calls = typed["batch_named_runner_calls"]
    return [
        _goal(
            "named / positional CPU per /v1/predict request, default model, in process",
            f"<= {NAMED_LIMIT}",
            named,
            named <= NAMED_LIMIT,
            f"positional {typed['predict_positional_us']:.0f} µs, "
            f"named {typed['predict_named_us']:.0f} µs per request",
        ),
        _goal(
            "mixed-type pipeline, 1 row: predict_proba on a DataFrame / served ONNX Runtime",
            f">= {SPEEDUP_LIMIT:g}",
            speedup,
            speedup >= SPEEDUP_LIMIT and typed["mixed_runtime"] == "onnx",
            f"served runtime: {typed['mixed_runtime']}; ONNX "
            f"{typed['mixed_onnx_served_1row_us']:.0f} µs, scikit-learn "
            f"{typed['mixed_sklearn_predict_proba_1row_us']:.0f} µs",
        ),
        _goal(
            f"model calls for one batch_predict of {typed['batch_named_rows']} named rows",
            "== 1",
            calls,
            calls == 1 and typed["batch_named_metric_rows"] == typed["batch_named_rows"],
            f"status {typed['batch_named_status']}, rows per call "
            f"{typed['batch_named_runner_rows']}/{max(calls, 1)}",
        ),
    ]


def markdown_lines(typed: dict[str, Any] | None) -> list[str]:
    if not typed:
        return []
    named, speed = typed["predict_named_over_positional"], typed["mixed_onnx_speedup"]
    return [
        "",
        "## Named, typed features (in process)",
        "",
        f"CPU µs per call, medians of interleaved rounds ({named['n']} for the request path, "
        f"{speed['n']} for the model call); ratios paired within a round, median (min–max): "
        "the spread is this machine's noise. Request path: "
        "the app from `create_app`, called as an ASGI app (no client, no sockets; rate "
        "limiter in memory, access log to /dev/null).",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| `/v1/predict` positional, default model | {typed['predict_positional_us']:,.1f} µs |",
        f"| `/v1/predict` named, default model | {typed['predict_named_us']:,.1f} µs |",
        f"| named / positional | ×{_ratio(named)} |",
        f"| data plane `predict` alone (no HTTP), positional / named "
        f"| {typed['dataplane_positional_us']:,.1f} / {typed['dataplane_named_us']:,.1f} µs, "
        f"×{_ratio(typed['dataplane_named_over_positional'])} |",
        f"| mixed pipeline, served runtime | {typed['mixed_runtime']} "
        f"(gate {'passed' if typed['mixed_onnx_gate'] else 'failed'}) |",
        f"| mixed, 1 row, `predict_proba` on a DataFrame "
        f"| {typed['mixed_sklearn_predict_proba_1row_us']:,.1f} µs |",
        f"| mixed, 1 row, served scikit-learn runtime (`Model.score`) "
        f"| {typed['mixed_sklearn_served_1row_us']:,.1f} µs |",
        f"| mixed, 1 row, served ONNX Runtime (`Model.score`) "
        f"| {typed['mixed_onnx_served_1row_us']:,.1f} µs |",
        f"| `predict_proba` / served ONNX | ×{_ratio(speed)} |",
        f"| parity, max abs Δp over 200 rows | {typed['mixed_parity_max_abs_dp']:.2e} |",
        f"| batch of {typed['batch_named_rows']} named rows: runner calls (rows) "
        f"| {typed['batch_named_runner_calls']} ({typed['batch_named_runner_rows']}) |",
        f"| same, from `specserve_predictions_total` (`..._prediction_rows_total`) "
        f"| {typed['batch_named_metric_calls']:g} ({typed['batch_named_metric_rows']:g}) |",
    ]


def _ratio(stat: dict[str, Any]) -> str:
    return f"{stat['median']:.2f} ({stat['min']:.2f}–{stat['max']:.2f})"


if __name__ == "__main__":
    from scripts.bench.inprocess import part_main

    sys.exit(part_main(figures, sys.argv[1:]))
