"""One BLAS/OpenMP thread per worker: more threads oversubscribe the cores under load.

The model calls' own threads are in `specserve.serving.threads`; these are the thread pools
*inside* numpy, SciPy and scikit-learn. `pin_thread_env` is called by gunicorn.conf.py before
any worker imports numpy (so this module imports nothing heavy), `pin_thread_pools` by the app
factory, and `/health` reports the result (`thread_check`).
"""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def pin_thread_env() -> None:
    """Before numpy loads: the libraries read these variables when they start."""
    for var in THREAD_VARIABLES:
        os.environ.setdefault(var, "1")


def pin_thread_pools() -> None:
    """Also the pools of libraries already loaded."""
    pin_thread_env()
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def thread_check() -> dict[str, str]:
    """Health: every BLAS/OpenMP pool at one thread."""
    from threadpoolctl import threadpool_info

    counts = sorted({pool["num_threads"] for pool in threadpool_info()})
    status = "pass" if counts in ([], [1]) else "warn"
    return {"status": status, "detail": f"BLAS/OpenMP threads per pool: {counts or [1]}"}
