"""Request body validation: strict JSON parsing and a schema validator compiled once.

Plugged into Connexion through `validator_map`, in place of its per-request Draft4 validator:
- the body is parsed with orjson, which refuses NaN/Infinity literals, numbers that overflow
  to infinity (`1e999`), invalid UTF-8 and nesting deeper than 1024; duplicate object keys
  are refused as well (a parser-differential risk);
- the operation's schema (OpenAPI 3.0: `nullable` is mapped to JSON Schema) is compiled
  with jsonschema-rs on first use and cached, so a 100-row batch validates in microseconds;
- every violation is reported with its JSON path in the error shape;
- the parsed body is kept in the request state, so handlers never parse it a second time.
"""

from __future__ import annotations

import copy
import json
import threading
import typing as t

import jsonschema_rs
import orjson
from connexion.validators import JSONRequestBodyValidator
from starlette.datastructures import Headers

from specserve.errors import BadRequest, UnsupportedMediaType
from specserve.http.context import state_of

MAX_REPORTED_ERRORS = 20
_compiled: dict[int, tuple[dict, t.Any]] = {}
_compile_lock = threading.Lock()


def openapi_to_jsonschema(schema: t.Any) -> t.Any:
    """Map OpenAPI 3.0 keywords jsonschema-rs does not know (`nullable`) to JSON Schema."""
    if isinstance(schema, list):
        return [openapi_to_jsonschema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        k: openapi_to_jsonschema(v)
        for k, v in schema.items()
        if k
        not in (
            "nullable",
            "example",
            "examples",
            "readOnly",
            "writeOnly",
            "x-nullable",
            "discriminator",
            "xml",
            "externalDocs",
            "deprecated",
        )
    }
    if schema.get("nullable") is True:
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


def compiled_validator(schema: dict) -> t.Any:
    key = id(schema)
    hit = _compiled.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    with _compile_lock:
        # Connexion hands over the resolved schema plus the spec's `components`; refs are
        # already inlined, so the components are dropped before compiling.
        body_schema = {k: v for k, v in schema.items() if k != "components"}
        validator = jsonschema_rs.Draft4Validator(
            openapi_to_jsonschema(copy.deepcopy(body_schema)), validate_formats=True
        )
        _compiled[key] = (schema, validator)  # keeps `schema` alive, so its id stays unique
    return validator


def json_path(parts: t.Iterable[t.Any]) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _reject_duplicate_keys(pairs: list[tuple[str, t.Any]]) -> dict[str, t.Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise BadRequest(f"Duplicate key {dup[:64]!r} in a JSON object.")
    return obj


def parse_json(raw: bytes) -> t.Any:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"Request body is not valid JSON: {exc}") from None
    # orjson keeps the last of duplicate keys. Every key and string holds exactly two quotes,
    # so a body whose quote count exceeds what the parsed value accounts for hides a
    # duplicate: only then (or when escapes make counting unsafe) re-parse to find it.
    if isinstance(body, dict | list) and (
        b"\\" in raw or raw.count(b'"') != 2 * _count_strings(body)
    ):
        json.loads(raw, object_pairs_hook=_reject_duplicate_keys)
    return body


def _count_strings(value: t.Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_count_strings(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_strings(v) for v in value if not isinstance(v, int | float))
    return 1 if isinstance(value, str) else 0


class StrictJSONBodyValidator(JSONRequestBodyValidator):
    """Connexion body validator: orjson + compiled schema + our error shape."""

    async def wrap_receive(self, receive, *, scope):
        """Read the whole body (chunked or not), parse and validate it, then replay it."""
        if "content-type" not in Headers(scope=scope):
            raise UnsupportedMediaType("Content-Type must be application/json.")
        messages = []
        chunks = []
        more_body = True
        while more_body:
            message = await receive()
            messages.append(message)
            chunks.append(message.get("body", b""))
            more_body = message.get("more_body", False)
        raw = b"".join(chunks)
        body = parse_json(raw) if raw.strip() else None
        state_of(scope)["body"] = body
        self._validate(body)
        return self._insert_messages(receive, messages=messages), scope

    def _validate(self, body: t.Any) -> None:
        if body is None:
            raise BadRequest("Request body must not be empty.")
        validator = compiled_validator(self._schema)
        errors = []
        for error in validator.iter_errors(body):
            errors.append({"path": json_path(error.instance_path), "message": error.message})
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
        if errors:
            first = errors[0]
            raise BadRequest(f"{first['message']} at {first['path']}", errors=errors)
