"""Keys limited to some models (`keys create --models a,b`), and the tokens issued for them.

A credential's token info carries `models` (the names it may use) only when it is limited;
the handlers addressing a model (their `token_info` parameter) call `check_model_access`
before anything else, so a limited credential learns nothing about models beyond its list
(403, not 404).
"""

from __future__ import annotations

from typing import Any

from specserve.errors import ModelForbidden

MAX_ECHO = 100


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


def check_model_access(token_info: dict[str, Any] | None, model_name: str) -> None:
    """Raise `ModelForbidden` when the credential is limited to other models."""
    allowed = (token_info or {}).get("models")
    if allowed is not None and model_name not in allowed:
        shown = model_name if len(model_name) <= MAX_ECHO else model_name[:MAX_ECHO] + "..."
        raise ModelForbidden(f"This credential may not use the model '{shown}'.")
