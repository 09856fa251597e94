"""Reference apps for `make bench`, served by gunicorn exactly like the product.

- `bare_app()`: Connexion's AsyncApp with a one-operation fixture spec (`floor.yaml`) and a
  constant `async def` handler: the framework floor (gunicorn + uvicorn + Connexion routing,
  body validation, response), no auth, no model.
- `stack_app()`: the product app (`specserve.app.create_app`, full spec, API keys, compiled
  validation, metrics, access log), with the two single-row prediction handlers answering a
  constant body: what the stack costs per request without the model call.
- `default_validator_app()`: the product app with Connexion's own per-request Draft4 body
  validator instead of the compiled one (`specserve.http.validation`), to measure that choice.

None of these adds a route to the product spec; they exist only for the bench.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

CONSTANT = {
    "prediction": 1.0,
    "probability": 0.79,
    "model_version": "1.0.0",
    "request_id": "bench",
    "processing_time_ms": 0.0,
}
_CONSTANT_BYTES = orjson.dumps(CONSTANT)


async def constant(*args: Any, **kwargs: Any) -> Any:
    from connexion.lifecycle import ConnexionResponse

    return ConnexionResponse(status_code=200, body=_CONSTANT_BYTES, content_type="application/json")


def bare_app() -> Any:
    from connexion import AsyncApp

    from specserve.serving.blas import pin_thread_pools

    pin_thread_pools()
    app = AsyncApp(__name__, specification_dir=str(Path(__file__).parent))
    app.add_api("floor.yaml", base_path="/v1", strict_validation=True)
    return app


def stack_app() -> Any:
    import handlers.models
    import handlers.predictions

    handlers.predictions.predict = constant
    handlers.models.predict_with_model = constant
    from specserve.app import serve

    return serve()  # as served: settings from the environment, start-up heap frozen


def default_validator_app() -> Any:
    from connexion.validators import JSONRequestBodyValidator

    import specserve.app
    from specserve.http.context import request_context, state_of

    class ConnexionDefaultValidator(JSONRequestBodyValidator):
        """Connexion's stdlib-json + Draft4 validator, handing the body on like ours does."""

        async def _parse(self, stream: Any, scope: Any) -> Any:
            body = await super()._parse(stream, scope)
            state_of(scope).payload = request_context(scope)["payload"] = body
            return body

    specserve.app.StrictJSONBodyValidator = ConnexionDefaultValidator
    return specserve.app.serve()
