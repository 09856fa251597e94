"""Scope enforcement, the same rule for API keys and bearer tokens.

Each operation names the scope it needs in its `OAuth2` security requirement (the only
place OpenAPI 3.0 allows scopes; `specserve.spec` reads it). Connexion authenticates;
`specserve.http.access`, right after its security middleware, calls `check` and refuses
valid credentials that lack the scope with 403.
"""

from __future__ import annotations

from typing import Any

from specserve.errors import Forbidden


def check(needed: tuple[str, ...], info: dict[str, Any]) -> None:
    if not needed:
        return
    granted = set(info.get("scope") or [])
    if all(s in granted for s in needed):
        return
    wanted = " ".join(needed)
    raise Forbidden(
        f"This operation needs the '{wanted}' scope.",
        headers={
            "WWW-Authenticate": f'Bearer realm="specserve", error="insufficient_scope", '
            f'scope="{wanted}"'
        },
    )
