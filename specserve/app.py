"""App factory: the spec, Connexion, our middleware and error handler, wired once.

`create_app(Settings(...))` builds a fresh app (tests build one per module, in process);
`serve()` is what gunicorn runs: the same app, plus what only a long-lived served worker
wants (its start-up heap frozen out of the cyclic GC).

`SPECSERVE_APP=async` (the default) serves with `ConnexionMiddleware` around our operations
app (`specserve.http.operations`: each handler's call worked out once, not per request);
`SPECSERVE_APP=flask` with Connexion's `FlaskApp`. Both share the same ASGI middleware stack
(routing, security, validation, our middleware), so nothing below depends on the flavour.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
from typing import Any

from connexion import ConnexionMiddleware, FlaskApp
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.resolver import Resolver
from connexion.validators import VALIDATOR_MAP
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from specserve import logs
from specserve.config import ROOT, Settings
from specserve.errors import ApiError
from specserve.http import problems
from specserve.http.access import AccessMiddleware
from specserve.http.edge import EdgeMiddleware
from specserve.http.gzip import GzipMiddleware
from specserve.http.operations import OperationApp
from specserve.http.scope import operation_id, request_id
from specserve.http.validation import OAuthFormValidator, StrictJSONBodyValidator
from specserve.runtime import Runtime, settle_heap
from specserve.spec import SPEC_PATH
from specserve.startup import load_settings
from specserve.threads import pin_thread_pools

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
    the app's runtime bound as its `runtime` parameter where it takes one."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(function_resolver=self.bound_handler)
        self.runtime = runtime
        self.names = {op.operation_id: op.handler for op in runtime.contract.operations.values()}

    def resolve_operation_id(self, operation: Any) -> str:
        return self.names[operation.operation_id]

    def bound_handler(self, name: str) -> Any:
        if str(ROOT) not in sys.path:  # `handlers` and `generated` live in the source tree
            sys.path.append(str(ROOT))
        module, _, attr = name.rpartition(".")
        handler = getattr(importlib.import_module(module), attr)
        if "runtime" in inspect.signature(handler).parameters:
            return functools.partial(handler, runtime=self.runtime)
        return handler


class ServiceApp(ConnexionMiddleware):
    """Connexion's middleware around the operations app, with a test client like its apps'."""

    runtime: Runtime

    def test_client(self, **kwargs: Any) -> Any:
        from starlette.testclient import TestClient

        return TestClient(self, **kwargs)


class ProblemHandler:
    """Connexion's error handler: every error raised inside the stack ends here."""

    def __init__(self, runtime: Runtime) -> None:
        self.dialects = {h: op.dialect for h, op in runtime.contract.operations.items()}

    async def __call__(self, request: Any, exc: Exception) -> ConnexionResponse:
        scope = request.scope
        handler = operation_id(scope)
        dialect = self.dialects.get(handler) if handler else None
        problem = problems.render(exc, request_id(scope), dialect)
        headers = dict(problem.headers)
        if problem.closes:
            headers["Connection"] = "close"  # the rest of the body may still be on the wire
        return ConnexionResponse(
            status_code=problem.status,
            body=problem.body(request_id(scope)),
            mimetype=problems.PROBLEM_JSON,
            headers=headers,
        )


def create_app(settings: Settings | None = None, *, served: bool = False) -> Any:
    settings = settings or Settings()
    logs.configure(settings.log_level)
    pin_thread_pools()
    runtime = Runtime(settings)
    runtime.load_models()

    resolver = SpecResolver(runtime)
    validator_map = {
        "body": MediaTypeDict(
            {
                **VALIDATOR_MAP["body"],
                "*/*json": StrictJSONBodyValidator,
                "application/x-www-form-urlencoded": OAuthFormValidator,
            }
        ),
    }
    app: Any
    if settings.app == "async":
        handlers = {name: resolver.bound_handler(name) for name in runtime.contract.operations}
        app = ServiceApp(
            OperationApp(runtime.contract, handlers),
            import_name=__name__,
            specification_dir=str(SPEC_PATH.parent),
        )
    else:
        app = FlaskApp(__name__, specification_dir=str(SPEC_PATH.parent))
    app.add_api(
        SPEC_PATH.name,
        base_path=runtime.base_path,
        resolver=resolver,
        strict_validation=True,
        validate_responses=settings.validate_responses,
        validator_map=validator_map,
    )
    app.add_middleware(
        EdgeMiddleware,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        runtime=runtime,
        on_first_request=settle_heap if served else None,
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
            GzipMiddleware,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            minimum_size=settings.gzip_min_bytes,
        )
    app.add_middleware(
        AccessMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION, runtime=runtime
    )
    handler = ProblemHandler(runtime)
    for exc in (ApiError, ProblemException, HTTPException, Exception):
        app.add_error_handler(exc, handler)
    app.runtime = runtime
    if served:
        settle_heap()
    return app


def serve() -> Any:
    """The app gunicorn serves (gunicorn.conf.py): settings from `SPECSERVE_*`."""
    return create_app(load_settings(), served=True)
