"""An innocent client's throughput while four keys send hostile bodies (bounded).

One gunicorn worker (limits at 1,000,000 a minute, so the attackers' price never refuses
them: only the shape check can protect the innocent client). Rounds alternate quiet (the
innocent client alone) and attacked (four attacker processes, each with its own key,
posting the issue's hostile shapes back to back, each body as large as the default
`SPECSERVE_MAX_BODY_BYTES` admits; `SPECSERVE_BENCH_BODY_BYTES` sets another size, e.g.
1048576 for the hardening issue's 1 MiB bodies). Harness: `scripts.bench.crowding`;
report: `reports/hostile_bodies.json`.

    .venv/bin/python -m scripts.bench.hostile [--rounds 3] [--seconds 4]
"""

from __future__ import annotations

import multiprocessing
import os
import time

import httpx

from scripts.bench import crowding
from tests.unit.test_body_bounds import DEFAULT_BODY_LIMIT, hostile_bodies

ATTACKERS = 4


def attack(base_url: str, key: str, seconds: float) -> None:
    """Post every hostile body in turn, back to back, for `seconds`."""
    size = int(os.environ.get("SPECSERVE_BENCH_BODY_BYTES") or DEFAULT_BODY_LIMIT)
    bodies = list(hostile_bodies(size).values())
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base_url, headers={"X-API-Key": key}, timeout=30) as client:
        i = 0
        while time.monotonic() < deadline:
            raw = bodies[i % len(bodies)]
            client.post("/predict", content=raw, headers={"Content-Type": "application/json"})
            i += 1


def crowd(base_url: str, keys: list[str], seconds: float) -> list[multiprocessing.Process]:
    return [multiprocessing.Process(target=attack, args=(base_url, k, seconds)) for k in keys]


if __name__ == "__main__":
    crowding.main(__doc__, "hostile_bodies.json", crowd, keys_needed=1 + ATTACKERS)
