"""Hostile bodies are refused by shape before a parser builds their objects, and a body
refused as it is read is priced by its size (in process, no service)."""

from __future__ import annotations

import json
import time

import jsonschema_rs
import pytest

from specserve import spec
from specserve.config import Settings
from specserve.errors import BadRequest
from specserve.http.validation import compiled_validator, openapi_to_jsonschema, parse_json
from specserve.ratelimit.charge import ROW_BYTES, invalid_body_cost
from specserve.ratelimit.limiter import RateLimiter

MIB = 1 << 20
NESTED = b"[" * 30 + b"]" * 30 + b","
DEFAULT_BODY_LIMIT = Settings.model_fields["max_body_bytes"].default


def hostile_bodies(size: int) -> dict[str, bytes]:
    """The issue's hostile shapes, each about `size` bytes."""
    return {
        "nested_lists": b"[" + NESTED * ((size - 4) // len(NESTED)) + b"[]]",
        "small_objects": b"[" + b'{"a":1},' * ((size - 10) // 8) + b'{"a":1}]',
        "small_objects_escaped": b'["\\n",' + b'{"a":1},' * ((size - 16) // 8) + b'{"a":1}]',
        "numbers": b'{"features": [' + b"1," * ((size - 20) // 2) + b"1]}",
    }


HOSTILE = hostile_bodies(MIB)  # the 1 MiB bodies, each answered 400 and once 90-560 ms


def operation(operation_id: str) -> spec.Operation:
    return spec.load().by_id(operation_id)


def test_bounds_come_from_the_contract():
    one, batch = operation("predict").body_bounds, operation("batchPredict").body_bounds
    assert one is not None and batch is not None
    # 1,000 features (999 commas) plus what metadata's two properties and request_id allow
    assert one[b","] == 999 + 1 + 1 + 128
    assert batch[b","] == 100 * one[b","] + 99
    assert operation("issueToken").body_bounds is None  # a form, any key allowed


def largest_valid(rows: int) -> dict:
    """A body at every bound at once: longest request_id full of structural characters."""
    row = {
        "features": [1.5] * 1000,
        "metadata": {"request_id": '[{,"' * 32, "timestamp": "2024-01-01T00:00:00.123456Z"},
    }
    return {"requests": [row] * rows} if rows else row


@pytest.mark.parametrize("operation_id,rows", [("predict", 0), ("batchPredict", 100)])
def test_the_largest_valid_body_passes_its_bounds(operation_id, rows):
    op = operation(operation_id)
    body = largest_valid(rows)
    assert op.body is not None
    schema = {**op.body["schema"], "components": spec.load().raw["components"]}
    validator = jsonschema_rs.Draft4Validator(openapi_to_jsonschema(schema), validate_formats=True)
    assert validator.is_valid(body)  # valid, so no bound may refuse it
    for raw in (json.dumps(body).encode(), json.dumps(body, ensure_ascii=False).encode()):
        assert parse_json(raw, op.body_bounds) == body


def test_a_date_time_holds_no_structural_byte():
    """The bounds count a `date-time` string as none of `[ { , "`: the format refuses them."""
    schema = {"type": "string", "format": "date-time"}
    validator = compiled_validator(schema, {})
    assert validator.is_valid("2024-01-01T00:00:00.5Z")
    for bad in ("2024-01-01T00:00:00,5Z", "[2024-01-01T00:00:00Z", '2024-01-01T00:00:00Z"'):
        assert not validator.is_valid(bad)


@pytest.mark.parametrize("size", [MIB, DEFAULT_BODY_LIMIT], ids=["1MiB", "default-limit"])
@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("operation_id", ["predict", "batchPredict"])
def test_hostile_bodies_are_refused_by_shape_in_milliseconds(name, operation_id, size):
    raw = hostile_bodies(size)[name]
    bounds = operation(operation_id).body_bounds
    started = time.process_time()
    for _ in range(10):
        with pytest.raises(BadRequest, match="than the schema allows"):
            parse_json(raw, bounds)
    per_mib = (time.process_time() - started) / 10 / (size / MIB)
    assert per_mib < 0.015, f"{per_mib * 1000:.1f} ms of CPU per refused MiB"


def test_refusals_that_need_the_parse_still_hold_within_bounds():
    bounds = operation("predict").body_bounds
    for raw, message in [
        (b'{"features": [1e999]}', "not valid JSON"),
        (b'{"features": [NaN]}', "not valid JSON"),
        (b'{"features": [1], "features": [2]}', "Duplicate key"),
        (b'{"features": [1], "feat\\u0075res": [2]}', "Duplicate key"),
        (b'{"features": ' + b"[" * 33 + b"]" * 33 + b"}", "nests deeper than 32"),
    ]:
        with pytest.raises(BadRequest, match=message):
            parse_json(raw, bounds)
    assert parse_json(b'{"features": ' + b"[" * 31 + b"]" * 31 + b"}", bounds)


def limiter(rate: str) -> RateLimiter:
    return RateLimiter(Settings(rate_limit=rate, redis_url=None))


def test_an_invalid_body_is_priced_by_its_size_capped_at_the_limit():
    small, big = limiter("60/minute"), limiter("10000/minute")
    key = {"key_id": "k"}
    assert invalid_body_cost(small, key, 20) == 1
    assert invalid_body_cost(big, key, ROW_BYTES + 1) == 2
    assert invalid_body_cost(big, key, MIB) == MIB // ROW_BYTES == 64
    assert invalid_body_cost(small, key, MIB) == 60  # never more than a window can admit
