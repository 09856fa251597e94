"""App factory: the spec, Connexion, our middleware and error handlers, wired once.

`SPECSERVE_APP` picks Connexion's `AsyncApp` (default, the faster) or `FlaskApp`; both share
the same ASGI middleware stack, so nothing below depends on the flavour.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from connexion import AsyncApp, FlaskApp
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import ProblemException
from connexion.middleware import MiddlewarePosition
from connexion.resolver import Resolver
from connexion.validators import VALIDATOR_MAP
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from specserve import logs
from specserve.auth.scopes import ScopeMiddleware
from specserve.config import SPEC_PATH, Settings
from specserve.errors import ApiError, handle_error
from specserve.http.edge import EdgeMiddleware
from specserve.http.validation import StrictJSONBodyValidator
from specserve.ratelimit.middleware import RateLimitMiddleware
from specserve.runtime import Runtime, handler_name

log = logging.getLogger("specserve.app")


class TagResolver(Resolver):
    """Resolves each operation to its handler: one module per tag, one function per id."""

    def resolve_operation_id(self, operation: Any) -> str:
        return handler_name(operation._operation)


def pin_thread_pools() -> None:
    """One BLAS/OpenMP thread per worker: more threads oversubscribe the cores under load."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def create_app(settings: Settings | None = None, **overrides: Any) -> Any:
    settings = settings or Settings(**overrides)
    logs.configure(settings.log_level)
    pin_thread_pools()
    runtime = Runtime(settings)
    runtime.load_models()

    flavour = AsyncApp if settings.app == "async" else FlaskApp
    validator_map = {
        "body": MediaTypeDict({**VALIDATOR_MAP["body"], "*/*json": StrictJSONBodyValidator}),
    }
    app = flavour(__name__, specification_dir=str(SPEC_PATH.parent))
    app.add_api(
        SPEC_PATH.name,
        base_path=runtime.base_path,
        resolver=TagResolver(),
        strict_validation=True,
        validate_responses=settings.validate_responses,
        validator_map=validator_map,
    )
    app.add_middleware(
        EdgeMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, runtime=runtime
    )
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:  # off by default; an explicit allow-list, never credentials
        app.add_middleware(
            CORSMiddleware,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            allow_origins=origins,
            allow_credentials=False,
            allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=[
                "X-Request-ID",
                "RateLimit",
                "RateLimit-Policy",
                "Retry-After",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
            ],
            max_age=600,
        )
    app.add_middleware(ScopeMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION)
    app.add_middleware(RateLimitMiddleware, position=MiddlewarePosition.BEFORE_CONTEXT)
    for exc in (ApiError, ProblemException, HTTPException, Exception):
        app.add_error_handler(exc, handle_error)
    app.runtime = runtime
    runtime.settle_heap()
    return app
