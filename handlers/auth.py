"""Tag `Auth`: OAuth2 client-credentials tokens."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from generated.models import TokenResponse
from specserve.auth import grants
from specserve.http.responses import model_response
from specserve.runtime import Runtime


async def issue_token(
    runtime: Runtime, body: dict[str, Any] | None, token_info: dict[str, Any], request_id: str
) -> ConnexionResponse:
    """`body` is the form (Connexion parses urlencoded forms itself)."""
    token = grants.grant(runtime, token_info, body or {})
    return model_response(TokenResponse.model_validate(token), request_id)
