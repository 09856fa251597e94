"""Where Connexion keeps what we read from the scope: these fail loudly if an upgrade moves it
(today, a move would make every routed request refused, never waved through)."""

from __future__ import annotations

import asyncio

from connexion import AsyncApp
from connexion.lifecycle import ConnexionRequest

from specserve.http import context as ss


def test_the_request_context_is_where_connexion_request_context_reads():
    scope = {"type": "http", "headers": [], "extensions": {}}
    assert ConnexionRequest(scope).context is ss.request_context(scope)


def test_routing_puts_the_resolved_operation_under_routing_context(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      operationId: tests.unit.test_scope.probe\n"
        "      responses: {'200': {description: ok}}\n"
    )
    seen = {}

    class Spy:
        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            seen["operation"] = ss.operation_id(scope)
            await self.app(scope, receive, send)

    from connexion.middleware import MiddlewarePosition

    app = AsyncApp(__name__, specification_dir=str(tmp_path))
    app.add_api("spec.yaml")
    app.add_middleware(Spy, position=MiddlewarePosition.BEFORE_VALIDATION)
    with app.test_client() as client:
        assert client.get("/x").status_code == 200
    assert seen["operation"] == "tests.unit.test_scope.probe"


async def probe():
    await asyncio.sleep(0)
    return {}


def test_security_hooks_answer_connexion_signature_questions_from_a_cached_signature():
    """Connexion inspects a hook's signature on every request; ours carry it, so the answer
    costs an attribute read, and it is still the hook's true signature."""
    import inspect

    from connexion.utils import inspect_function_arguments

    from specserve.auth import hooks

    for hook in (hooks.api_key_info, hooks.basic_info, hooks.bearer_info):
        assert inspect.signature(hook) is hook.__signature__
        names, _ = inspect_function_arguments(hook)
        assert {"required_scopes", "request"} <= set(names)
        code = hook.__code__
        assert list(hook.__signature__.parameters) == list(code.co_varnames[: code.co_argcount])
