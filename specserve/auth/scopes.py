"""Scope enforcement, the same rule for API keys and bearer tokens.

Each operation names the scope it needs in its `OAuth2` security requirement (the only
place OpenAPI 3.0 allows scopes). Connexion authenticates; this middleware, placed right
after its security middleware, refuses valid credentials that lack the scope with 403.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from specserve.errors import Forbidden
from specserve.http.context import state_of, token_info_of


def required_scopes(spec: dict[str, Any], operations: Any) -> dict[str, list[str]]:
    """handler name → scopes its operation needs (from the `OAuth2` requirement)."""
    needed: dict[str, list[str]] = {}
    for handler, _, op in operations:
        for requirement in op.get("security", spec.get("security", [])):
            if "OAuth2" in requirement:
                needed[handler] = list(requirement["OAuth2"])
    return needed


class ScopeMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            runtime = state_of(scope).get("runtime")
            operation = scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
            needed = runtime.required_scopes.get(operation) if runtime else None
            if needed:
                granted = set(token_info_of(scope).get("scope") or [])
                missing = [s for s in needed if s not in granted]
                if missing:
                    wanted = " ".join(needed)
                    raise Forbidden(
                        f"This operation needs the '{wanted}' scope.",
                        headers={
                            "WWW-Authenticate": f'Bearer realm="specserve", '
                            f'error="insufficient_scope", '
                            f'scope="{wanted}"'
                        },
                    )
        await self.app(scope, receive, send)
