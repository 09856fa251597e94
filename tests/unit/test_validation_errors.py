"""Strict JSON parsing, compiled schema validation and the one error shape."""

from __future__ import annotations

import orjson
import pytest
from connexion.exceptions import BadRequestProblem
from starlette.exceptions import HTTPException

from specserve.errors import BadRequest, FeatureCountMismatch
from specserve.http.problems import render
from specserve.http.validation import (
    compiled_validator,
    json_path,
    openapi_to_jsonschema,
    parse_json,
)


@pytest.mark.parametrize(
    "raw",
    [
        b"[NaN]",
        b"[Infinity]",
        b"[-Infinity]",
        b"[1e999]",
        b'{"a": 1, "a": 2}',
        b'{"a" : 1 , "a":2}',
        b'[{"b": "x\\"y", "b": 1}]',
        b"\xff",
        b"[" * 2000 + b"]" * 2000,
    ],
)
def test_parse_json_refuses(raw):
    with pytest.raises(BadRequest):
        parse_json(raw)


def test_parse_json_accepts_escapes_and_big_ints():
    assert parse_json(b'{"a": "x\\"y", "b": [1, 2.5]}') == {"a": 'x"y', "b": [1, 2.5]}
    assert parse_json(b"[100000000000000000000000]") == [1e23]


def test_nullable_maps_to_json_schema():
    schema = {"type": "object", "nullable": True, "properties": {"a": {"type": "string"}}}
    assert openapi_to_jsonschema(schema)["type"] == ["object", "null"]


def test_compiled_once_and_reports_json_paths():
    schema = {"type": "object", "properties": {"f": {"type": "array", "items": {"type": "number"}}}}
    cache: dict = {}
    validator = compiled_validator(schema, cache)
    assert compiled_validator(schema, cache) is validator and len(cache) == 1
    errors = [json_path(e.instance_path) for e in validator.iter_errors({"f": [1, "x", True]})]
    assert errors == ["$.f[1]", "$.f[2]"]


def to_problem(exc, request_id):
    problem = render(exc, request_id)
    return problem.status, problem.body(request_id), problem.headers


def test_problem_shape_for_domain_framework_and_unexpected_errors():
    status, body, headers = to_problem(FeatureCountMismatch("expects 3"), "rid-1")
    doc = orjson.loads(body)
    assert (status, doc["error"], doc["request_id"]) == (422, "feature_count_mismatch", "rid-1")
    assert doc["title"] == "Unprocessable Entity" and doc["detail"] == doc["message"]

    status, body, _ = to_problem(BadRequestProblem(detail="bad"), "r")
    assert status == 400 and orjson.loads(body)["error"] == "validation_error"

    status, body, headers = to_problem(HTTPException(405, headers={"Allow": "POST"}), "r")
    assert status == 405 and headers["Allow"] == "POST"

    status, body, _ = to_problem(RuntimeError("secret /etc/path detail"), "r")
    assert status == 500 and b"secret" not in body and b"/etc" not in body
