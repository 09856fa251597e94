"""Tag `Auth`: OAuth2 client-credentials tokens."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from generated.models import TokenResponse
from specserve.auth import grants
from specserve.http.responses import model_response
from specserve.state import AppState


async def issue_token(
    app_state: AppState, body: dict[str, Any] | None, token_info: dict[str, Any], request_id: str
) -> ConnexionResponse:
    """`body` is the form (Connexion parses urlencoded forms itself); the token is issued
    from the caller's own credential (`token_info`), so this handler alone takes it."""
    token = grants.grant(app_state.tokens, token_info, body or {})
    return model_response(TokenResponse.model_validate(token), request_id)
