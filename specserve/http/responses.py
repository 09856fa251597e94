"""Response helpers for handlers: JSON serialised once, with orjson.

Each response carries its request's `X-Request-ID` itself: the edge middleware sends it on
every response anyway, but it sits outside Connexion's response validation, which checks the
headers the spec marks required.
"""

from __future__ import annotations

from typing import Any

import orjson
from connexion.lifecycle import ConnexionResponse
from pydantic import BaseModel


def json_response(body: Any, request_id: str, status: int = 200) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        body=orjson.dumps(body),
        content_type="application/json",
        headers={"X-Request-ID": request_id},
    )


def model_response(model: BaseModel, request_id: str, status: int = 200) -> ConnexionResponse:
    """A response built from a generated model (generated/models.py): typed, a few µs. An
    optional field the body does not set stays out (a null stays where one was set)."""
    return ConnexionResponse(
        status_code=status,
        body=model.model_dump_json(exclude_unset=True),
        content_type="application/json",
        headers={"X-Request-ID": request_id},
    )


def bytes_response(body: bytes, content_type: str, request_id: str) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=200,
        body=body,
        content_type=content_type,
        headers={"X-Request-ID": request_id},
    )
