"""Hostile bodies are refused by shape before a parser builds their objects, valid ones of
either feature form pass whatever their strings hold, and a body refused as it is read is
priced by its size (in process, no service)."""

from __future__ import annotations

import json
import random
import time
import typing as t

import jsonschema_rs
import pytest

from specserve import spec
from specserve.config import Settings
from specserve.errors import BadRequest
from specserve.http.validation import ShapeScan, check_shape, openapi_to_jsonschema, parse_json
from specserve.ratelimit.charge import ROW_BYTES, invalid_body_cost
from specserve.ratelimit.limiter import RateLimiter

MIB = 1 << 20
NESTED = b"[" * 30 + b"]" * 30 + b","
DEFAULT_BODY_LIMIT = Settings.model_fields["max_body_bytes"].default
STRUCTURAL = '[{,"\\'  # in a string: none of them counts, escaped or not
KEY_LENGTH = 128  # `x-max-key-length` of NamedFeatures
VALUE_LENGTH = 10_000  # `maxLength` of a string FeatureValue


def hostile_bodies(size: int) -> dict[str, bytes]:
    """The issue's hostile shapes and the named form's, each about `size` bytes."""
    return {
        "nested_lists": b"[" + NESTED * ((size - 4) // len(NESTED)) + b"[]]",
        "small_objects": b"[" + b'{"a":1},' * ((size - 10) // 8) + b'{"a":1}]',
        "small_objects_escaped": b'["\\n",' + b'{"a":1},' * ((size - 16) // 8) + b'{"a":1}]',
        "numbers": b'{"features": [' + b"1," * ((size - 20) // 2) + b"1]}",
        "named_pairs": b'{"features": {' + b'"f":1,' * ((size - 24) // 6) + b'"f":1}}',
        "named_strings": b'{"features": {"f": [' + b'"\\"",' * ((size - 26) // 5) + b'""]}}',
    }


HOSTILE = hostile_bodies(MIB)  # the issue's 1 MiB bodies, each answered 400 and once 90-560 ms


def operation(operation_id: str) -> spec.Operation:
    return spec.load().by_id(operation_id)


def test_bounds_come_from_the_contract():
    one, batch = operation("predict").body_bounds, operation("batchPredict").body_bounds
    assert one is not None and batch is not None
    # either form of `features`: a list of numbers or an object of named values, 1,000 of
    # them and one past (a body one over a limit gets the schema's own error); a request's
    # two properties, and metadata's
    assert one == {b"[": 1, b"{": 1 + 1 + 1, b",": 1000 + 1 + 1, b'"': 2 * (2002 + 2 + 4)}
    assert batch == {
        b"[": 101 * one[b"["] + 1,
        b"{": 101 * one[b"{"] + 1,
        b",": 101 * one[b","] + 100,
        b'"': 101 * one[b'"'] + 2,
    }
    assert operation("issueToken").body_bounds is None  # a form, any key allowed


def test_combinators_and_additional_properties_are_bounded():
    """(arrays, objects, commas, strings): one of several schemas, the most of each; an
    object of any names, `maxProperties` keys and values; all of several, the least."""
    raw: dict[str, t.Any] = {}
    text, number = {"type": "string"}, {"type": "number"}
    short_list = {"type": "array", "maxItems": 3, "items": text}
    assert spec._bounds(raw, {"oneOf": [short_list, number]}) == (1, 0, 3, 4)  # one past
    assert spec._bounds(raw, {"anyOf": [text, {"type": "object"}]}) is None  # any object
    named = {"type": "object", "additionalProperties": {"anyOf": [text, short_list]}}
    assert spec._bounds(raw, named) is None  # no count of names
    assert spec._bounds(raw, {**named, "maxProperties": 1}) == (2, 1, 1 + 2 * 3, 2 + 2 * 4)
    few = {"type": "object", "maxProperties": 0, "additionalProperties": text}
    assert spec._bounds(raw, {"allOf": [{**named, "maxProperties": 1}, few]}) == (0, 1, 0, 2)


def validator_for(op: spec.Operation) -> t.Any:
    assert op.body is not None
    schema = {**op.body["schema"], "components": spec.load().raw["components"]}
    return jsonschema_rs.Draft4Validator(openapi_to_jsonschema(schema), validate_formats=True)


def largest_positional(rows: int) -> dict:
    """A body at every bound of the list form: longest request_id full of structural bytes."""
    row = {
        "features": [1.5] * 1000,
        "metadata": {"request_id": '[{,"' * 32, "timestamp": "2024-01-01T00:00:00.123456Z"},
    }
    return {"requests": [row] * rows} if rows else row


def named_row(keys: int, key_length: int, values: t.Sequence[t.Any], row: int = 0) -> dict:
    """`keys` named features, each name `key_length` characters full of structural ones,
    their values taken in turn from `values`."""
    names = [(f"{row}-{i}-" + STRUCTURAL * key_length)[:key_length] for i in range(keys)]
    return {
        "features": {name: values[i % len(values)] for i, name in enumerate(names)},
        "metadata": {"request_id": STRUCTURAL * 25, "timestamp": "2024-01-01T00:00:00Z"},
    }


def largest_named() -> dict[str, tuple[str, dict]]:
    """Valid named bodies at their bounds, each under the default body limit, their names
    and strings full of `[{,"` and backslashes: every string a batch may hold (100 rows of
    1,000 names), the longest names (as many as fit), string values at their longest (as
    many as fit), every kind of value."""
    longest = STRUCTURAL * (VALUE_LENGTH // len(STRUCTURAL))
    mixed = (1.5, 'é\\"[', True, None, "")
    return {
        "most_strings": ("batchPredict", batch(named_row(1000, 20, ["["], r) for r in range(100))),
        "longest_names": (
            "batchPredict",
            batch(named_row(210, KEY_LENGTH, [None], r) for r in range(100)),
        ),
        "longest_values": ("predict", named_row(280, KEY_LENGTH, [longest])),
        "mixed_values": ("predict", named_row(1000, KEY_LENGTH, mixed)),
    }


def batch(rows: t.Iterable[dict]) -> dict:
    return {"requests": list(rows)}


NAMED = largest_named()


@pytest.mark.parametrize("operation_id,rows", [("predict", 0), ("batchPredict", 100)])
def test_the_largest_positional_body_passes_its_bounds(operation_id, rows):
    op = operation(operation_id)
    body = largest_positional(rows)
    assert validator_for(op).is_valid(body)  # valid, so no bound may refuse it
    for raw in (json.dumps(body).encode(), json.dumps(body, ensure_ascii=False).encode()):
        assert parse_json(raw, op.body_bounds) == body


@pytest.mark.parametrize("name", list(NAMED))
def test_the_largest_named_bodies_pass_their_bounds(name):
    operation_id, body = NAMED[name]
    op = operation(operation_id)
    assert validator_for(op).is_valid(body)  # valid, so no bound may refuse it
    for raw in (json.dumps(body).encode(), json.dumps(body, ensure_ascii=False).encode()):
        assert len(raw) <= DEFAULT_BODY_LIMIT
        assert parse_json(raw, op.body_bounds) == body


def test_string_contents_are_not_counted_however_they_are_split():
    """Whatever a string holds (quotes escaped by odd runs of backslashes, even runs before
    a closing quote), and wherever a chunk ends, the counts are the parsed value's: any
    bound one lower refuses the body."""
    rng = random.Random(0)
    for _ in range(300):
        value = random_value(rng)
        raw = json.dumps(value, ensure_ascii=rng.random() < 0.5).encode()
        exact = counts_of(value)
        assert fed(raw, exact, rng) is None
        for byte, most in exact.items():
            if most:
                assert "than the schema allows" in str(fed(raw, {**exact, byte: most - 1}, rng))


def random_value(rng: random.Random, depth: int = 0) -> t.Any:
    kind = rng.randrange(6 if depth < 4 else 3)
    text = "".join(rng.choice('[]{},"\\\\\\\\"\\a:é\n') for _ in range(rng.randrange(8)))
    if kind == 3:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 4:
        return {text + str(i): random_value(rng, depth + 1) for i in range(rng.randrange(4))}
    return [1.5, text, None][kind] if kind < 3 else text


def counts_of(value: t.Any) -> dict[bytes, int]:
    """The `[`, `{`, `,` and `"` a value's JSON holds outside its strings (quotes: two a
    string, keys included)."""
    counts = dict.fromkeys((b"[", b"{", b",", b'"'), 0)
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            counts[b'"'] += 2
        elif isinstance(node, list | dict):
            counts[b"[" if isinstance(node, list) else b"{"] += 1
            counts[b","] += max(len(node) - 1, 0)
            counts[b'"'] += 2 * len(node) if isinstance(node, dict) else 0
            stack.extend(node.values() if isinstance(node, dict) else node)
    return counts


def fed(raw: bytes, bounds: dict[bytes, int], rng: random.Random) -> str | None:
    """The refusal of `raw` fed in chunks of 1 to 4 bytes, if any."""
    scan, start = ShapeScan(bounds), 0
    while start < len(raw):
        end = start + rng.randrange(1, 5)
        if (refused := scan.feed(raw[start:end])) is not None:
            return refused
        start = end
    return None


@pytest.mark.parametrize("size", [MIB, DEFAULT_BODY_LIMIT], ids=["1MiB", "default-limit"])
@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("operation_id", ["predict", "batchPredict"])
def test_hostile_bodies_are_refused_by_shape_in_milliseconds(name, operation_id, size):
    raw = hostile_bodies(size)[name]
    assert size - 64 < len(raw) <= size  # under the body limit: refused by shape, not size
    bounds = operation(operation_id).body_bounds
    started = time.process_time()
    for _ in range(10):
        with pytest.raises(BadRequest, match="than the schema allows"):
            parse_json(raw, bounds)
    per_mib = (time.process_time() - started) / 10 / (size / MIB)
    assert per_mib < 0.015, f"{per_mib * 1000:.1f} ms of CPU per refused MiB"


@pytest.mark.parametrize("name", list(NAMED))
def test_valid_bodies_full_of_structural_bytes_are_counted_in_milliseconds(name):
    """The worst case of the count: every total over its bound, so every string told apart."""
    operation_id, body = NAMED[name]
    raw = json.dumps(body).encode()
    bounds = operation(operation_id).body_bounds
    started = time.process_time()
    for _ in range(10):
        check_shape(raw, bounds)
    per_mib = (time.process_time() - started) / 10 / (len(raw) / MIB)
    assert per_mib < 0.015, f"{per_mib * 1000:.1f} ms of CPU per counted MiB"


def test_refusals_that_need_the_parse_still_hold_within_bounds():
    bounds = operation("predict").body_bounds
    for raw, message in [
        (b'{"features": [1e999]}', "not valid JSON"),
        (b'{"features": [NaN]}', "not valid JSON"),
        (b'{"features": {"a": 1, "a": 2}}', "Duplicate key"),
        (b'{"features": {"a": 1}, "feat\\u0075res": {"b": 2}}', "Duplicate key"),
        (b'{"features": {"a": "\\"}, "a": "\\"}', "not valid JSON"),
    ]:
        with pytest.raises(BadRequest, match=message):
            parse_json(raw, bounds)
    assert parse_json(b'{"features": {"[{": "]}\\\\", "a": null}}', bounds)


def test_depth_is_refused_where_the_shape_is_not_bounded():
    """Within the predict bounds a body nests 4 deep at most; without bounds, depth holds."""
    deep = b'{"a": ' * 32 + b"1" + b"}" * 32
    with pytest.raises(BadRequest, match="than the schema allows"):
        parse_json(b'{"features": ' + deep + b"}", operation("predict").body_bounds)
    with pytest.raises(BadRequest, match="nests deeper than 32"):
        parse_json(b"[" + deep + b"]")
    assert parse_json(deep)


def limiter(rate: str) -> RateLimiter:
    return RateLimiter(Settings(rate_limit=rate, redis_url=None))


def test_an_invalid_body_is_priced_by_its_size_capped_at_the_limit():
    small, big = limiter("60/minute"), limiter("10000/minute")
    key = {"key_id": "k"}
    assert invalid_body_cost(small, key, 20) == 1
    assert invalid_body_cost(big, key, ROW_BYTES + 1) == 2
    assert invalid_body_cost(big, key, MIB) == MIB // ROW_BYTES == 64
    assert invalid_body_cost(small, key, MIB) == 60  # never more than a window can admit
