"""Authorization in one pass, right after authentication, before the handler.

A public operation (no credentials) is charged to its client's address unless the contract
exempts it (`/health`: `x-ratelimit-bucket: none`). For each routed operation that needs
credentials, in order:
1. the scopes it needs (403 `insufficient_scope` without them);
2. the model it uses (the path parameter the spec marks `x-model-name`, or the default model
   for operations marked `x-default-model`), for a credential limited to some models (403
   `model_not_allowed`, before the model is looked up: a limited key learns nothing about
   other models); the caller's models reach handlers as `allowed_models`;
3. one charge to the caller's rate limit (`specserve.ratelimit.charge`): after the body is
   parsed, before it is validated, so invalid requests count too and a batch is priced by
   its rows; a body refused as it is read (not JSON, over the schema's shape) by its size;
   token requests are charged to the key's token limit instead.

Handlers that score rows also receive the `caller` (`specserve.serving.caller`): who asked,
for the data plane's canary split and prediction log, and the request's "after the
response" list (`RequestState.after_response`), where a shadow call waits for the answer
to be sent.

A refused request costs nothing. A request Connexion routed but whose operation cannot be
read is refused (fail closed), never waved through unchecked.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from specserve.auth import permissions
from specserve.errors import ApiError
from specserve.http.context import operation_id, request_context, state_of
from specserve.http.validation import RefusedBody, read_payload
from specserve.observability import tracing
from specserve.ratelimit.charge import (
    charge_anonymous,
    charge_request,
    charge_token,
    cost_of,
    identity_of,
    invalid_body_cost,
    usage_model,
)
from specserve.serving.caller import Caller
from specserve.spec import Operation

log = logging.getLogger("specserve.http.authorization")


class OperationUnknown(ApiError):
    """The request could not be authorised."""


class AuthorizationMiddleware:
    def __init__(self, app: ASGIApp, app_state: Any) -> None:
        self.app = app
        self.app_state = app_state
        self.operations = app_state.operations
        self.limiter = app_state.limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            with tracing.child("access"):  # scopes, models and the rate limiter's charge
                receive = await self.authorise(scope, receive)
        await self.app(scope, receive, send)

    async def authorise(self, scope: Scope, receive: Receive) -> Receive:
        handler = operation_id(scope)
        operation = self.operations.get(handler) if handler else None
        if operation is None:
            if self.app_state.is_operation_path(scope.get("path", "")):
                log.error("routed request without a readable operation; refused")
                raise OperationUnknown()
            return receive  # not an operation: Connexion answers 404/405
        context = request_context(scope)
        info = context.get("token_info") or {}
        if operation.public:  # the docs page per client address; `/health` never
            if operation.bucket == "anonymous":
                await charge_anonymous(self.limiter, state_of(scope).client_ip)
            # credentials optional: whether the caller holds the operation's scopes
            context["authorized"] = permissions.has_scopes(operation.scopes, info)
            return receive
        permissions.check_scopes(operation.scopes, info)
        allowed = info.get("models")
        if allowed is not None:
            permissions.check_model(allowed, self.model_of(operation, scope))
        context["allowed_models"] = allowed
        key_id = info.get("key_id")
        state = state_of(scope)
        context["caller"] = Caller(
            identity_of(info),
            str(key_id) if key_id else None,
            state.trace_id,
            operation.path,
            state.after_response,
        )
        return await self.charge(operation, info, scope, receive, self.model_of(operation, scope))

    def model_of(self, operation: Operation, scope: Scope) -> str | None:
        """The model the request uses, as the contract names it; None: none."""
        if operation.model_param is not None:
            value = (scope.get("path_params") or {}).get(operation.model_param)
            return str(value) if value is not None else None
        if operation.default_model:
            return str(self.app_state.data_plane.default_model)
        return None

    async def charge(
        self,
        operation: Operation,
        info: dict[str, Any],
        scope: Scope,
        receive: Receive,
        model: str | None,
    ) -> Receive:
        """The charge, counted as usage of `model`; an admitted request's answer is then
        counted by its class (`usage`: identity and model, read by the edge)."""
        state = state_of(scope)
        if operation.bucket == "token":
            state.limit_headers = await charge_token(self.limiter, info)
            return receive
        charged = {"model": model, "operation_id": operation.operation_id}
        payload = None
        if operation.body_bounds and self.limiter.enabled and _is_json(scope):
            try:
                receive = await read_payload(scope, receive)
            except RefusedBody as refused:  # priced by its size, still answered 400
                cost = invalid_body_cost(self.limiter, info, refused.size)
                _charged(
                    state, info, model, await charge_request(self.limiter, info, cost, **charged)
                )
                raise
            payload = state.payload
        cost = cost_of(operation, payload)
        _charged(state, info, model, await charge_request(self.limiter, info, cost, **charged))
        return receive


def _charged(state: Any, info: dict[str, Any], model: str | None, charge: Any) -> None:
    """A charge's headers and, when it was counted, what its answer is counted under:
    identity, model and the charge's day."""
    if charge is None:
        return
    state.limit_headers, day = charge
    state.usage = identity_of(info), usage_model(model), day


def _is_json(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return b"json" in value.lower()
    return False
