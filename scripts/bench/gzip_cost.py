"""gzip's cost against the bytes it saves, in process (`python -m scripts.bench.gzip_cost BODY`).

BODY: a saved answer (e.g. a 100-row `/v1/batch_predict` answer). Measures, per request,
the CPU of Starlette's GZipMiddleware (what `SPECSERVE_GZIP_MIN_BYTES` turns on) around a
constant ASGI app sending BODY, for a
client that accepts gzip and one that does not, against the bare app, at gzip levels 1, 6
and 9; interleaved rounds, medians. Writes reports/gzip_bench.json.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware

CALLS, ROUNDS = 2000, 5


def constant(body: bytes):
    length = b"%d" % len(body)

    async def app(scope, receive, send):
        # a fresh start message per answer: a middleware may rewrite its headers in place
        headers = [(b"content-type", b"application/json"), (b"content-length", length)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


async def cost(app, accept: bytes | None) -> tuple[float, int]:
    headers = [(b"host", b"t"), (b"user-agent", b"bench")]
    if accept:
        headers.append((b"accept-encoding", accept))
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    size = 0

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        nonlocal size
        size = len(message.get("body", b"")) or size

    started = time.process_time()
    for _ in range(CALLS):
        await app(scope, receive, send)
    return (time.process_time() - started) / CALLS * 1e6, size


async def run(body: bytes) -> dict:
    bare = constant(body)
    cases = {
        "bare app": (bare, None),
        "gzip middleware, client without gzip": (GZipMiddleware(bare, minimum_size=1000), None),
    }
    for level in (1, 6, 9):
        cases[f"gzip level {level}, client accepts gzip"] = (
            GZipMiddleware(bare, minimum_size=1000, compresslevel=level),
            b"gzip, deflate, br",
        )
    samples: dict[str, list[float]] = {name: [] for name in cases}
    sizes = {}
    for _ in range(ROUNDS):
        for name, (app, accept) in cases.items():
            us, sizes[name] = await cost(app, accept)
            samples[name].append(us)
    base = statistics.median(samples["bare app"])
    return {
        name: {
            "cpu_us": round(statistics.median(v), 1),
            "extra_cpu_us": round(statistics.median(v) - base, 1),
            "spread": round((max(v) - min(v)) / statistics.median(v), 2),
            "bytes": sizes[name],
        }
        for name, v in samples.items()
    }


def main() -> None:
    body = Path(sys.argv[1]).read_bytes()
    result = {
        "body_bytes": len(body),
        "calls": CALLS,
        "rounds": ROUNDS,
        "cases": asyncio.run(run(body)),
    }
    Path("reports").mkdir(exist_ok=True)
    Path("reports/gzip_bench.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
