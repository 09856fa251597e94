"""Benchmark: the rate limiter's cost per request, in-process store vs Redis.

Measures `RateLimiter.hit_identity` (one hit + window stats: what every limited request
pays) on the asyncio loop, interleaved rounds, and writes reports/ratelimit_bench.json and
reports/ratelimit_bench.md. A benchmark, not a test: numbers depend on the machine.

    python scripts/bench_ratelimit.py [--redis redis://127.0.0.1:6379/0] [--calls 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import time
import uuid
from pathlib import Path

from specserve.config import Settings
from specserve.ratelimit.limiter import RateLimiter


async def round_cost(limiter: RateLimiter, calls: int) -> tuple[float, float]:
    """(wall µs, this process's CPU µs) per hit."""
    identity = f"bench-{uuid.uuid4().hex}"
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        await limiter.hit_identity(identity, "default", 1)
    wall = (time.perf_counter() - started) / calls * 1e6
    return wall, (time.process_time() - cpu) / calls * 1e6


async def run(redis_url: str | None, calls: int, rounds: int) -> dict:
    configs = {"memory": Settings(rate_limit="100000000/minute")}
    if redis_url:
        configs["redis"] = Settings(
            rate_limit="100000000/minute",
            redis_url=redis_url,
            rate_limit_key_prefix=f"bench-{uuid.uuid4().hex[:6]}",
        )
    results: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for strategy in ("moving-window", "fixed-window"):
        limiters = {
            name: RateLimiter(s.model_copy(update={"rate_limit_strategy": strategy}))
            for name, s in configs.items()
        }
        for limiter in limiters.values():
            await round_cost(limiter, 50)  # warm up connections
        for _ in range(rounds):  # interleaved, so drift hits every configuration alike
            for name, limiter in limiters.items():
                results.setdefault(strategy, {}).setdefault(name, []).append(
                    await round_cost(limiter, calls)
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("reports"))
    args = parser.parse_args()
    results = asyncio.run(run(args.redis or None, args.calls, args.rounds))

    def stats(rounds: list[tuple[float, float]]) -> dict:
        wall, cpu = [w for w, _ in rounds], [c for _, c in rounds]
        return {
            "median_us": round(statistics.median(wall), 1),
            "min_us": round(min(wall), 1),
            "max_us": round(max(wall), 1),
            "cpu_median_us": round(statistics.median(cpu), 1),
            "rounds_us": [round(x, 1) for x in wall],
        }

    summary = {
        strategy: {name: stats(v) for name, v in per.items()} for strategy, per in results.items()
    }
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor(),
            "node": platform.node(),
        },
        "calls_per_round": args.calls,
        "rounds": args.rounds,
        "results": summary,
    }
    args.out.mkdir(exist_ok=True)
    (args.out / "ratelimit_bench.json").write_text(json.dumps(report, indent=2))
    lines = [
        "# Rate limiter cost per request",
        "",
        f"{args.calls} hits per round, {args.rounds} interleaved rounds; one hit = "
        "`hit` + `get_window_stats`, as every limited request pays.",
        "",
        "| strategy | store | wall median µs | min | max | spread | CPU median µs |",
        "|---|---|---|---|---|---|---|",
    ]
    for strategy, per in summary.items():
        for name, s in per.items():
            spread = (s["max_us"] - s["min_us"]) / s["median_us"] * 100
            lines.append(
                f"| {strategy} | {name} | {s['median_us']} | {s['min_us']} | "
                f"{s['max_us']} | {spread:.0f}% | {s['cpu_median_us']} |"
            )
    for strategy, per in summary.items():
        if "redis" in per:
            ratio = per["redis"]["median_us"] / per["memory"]["median_us"]
            lines.append(f"\n{strategy}: Redis costs {ratio:.1f}× the in-process store.")
    (args.out / "ratelimit_bench.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
