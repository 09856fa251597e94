"""Response helpers for handlers: JSON serialised once, with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from connexion.lifecycle import ConnexionResponse


def json_response(body: Any, status: int = 200) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status, body=orjson.dumps(body), content_type="application/json"
    )
