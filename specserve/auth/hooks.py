"""Credential checks named by the spec's security schemes (`x-apikeyInfoFunc`, ...).

Connexion calls these inside its security middleware; they return the RFC 7662-style token
info (`sub`, `scope`, ...) or None / an exception (→ 401). They never log or echo a
credential. Scopes are enforced for every scheme alike by `specserve.auth.scopes`.
"""

from __future__ import annotations

from typing import Any

from specserve.auth.keys import KEY_RE
from specserve.auth.tokens import TokenError, token_scopes
from specserve.errors import Unauthorized
from specserve.http.scope import state_of

BEARER_CHALLENGE = 'Bearer realm="specserve"'


def _runtime(request: Any) -> Any:
    """Connexion calls these hooks by the names in the spec, with the request: the runtime
    is the one the edge attached to it."""
    return state_of(request.scope).runtime


def _key_info(record: Any, auth: str) -> dict[str, Any]:
    return {
        "sub": f"key:{record.id}",
        "key_id": record.id,
        "scope": list(record.scopes),
        "tier": record.tier,
        "auth": auth,
    }


def api_key_info(apikey: str, required_scopes: Any = None, request: Any = None) -> dict | None:
    record = _runtime(request).keys.authenticate(apikey)
    return _key_info(record, "api_key") if record is not None else None


def basic_info(
    username: str, password: str, required_scopes: Any = None, request: Any = None
) -> dict | None:
    """Client authentication for `/auth/token`: key id as user name, the key as password."""
    key = password if KEY_RE.match(password) else f"ssk_{username}_{password}"
    record = _runtime(request).keys.authenticate(key)
    if record is None or record.id != username:
        return None
    return _key_info(record, "basic")


def bearer_info(token: str, required_scopes: Any = None, request: Any = None) -> dict | None:
    runtime = _runtime(request)
    invalid = f'{BEARER_CHALLENGE}, error="invalid_token"'
    if not runtime.tokens.enabled:
        raise Unauthorized(
            "Bearer tokens are not enabled on this service.", headers={"WWW-Authenticate": invalid}
        )
    try:
        claims = runtime.tokens.verify(token)
    except TokenError as exc:
        raise Unauthorized(str(exc), headers={"WWW-Authenticate": invalid}) from None
    info: dict[str, Any] = {
        "sub": str(claims.get("sub", "")),
        "scope": token_scopes(claims),
        "tier": "default",  # a token never picks its own tier: its key's, or the default
        "auth": "bearer",
    }
    key_id = claims.get("key_id")
    if key_id is not None:
        record = runtime.keys.get(str(key_id))
        if record is None or not record.is_active():
            raise Unauthorized(
                "The token's API key has been revoked or has expired.",
                headers={"WWW-Authenticate": invalid},
            )
        info["key_id"] = record.id
        info["tier"] = record.tier
    if not info["sub"]:
        raise Unauthorized("The token has no subject.", headers={"WWW-Authenticate": invalid})
    return info
