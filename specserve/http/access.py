"""Authorisation and rate limiting in one middleware pass, right after authentication.

For each routed operation: the scopes it needs (403 without them), then one charge to the
caller's identity — after the body is parsed, before it is validated, so invalid requests
count too and a batch is priced by its rows. Token requests are charged to the key's token
bucket instead (`x-ratelimit-bucket: token`). A request Connexion routed but whose operation
cannot be read is refused (fail closed), never waved through unchecked.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from specserve import tracecontext
from specserve.auth import scopes
from specserve.errors import ApiError, BadRequest
from specserve.http.scope import operation_id, state_of, token_info
from specserve.http.validation import read_payload
from specserve.ratelimit.charge import charge, charge_token, cost_of, identity_of

log = logging.getLogger("specserve.access")


class OperationUnknown(ApiError):
    """The request could not be authorised."""


class AccessMiddleware:
    def __init__(self, app: ASGIApp, runtime: Any) -> None:
        self.app = app
        self.runtime = runtime
        self.operations = runtime.contract.operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            tracing = tracecontext.ACTIVE.get()
            if tracing is None:
                receive = await self.authorise(scope, receive)
            else:
                with tracing.child("access"):  # scopes and the rate limiter's charge
                    receive = await self.authorise(scope, receive)
        await self.app(scope, receive, send)

    async def authorise(self, scope: Scope, receive: Receive) -> Receive:
        handler = operation_id(scope)
        operation = self.operations.get(handler) if handler else None
        if operation is None:
            if self.runtime.is_operation_path(scope.get("path", "")):
                log.error("routed request without a readable operation; refused")
                raise OperationUnknown()
            return receive  # not an operation: Connexion answers 404/405
        if operation.public:
            return receive  # health, docs
        info = token_info(scope)
        scopes.check(operation.scopes, info)
        limiter = self.runtime.limiter
        identity = identity_of(info)
        if not limiter.enabled or identity is None:
            return receive
        if operation.bucket == "token":
            state_of(scope).limit_headers = await charge_token(limiter, identity)
            return receive
        tier = str(info.get("tier", "default"))
        payload = None
        if operation.cost_items and _is_json(scope):
            try:
                receive = await read_payload(scope, receive)
            except BadRequest:
                await charge(limiter, identity, tier, 1)  # an unreadable body costs one unit
                raise
            payload = state_of(scope).payload
        cost = cost_of(operation, payload)
        state_of(scope).limit_headers = await charge(limiter, identity, tier, cost)
        return receive


def _is_json(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return b"json" in value.lower()
    return False
