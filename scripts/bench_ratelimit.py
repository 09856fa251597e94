"""Benchmark: the rate limiter's cost per request, in process and in its own redis-server.

For each strategy, the ways to make one limited request's decision, on uvloop as in the
workers, in interleaved rounds (every strategy and way in each round, so drift hits all
alike):

- `memory`: the in-process store (one worker only);
- `redis, limits (2 trips)`: `limits`' `hit` then `get_window_stats` (two round trips; the
  window strategies only: `limits` has no token bucket);
- `redis, 1 trip, plain`: the strategy's script alone (what the address limits run);
- `redis, 1 trip, not pipelined`: `RateLimiter.hit_identity`, one script call per hit;
- `redis, 1 trip`: `RateLimiter.hit_identity` (the strategy and usage metering, one script
  run; hits of one event-loop pass in one pipeline): what the service runs;
- `redis, 1 trip + quota`: the same with a quota checked and charged.

Counts this process's CPU and the redis-server's (from /proc) per hit, and each way's CPU
(client + server) against the plain moving window's in the same round (paired ratios,
medians). The redis-server is started here, on a free loopback port, so no other client's
load is counted. Writes reports/ratelimit_bench.{json,md}. A benchmark, not a test: numbers
depend on the machine.

    python -m scripts.bench_ratelimit [--calls 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import platform
import statistics
import time
import uuid
from pathlib import Path

import uvloop
from limits import parse
from limits.aio import strategies
from limits.storage import storage_from_string

from scripts.bench.redis_server import RedisServer
from specserve.config import Settings
from specserve.ratelimit.limiter import STORE_TIMEOUT, Quota, RateLimiter

LIMIT = "1000000/minute"  # never reached; the token bucket takes at most 20000/second
STRATEGIES = ("moving-window", "fixed-window", "sliding-window-counter", "token-bucket")
BASELINE = ("moving-window", "redis, 1 trip, plain")


class TwoTrips:
    """The limiter's Redis path before: `limits`' public API, hit then window stats."""

    def __init__(self, url: str, strategy: str) -> None:
        storage = storage_from_string(
            f"async+{url}",
            implementation="redispy",
            key_prefix=f"bench-{uuid.uuid4().hex[:6]}",
            wrap_exceptions=True,
            socket_timeout=STORE_TIMEOUT,
            socket_connect_timeout=STORE_TIMEOUT,
        )
        self.strategy = strategies.STRATEGIES[strategy](storage)
        self.item = parse(LIMIT)

    async def hit_identity(self, identity: str, tier: str, cost: int):
        await self.strategy.hit(self.item, "id", identity, cost=cost)
        return await self.strategy.get_window_stats(self.item, "id", identity)


class Plain:
    """The strategy's script alone, without quota or usage (as the address limits)."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    async def hit_identity(self, identity: str, tier: str, cost: int):
        return await self.limiter.hit_token(identity)


