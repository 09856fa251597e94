"""What one app instance holds: settings, model registry, key store, route labels."""

from __future__ import annotations

import re
import time
from typing import Any

import yaml

from specserve import metrics
from specserve.config import SPEC_PATH, Settings
from specserve.keys import KeyStore
from specserve.ratelimit import RateLimiter, trusted_networks
from specserve.registry import Registry
from specserve.tokens import TokenService


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def handler_name(operation: dict[str, Any]) -> str:
    """operationId `batchPredict` tagged `Predictions` → `handlers.predictions.batch_predict`."""
    return f"handlers.{_snake(operation['tags'][0])}.{_snake(operation['operationId'])}"


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started = time.monotonic()
        self.keys = KeyStore(settings.keys_file)
        self.tokens = TokenService(settings)
        self.registry = Registry(settings.model_dir, settings.default_model, settings.allow_pickle)
        self.spec = yaml.safe_load(SPEC_PATH.read_text())
        self.base_path = "/v1"
        # Connexion's routing context names the resolved handler; map it to the path template.
        self._routes = {
            handler_name(op): path
            for path, item in self.spec["paths"].items()
            for op in item.values()
            if isinstance(op, dict) and "operationId" in op
        }

        from specserve.authz import required_scopes

        self.required_scopes = required_scopes(self.spec, handler_name)
        # Every operation that needs a scope is limited per identity; /auth/token per IP.
        self.limited_operations = set(self.required_scopes)
        self.limiter = RateLimiter(settings)
        self.trusted_proxies = trusted_networks(settings.trusted_proxies)
        self.token_path = f"{self.base_path}/auth/token"

    def load_models(self) -> None:
        for model in self.registry.load().values():
            if model.ready:
                metrics.MODELS_READY.labels(model.name, model.version).set(1)
            else:
                metrics.MODEL_LOAD_FAILURES.labels(model.name).inc()

    async def reload_models(self) -> None:
        """Rescan the model directory in a thread; the registry swaps atomically."""
        import asyncio

        await asyncio.to_thread(self.load_models)

    def route_label(self, scope: dict[str, Any]) -> str:
        """The spec's path template for a routed request (bounded label cardinality)."""
        routing = scope.get("extensions", {}).get("connexion_routing", {})
        path = self._routes.get(routing.get("operation_id"))
        if path is not None:
            return self.base_path + path
        raw = scope.get("path", "")
        if raw.startswith(f"{self.base_path}/ui") or raw == f"{self.base_path}/openapi.json":
            return raw if raw.endswith(".json") else f"{self.base_path}/ui"
        return "unmatched"

    def uptime(self) -> float:
        return time.monotonic() - self.started
