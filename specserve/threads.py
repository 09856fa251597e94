"""One BLAS/OpenMP thread per worker: more threads oversubscribe the cores under load.

Called by gunicorn.conf.py before any worker imports numpy, and by the app factory.
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
