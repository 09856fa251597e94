"""Response helpers for handlers: JSON serialised once, with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from connexion.lifecycle import ConnexionResponse
from pydantic import BaseModel


def json_response(body: Any, status: int = 200) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status, body=orjson.dumps(body), content_type="application/json"
    )


def model_response(model: BaseModel, status: int = 200) -> ConnexionResponse:
    """A response built from a generated model (generated/models.py): typed, a few µs."""
    return ConnexionResponse(
        status_code=status, body=model.model_dump_json(), content_type="application/json"
    )
