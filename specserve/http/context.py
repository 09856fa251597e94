"""Per-request state kept in the ASGI scope (set by the edge middleware)."""

from __future__ import annotations

from typing import Any

STATE_KEY = "specserve"


def state_of(scope: dict[str, Any]) -> dict[str, Any]:
    return scope.setdefault("extensions", {}).setdefault(STATE_KEY, {})


def request_id_of(scope: dict[str, Any]) -> str:
    return state_of(scope).get("request_id", "-")


def token_info_of(scope: dict[str, Any]) -> dict[str, Any]:
    ctx = scope.get("extensions", {}).get("connexion_context", {})
    return ctx.get("token_info") or {}


def current_state() -> dict[str, Any]:
    """The running request's state (inside a handler)."""
    from connexion.context import scope

    return state_of(scope._get_current_object())
