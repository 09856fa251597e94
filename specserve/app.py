"""App factory: the contracts, Connexion, our middleware and error handler, wired once.

`create_app(Settings(...))` builds a fresh app with its own `AppState` (tests build one
wherever they change state); `serve()` is what gunicorn runs: the same app, plus what only a
long-lived served worker wants (its start-up heap frozen out of the cyclic GC).

The app is `ConnexionMiddleware` (routing, security, validation) around our operations app
(`specserve.http.operations`: each handler's call worked out once, not per request), with our
middleware in Connexion's stack: the edge outermost, then after authentication the binary
tensor bodies of the Open Inference Protocol split (`specserve.http.binary`) and
authorization (scopes, the caller's models, the rate-limit charge). Two contracts are
mounted, each at its base path on the same app: the service's own API (`/v1`) and the Open
Inference Protocol (`/v2`); one resolver, one operations app and one error handler serve
both. The app's lifespan runs the worker's background work (`AppState.lifespan`: model
watching).
"""

from __future__ import annotations

import functools
import inspect
import sys
from pathlib import Path
from typing import Any

from connexion import ConnexionMiddleware
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from connexion.validators import VALIDATOR_MAP
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from specserve.config import ROOT, Settings, load_settings
from specserve.errors import ApiError
from specserve.http import problems
from specserve.http.authorization import AuthorizationMiddleware
from specserve.http.binary import BinaryTensors
from specserve.http.context import operation_id, request_id, state_of
from specserve.http.documents import PublicDocuments
from specserve.http.edge import EdgeMiddleware
from specserve.http.operations import BOUND_ARGUMENTS, OperationApp
from specserve.http.validation import OAuthFormValidator, StrictJSONBodyValidator
from specserve.observability import logs
from specserve.ratelimit.charge import charge_failed_auth
from specserve.serving.blas import pin_thread_pools
from specserve.spec import INFERENCE_SPEC_PATH, SPEC_PATH
from specserve.startup import ContractError, describe, find_handler
from specserve.state import AppState, settle_heap

# Measured (docs/performance.md): a 100-row batch answer, 15.5 KB of JSON, shrinks to 9 % at
# level 1 for ~100 us of CPU; levels 6 and 9 save another 100-200 bytes for 1.6-2.5x the CPU.
GZIP_LEVEL = 1
CORS_HEADERS = ["X-API-Key", "Authorization", "Content-Type", "X-Request-ID"]
CORS_EXPOSED = [
    "X-Request-ID",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]


class SpecResolver(Resolver):
    """Each operation's handler, `handlers.<tag>.<operation id>` (from the contract), with
    the app's `data_plane` and `app_state` bound where its signature names them."""

    def __init__(self, app_state: AppState) -> None:
        super().__init__(function_resolver=self.bound_handler)
        self.bound = dict(zip(BOUND_ARGUMENTS, (app_state.data_plane, app_state), strict=True))
        self.operations = app_state.operations
        self.names = {op.operation_id: op.handler for op in self.operations.values()}

    def resolve_operation_id(self, operation: Any) -> str:
        return self.names[operation.operation_id]

    def bound_handler(self, name: str) -> Any:
        if str(ROOT) not in sys.path:  # `handlers` and `generated` live in the source tree
            sys.path.append(str(ROOT))
        operation = self.operations[name]
        handler, problem = find_handler(operation)
        if problem is not None:
            raise ContractError(f"{describe(operation)}: {problem}")
        takes = inspect.signature(handler).parameters
        bound = {k: v for k, v in self.bound.items() if k in takes}
        return functools.partial(handler, **bound) if bound else handler


class ServiceApp(ConnexionMiddleware):
    """Connexion's middleware around the operations app, with a test client like its apps'."""

    app_state: AppState

    def test_client(self, **kwargs: Any) -> Any:
        from starlette.testclient import TestClient

        return TestClient(self, **kwargs)


