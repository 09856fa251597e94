"""py-spy on one served worker under wrk: where its CPU goes, as text for the report.

`py-spy record --format raw` writes collapsed stacks (`frame;frame;... count`, outermost
first); only samples of running threads are kept (py-spy drops idle ones), so shares are of
the worker's busy time. Three views: self time by function (the leaf), inclusive time by
function (counted once per stack), and by layer: inclusive (a package anywhere on the stack:
middlewares nest, so outer layers hold most samples) and owned (the innermost layer on the
stack other than the event loop, so the shares add up to 100%).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from scripts.bench.load import run_wrk
from scripts.bench.service import ROOT

RATE = 250  # samples per second
TOP = 25
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
# Layers, first match wins, against "/" + the frame's file (py-spy names files relative to
# their sys.path entry: "redis/asyncio/connection.py", "asyncio/streams.py").
LAYERS = [
    ("rate limiter: script call (specserve.ratelimit.windows)", "/specserve/ratelimit/windows.py"),
    ("rate limiter: decision (specserve.ratelimit.limiter)", "/specserve/ratelimit/limiter.py"),
    ("rate-limit middleware", "/specserve/ratelimit/middleware.py"),
    ("redis-py client", "/redis/"),
    ("access log / logging", "/logging/"),
    ("prometheus_client", "/prometheus_client/"),
    ("model call (sklearn/numpy)", "/sklearn/"),
    ("model call (sklearn/numpy)", "/numpy/"),
    ("connexion", "/connexion/"),
    ("starlette", "/starlette/"),
    ("uvicorn (HTTP, httptools)", "/uvicorn/"),
    ("asyncio / uvloop", "/asyncio/"),
    ("auth (specserve.auth)", "/specserve/auth/"),
    ("serving (specserve.serving)", "/specserve/serving/"),
    ("specserve.http", "/specserve/http/"),
    ("specserve, other", "/specserve/"),
    ("handlers", "/handlers/"),
]


def py_spy() -> str | None:
    found = Path(sys.executable).with_name("py-spy")
    return str(found) if found.exists() else shutil.which("py-spy")


def under_load(server, ctx, seconds: int, out_dir: Path) -> dict | None:
    """Profile the first worker of `server` for `seconds` under wrk at 32 connections; the
    collapsed stacks stay in `out_dir`/profile.collapsed (for flame graph tools)."""
    binary = py_spy()
    if binary is None:
        print("py-spy is not installed (pip install py-spy): no profile", file=sys.stderr)
        return None
    pid = server.worker_pids()[0]
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "profile.collapsed"
    cmd = [binary, "record", "--pid", str(pid), "--duration", str(seconds), "--rate", str(RATE)]
    cmd += ["--format", "raw", "--output", str(out), "--nonblocking"]
    result: dict = {}
    load = threading.Thread(
        target=lambda: result.update(
            run_wrk(server, "/predict", ctx.bodies["predict"], 32, seconds + 2, ctx.api_key)
        )
    )
    load.start()
    spy = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    load.join()
    if spy.returncode != 0 or not out.exists():
        print(f"py-spy failed: {spy.stderr[-500:]}", file=sys.stderr)
        return None
    summary = summarise(out.read_text())
    summary.update(
        seconds=seconds, rate=RATE, connections=32, rps=result.get("rps"), config=server.name
    )
    return summary


def _frame(text: str) -> tuple[str, str]:
    m = FRAME.match(text.strip())
    if not m:
        return text.strip(), ""
    return m["func"], m["file"]


def _layer(file: str) -> str | None:
    path = "/" + file
    return next((name for name, part in LAYERS if part in path), None)


def summarise(raw: str) -> dict:
    own, inclusive, layers, owners = Counter(), Counter(), Counter(), Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_frame(f) for f in stack.split(";")]
        frames = [f for f in frames if not f[0].startswith("process ") and f[0] != "all"]
        if not frames:
            continue
        func, file = frames[-1]
        own[f"{func} ({_short(file)})"] += n
        for name in {f"{fn} ({_short(fl)})" for fn, fl in frames}:
            inclusive[name] += n
        stack_layers = [_layer(fl) for _, fl in frames]
        for layer in set(stack_layers) - {None}:
            layers[layer] += n
        owners[_owner(stack_layers)] += n

    def top(counter: Counter) -> list[list]:
        return [[name, round(100 * n / total, 1)] for name, n in counter.most_common(TOP)]

    return {
        "samples": total,
        "self_pct": top(own),
        "inclusive_pct": top(inclusive),
        "layers_pct": top(layers),
        "owners_pct": top(owners),
    }


def _owner(stack_layers: list[str | None]) -> str:
    """The innermost layer on the stack that is not the event loop: who the time is for
    (a socket write under redis-py is redis-py's; stdlib under connexion is connexion's)."""
    for layer in reversed(stack_layers):
        if layer is not None and layer != "asyncio / uvloop":
            return layer
    return "event loop, other"


def _short(file: str) -> str:
    """A frame's file relative to the source tree, site-packages or the standard library."""
    for base in (
        str(ROOT) + "/",
        "site-packages/",
        f"python{sys.version_info[0]}.{sys.version_info[1]}/",
    ):
        if base in file:
            return file.split(base, 1)[1]
    return file
