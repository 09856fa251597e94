"""The OAuth2 client-credentials grant (RFC 6749 section 4.4) behind `POST /auth/token`."""

from __future__ import annotations

from typing import Any

from specserve.auth.records import known_scopes
from specserve.errors import TokenIssuanceDisabled, TokenRequestError, UnsupportedMediaType


def grant(tokens: Any, client: dict[str, Any], form: Any) -> dict[str, Any]:
    if not isinstance(form, dict):  # no form media type: Connexion hands over raw bytes
        raise UnsupportedMediaType("Send the token request as application/x-www-form-urlencoded.")
    if form.get("grant_type") != "client_credentials":
        raise TokenRequestError(
            "unsupported_grant_type", "Only the 'client_credentials' grant is supported."
        )
    if not tokens.can_issue:
        raise TokenIssuanceDisabled()
    granted = list(client["scope"])
    asked = form.get("scope")
    if asked is not None:
        wanted = asked.split()
        unknown = [s for s in wanted if s not in known_scopes()]
        if unknown or not wanted:
            raise TokenRequestError("invalid_scope", "Unknown scope requested.")
        beyond = [s for s in wanted if s not in granted]
        if beyond:
            raise TokenRequestError(
                "invalid_scope", f"The key does not have the scope '{beyond[0]}'."
            )
        granted = [s for s in granted if s in wanted]
    token, ttl = tokens.issue(
        client["key_id"], granted, client["tier"], client.get("gen", 0), client.get("models")
    )
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": ttl,
        "scope": " ".join(granted),
    }
