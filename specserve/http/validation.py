"""Request bodies: read once, parsed strictly, validated by a schema compiled once.

Plugged into Connexion through `validator_map`, in place of its per-request Draft4 validator:
- the body is read whole (chunked or not); before it is parsed, its shape is bounded by
  what the operation's schema allows (C-speed byte counts of `[`, `{`, `,`, `"` against
  `Operation.body_bounds`), so no client can make the parser build a million objects on the
  event loop (orjson holds the GIL: a thread would not help);
- it is parsed with orjson, which refuses NaN/Infinity literals, numbers that overflow to
  infinity (`1e999`), invalid UTF-8; duplicate object keys are refused as well (jiter, in
  C: a parser-differential risk), and so is nesting deeper than `MAX_DEPTH` (400, before
  anything walks the value recursively);
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
import threading
import typing as t

import jiter
import jsonschema_rs
import orjson
from connexion.validators import FormDataValidator, JSONRequestBodyValidator
from starlette.types import Message, Receive, Scope

from specserve.errors import BadRequest, UnsupportedMediaType
from specserve.http.context import operation_id, request_context, state_of

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


def check_shape(raw: bytes, bounds: dict[bytes, int] | None) -> None:
    """Refuse a body holding more `[`, `{`, `,` or `"` bytes than any body valid against
    the schema can (`Operation.body_bounds`), before a parser builds a single object: each
    count runs at C speed (~0.5 ms per MiB), where parsing and freeing a MiB of small
    values costs 20 to 300 ms of the worker's event loop."""
    for byte, most in (bounds or {}).items():
        if raw.count(byte) > most:
            raise BadRequest(_too_many(byte, most))


def _too_many(byte: bytes, most: int) -> str:
    return (
        f"The request body holds more {_NAMES[byte]} than the schema allows "
        f"(at most {most} '{byte.decode()}')."
    )


_NAMES = {b"[": "arrays", b"{": "objects", b",": "values", b'"': "strings"}


def parse_json(raw: bytes, bounds: dict[bytes, int] | None = None) -> t.Any:
    """The body's value: shape checked first, then parsed by orjson (its number rules:
    NaN/Infinity and overflow refused, big integers as floats); a container is checked for
    duplicate keys by jiter in C (no Python pass over the value) and for depth."""
    check_shape(raw, bounds)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(bounded(f"Request body is not valid JSON: {exc}")) from None
    if isinstance(body, dict | list):
        _refuse_duplicate_keys(raw)
        if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH:  # else it cannot nest that deep
            _check_depth(body)
    return body


def _refuse_duplicate_keys(raw: bytes) -> None:
    """orjson keeps the last of duplicate keys (a parser-differential risk): jiter, which
    stops at the first one, names it. Called only on bytes orjson accepted."""
    try:
        jiter.from_json(raw, catch_duplicate_keys=True, cache_mode="none")
    except ValueError as exc:
        raise BadRequest(bounded(f"Duplicate key in a JSON object: {exc}")) from None


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _check_depth(value: t.Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH, one level at a time, without recursion; a
    container of scalars only is passed over by a C-speed type scan."""
    level, depth = [value], 1
    while level:
        if depth > MAX_DEPTH:
            raise BadRequest(f"The request body nests deeper than {MAX_DEPTH} levels.")
        below: list[t.Any] = []
        for node in level:
            items = node.values() if isinstance(node, dict) else node
            if not _SCALARS.issuperset(map(type, items)):
                below.extend(item for item in items if isinstance(item, dict | list))
        level, depth = below, depth + 1


class RefusedBody(BadRequest):
    """A body refused as it was read (the same 400), with its size, by which the rate
    limiter prices it (`specserve.ratelimit.charge.invalid_body_cost`)."""

    def __init__(self, detail: str | None = None, *, size: int = 0, **kwargs: t.Any) -> None:
        super().__init__(detail, **kwargs)
        self.size = size


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
    Connexion's request context; return a receive channel that replays what was read.

    The shape bounds are counted as the body arrives, chunk by chunk: a body that already
    holds more than any valid one can is refused there, before the rest is read (the
    connection is then closed: what follows on it is the rest of that body)."""
    state = state_of(scope)
    if state.payload_read:
        return receive
    bounds = _bounds_of(scope) or {}
    counts = dict.fromkeys(bounds, 0)
    messages, chunks, more_body = [], [], True
    while more_body:
        message = await receive()
        messages.append(message)
        chunk = message.get("body", b"")
        chunks.append(chunk)
        more_body = message.get("more_body", False)
        over = _over(chunk, counts, bounds) if more_body and bounds else None
        if over is not None:
            raise _refused_early(scope, _too_many(over, bounds[over]), sum(map(len, chunks)))
    state.payload_read = True
    raw = b"".join(chunks)
    try:
        state.payload = parse_json(raw, bounds or None) if raw.strip() else None
    except BadRequest as exc:
        raise RefusedBody(exc.detail, errors=exc.errors, size=len(raw)) from None
    request_context(scope)["payload"] = state.payload
    return _replay(receive, messages)


def _over(chunk: bytes, counts: dict[bytes, int], bounds: dict[bytes, int]) -> bytes | None:
    """Add a chunk's structural bytes to `counts`; the first byte past its bound, if any."""
    for byte, most in bounds.items():
        counts[byte] += chunk.count(byte)
        if counts[byte] > most:
            return byte
    return None


def _refused_early(scope: Scope, detail: str, read: int) -> RefusedBody:
    """The refusal of a body cut short, priced by the size it declared (what its sender
    meant to send), else by what was read."""
    declared = next((v for k, v in scope.get("headers", []) if k == b"content-length"), b"")
    size = int(declared) if declared.isdigit() else read
    refused = RefusedBody(detail, size=max(size, read))
    refused.closes = True
    return refused


def _bounds_of(scope: Scope) -> dict[bytes, int] | None:
    """The routed operation's body bounds, from the contract (None: not routed, unbounded)."""
    handler = operation_id(scope)
    operation = state_of(scope).app_state.contract.operations.get(handler) if handler else None
    return operation.body_bounds if operation is not None else None


def validate(validator: t.Any, body: t.Any) -> None:
    if body is None:
        raise BadRequest("Request body must not be empty.")
    errors: list[dict[str, str]] = []
    for found in validator.iter_errors(body):
        for error in _specific(found):
            where = json_path(error.instance_path)
            errors.append({"path": where, "message": bounded(error.message)})
        if len(errors) >= MAX_REPORTED_ERRORS:
            del errors[MAX_REPORTED_ERRORS:]
            break
    if errors:
        first = errors[0]
        raise BadRequest(f"{first['message']} at {first['path']}", errors=errors)


def _specific(error: t.Any) -> list[t.Any]:
    """A value that fits none of `oneOf`/`anyOf`'s alternatives, reported by the one of its
    own JSON type (`features: [1, "x"]` is a list with a bad item at `$.features[1]`, not
    "valid under none of the schemas"); the error itself when no alternative has its type."""
    context = getattr(error.kind, "context", None)
    if not context:
        return [error]
    for branch in context:
        if not any(
            e.instance_path == error.instance_path and isinstance(e.kind, _TYPE_ERROR)
            for e in branch
        ):
            return [specific for e in branch for specific in _specific(e)] or [error]
    return [error]


_TYPE_ERROR = jsonschema_rs.ValidationErrorKind.Type


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
