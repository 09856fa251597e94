"""What a shadow version costs, in process: CPU per `/v1/predict` with and without one, and
the client's wall time while the shadow is slow.

1. CPU per `/v1/predict` request (one row, the default model) of the whole request path,
   without and with a shadow that is a copy of the default model (so the same model call),
   the two interleaved in each round (the order alternating). A shadow should add one model
   call and nothing else: no second parsing, validation or JSON, no task, thread hop or
   Redis round trip per request. The denominator is the served model call as it costs
   inside those very requests (cold caches, one row, its counters), not in a hot loop (a
   third of that): `timed_call`, wherever the data plane makes it (the micro-batcher for a
   single row, the shadow's own call), is wrapped in this process only with a
   `time.thread_time()` accumulator (the thread that makes the call), so each round gives the
   served call's CPU per plain request and the shadow call's per shadowed one. The goal's
   figure: the median over rounds of the extra CPU of a shadowed request (shadowed − plain,
   paired within a round) divided by the median of the in-situ served call (1.0 is exactly
   one more model call). Medians first: the call is a tenth of a request, so a per-round
   quotient would divide one round's noise by a small number (those quotients are reported
   too, as the spread).
2. Client-visible wall time per request while the shadow version takes `SLOW_MS` per call
   (its runner wrapped to sleep, on its threads), against the same app with no shadow,
   in interleaved blocks: the client's answer does not wait for the shadow.

Run as a subprocess by the runner (`python -m scripts.bench.rollout MODEL_DIR CALLS`, alone
with `python -m scripts.bench --only rollout`); prints one JSON object. `goals` and
`markdown_lines` turn it into report lines. `python -m scripts.bench.rollout MODEL_DIR CALLS
--profile` prints the shadowed request's cProfile instead (the heaviest functions by own time).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.bench.typed import Asgi, _ratio, build_app

TITLE = "shadow versions"
ONLY = "rollout"  # `python -m scripts.bench --only rollout`: this part alone
EXTRA_LIMIT = 1.5  # a shadow's extra CPU per request: at most ×1.5 one served model call
WALL_LIMIT = 1.5  # the client's p50 with a slow shadow: at most ×1.5 the p50 without
MODEL = "fraud-detector"
SHADOW = "1.0.1-shadow"
BODY = json.dumps({"features": [1500.5, 2, 0.75]}).encode()
SLOW_MS = 50.0
ROUNDS = 21
WALL_BLOCKS, WALL_CALLS = 5, 40  # slow shadow vs none: 5 interleaved blocks of 40 requests


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


def _stat(values: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "n": len(values),
    }


class InSitu:
    """Thread CPU of the model calls made inside requests, served and shadow apart: every
    `timed_call` the data plane makes (the micro-batcher's, a shadow's) goes through `wrap`
    while the bench runs (two `thread_time` reads, under a microsecond, are counted too)."""

    def __init__(self) -> None:
        self.cpu = {True: 0.0, False: 0.0}  # served: seconds
        self.calls = {True: 0, False: 0}

    def wrap(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def timed(model: Any, x: Any, requests: Any = None, served: bool = True) -> Any:
            started = time.thread_time()
            try:
                return call(model, x, requests, served)
            finally:
                self.cpu[served] += time.thread_time() - started
                self.calls[served] += 1

        return timed

    def install(self) -> Callable[[], None]:
        """Wrap `timed_call` where the data plane looks it up; the returned function undoes it."""
        import importlib

        modules = [
            importlib.import_module(f"specserve.serving.{name}")
            for name in ("batching", "threads", "rollout")
        ]
        found = [(m, m.timed_call) for m in modules if hasattr(m, "timed_call")]
        for module, call in found:
            module.timed_call = self.wrap(call)

        def undo() -> None:
            for module, call in found:
                module.timed_call = call

        return undo

    def snapshot(self) -> tuple[float, float]:
        return self.cpu[True], self.cpu[False]


def interleaved(
    fns: dict[str, Callable[[], Any]], n: int, rounds: int, in_situ: InSitu
) -> dict[str, list[float]]:
    """CPU µs per call of each of `fns` (`n` calls each a round, the order alternating, after
    a warm-up), and per call the in-situ served and shadow model calls' thread CPU
    (`<name>:served`, `<name>:shadow`); the per-round figures, in round order."""
    for fn in fns.values():
        for _ in range(max(n // 10, 1)):
            fn()
    names = list(fns)
    costs: dict[str, list[float]] = {}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            fn = fns[name]
            served, shadow = in_situ.snapshot()
            started = time.process_time()
            for _ in range(n):
                fn()
            spent = time.process_time() - started
            served_after, shadow_after = in_situ.snapshot()
            costs.setdefault(name, []).append(spent / n * 1e6)
            costs.setdefault(f"{name}:served", []).append((served_after - served) / n * 1e6)
            costs.setdefault(f"{name}:shadow", []).append((shadow_after - shadow) / n * 1e6)
    return costs


def cpu_figures(plain: Asgi, shadowed: Asgi, n: int) -> dict[str, Any]:
    in_situ = InSitu()
    undo = in_situ.install()
    try:
        costs = interleaved(
            {
                "plain": lambda: plain.request("POST", "/v1/predict", BODY),
                "shadowed": lambda: shadowed.request("POST", "/v1/predict", BODY),
            },
            max(n // 4, 20),
            ROUNDS,
            in_situ,
        )
    finally:
        undo()
    extra = [s - p for s, p in zip(costs["shadowed"], costs["plain"], strict=True)]
    call = costs["plain:served"]
    return {
        "plain_us": round(statistics.median(costs["plain"]), 2),
        "shadowed_us": round(statistics.median(costs["shadowed"]), 2),
        "model_call_us": round(statistics.median(call), 2),
        "shadow_call_us": round(statistics.median(costs["shadowed:shadow"]), 2),
        "added_us": round(statistics.median(extra), 2),
        "added_over_model_call_median": round(
            statistics.median(extra) / statistics.median(call), 3
        ),
        "shadowed_over_plain": _stat(
            [s / p for s, p in zip(costs["shadowed"], costs["plain"], strict=True)]
        ),
        "added_over_model_call": _stat([e / c for e, c in zip(extra, call, strict=True)]),
    }


def profile(model_dir: Path, n: int) -> str:
    """cProfile of `n` shadowed requests (after a warm-up): the top functions by own time."""
    import cProfile
    import io
    import pstats

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(model_dir / MODEL, work / "source" / MODEL)
        app, key = build_app(_store(work, True), work / "s")
        client = Asgi(app, key)
        try:
            for _ in range(200):
                client.request("POST", "/v1/predict", BODY)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(n):
                client.request("POST", "/v1/predict", BODY)
            profiler.disable()
        finally:
            client.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
    return out.getvalue()


def wall_figures(plain: Asgi, shadowed: Asgi) -> dict[str, Any]:
    """p50 and p99 of the client's wall time, no shadow against a slow one, in blocks whose
    order alternates; the p50 ratio paired within a block."""
    times: dict[str, list[float]] = {"plain": [], "slow": []}
    ratios = []
    for block in range(WALL_BLOCKS):
        p50 = {}
        order = ("plain", "slow") if block % 2 == 0 else ("slow", "plain")
        for name in order:
            client = plain if name == "plain" else shadowed
            own = []
            for _ in range(WALL_CALLS):
                started = time.perf_counter()
                status, answer = client.request("POST", "/v1/predict", BODY)
                if status != 200:
                    raise RuntimeError(f"/v1/predict answered {status}: {answer[:300]!r}")
                own.append((time.perf_counter() - started) * 1000)
            p50[name] = statistics.median(own)
            times[name] += own
        ratios.append(p50["slow"] / p50["plain"])
    out: dict[str, Any] = {}
    for name, key in (("plain", "wall_ms_plain"), ("slow", "wall_ms_slow_shadow")):
        ordered = sorted(times[name])
        out[key] = {
            "p50": round(statistics.median(ordered), 3),
            "p99": round(ordered[int(0.99 * len(ordered))], 3),
        }
    out["wall_p50_slow_over_plain"] = _stat(ratios)
    return out


def figures(model_dir: Path, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(model_dir / MODEL, work / "source" / MODEL)
        plain_app, plain_key = build_app(_store(work, False), work / "p")
        shadow_app, shadow_key = build_app(_store(work, True), work / "s")
        plain, shadowed = Asgi(plain_app, plain_key), Asgi(shadow_app, shadow_key)
        try:
            for client in (plain, shadowed):
                status, answer = client.request("POST", "/v1/predict", BODY)
                if status != 200:
                    raise RuntimeError(f"/v1/predict answered {status}: {answer[:300]!r}")
            shadows = shadow_app.app_state.data_plane.shadows
            out = cpu_figures(plain, shadowed, n)
            out["runtime"] = plain_app.app_state.data_plane.registry.ready_model(MODEL).runtime
            held = shadow_app.app_state.data_plane.registry.held(MODEL, SHADOW)
            held.runner, held.inline = Sleepy(held.runner), False
            out.update(wall_figures(plain, shadowed))
            out["slow_shadow_ms"] = SLOW_MS
            shadowed.loop.run_until_complete(shadows.drain())
        finally:
            plain.close()
            shadowed.close()
    return out


# --- goals and report lines --------------------------------------------------------------------


def goals(result: dict[str, Any]) -> list[dict[str, Any]]:
    from scripts.bench.report import _goal

    extra = result["added_over_model_call_median"]
    wall = result["wall_p50_slow_over_plain"]["median"]
    return [
        _goal(
            "shadow: extra CPU per shadowed /v1/predict / CPU of the served model call "
            "inside the same requests (1.0 = one model call and nothing else)",
            f"<= {EXTRA_LIMIT}",
            extra,
            extra <= EXTRA_LIMIT,
            f"plain {result['plain_us']:.0f} µs, shadowed {result['shadowed_us']:.0f} µs "
            f"(+{result['added_us']:.0f} µs), served model call in situ "
            f"{result['model_call_us']:.0f} µs",
        ),
        _goal(
            f"client p50 wall time, shadow taking {result['slow_shadow_ms']:g} ms per call / "
            "no shadow",
            f"<= {WALL_LIMIT}",
            wall,
            wall <= WALL_LIMIT,
            f"p50 {result['wall_ms_plain']['p50']:.2f} ms without, "
            f"{result['wall_ms_slow_shadow']['p50']:.2f} ms with",
        ),
    ]


def markdown_lines(result: dict[str, Any] | None) -> list[str]:
    if not result:
        return []
    extra, wall = result["added_over_model_call"], result["wall_p50_slow_over_plain"]
    plain, slow = result["wall_ms_plain"], result["wall_ms_slow_shadow"]
    return [
        "",
        "## Shadow versions (in process)",
        "",
        f"CPU µs per `/v1/predict` request (one row, the default model, {result['runtime']}), "
        f"medians of {extra['n']} interleaved rounds; ratios paired within a round, median "
        "(min–max): the spread is this machine's noise. Two apps from `create_app`, called "
        "as ASGI apps (no client, no sockets; rate limiter in memory, access log to "
        "/dev/null); the shadow is a copy of the default model, sampling every request. The "
        "model calls: thread CPU of `timed_call` inside those requests (the plain app's "
        "served call, the shadowed app's shadow call).",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| no shadow | {result['plain_us']:,.1f} µs |",
        f"| with a shadow | {result['shadowed_us']:,.1f} µs |",
        f"| shadowed / plain | ×{_ratio(result['shadowed_over_plain'])} |",
        f"| extra per shadowed request (median of rounds) | {result['added_us']:,.1f} µs |",
        f"| the served model call, in situ | {result['model_call_us']:,.1f} µs |",
        f"| the shadow's model call, in situ | {result['shadow_call_us']:,.1f} µs |",
        f"| extra / model call: medians' quotient (per-round quotients) "
        f"| ×{result['added_over_model_call_median']:.2f} (×{_ratio(extra)}) |",
        f"| client wall ms, no shadow: p50, p99 | {plain['p50']:.3f}, {plain['p99']:.3f} |",
        f"| client wall ms, shadow taking {result['slow_shadow_ms']:g} ms: p50, p99 "
        f"| {slow['p50']:.3f}, {slow['p99']:.3f} |",
        f"| p50 with the slow shadow / without ({wall['n']} blocks) | ×{_ratio(wall)} |",
    ]


if __name__ == "__main__":
    if "--profile" in sys.argv:
        print(profile(Path(sys.argv[1]), int(sys.argv[2])))
        sys.exit(0)
    from scripts.bench.inprocess import part_main

    sys.exit(part_main(figures, sys.argv[1:]))
