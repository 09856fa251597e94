"""A client's throughput alone and while a crowd works the same worker (bounded).

The harness of `scripts.bench.hostile` and `scripts.bench.anonymous`: one gunicorn worker
with Redis-backed limits, rounds alternating quiet (the client's one-row predicts alone) and
crowded (the crowd's processes running beside it); every round and the medians go to a
JSON report.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from specserve.auth.filestore import FileKeyStore
from tests.live import ROOT, LiveService, redis_url, train_default_model

SEED = [1500.5, 2, 0.75]
# the crowd: (the service's base URL, the keys after the client's, seconds) -> processes
Crowd = Callable[[str, list[str], float], list[multiprocessing.Process]]


def innocent(base_url: str, key: str, seconds: float) -> dict[str, float]:
    """One-row predicts, one at a time, for `seconds`: the rate and the p99 latency."""
    latencies = []
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base_url, headers={"X-API-Key": key}) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            assert client.post("/predict", json={"features": SEED}).status_code == 200
            latencies.append(time.perf_counter() - started)
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def crowded_round(base_url: str, keys: list[str], seconds: float, crowd: Crowd) -> dict:
    procs = crowd(base_url, keys[1:], seconds + 1)
    for proc in procs:
        proc.start()
    time.sleep(0.5)  # the crowd is at work
    result = innocent(base_url, keys[0], seconds)
    for proc in procs:
        proc.join()
    return result


def run(crowd: Crowd, keys_needed: int, rounds: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        model_dir = work / "models"
        train_default_model(model_dir)
        store = FileKeyStore(work / "keys.json")
        keys = [store.create(f"client-{i}")[1] for i in range(keys_needed)]
        env = {"SPECSERVE_REDIS_URL": redis_url() or ""}
        with LiveService(work, model_dir, store.path, workers=1, env=env) as svc:
            innocent(svc.base_url, keys[0], 1)  # warm
            quiet, crowded = [], []
            for _ in range(rounds):
                quiet.append(innocent(svc.base_url, keys[0], seconds))
                crowded.append(crowded_round(svc.base_url, keys, seconds, crowd))
    q = statistics.median(r["rps"] for r in quiet)
    c = statistics.median(r["rps"] for r in crowded)
    return {
        "seconds_per_round": seconds,
        "quiet": quiet,
        "crowded": crowded,
        "median_quiet_rps": q,
        "median_crowded_rps": c,
        "ratio": c / q,
    }


def main(doc: str, report: str, crowd: Crowd, keys_needed: int) -> None:
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--out", default=str(ROOT / "reports" / report))
    args = parser.parse_args()
    result = run(crowd, keys_needed, args.rounds, args.seconds)
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k.startswith(("median", "ratio"))}))
