"""Tag `Auth`: OAuth2 client-credentials tokens."""

from generated.models import TokenResponse
from specserve.auth import grants as auth
from specserve.http.context import current_state, token_info_of
from specserve.http.responses import model_response


async def issue_token(body: dict):
    state = current_state()
    from connexion.context import scope

    client = token_info_of(scope._get_current_object())
    return model_response(
        TokenResponse.model_validate(auth.grant(state["runtime"], client, body or {}))
    )
