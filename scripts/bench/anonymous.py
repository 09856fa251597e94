"""A keyed client's throughput while eight anonymous clients fetch the public documents.

The anonymous clients each come from an address of their own (127.0.0.2 to 127.0.0.9), so
the per-address limit alone cannot protect the keyed client: each fetches `/openapi.json`
and `/openapi.yaml` back to back as fast as it can (at the default
`SPECSERVE_ANON_RATE_LIMIT` most answers are 429s, which must stay cheap). Harness:
`scripts.bench.crowding`; report: `reports/anonymous_documents.json`.

    .venv/bin/python -m scripts.bench.anonymous [--rounds 3] [--seconds 4]
"""

from __future__ import annotations

import multiprocessing
import time

import httpx

from scripts.bench import crowding

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


def crowd(base_url: str, keys: list[str], seconds: float) -> list[multiprocessing.Process]:
    return [multiprocessing.Process(target=fetch, args=(base_url, a, seconds)) for a in ADDRESSES]


if __name__ == "__main__":
    crowding.main(__doc__, "anonymous_documents.json", crowd, keys_needed=1)
