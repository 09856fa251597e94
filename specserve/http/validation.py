"""Request bodies: read once, parsed strictly, validated by a schema compiled once.

Plugged into Connexion through `validator_map`, in place of its per-request Draft4 validator:
- the body is read whole (chunked or not) and parsed with orjson, which refuses NaN/Infinity
  literals, numbers that overflow to infinity (`1e999`), invalid UTF-8; duplicate object
  keys are refused as well (a parser-differential risk), and so is nesting deeper than
  `MAX_DEPTH` (400, before anything walks the value recursively);
- the parsed body is kept for the request (`RequestState.payload`) and handed to handlers
  as their `payload` parameter, so nothing parses it a second time; the rate limiter prices
  a batch from it before it is validated;
- the operation's schema (OpenAPI 3.0: `nullable` is mapped to JSON Schema) is compiled
  with jsonschema-rs on first use and cached, so a 100-row batch validates in microseconds;
- every violation is reported with its JSON path in the error shape, each echoed value
  bounded to a few hundred characters.
"""

from __future__ import annotations

import copy
import json
import threading
import typing as t

import jsonschema_rs
import orjson
from connexion.validators import FormDataValidator, JSONRequestBodyValidator
from starlette.types import Message, Receive, Scope

from specserve.errors import BadRequest, UnsupportedMediaType
from specserve.http.context import request_context, state_of

MAX_REPORTED_ERRORS = 20
MAX_DEPTH = 32
MAX_ECHO = 200
Compiled = dict[int, tuple[dict[str, t.Any], t.Any]]  # id(schema) -> (schema, validator)
_compile_lock = threading.Lock()
_DROPPED = {
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
}


def openapi_to_jsonschema(schema: t.Any) -> t.Any:
    """Map OpenAPI 3.0 keywords jsonschema-rs does not know (`nullable`) to JSON Schema."""
    if isinstance(schema, list):
        return [openapi_to_jsonschema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: openapi_to_jsonschema(v) for k, v in schema.items() if k not in _DROPPED}
    if schema.get("nullable") is True:
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


def compiled_validator(schema: dict[str, t.Any], cache: Compiled | None = None) -> t.Any:
    """The schema's compiled validator, made once per schema object and kept in `cache`
    (the app's own, `AppState.body_validators`: it lives and dies with the app)."""
    cache = {} if cache is None else cache
    key = id(schema)
    hit = cache.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    with _compile_lock:
        # Connexion hands over the resolved schema plus the spec's `components`; refs are
        # already inlined, so the components are dropped before compiling.
        body_schema = {k: v for k, v in schema.items() if k != "components"}
        validator = jsonschema_rs.Draft4Validator(
            openapi_to_jsonschema(copy.deepcopy(body_schema)), validate_formats=True
        )
        cache[key] = (schema, validator)  # keeps `schema` alive, so its id stays unique
    return validator


def json_path(parts: t.Iterable[t.Any]) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def bounded(text: str, limit: int = MAX_ECHO) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _reject_duplicate_keys(pairs: list[tuple[str, t.Any]]) -> dict[str, t.Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise BadRequest(f"Duplicate key {dup[:64]!r} in a JSON object.")
    return obj


def parse_json(raw: bytes) -> t.Any:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(bounded(f"Request body is not valid JSON: {exc}")) from None
    # orjson keeps the last of duplicate keys. Every key and string holds exactly two quotes,
    # so a body whose quote count exceeds what the parsed value accounts for hides a
    # duplicate: only then (or when escapes make counting unsafe) re-parse to find it.
    if isinstance(body, dict | list):
        strings = _count_strings(body)
        if b"\\" in raw or raw.count(b'"') != 2 * strings:
            json.loads(raw, object_pairs_hook=_reject_duplicate_keys)
    return body


def _count_strings(value: t.Any) -> int:
    """Keys and strings in a parsed value, without recursion; refuses deep nesting."""
    count = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadRequest(f"The request body nests deeper than {MAX_DEPTH} levels.")
        if isinstance(node, dict):
            count += len(node)
            items: t.Iterable[t.Any] = node.values()
        else:
            items = node
        for item in items:
            if isinstance(item, str):
                count += 1
            elif isinstance(item, dict | list):
                stack.append((item, depth + 1))
    return count


def _replay(receive: Receive, messages: list[Message]) -> Receive:
    """A receive channel that hands out the messages already read, then the live ones."""
    pending = iter(messages)

    async def replayed() -> Message:
        for message in pending:
            return message
        return await receive()

    return replayed


async def read_payload(scope: Scope, receive: Receive) -> Receive:
    """Read and parse the request's JSON body once (None when empty) into its state and
    Connexion's request context; return a receive channel that replays what was read."""
    state = state_of(scope)
    if state.payload_read:
        return receive
    messages, chunks, more_body = [], [], True
    while more_body:
        message = await receive()
        messages.append(message)
        chunks.append(message.get("body", b""))
        more_body = message.get("more_body", False)
    state.payload_read = True
    raw = b"".join(chunks)
    state.payload = parse_json(raw) if raw.strip() else None
    request_context(scope)["payload"] = state.payload
    return _replay(receive, messages)


def validate(validator: t.Any, body: t.Any) -> None:
    if body is None:
        raise BadRequest("Request body must not be empty.")
    errors = []
    for error in validator.iter_errors(body):
        where = json_path(error.instance_path)
        errors.append({"path": where, "message": bounded(error.message)})
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if errors:
        first = errors[0]
        raise BadRequest(f"{first['message']} at {first['path']}", errors=errors)


class StrictJSONBodyValidator(JSONRequestBodyValidator):
    """Connexion body validator: the body read once, the compiled schema, our error shape."""

    def __init__(self, *, schema: dict[str, t.Any], **kwargs: t.Any) -> None:
        super().__init__(schema=schema, **kwargs)
        self.body_schema = schema

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        if not any(k == b"content-type" for k, _ in scope.get("headers", [])):
            raise UnsupportedMediaType("Content-Type must be application/json.")
        receive = await read_payload(scope, receive)
        state = state_of(scope)
        validate(
            compiled_validator(self.body_schema, state.app_state.body_validators), state.payload
        )
        return receive, scope


class OAuthFormValidator(FormDataValidator):
    """Form bodies (the token request): parameters the schema does not name are ignored, as
    RFC 6749 section 3.2 asks, whatever the API's strict validation says."""

    def __init__(self, **kwargs: t.Any) -> None:
        super().__init__(**{**kwargs, "strict_validation": False})
