"""Tag `Usage`: the caller's own usage and quota."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from generated.models import Usage
from specserve.http.responses import json_response
from specserve.ratelimit import report
from specserve.state import AppState


async def get_usage(
    app_state: AppState, token_info: dict[str, Any], request_id: str, **query: Any
) -> ConnexionResponse:
    """`from` is a Python keyword: the query arrives as keyword arguments."""
    first, last = report.span(query.get("from"), query.get("to"))
    body = await report.caller_usage(app_state, token_info, first, last)
    checked = Usage.model_validate(body)  # `from` is the alias of its field `from_`
    return json_response(checked.model_dump(mode="json", by_alias=True), request_id)
