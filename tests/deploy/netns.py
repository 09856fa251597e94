"""Client threads inside a pod's network namespace (`podman pod create --network none`).

The pod has only its own loopback; these threads join its network namespace with setns(2),
so the sockets they open reach the pod's 127.0.0.1, while the test process stays outside.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def enter(pid: int) -> None:
    """Move the calling thread into the network namespace of process `pid`."""
    fd = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"setns into the network namespace of {pid}: {os.strerror(errno)}")
    finally:
        os.close(fd)


class PodNet:
    """A pool of threads living in the pod's network namespace."""

    def __init__(self, pid: int, threads: int = 32) -> None:
        self._pool = ThreadPoolExecutor(threads, initializer=enter, initargs=(pid,))

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._pool.submit(fn, *args, **kwargs).result()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self._pool.submit(fn, *args)

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        return list(self._pool.map(fn, items))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
