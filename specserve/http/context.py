"""What travels with a request through the ASGI scope, in one module.

- `RequestState`: our typed per-request record (app state, request id, client address, the
  parsed body, rate-limit headers, what runs after the response), created by the edge
  middleware.
- Connexion's request context (its public `ConnexionRequest.context`): Connexion passes its
  entries to handlers by parameter name. The edge adds `request_id`, the body reader adds
  `payload`, authorization adds `allowed_models`; Connexion's security adds `token_info` and `user`.
- Connexion's routing context: the resolved operation, read with Connexion's own constant.
  `tests/unit/test_scope.py` fails loudly if either location moves in a Connexion upgrade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from connexion.lifecycle import ConnexionRequest
from connexion.middleware.abstract import ROUTING_CONTEXT

if TYPE_CHECKING:
    from specserve.state import AppState

STATE_KEY = "specserve"


@dataclass(slots=True)
class RequestState:
    app_state: AppState
    request_id: str
    client_ip: str
    payload: Any = None
    payload_read: bool = False
    limit_headers: dict[str, str] | None = None
    # (identity, model, UTC day) charged: its answer is counted there
    usage: tuple[str | None, str | None, str | None] | None = None
    trace_id: str | None = None
    trace_headers: list[tuple[bytes, bytes]] | None = None
    context: dict[str, Any] | None = None  # Connexion's request context, looked up once
    later: list[Callable[[], None]] | None = None  # run by the edge once the body is sent

    def after_response(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the response's last byte has gone out (the edge's last step):
        work the client must not wait for, such as a shadow call."""
        if self.later is None:
            self.later = []
        self.later.append(callback)


def extensions(scope: Any) -> dict[str, Any]:
    ext: dict[str, Any] = scope.setdefault("extensions", {})
    return ext


def attach(scope: Any, state: RequestState) -> None:
    """Called once per request by the edge; the request context starts with the id."""
    ext = extensions(scope)
    ext[STATE_KEY] = state
    ext.setdefault(ROUTING_CONTEXT, {})
    state.context = request_context(scope)
    state.context["request_id"] = state.request_id


def state_of(scope: Any) -> RequestState:
    state: RequestState = scope["extensions"][STATE_KEY]
    return state


def request_context(scope: Any) -> dict[str, Any]:
    """Connexion's request context, through its public `ConnexionRequest.context` (Connexion
    has no constant for where the scope keeps it); Connexion only ever `setdefault`s it, so
    the dict found once, when the edge attaches the request's state, stays the one."""
    state = scope.get("extensions", {}).get(STATE_KEY)
    if state is not None and state.context is not None:
        return state.context  # type: ignore[no-any-return]
    ctx: dict[str, Any] = ConnexionRequest(scope).context
    return ctx


def operation_id(scope: Any) -> str | None:
    """The resolved handler (e.g. `handlers.predictions.predict`), None before routing."""
    routing = scope.get("extensions", {}).get(ROUTING_CONTEXT) or {}
    value = routing.get("operation_id")
    return str(value) if value is not None else None


def token_info(scope: Any) -> dict[str, Any]:
    info: dict[str, Any] = request_context(scope).get("token_info") or {}
    return info


def request_id(scope: Any) -> str:
    state = scope.get("extensions", {}).get(STATE_KEY)
    return state.request_id if state is not None else "-"
