"""Tag `Admin`: operations that need the `admin` scope."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from generated.models import UsageList
from handlers.models import list_models
from specserve.http.responses import json_response
from specserve.ratelimit import report
from specserve.serving.dataplane import DataPlane
from specserve.state import AppState


async def reload_models(
    data_plane: DataPlane, request_id: str, allowed_models: list[str] | None = None
) -> ConnexionResponse:
    """Rescan the model directory now; answers the models, as `GET /models` would."""
    await data_plane.reload()
    return await list_models(data_plane, request_id, allowed_models)


async def list_usage(app_state: AppState, request_id: str, **query: Any) -> ConnexionResponse:
    """Every identity's usage, or one's (`identity`, or `key_id` for a key's); `from`
    arrives as a keyword."""
    first, last = report.span(query.get("from"), query.get("to"))
    limit = int(query["limit"])  # the spec's default when not given
    identities = report.identity_filter(query.get("key_id"), query.get("identity"))
    body = await report.every_usage(app_state, first, last, identities, limit)
    checked = UsageList.model_validate(body)  # `from` is the alias of its field `from_`
    return json_response(checked.model_dump(mode="json", by_alias=True), request_id)
