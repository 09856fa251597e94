"""Tag `Admin`: operations that need the `admin` scope."""

from connexion.lifecycle import ConnexionResponse

from handlers.models import list_models
from specserve.serving.dataplane import DataPlane


async def reload_models(
    data_plane: DataPlane, request_id: str, allowed_models: list[str] | None = None
) -> ConnexionResponse:
    """Rescan the model directory now; answers the models, as `GET /models` would."""
    await data_plane.reload()
    return await list_models(data_plane, request_id, allowed_models)
