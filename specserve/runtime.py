"""What one app instance holds: settings, the contract's facts, models, keys, limiter."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from typing import Any

from specserve import metrics, spec
from specserve.auth.keys import open_store
from specserve.auth.tokens import TokenService
from specserve.config import Settings
from specserve.ratelimit.clientip import trusted_networks
from specserve.ratelimit.limiter import RateLimiter
from specserve.serving.registry import Registry

log = logging.getLogger("specserve.runtime")


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started = time.monotonic()
        # a thread lock: handlers of the Flask flavour run on event loops of their own
        self._reload_lock = threading.Lock()
        self._next_poll = self.started + settings.model_poll_seconds
        self._tasks: set[asyncio.Task[None]] = set()
        self.contract = spec.load()
        self.base_path = self.contract.base_path
        self.keys = open_store(settings)
        self.tokens = TokenService(settings)
        self.registry = Registry(
            settings.model_dir,
            settings.default_model,
            settings.allow_pickle,
            settings.model_versions_loaded,
        )
        self.limiter = RateLimiter(settings)
        self.trusted_proxies = trusted_networks(settings.trusted_proxies)
        self.tracing = tracer(settings.otlp_endpoint)
        ops = self.contract.operations.values()
        # Connexion's own pages (Swagger UI, the served spec) are public too
        self.ui_prefix = f"{self.base_path}/ui"
        self.public_paths = {op.path for op in ops if op.public} | {
            f"{self.base_path}/openapi.json"
        }

    def load_models(self) -> None:
        before = {m.name: m for m in self.registry.models()}
        for model in self.registry.load().values():
            previous = before.get(model.name)
            if previous is model:
                if model.newer_error:
                    metrics.MODEL_LOAD_FAILURES.labels(model.name).inc()
                continue
            if previous is not None and previous.ready:
                metrics.MODELS_READY.labels(previous.name, previous.version).set(0)
            if model.ready:
                metrics.MODELS_READY.labels(model.name, model.version).set(1)
            else:
                metrics.MODEL_LOAD_FAILURES.labels(model.name).inc()

    async def reload_models(self) -> None:
        """Rescan the model directory in a thread; the registry swaps atomically, so every
        request is served wholly by the old or wholly by the new version."""
        await asyncio.to_thread(self._locked_load)

    def _locked_load(self) -> None:
        with self._reload_lock:
            self.load_models()

    def maybe_refresh(self) -> None:
        """Called per request: every `model_poll_seconds`, look for new versions on disk
        (in a thread, off the request path) and load them in the background."""
        poll = self.settings.model_poll_seconds
        now = time.monotonic()
        if poll <= 0 or now < self._next_poll or self._reload_lock.locked():
            return
        self._next_poll = now + poll
        task = asyncio.get_running_loop().create_task(self._refresh())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _refresh(self) -> None:
        try:
            fingerprint = await asyncio.to_thread(self.registry.fingerprint)
            if fingerprint != self.registry.loaded_fingerprint:
                await self.reload_models()
        except Exception:  # a failed poll must never reach a request
            log.exception("model refresh failed")

    def route_label(self, handler: str | None, path: str) -> str:
        """A closed set of labels: the spec's path templates, Connexion's two pages, and
        `unmatched` for everything else (no client-chosen text reaches the metrics)."""
        operation = self.contract.operations.get(handler) if handler else None
        if operation is not None:
            return operation.path
        if path == self.ui_prefix or path.startswith(self.ui_prefix + "/"):
            return self.ui_prefix
        if path == f"{self.base_path}/openapi.json":
            return path
        return "unmatched"

    def is_public(self, path: str) -> bool:
        """Paths that need no credentials (health, docs): never limited per IP."""
        return path in self.public_paths or path.startswith(self.ui_prefix)

    def is_operation_path(self, path: str) -> bool:
        """Whether a path is one of the spec's operations (for requests Connexion did not
        route: then the routing context is not where we read it, and we refuse)."""
        return any(p.match(path) for p in self.contract.path_patterns)

    def uptime(self) -> float:
        return time.monotonic() - self.started


def settle_heap() -> None:
    """Move what start-up built (spec, app, models) out of the cyclic GC's way.

    A served worker holds hundreds of thousands of long-lived objects; without this, every
    full collection walks them all, a pause of tens of milliseconds that showed up as a 5x
    worse p99 under load. The served worker calls it once the app is built and again after
    its first request (Connexion builds its middleware stack then); in-process apps (tests,
    tools) never freeze their heap.
    """
    gc.collect()
    gc.freeze()


def tracer(endpoint: str | None) -> Any:
    """The OTLP exporter's tracer when an endpoint is set; the SDK is not imported otherwise."""
    if endpoint is None:
        return None
    from specserve.tracing import Tracing

    return Tracing(endpoint)
