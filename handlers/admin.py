"""Tag `Admin`: operations that need the `admin` scope."""

from connexion.lifecycle import ConnexionResponse

from handlers.models import list_models
from specserve.runtime import Runtime


async def reload_models(runtime: Runtime, request_id: str) -> ConnexionResponse:
    await runtime.reload_models()
    return await list_models(runtime, request_id)
