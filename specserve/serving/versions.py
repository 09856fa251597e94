"""Resolving `/models/{name}/versions/{version}`: a version this worker holds, or one loaded
now, off the event loop."""

from __future__ import annotations

import asyncio

from specserve.errors import ModelUnavailable
from specserve.serving.model import Model
from specserve.serving.registry import Registry


async def model_version(registry: Registry, name: str, version: str) -> Model:
    """The version, loaded or not (for its metadata)."""
    model = registry.cached_version(name, version)
    if model is None:
        model = await asyncio.to_thread(registry.version, name, version)
    return model


async def ready_version(registry: Registry, name: str, version: str) -> Model:
    model = await model_version(registry, name, version)
    if not model.ready:
        raise ModelUnavailable(f"Model '{model.name}' version {model.version} is not available.")
    return model
