"""gunicorn configuration for specserve (production and `make serve`).

Everything comes from `SPECSERVE_*` variables (see README). Thread pools are pinned to one
thread per worker before any worker imports numpy, and Prometheus gets a fresh multiprocess
directory per start so `/metrics` aggregates exactly the live workers.
"""

import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import warnings
from pathlib import Path

# Connexion imports Starlette's test client at import time, which warns about httpx; the
# service never uses it. Keep production logs to what matters.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from specserve.serving.blas import pin_thread_env  # noqa: E402

pin_thread_env()  # before any worker imports numpy

from specserve.config import fail, load_settings  # noqa: E402  (after the thread pools)

# Every setting is checked here, in the master, before a socket or a worker exists: a bad one
# is one line on stderr and exit status 2.
_settings = load_settings()
# The contract is valid and every operation has its handler (specserve/startup.py), checked in
# a child process so the master never imports the handlers' numerical stack: one line each.
_check = subprocess.run(
    [sys.executable, "-m", "specserve.startup"],
    capture_output=True,
    text=True,
    check=False,
    # no metrics files: the check's imports must not write into the workers' directory
    env={k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"},
)
if _check.returncode:
    sys.stderr.write(_check.stderr)
    raise SystemExit(_check.returncode)

bind = f"{_settings.host}:{_settings.port}"
# One worker per core: the work is CPU-bound and each worker serves many connections on its
# event loop, so more workers only add context switches (measured on 2 cores: 1 worker halves
# throughput, 3-4 gain nothing). uvicorn with uvloop + httptools (specserve/worker.py): the
# cheapest HTTP layer measured (httptools saves 80-100 us/request over h11). No max_requests:
# worker churn would leave Prometheus files behind and cost a model load per restart.
workers = _settings.workers or multiprocessing.cpu_count()
# In-process rate-limit counters are per worker: N workers would allow N times the limit.
# Without a shared store (SPECSERVE_REDIS_URL) one worker keeps the limits exact.
_single_for_limits = _settings.rate_limit_enabled and not _settings.redis_url and workers > 1
if _single_for_limits:
    workers = 1
chdir = str(Path(__file__).resolve().parent)  # the source tree: spec, handlers, generated models
worker_class = "specserve.http.worker.Worker"
wsgi_app = "specserve.app:serve()"
timeout = 30
graceful_timeout = _settings.graceful_timeout
keepalive = 5
# No reuse_port: with it a second instance binds the same address and silently takes a share
# of the connections. Without it, a taken address stops start-up (on_starting). The workers
# accept from the master's one socket (see README, Performance, for the measured split).
reuse_port = False
control_socket_disable = True
accesslog = None  # the app writes one JSON line per request
loglevel = _settings.log_level.lower()
proc_name = "specserve"

_prom_dir = Path(os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", str(Path("var") / f"prometheus-{_settings.port}")
))


def on_starting(server):
    _refuse_a_taken_address()
    shutil.rmtree(_prom_dir, ignore_errors=True)
    _prom_dir.mkdir(parents=True, exist_ok=True)
    if _single_for_limits:
        server.log.warning(
            "SPECSERVE_REDIS_URL is not set: rate limits are counted in process, so one "
            "worker serves to keep them exact. Set SPECSERVE_REDIS_URL to run one worker "
            "per core (and several instances) with exact shared limits."
        )


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _refuse_a_taken_address() -> None:
    """One clear line instead of gunicorn's five retries when another process holds the port.
    Skipped when the listening socket is inherited (a USR2 upgrade, socket activation)."""
    if os.environ.get("GUNICORN_FD") or os.environ.get("LISTEN_FDS"):
        return
    family = socket.AF_INET6 if ":" in _settings.host else socket.AF_INET
    try:
        with socket.socket(family) as probe:  # what gunicorn's bind will do, without reuse_port
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((_settings.host, _settings.port))
    except OSError as exc:
        fail(
            [
                f"cannot listen on {bind} (SPECSERVE_HOST, SPECSERVE_PORT): {exc.strerror}; "
                "is another instance running there?"
            ]
        )
