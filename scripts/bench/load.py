"""One bounded wrk run against a server: throughput, latency, errors, CPU per request."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import threading
from pathlib import Path

from scripts.bench.service import Server

LUA = Path(__file__).with_name("wrk.lua")


def wrk_version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return (out.stdout + out.stderr).strip().splitlines()[0].split(" Copyright")[0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(
    server: Server,
    path: str,
    bodies: Path,
    connections: int,
    duration: float,
    api_key: str,
    *,
    sample_split: bool = True,
    store_cpu=None,
) -> dict:
    """Run wrk for `duration` seconds; the API key travels in wrk's environment only.
    `store_cpu()`: CPU seconds of the service's redis-server, counted into "all-in"."""
    threads = max(1, min(connections, 2))
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        server.url(path),
    ]
    env = {
        **os.environ,
        "BENCH_API_KEY": api_key,
        "BENCH_BODIES": str(bodies),
    }
    split: dict[int, int] = {}
    timer = None
    if sample_split:
        timer = threading.Timer(duration / 2, lambda: split.update(server.connections()))
        timer.start()
    cpu_before = server.cpu_seconds()
    store_before = store_cpu() if store_cpu else 0.0
    wrk_before = _children_cpu()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 60)
    wrk_cpu = _children_cpu() - wrk_before
    cpu_after = server.cpu_seconds()
    store = (store_cpu() - store_before) if store_cpu else None
    if timer is not None:
        timer.join()
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr[-1000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    requests = max(raw["requests"], 1)
    seconds = raw["duration_us"] / 1e6
    per_pid = {pid: cpu_after.get(pid, cpu) - cpu for pid, cpu in cpu_before.items()}
    workers = server.worker_pids()
    server_cpu = sum(per_pid.values())
    worker_cpu = sum(per_pid.get(pid, 0.0) for pid in workers)
    lat = raw["latency_us"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 3),
        "rps": raw["requests"] / seconds,
        "errors": sum(raw["errors"].values()),
        "error_detail": raw["errors"],
        "p50_ms": lat["p50"] / 1000,
        "p90_ms": lat["p90"] / 1000,
        "p99_ms": lat["p99"] / 1000,
        "max_ms": lat["max"] / 1000,
        "server_cpu_ms_per_req": server_cpu * 1000 / requests,
        "redis_cpu_ms_per_req": None if store is None else store * 1000 / requests,
        "allin_cpu_ms_per_req": (server_cpu + (store or 0.0)) * 1000 / requests,
        "server_cpu_util": server_cpu / seconds,
        "wrk_cpu_ms_per_req": wrk_cpu * 1000 / requests,
        "worker_cpu_share": [
            round(per_pid.get(pid, 0.0) / worker_cpu, 3) if worker_cpu else 0.0 for pid in workers
        ],
        "worker_connections": [split.get(pid, 0) for pid in workers] if sample_split else [],
    }
