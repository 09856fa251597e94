"""An innocent client's throughput while four keys send hostile 1 MiB bodies (bounded).

One gunicorn worker (Redis-backed limits at 1,000,000 a minute, so the attackers' price
never refuses them: only the shape check can protect the innocent client). Rounds alternate
quiet (the innocent client alone) and attacked (four attacker processes, each with its own
key, posting the issue's hostile bodies back to back); the report holds every round and the
medians, in `reports/hostile_bodies.json`.

    .venv/bin/python -m scripts.bench.hostile [--rounds 3] [--seconds 4]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from specserve.auth.filestore import FileKeyStore
from tests.live import ROOT, LiveService, redis_url, train_default_model
from tests.unit.test_body_bounds import HOSTILE

SEED = [1500.5, 2, 0.75]
ATTACKERS = 4


def attack(base_url: str, key: str, seconds: float) -> None:
    """Post every hostile body in turn, back to back, for `seconds`."""
    bodies = list(HOSTILE.values())
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base_url, headers={"X-API-Key": key}, timeout=30) as client:
        i = 0
        while time.monotonic() < deadline:
            raw = bodies[i % len(bodies)]
            client.post("/predict", content=raw, headers={"Content-Type": "application/json"})
            i += 1


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


def attacked_round(base_url: str, keys: list[str], seconds: float) -> dict[str, float]:
    procs = [
        multiprocessing.Process(target=attack, args=(base_url, k, seconds + 1)) for k in keys[1:]
    ]
    for proc in procs:
        proc.start()
    time.sleep(0.5)  # the attackers are sending
    result = innocent(base_url, keys[0], seconds)
    for proc in procs:
        proc.join()
    return result


def run(rounds: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        model_dir = work / "models"
        train_default_model(model_dir)
        store = FileKeyStore(work / "keys.json")
        keys = [store.create(f"client-{i}")[1] for i in range(ATTACKERS + 1)]
        env = {"SPECSERVE_REDIS_URL": redis_url() or ""}
        with LiveService(work, model_dir, store.path, workers=1, env=env) as svc:
            innocent(svc.base_url, keys[0], 1)  # warm
            quiet, attacked = [], []
            for _ in range(rounds):
                quiet.append(innocent(svc.base_url, keys[0], seconds))
                attacked.append(attacked_round(svc.base_url, keys, seconds))
    q = statistics.median(r["rps"] for r in quiet)
    a = statistics.median(r["rps"] for r in attacked)
    return {
        "seconds_per_round": seconds,
        "attackers": ATTACKERS,
        "quiet": quiet,
        "attacked": attacked,
        "median_quiet_rps": q,
        "median_attacked_rps": a,
        "ratio": a / q,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--out", default=str(ROOT / "reports" / "hostile_bodies.json"))
    args = parser.parse_args()
    report = run(args.rounds, args.seconds)
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k.startswith(("median", "ratio"))}))


if __name__ == "__main__":
    main()
