"""Credential checks named by the spec's security schemes (`x-apikeyInfoFunc`, ...).

Connexion calls these inside its security middleware; they return the RFC 7662-style token
info (`sub`, `scope`, ...) or None (→ 401). They never log or echo a credential.
"""

from __future__ import annotations

from typing import Any

from specserve.context import state_of


def api_key_info(apikey: str, required_scopes: Any = None, request: Any = None) -> dict | None:
    runtime = state_of(request.scope)["runtime"]
    record = runtime.keys.authenticate(apikey)
    if record is None:
        return None
    return {
        "sub": f"key:{record.id}",
        "key_id": record.id,
        "scope": list(record.scopes),
        "tier": record.tier,
        "auth": "api_key",
    }