class WithQuota:
    """`hit_identity` with a quota the bench never reaches."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    async def hit_identity(self, identity: str, tier: str, cost: int):
        quota = Quota(10**15, "month")
        return await self.limiter.hit_identity(identity, tier, cost, model="m", quota=quota)


async def round_cost(limiter, calls: int, redis: RedisServer, tasks: int = 1) -> dict:
    """`calls` hits from `tasks` concurrent tasks (as a worker's concurrent requests)."""
    identity = f"bench-{uuid.uuid4().hex}"

    async def client(n: int) -> None:
        for _ in range(n):
            await limiter.hit_identity(identity, "default", 1)

    server_cpu = redis.cpu_seconds()
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client(calls // tasks) for _ in range(tasks)))
    calls = calls // tasks * tasks
    wall = time.perf_counter() - started
    return {
        "wall_us": wall / calls * 1e6,
        "cpu_us": (time.process_time() - cpu) / calls * 1e6,
        "redis_cpu_us": (redis.cpu_seconds() - server_cpu) / calls * 1e6,
    }


def ways(url: str, strategy: str) -> dict:
    base = Settings(
        rate_limit=LIMIT,
        token_rate_limit=LIMIT,
        rate_limit_strategy=strategy,
        rate_limit_key_prefix=f"bench-{uuid.uuid4().hex[:6]}",
    )
    shared = base.model_copy(update={"redis_url": url})
    alone = RateLimiter(shared)
    alone.windows.coalesce = False
    found: dict = {"memory": RateLimiter(base)}
    if strategy in strategies.STRATEGIES:
        found["redis, limits (2 trips)"] = TwoTrips(url, strategy)
    found["redis, 1 trip, plain"] = Plain(RateLimiter(shared))
    found["redis, 1 trip, not pipelined"] = alone
    found["redis, 1 trip"] = RateLimiter(shared)
    found["redis, 1 trip + quota"] = WithQuota(RateLimiter(shared))
    return found


async def run(url: str, redis: RedisServer, calls: int, rounds: int, tasks: list[int]) -> dict:
    results: dict[str, dict[str, list[dict]]] = {}
    every = {strategy: ways(url, strategy) for strategy in STRATEGIES}
    for limiters in every.values():
        for limiter in limiters.values():
            await round_cost(limiter, 200, redis, max(tasks))  # connections and scripts warm
    for _ in range(rounds):
        for n in tasks:
            for strategy, limiters in every.items():
                for name, limiter in limiters.items():
                    key = f"{strategy}, {n} concurrent"
                    results.setdefault(key, {}).setdefault(name, []).append(
                        await round_cost(limiter, calls, redis, n)
                    )
    return results


def summarise(rounds: list[dict]) -> dict:
    out = {}
    for metric in ("wall_us", "cpu_us", "redis_cpu_us"):
        values = [r[metric] for r in rounds]
        med = statistics.median(values)
        out[metric] = {
            "median": round(med, 1),
            "min": round(min(values), 1),
            "max": round(max(values), 1),
            "spread": round((max(values) - min(values)) / med, 3) if med else 0.0,
        }
    return out


def markdown(report: dict) -> str:
    lines = [
        "# Rate limiter cost per request",
        "",
        f"{report['calls_per_round']} hits per round from 1 or N concurrent tasks (a worker's "
        f"concurrent requests), {report['rounds']} interleaved rounds, uvloop; medians (spread "
        "= (max - min) / median). Client CPU is this process; redis CPU is the bench's own "
        "redis-server. `not pipelined`: one script call per hit; the default also sends the "
        "hits made in one event-loop pass in one pipeline.",
        "",
        "| strategy, concurrency | way | client CPU µs | spread | redis-server CPU µs "
        "| all-in µs | wall µs |",
        "|---|---|---|---|---|---|---|",
    ]
    for strategy, per in report["results"].items():
        for name, s in per.items():
            cpu, rcpu = s["cpu_us"]["median"], s["redis_cpu_us"]["median"]
            lines.append(
                f"| {strategy} | {name} | {cpu} | {s['cpu_us']['spread']:.0%} | {rcpu} | "
                f"{cpu + rcpu:.1f} | {s['wall_us']['median']} |"
            )
    lines.append("")
    for strategy, ratio in report["one_trip_vs_two"].items():
        lines.append(
            f"- {strategy}: one trip costs ×{ratio['client_cpu']:.2f} the client CPU and "
            f"×{ratio['redis_cpu']:.2f} the redis-server CPU of two (paired per round)."
        )
    lines += [
        "",
        "CPU per request (client + redis-server) against the plain moving window's at the "
        "same concurrency, paired per round, medians:",
        "",
        "| concurrency | strategy | plain | metered (usage) | metered + quota |",
        "|---|---|---|---|---|",
    ]
    for row in report["vs_plain_moving_window"]:
        lines.append(
            f"| {row['concurrency']} | {row['strategy']} | ×{row['plain']:.2f} | "
            f"×{row['metered']:.2f} | ×{row['quota']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def all_in(r: dict) -> float:
    return r["cpu_us"] + r["redis_cpu_us"]


def ratio(rounds: list[dict], base: list[dict]) -> float:
    pairs = zip(rounds, base, strict=True)
    return median_ratio([(all_in(a), all_in(b)) for a, b in pairs])


def against_plain_moving_window(raw: dict, tasks: list[int]) -> list[dict]:
    rows = []
    for n in tasks:
        base = raw[f"{BASELINE[0]}, {n} concurrent"][BASELINE[1]]
        for strategy in STRATEGIES:
            per = raw[f"{strategy}, {n} concurrent"]

            rows.append(
                {
                    "concurrency": n,
                    "strategy": strategy,
                    "plain": ratio(per["redis, 1 trip, plain"], base),
                    "metered": ratio(per["redis, 1 trip"], base),
                    "quota": ratio(per["redis, 1 trip + quota"], base),
                }
            )
    return rows


def paired(per: dict, metric: str) -> float:
    one, two = per["redis, 1 trip"], per["redis, limits (2 trips)"]
    return median_ratio([(a[metric], b[metric]) for a, b in zip(one, two, strict=True)])


def median_ratio(pairs: list[tuple[float, float]]) -> float:
    """Median of a / b over the rounds where b was measured at all (CPU ticks are 10 ms)."""
    ratios = [a / b for a, b in pairs if b > 0]
    return round(statistics.median(ratios), 3) if ratios else math.nan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--concurrency", default="1,16", help="concurrent hitting tasks, comma-separated"
    )
    parser.add_argument("--out", type=Path, default=Path("reports"))
    args = parser.parse_args()
    with RedisServer() as redis:
        tasks = [int(n) for n in args.concurrency.split(",")]
        raw = uvloop.run(run(redis.url, redis, args.calls, args.rounds, tasks))
    report = {
        "machine": {"python": platform.python_version(), "cpu": platform.processor()},
        "calls_per_round": args.calls,
        "rounds": args.rounds,
        "results": {s: {n: summarise(r) for n, r in per.items()} for s, per in raw.items()},
        "one_trip_vs_two": {
            s: {"client_cpu": paired(per, "cpu_us"), "redis_cpu": paired(per, "redis_cpu_us")}
            for s, per in raw.items()
            if "redis, limits (2 trips)" in per
        },
        "vs_plain_moving_window": against_plain_moving_window(raw, tasks),
        "rounds_raw": raw,
    }
    args.out.mkdir(exist_ok=True)
    (args.out / "ratelimit_bench.json").write_text(json.dumps(report, indent=2))
    text = markdown(report)
    (args.out / "ratelimit_bench.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
