"""Response helpers for handlers: JSON serialised once, with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from connexion.lifecycle import ConnexionResponse
from pydantic import BaseModel

from specserve.http.context import current_state


def request_id_header() -> dict[str, str]:
    """The request's `X-Request-ID`, set on the handler's response itself.

    The edge middleware sends it on every response anyway, but it sits outside Connexion's
    response validation, which checks the headers the spec marks required.
    """
    return {"X-Request-ID": current_state()["request_id"]}


def json_response(body: Any, status: int = 200) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        body=orjson.dumps(body),
        content_type="application/json",
        headers=request_id_header(),
    )


def model_response(model: BaseModel, status: int = 200) -> ConnexionResponse:
    """A response built from a generated model (generated/models.py): typed, a few µs."""
    return ConnexionResponse(
        status_code=status,
        body=model.model_dump_json(),
        content_type="application/json",
        headers=request_id_header(),
    )
