"""The operations app: the innermost ASGI app, under Connexion's middleware.

Connexion's middleware (`ConnexionMiddleware`, Connexion's documented way to put its
spec-driven routing, security and validation in front of any ASGI app) routes each request
by operationId, authenticates it and validates it against the spec; this app then calls the
operation's handler with its inputs as parameters and sends what the handler returns.

It takes the place of the operation layer of Connexion's `AsyncApp`, which on every request
builds its sync/async, parameter and response decorators anew and inspects the handler's
signature again (docs/performance.md measures what that cost). Here what each operation
needs is worked out once, at start-up, from the contract (`specserve.spec`) and the
handler's signature; a spec parameter the handler does not take stops start-up.

The inputs are Connexion's, with Connexion's semantics: path and query parameters resolved
and cast by Connexion's `OpenAPIURIParser` (the last of repeated scalar query values wins),
the spec's query defaults where a parameter is absent, and the request-context entries the
handler names (`payload`, `request_id`, `allowed_models`, `authorized`, `token_info`,
`user`, `caller`, `binary_data`); a handler
that takes `body` gets Connexion's `ConnexionRequest.get_body()` (the token endpoint's form,
resolved by the same parser). Handlers return a `ConnexionResponse`.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.uri_parsing import OpenAPIURIParser
from starlette.responses import Response

from specserve.errors import NotFound
from specserve.http.context import operation_id, request_context
from specserve.spec import Operation
from specserve.startup import ContractError, describe

Handler = Callable[..., Awaitable[ConnexionResponse]]
CONTEXT_ARGUMENTS = (
    "payload",
    "request_id",
    "allowed_models",
    "authorized",
    "token_info",
    "user",
    "caller",  # who asked (`specserve.serving.caller`), for the data plane
    "binary_data",  # the tensors after a binary infer request's JSON (`specserve.http.binary`)
)
BOUND_ARGUMENTS = ("data_plane", "app_state")  # the app's own, bound once (specserve.app)


@dataclass(frozen=True, slots=True)
class Call:
    """One operation's handler and which of its inputs it takes."""

    handler: Handler
    parser: OpenAPIURIParser
    path: tuple[str, ...]
    query: frozenset[str]
    defaults: tuple[tuple[str, Any], ...]  # spec defaults of the query parameters it takes
    context: tuple[str, ...]
    body: bool
    # every path parameter a plain string: passed as routed, without Connexion's coercion
    # (which would hand back the same strings, for a few µs of every request)
    path_as_is: bool = False

    async def arguments(self, scope: Any, receive: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            name: copy.deepcopy(value) if isinstance(value, list | dict) else value
            for name, value in self.defaults
        }
        if self.path:
            routed = scope.get("path_params") or {}
            resolved = routed if self.path_as_is else self.parser.resolve_path(dict(routed))
            for name in self.path:
                kwargs[name] = resolved[name]
        if self.query and scope.get("query_string"):
            values: dict[str, list[str]] = {}
            for name, value in parse_qsl(
                scope["query_string"].decode("latin-1"), keep_blank_values=True
            ):
                values.setdefault(name, []).append(value)
            resolved = self.parser.resolve_query(values)
            kwargs.update((k, v) for k, v in resolved.items() if k in self.query)
        if self.context:
            ctx = request_context(scope)
            kwargs.update((name, ctx[name]) for name in self.context if name in ctx)
        if self.body:
            request = ConnexionRequest(scope, receive, uri_parser=self.parser)
            kwargs["body"] = await request.get_body()
        return kwargs


def signature_problem(operation: Operation, handler: Any) -> str | None:
    """Why `handler` cannot serve `operation` (one phrase), or None."""
    name = operation.handler
    if not inspect.iscoroutinefunction(handler):
        return f"{name} must be `async def`"
    signature = inspect.signature(handler).parameters
    params = operation.parameters
    takes = _takes(signature, params)
    missing = [p["name"] for p in params if p["in"] == "path" and p["name"] not in takes]
    if missing:
        return f"{name} must take the path parameter(s) {', '.join(missing)}"
    unsupported = [p["name"] for p in params if p["in"] not in ("path", "query")]
    if unsupported:
        return f"parameter(s) {', '.join(unsupported)}: only path and query parameters are passed"
    known = {p["name"] for p in params} | {*CONTEXT_ARGUMENTS, *BOUND_ARGUMENTS, "body"}
    unknown = [
        n
        for n, p in signature.items()
        if p.default is p.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and n not in known
    ]
    if unknown:
        return (
            f"{name} requires {', '.join(unknown)}, which the operation does not pass (it passes "
            f"its parameters, {', '.join(CONTEXT_ARGUMENTS)} and body)"
        )
    return None


def _takes(signature: Mapping[str, inspect.Parameter], params: Any) -> set[str]:
    takes = set(signature)
    if any(p.kind is p.VAR_KEYWORD for p in signature.values()):  # `**kwargs`: everything
        takes |= {p["name"] for p in params} | set(CONTEXT_ARGUMENTS)
    return takes


def plan(operation: Operation, handler: Handler) -> Call:
    """What `handler` takes of `operation`'s inputs; refuses a mismatch at start-up."""
    problem = signature_problem(operation, handler)
    if problem is not None:
        raise ContractError(f"{describe(operation)}: {problem}")
    params = operation.parameters
    takes = _takes(inspect.signature(handler).parameters, params)
    path = tuple(p["name"] for p in params if p["in"] == "path")
    query = [p for p in params if p["in"] == "query" and p["name"] in takes]
    return Call(
        handler=handler,
        parser=OpenAPIURIParser(list(params), operation.body or {}),
        path=path,
        query=frozenset(p["name"] for p in query),
        defaults=tuple(
            (p["name"], p["schema"]["default"]) for p in query if "default" in p.get("schema", {})
        ),
        context=tuple(n for n in CONTEXT_ARGUMENTS if n in takes),
        body="body" in takes,
        path_as_is=all(
            p.get("schema", {}).get("type") == "string" and "format" not in p["schema"]
            for p in params
            if p["in"] == "path"
        ),
    )


class OperationApp:
    """Calls the routed operation's handler; every error goes to Connexion's error handler."""

    def __init__(
        self, operations: Mapping[str, Operation], handlers: Mapping[str, Handler]
    ) -> None:
        self.calls = {name: plan(op, handlers[name]) for name, op in operations.items()}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":  # the lifespan is Connexion's (`AppState.lifespan`)
            return
        name = operation_id(scope)
        call = self.calls.get(name) if name else None
        if call is None:
            raise NotFound("No such endpoint.")
        response = await call.handler(**await call.arguments(scope, receive))
        if not isinstance(response, ConnexionResponse):
            raise TypeError(f"{name} returned {type(response).__name__}, not ConnexionResponse")
        await Response(
            content=response.body,
            status_code=response.status_code,
            headers=response.headers,
            media_type=response.content_type,
        )(scope, receive, send)
