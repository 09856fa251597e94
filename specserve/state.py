"""What one app instance holds: settings, the contracts' facts (the service's own API and the
Open Inference Protocol), the data plane, keys, tokens, the rate limiter — and the lifespan
that starts and stops the worker's background work.

One `AppState` per app (`create_app`); nothing here is module-global, so two apps in one
process (tests) share nothing but the immutable, cached contract.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from specserve import spec
from specserve.auth.store import open_store
from specserve.auth.tokens import TokenService
from specserve.config import Settings
from specserve.http import documents
from specserve.http.validation import Compiled
from specserve.ratelimit.clientip import trusted_networks
from specserve.ratelimit.durable import reader_for
from specserve.ratelimit.limiter import RateLimiter
from specserve.serving.blas import thread_check
from specserve.serving.dataplane import DataPlane


class AppState:
    def __init__(
        self, settings: Settings, *, served: bool = False, spec_path: Path = spec.SPEC_PATH
    ) -> None:
        self.settings = settings
        self.served = served  # a gunicorn worker (not an app built in process by a test)
        self.started = time.monotonic()
        self.spec_path = spec_path
        self.contract = spec.load(spec_path)  # the service's own API
        self.base_path = self.contract.base_path
        # every contract the service mounts, each at its base path: its own API, then the
        # Open Inference Protocol; their operations by handler name (no two share one)
        self.contracts = spec.service_contracts(spec_path)
        self.operations = {n: op for c in self.contracts for n, op in c.operations.items()}
        self.path_patterns = tuple(p for c in self.contracts for p in c.path_patterns)
        self.keys = open_store(settings)
        self.tokens = TokenService(settings)
        self.data_plane = DataPlane(settings)
        self.limiter = RateLimiter(settings)
        self.usage_reader = reader_for(settings, self.limiter)
        self.trusted_proxies = trusted_networks(settings.trusted_proxies)
        self.tracing = otlp_spans(settings.otlp_endpoint)
        self.watcher: asyncio.Task[None] | None = None  # model watching, while the app lives
        self.body_validators: Compiled = {}  # compiled request-body schemas, one per operation
        self.ui_prefixes = tuple(f"{c.base_path}/ui" for c in self.contracts)  # Swagger UI
        self.documents = documents.prepare(self.contracts)  # the public documents, made once

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Any = None) -> AsyncIterator[None]:
        """The worker's background work, from start-up to shutdown: model watching, the
        prediction log's writer, the usage counters' flushes (and their copy to PostgreSQL,
        with keys there), the shadow agreement's flush to Redis."""
        self.data_plane.prediction_log.start()
        if self.settings.model_poll_seconds > 0:
            self.watcher = asyncio.get_running_loop().create_task(self.data_plane.watch())
        await self.limiter.usage.start()
        self.data_plane.shadows.agreement.start()
        if self.usage_reader is not self.limiter.usage:
            self.usage_reader.start()
        if self.served:
            settle_heap()  # Connexion has built its middleware stack by now
        try:
            yield
        finally:
            # each step runs whatever the one before raised (a failing usage store must not
            # leave the watcher running or the prediction log unflushed); an exit stack runs
            # them last pushed first
            async with contextlib.AsyncExitStack() as steps:
                steps.push_async_callback(asyncio.to_thread, self.data_plane.prediction_log.stop)
                steps.push_async_callback(self.data_plane.shadows.agreement.stop)  # last counts
                steps.push_async_callback(self._drain_shadows)
                steps.push_async_callback(self._stop_watcher)
                if self.usage_reader is not self.limiter.usage:
                    steps.push_async_callback(self.usage_reader.stop)
                steps.push_async_callback(self.limiter.usage.stop)

    async def _stop_watcher(self) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.watcher

    async def _drain_shadows(self) -> None:
        """Shadow calls still running submit their requests' log records when they end:
        wait for them (each bounded by the model call timeout) before the log stops."""
        with contextlib.suppress(TimeoutError):
            shadows = self.data_plane.shadows.drain()
            await asyncio.wait_for(shadows, self.settings.predict_timeout + 1)

    async def health(self, detailed: bool = False) -> tuple[dict[str, Any], int]:
        """`/health`: every model, the thread pools, the key store and the limiter's store.
        Not `detailed` (anonymous callers): one status per kind of check, no detail, so it
        names no model, counts no keys and tells nothing of the limiter's policy."""
        checks, default = self.data_plane.model_checks()
        checks["threads"] = thread_check()
        ok, detail = self.keys.healthy()
        # a key store that is down degrades the service: the keys known keep working, but
        # changes (a revocation) are not seen until it is back
        checks["key_store"] = {"status": "pass" if ok else "fail", "detail": detail}
        prediction_log = self.data_plane.prediction_log.health_check()
        if prediction_log is not None:
            checks["prediction_log"] = prediction_log
        if self.limiter.enabled:
            checks["rate_limiter"] = await self.limiter.health_check()
        default_ready = default is not None and default.ready
        if not default_ready:
            status = "unhealthy"
        elif any(c["status"] != "pass" for c in checks.values()):
            status = "degraded"
        else:
            status = "healthy"
        body = {
            "status": status,
            "uptime_seconds": round(time.monotonic() - self.started, 3),
            "model_loaded": default_ready,
            "model_version": default.version if default is not None and default_ready else None,
            "checks": checks if detailed else by_kind(checks),
        }
        return body, 503 if status == "unhealthy" else 200

    def route_label(self, handler: str | None, path: str) -> str:
        """A closed set of labels: the spec's path templates, Connexion's two pages, and
        `unmatched` for everything else (no client-chosen text reaches the metrics)."""
        operation = self.operations.get(handler) if handler else None
        if operation is not None:
            return operation.path
        for prefix in self.ui_prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                return prefix
        if path in self.documents:  # the contracts, the docs page
            return path
        return "unmatched"

    def is_operation_path(self, path: str) -> bool:
        """Whether a path is one of the contracts' operations (for requests Connexion did
        not route: then the routing context is not where we read it, and we refuse)."""
        return any(p.match(path) for p in self.path_patterns)

    def in_ui(self, path: str) -> bool:
        """Whether a path is under one of the Swagger UI prefixes."""
        return any(path.startswith(prefix + "/") for prefix in self.ui_prefixes)

    def dialect_of(self, path: str) -> str | None:
        """The error dialect of a path that was not routed (refused at the edge, or no
        such route): its contract's, by base path."""
        return spec.dialect_of(path, self.contracts)


SEVERITY = ("pass", "warn", "fail")


def by_kind(checks: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One status per kind of check (`model:a`, `model:b` → `models`), the worst of its
    checks, without detail."""
    kinds: dict[str, str] = {}
    for name, check in checks.items():
        kind = "models" if name.startswith("model:") else name
        worst = max(kinds.get(kind, "pass"), check["status"], key=SEVERITY.index)
        kinds[kind] = worst
    return {kind: {"status": status} for kind, status in kinds.items()}


def settle_heap() -> None:
    """Move what start-up built (spec, app, models) out of the cyclic GC's way.

    A served worker holds hundreds of thousands of long-lived objects; without this, every
    full collection walks them all, a pause of tens of milliseconds that showed up as a 5x
    worse p99 under load. The served worker calls it at the end of its lifespan's start-up,
    once Connexion has built its middleware stack; in-process apps (tests, tools) never
    freeze their heap.
    """
    gc.collect()
    gc.freeze()


def otlp_spans(endpoint: str | None) -> Any:
    """The OTLP exporter's spans when an endpoint is set; the SDK is not imported otherwise."""
    if endpoint is None:
        return None
    from specserve.observability.otlp import OtlpSpans

    return OtlpSpans(endpoint)
