"""A body that already holds more than any valid one can is refused as it arrives: the rest
is never read, and the refusal is priced by the size the body declared; a valid body of
either feature form is read whole, however its strings fall across chunks."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from specserve.http.context import RequestState, attach
from specserve.http.validation import RefusedBody, read_payload
from specserve.spec import load
from tests.unit.test_body_bounds import DEFAULT_BODY_LIMIT, NAMED, hostile_bodies

CHUNK = 64 * 1024


def scope_for(app_state: Any, operation_id: str, declared: int) -> dict[str, Any]:
    from connexion.middleware.abstract import ROUTING_CONTEXT

    scope: dict[str, Any] = {
        "type": "http",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % declared)],
        "extensions": {ROUTING_CONTEXT: {"operation_id": load().by_id(operation_id).handler}},
    }
    attach(scope, RequestState(app_state=app_state, request_id="r", client_ip="127.0.0.1"))
    return scope


def chunked(body: bytes, size: int = CHUNK) -> tuple[Any, list[int]]:
    """A receive channel handing out `body` in chunks of `size`, and the chunks it gave."""
    given: list[int] = []

    async def receive() -> dict[str, Any]:
        start = len(given) * size
        given.append(start)
        part = body[start : start + size]
        return {"type": "http.request", "body": part, "more_body": start + size < len(body)}

    return receive, given


@pytest.mark.parametrize("operation_id", ["predict", "batchPredict"])
def test_a_hostile_body_is_refused_after_its_first_chunks(app, operation_id):
    body = b'{"features": [' + b"1," * (1 << 19) + b"1]}"
    receive, given = chunked(body)
    scope = scope_for(app.app_state, operation_id, len(body))
    with pytest.raises(RefusedBody) as refused:
        asyncio.run(read_payload(scope, receive))
    assert len(given) * CHUNK < len(body) / 2, "read to its end"
    assert refused.value.closes and refused.value.size == len(body)
    assert "more values than the schema allows" in refused.value.detail


def test_the_largest_valid_batch_is_read_whole(app):
    row = b'{"features": [' + b",".join([b"1.5"] * 1000) + b"]}"
    body = b'{"requests": [' + b",".join([row] * 100) + b"]}"
    receive, given = chunked(body)
    scope = scope_for(app.app_state, "batchPredict", len(body))
    asyncio.run(read_payload(scope, receive))
    assert len(scope["extensions"]["specserve"].payload["requests"]) == 100


@pytest.mark.parametrize("name", ["named_pairs", "named_strings"])
@pytest.mark.parametrize("operation_id", ["predict", "batchPredict"])
def test_a_hostile_named_body_is_refused_after_its_first_chunks(app, operation_id, name):
    body = hostile_bodies(DEFAULT_BODY_LIMIT)[name]  # a batch may hold 100,000 named values
    receive, given = chunked(body)
    scope = scope_for(app.app_state, operation_id, len(body))
    with pytest.raises(RefusedBody) as refused:
        asyncio.run(read_payload(scope, receive))
    assert len(given) * CHUNK < len(body) / 2, "read to its end"
    assert "than the schema allows" in refused.value.detail


@pytest.mark.parametrize("size", [CHUNK, 4093, 1000])
@pytest.mark.parametrize("name", ["most_strings", "longest_values"])
def test_the_largest_named_bodies_are_read_whole(app, name, size):
    """Names and values full of `[{,"` and backslashes, escapes cut across chunks."""
    operation_id, value = NAMED[name]
    body = json.dumps(value).encode()
    receive, given = chunked(body, size)
    scope = scope_for(app.app_state, operation_id, len(body))
    asyncio.run(read_payload(scope, receive))
    assert len(given) * size >= len(body)
    assert scope["extensions"]["specserve"].payload == value
