"""Tag `Admin`: operations that need the `admin` scope."""

from handlers.models import list_models
from specserve.http.context import current_state


async def reload_models():
    await current_state()["runtime"].reload_models()
    return await list_models()
