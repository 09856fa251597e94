"""What a credential may do: the scopes an operation needs, and the models a key may use.

The same rules for API keys and bearer tokens. Each operation names the scope it needs in
its `OAuth2` security requirement (the only place OpenAPI 3.0 allows scopes; `specserve.spec`
reads it). A key limited to some models (`keys create --models a,b`) carries `models` in its
token info, and so do the tokens issued for it. Connexion authenticates;
`specserve.http.authorization`, right after its security middleware, calls `check_scopes` and
`check_model`, and refuses with 403 (not 404: a limited credential learns nothing about the
models beyond its list).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from specserve.errors import Forbidden, ModelForbidden

MAX_ECHO = 100


def has_scopes(needed: tuple[str, ...], info: dict[str, Any]) -> bool:
    """Whether a credential holds every scope in `needed` (no credential holds none)."""
    granted = set(info.get("scope") or [])
    return bool(info) and all(s in granted for s in needed)


def check_scopes(needed: tuple[str, ...], info: dict[str, Any]) -> None:
    if not needed or has_scopes(needed, info):
        return
    wanted = " ".join(needed)
    raise Forbidden(
        f"This operation needs the '{wanted}' scope.",
        headers={
            "WWW-Authenticate": f'Bearer realm="specserve", error="insufficient_scope", '
            f'scope="{wanted}"'
        },
    )


def check_model(allowed: Collection[str], model_name: str | None) -> None:
    """Raise `ModelForbidden` when a limited credential's list lacks the model."""
    if model_name is None or model_name in allowed:
        return
    shown = model_name if len(model_name) <= MAX_ECHO else model_name[:MAX_ECHO] + "..."
    raise ModelForbidden(f"This credential may not use the model '{shown}'.")


def token_models(claims: dict[str, Any], record: Any = None) -> list[str] | None:
    """The models a token may use: its `models` claim, narrowed by its key's own limit;
    None: every model. A malformed claim allows none."""
    claimed = claims.get("models")
    allowed: list[str] | None = None
    if claimed is not None:
        allowed = [m for m in claimed if isinstance(m, str)] if isinstance(claimed, list) else []
    limit = getattr(record, "models", None)
    if limit is not None:
        allowed = list(limit) if allowed is None else [m for m in allowed if m in limit]
    return allowed
