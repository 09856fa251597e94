"""Tag `Auth`: OAuth2 client-credentials tokens."""

from specserve import auth
from specserve.context import current_state, token_info_of
from specserve.responses import json_response


async def issue_token(body: dict):
    state = current_state()
    from connexion.context import scope

    client = token_info_of(scope._get_current_object())
    return json_response(auth.grant(state["runtime"], client, body or {}))
