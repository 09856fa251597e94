"""What a shadow version costs, in process: `python -m scripts.bench.rollout MODEL_DIR [CALLS]`.

1. CPU per `/v1/predict` request (one row, the default model) of the whole request path,
   without and with a shadow that is a copy of the default model (so the same model call),
   interleaved over rounds like `scripts.bench.typed.paired_us`; beside it, the CPU of one
   model call alone. A shadow should add that call and little else: no second parsing,
   validation or JSON.
2. Client-visible wall time per request while the shadow version takes `SLOW_MS` per call
   (its runner wrapped to sleep): the client's answer does not wait for it.

Prints one JSON object.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from scripts.bench.typed import Asgi, build_app, paired_us

MODEL = "fraud-detector"
SHADOW = "1.0.1-shadow"
BODY = json.dumps({"features": [1500.5, 2, 0.75]}).encode()
SLOW_MS = 50.0
ROUNDS = 21


def _store(tmp: Path, shadowed: bool) -> Path:
    root = tmp / ("shadowed" if shadowed else "plain")
    source = tmp / "source" / MODEL
    shutil.copytree(source / "1.0.0", root / MODEL / "1.0.0")
    if shadowed:
        shutil.copytree(source / "1.0.0", root / MODEL / SHADOW)
        (root / MODEL / "shadow").write_text(json.dumps({"version": SHADOW, "sample": 1.0}))
    return root


class Sleepy:
    """A runner that takes `SLOW_MS` longer per call."""

    def __init__(self, runner: Any) -> None:
        self.runner = runner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.runner, name)

    def __call__(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        time.sleep(SLOW_MS / 1000)
        return self.runner(x, *args, **kwargs)


def model_call_us(app: Any, n: int) -> float:
    model = app.app_state.data_plane.registry.ready_model(MODEL)
    x = np.array([[1500.5, 2, 0.75]])
    started = time.process_time()
    for _ in range(n):
        model.score(x)
    return round((time.process_time() - started) / n * 1e6, 2)


def wall_ms(client: Asgi, n: int) -> dict[str, float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status, _ = client.request("POST", "/v1/predict", BODY)
        assert status == 200
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": round(statistics.median(times), 3), "p99": round(times[int(0.99 * n)], 3)}


def figures(model_dir: Path, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(model_dir / MODEL, work / "source" / MODEL)
        plain_app, plain_key = build_app(_store(work, False), work / "p")
        shadow_app, shadow_key = build_app(_store(work, True), work / "s")
        plain, shadowed = Asgi(plain_app, plain_key), Asgi(shadow_app, shadow_key)
        try:
            shadows = shadow_app.app_state.data_plane.shadows
            pair = paired_us(
                lambda: shadowed.request("POST", "/v1/predict", BODY),
                lambda: plain.request("POST", "/v1/predict", BODY),
                n,
                ROUNDS,
            )
            out = {
                "plain_us": pair["b_us"],
                "shadowed_us": pair["a_us"],
                "shadowed_over_plain": pair["ratio"],
                "added_us": round(pair["a_us"] - pair["b_us"], 2),
                "model_call_us": model_call_us(plain_app, n),
                "runtime": plain_app.app_state.data_plane.registry.ready_model(MODEL).runtime,
            }
            held = shadow_app.app_state.data_plane.registry.held(MODEL, SHADOW)
            held.runner, held.inline = Sleepy(held.runner), False
            out["wall_ms_plain"] = wall_ms(plain, 200)
            out["wall_ms_slow_shadow"] = wall_ms(shadowed, 200)
            out["slow_shadow_ms"] = SLOW_MS
            shadowed.loop.run_until_complete(shadows.drain())
        finally:
            plain.close()
            shadowed.close()
    return out


def main(argv: list[str]) -> int:
    calls = int(argv[1]) if len(argv) > 1 else 400
    print(json.dumps(figures(Path(argv[0]), calls), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
