"""A keyed client's throughput while eight anonymous clients fetch the public documents.

The anonymous clients each come from an address of their own (127.0.0.2 to 127.0.0.9), so
the per-address limit alone cannot protect the keyed client: each fetches `/openapi.json`
and `/openapi.yaml` back to back as fast as it can (at the default
`SPECSERVE_ANON_RATE_LIMIT` most answers are 429s, which must stay cheap). One gunicorn worker,
Redis-backed limits; rounds alternate quiet and crowded; `reports/anonymous_documents.json`.

    .venv/bin/python -m scripts.bench.anonymous [--rounds 3] [--seconds 4]
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

from scripts.bench.hostile import innocent
from specserve.auth.filestore import FileKeyStore
from tests.live import ROOT, LiveService, redis_url, train_default_model

ADDRESSES = [f"127.0.0.{i}" for i in range(2, 10)]
DOCUMENTS = ["/openapi.json", "/openapi.yaml"]


def fetch(base_url: str, address: str, seconds: float) -> None:
    """Fetch the spec in both forms, back to back, from `address`, for `seconds`."""
    transport = httpx.HTTPTransport(local_address=address)
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base_url, transport=transport, timeout=30) as client:
        i = 0
        while time.monotonic() < deadline:
            client.get(DOCUMENTS[i % len(DOCUMENTS)])
            i += 1


def crowded_round(base_url: str, key: str, seconds: float) -> dict[str, float]:
    procs = [
        multiprocessing.Process(target=fetch, args=(base_url, a, seconds + 1)) for a in ADDRESSES
    ]
    for proc in procs:
        proc.start()
    time.sleep(0.5)  # the anonymous clients are fetching
    result = innocent(base_url, key, seconds)
    for proc in procs:
        proc.join()
    return result


def run(rounds: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        model_dir = work / "models"
        train_default_model(model_dir)
        store = FileKeyStore(work / "keys.json")
        key = store.create("keyed")[1]
        env = {"SPECSERVE_REDIS_URL": redis_url() or ""}
        with LiveService(work, model_dir, store.path, workers=1, env=env) as svc:
            innocent(svc.base_url, key, 1)  # warm
            quiet, crowded = [], []
            for _ in range(rounds):
                quiet.append(innocent(svc.base_url, key, seconds))
                crowded.append(crowded_round(svc.base_url, key, seconds))
    q = statistics.median(r["rps"] for r in quiet)
    c = statistics.median(r["rps"] for r in crowded)
    return {
        "seconds_per_round": seconds,
        "anonymous_clients": len(ADDRESSES),
        "quiet": quiet,
        "crowded": crowded,
        "median_quiet_rps": q,
        "median_crowded_rps": c,
        "ratio": c / q,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--out", default=str(ROOT / "reports" / "anonymous_documents.json"))
    args = parser.parse_args()
    report = run(args.rounds, args.seconds)
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k.startswith(("median", "ratio"))}))


if __name__ == "__main__":
    main()
