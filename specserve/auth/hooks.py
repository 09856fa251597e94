"""Credential checks named by the spec's security schemes (`x-apikeyInfoFunc`, ...).

Connexion calls these inside its security middleware; they return the RFC 7662-style token
info (`sub`, `scope`, ...) or None / an exception (→ 401). They never log or echo a
credential. Scopes are enforced for every scheme alike by `specserve.auth.permissions`.
"""

from __future__ import annotations

import inspect
from typing import Any

from specserve.auth.permissions import token_models
from specserve.auth.records import KEY_RE
from specserve.auth.tokens import TokenError, token_scopes
from specserve.errors import KeyStoreStale, Unauthorized
from specserve.http.context import state_of
from specserve.observability import tracing

BEARER_CHALLENGE = 'Bearer realm="specserve"'
STALE_RETRY_AFTER = "5"  # seconds; the key store's watcher retries every second
MAX_SUBJECT = 296
"""The longest token subject: the caller's identity `sub:<subject>` names it in usage and
the contract bounds an identity at 300 characters; a longer one would be an identity no
answer could hold, so the token is refused at authentication instead."""


def _app_state(request: Any) -> Any:
    """Connexion calls these hooks by the names in the spec, with the request: the app state
    is the one the edge attached to it."""
    return state_of(request.scope).app_state


def _fresh_keys(app_state: Any) -> Any:
    """The key store, unless its copy is too old to trust (`SPECSERVE_KEYS_MAX_STALENESS`):
    then every key and every token issued for one gets 503, right or wrong, as fail-closed
    does for the limiter, so a key revoked while the store was out of reach stops working."""
    if app_state.keys.stale():
        raise KeyStoreStale(headers={"Retry-After": STALE_RETRY_AFTER})
    return app_state.keys


def _key_info(found: tuple[Any, int], auth: str) -> dict[str, Any]:
    record, generation = found
    info = {
        "sub": f"key:{record.id}",
        "key_id": record.id,
        "scope": list(record.scopes),
        "tier": record.tier,
        "quota": record.quota,  # its own; None: its tier's (specserve.ratelimit.charge)
        "auth": auth,
        "gen": generation,
    }
    if record.models is not None:
        info["models"] = list(record.models)
    return info


def api_key_info(apikey: str, required_scopes: Any = None, request: Any = None) -> dict | None:
    with tracing.child("auth.api_key"):
        found = _fresh_keys(_app_state(request)).match(apikey)
    return _key_info(found, "api_key") if found is not None else None


def basic_info(
    username: str, password: str, required_scopes: Any = None, request: Any = None
) -> dict | None:
    """Client authentication for `/auth/token`: key id as user name, the key as password."""
    key = password if KEY_RE.match(password) else f"ssk_{username}_{password}"
    found = _fresh_keys(_app_state(request)).match(key)
    if found is None or found[0].id != username:
        return None
    return _key_info(found, "basic")


def _token_key(app_state: Any, claims: dict[str, Any], challenge: str) -> Any:
    """The active key a token was issued for, at the secret generation it names."""
    headers = {"WWW-Authenticate": challenge}
    record = _fresh_keys(app_state).get(str(claims["key_id"]))
    if record is None or not record.is_active():
        raise Unauthorized("The token's API key has been revoked or has expired.", headers=headers)
    generation = claims.get("gen", 0)  # tokens issued before generations existed: 0
    if not isinstance(generation, int) or not record.accepts_generation(generation):
        raise Unauthorized("The token's API key has been rotated.", headers=headers)
    return record


def bearer_info(token: str, required_scopes: Any = None, request: Any = None) -> dict | None:
    app_state = _app_state(request)
    invalid = f'{BEARER_CHALLENGE}, error="invalid_token"'
    if not app_state.tokens.enabled:
        raise Unauthorized(
            "Bearer tokens are not enabled on this service.", headers={"WWW-Authenticate": invalid}
        )
    try:
        claims = app_state.tokens.verify(token)
    except TokenError as exc:
        raise Unauthorized(str(exc), headers={"WWW-Authenticate": invalid}) from None
    info: dict[str, Any] = {
        "sub": str(claims.get("sub", "")),
        "scope": token_scopes(claims),
        "tier": "default",  # a token never picks its own tier: its key's, or the default
        "auth": "bearer",
    }
    record = _token_key(app_state, claims, invalid) if claims.get("key_id") is not None else None
    if record is not None:
        info.update(
            key_id=record.id, tier=record.tier, quota=record.quota, gen=claims.get("gen", 0)
        )
        # a key narrowed since the token was issued narrows the token too
        info["scope"] = [s for s in info["scope"] if s in record.scopes]
    models = token_models(claims, record)
    if models is not None:
        info["models"] = models
    if not info["sub"]:
        raise Unauthorized("The token has no subject.", headers={"WWW-Authenticate": invalid})
    if len(info["sub"]) > MAX_SUBJECT:
        raise Unauthorized(
            f"The token's subject is longer than {MAX_SUBJECT} characters.",
            headers={"WWW-Authenticate": invalid},
        )
    return info


# Connexion's security handler asks `inspect.signature` twice per request whether a hook takes
# `required_scopes` and `request` (connexion/security.py `_accepts_kwarg`): measured 4-5 % of a
# served worker's busy time. `inspect.signature` returns a function's `__signature__` when it
# has one (documented in `inspect`), so each hook carries its own, computed once here.
for _hook in (api_key_info, basic_info, bearer_info):
    _hook.__signature__ = inspect.signature(_hook)  # type: ignore[union-attr]