class ProblemHandler:
    """Connexion's error handler: every error raised inside the stack ends here.

    A failed authentication (401) is first counted against the client's address
    (`specserve.ratelimit.charge.charge_failed_auth`): past the limit it is answered 429 (or
    503, the store down under fail-closed) instead.
    """

    def __init__(self, app_state: AppState) -> None:
        self.dialects = {h: op.dialect for h, op in app_state.operations.items()}
        self.limiter = app_state.limiter
        self.app_state = app_state

    async def __call__(self, request: Any, exc: Exception) -> ConnexionResponse:
        scope = request.scope
        handler = operation_id(scope)
        if handler in self.dialects:
            dialect = self.dialects[handler]
        else:  # not routed: the dialect of the contract its path is under
            dialect = self.app_state.dialect_of(scope.get("path", ""))
        problem = problems.render(exc, request_id(scope), dialect)
        if problem.status == 401:
            try:
                await charge_failed_auth(self.limiter, state_of(scope).client_ip)
            except ApiError as refused:
                problem = problems.render(
                    refused, request_id(scope), self.app_state.dialect_of(scope.get("path", ""))
                )
        headers = dict(problem.headers)
        if problem.closes:
            headers["Connection"] = "close"  # the rest of the body may still be on the wire
        return ConnexionResponse(
            status_code=problem.status,
            body=problem.body(request_id(scope)),
            mimetype=problem.content_type,
            headers=headers,
        )


def create_app(
    settings: Settings | None = None, *, served: bool = False, spec_path: Path = SPEC_PATH
) -> Any:
    """The app for `settings`; `spec_path` lets a test serve a changed contract with the same
    handlers (e.g. an operation marked deprecated)."""
    settings = settings or Settings()
    logs.configure(settings.log_level)
    pin_thread_pools()
    app_state = AppState(settings, served=served, spec_path=spec_path)
    app_state.data_plane.load()

    resolver = SpecResolver(app_state)
    validator_map = {
        "body": MediaTypeDict(
            {
                **VALIDATOR_MAP["body"],
                "*/*json": StrictJSONBodyValidator,
                "application/x-www-form-urlencoded": OAuthFormValidator,
            }
        ),
    }
    handlers = {name: resolver.bound_handler(name) for name in app_state.operations}
    app = ServiceApp(
        OperationApp(app_state.operations, handlers),
        import_name=__name__,
        specification_dir=str(spec_path.parent),
        lifespan=app_state.lifespan,
    )
    # the service's own API, then the Open Inference Protocol, each at its base path
    for path, contract in zip((spec_path, INFERENCE_SPEC_PATH), app_state.contracts, strict=True):
        app.add_api(
            path,
            base_path=contract.base_path,
            resolver=resolver,
            strict_validation=True,
            validate_responses=settings.validate_responses,
            validator_map=validator_map,
            # the spec and Swagger UI come from bytes prepared once (specserve.http.documents)
            swagger_ui_options=SwaggerUIOptions(serve_spec=False, swagger_ui=False),
        )
    app.add_middleware(
        EdgeMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, app_state=app_state
    )
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:  # off by default; an explicit allow-list, never credentials
        app.add_middleware(
            CORSMiddleware,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            allow_origins=origins,
            allow_credentials=False,
            allow_methods=["GET", "POST"],
            allow_headers=CORS_HEADERS,
            expose_headers=CORS_EXPOSED,
            max_age=600,
        )
    if settings.gzip_min_bytes:  # inside the edge: its headers and metrics see the answer
        app.add_middleware(
            GZipMiddleware,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            minimum_size=settings.gzip_min_bytes,
            compresslevel=GZIP_LEVEL,
        )
    app.add_middleware(
        PublicDocuments, position=MiddlewarePosition.BEFORE_EXCEPTION, app_state=app_state
    )
    # after authentication, before authorization (which prices a request from its body)
    app.add_middleware(
        BinaryTensors, position=MiddlewarePosition.BEFORE_VALIDATION, app_state=app_state
    )
    app.add_middleware(
        AuthorizationMiddleware,
        position=MiddlewarePosition.BEFORE_VALIDATION,
        app_state=app_state,
    )
    handler = ProblemHandler(app_state)
    for exc in (ApiError, ProblemException, HTTPException, Exception):
        app.add_error_handler(exc, handler)
    app.app_state = app_state
    if served:
        settle_heap()
    return app


def serve() -> Any:
    """The app gunicorn serves (gunicorn.conf.py): settings from `SPECSERVE_*`."""
    return create_app(load_settings(), served=True)
