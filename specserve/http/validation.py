"""Request bodies: read once, parsed strictly, validated by a schema compiled once.

Plugged into Connexion through `validator_map`, in place of its per-request Draft4 validator:
- the body is read whole (chunked or not); as it arrives, its shape is bounded by what the
  operation's schema allows (`Operation.body_bounds`): the `[`, `{` and `,` bytes outside
  strings, and the strings (unescaped `"`), counted by `ShapeScan` at C speed (`bytes.count`,
  and where strings hold such bytes, numpy masks), so no client can make the parser build a
  million objects on the event loop (orjson holds the GIL: a thread would not help); what
  strings hold is not counted, so long strings of any bytes stay valid;
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
import numpy as np
import orjson
from connexion.utils import is_null, is_nullable
from connexion.validators import FormDataValidator, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator
from starlette.types import Message, Receive, Scope

from specserve.errors import BadRequest, UnsupportedMediaType
from specserve.http.context import operation_id, request_context, state_of

MAX_REPORTED_ERRORS = 20
MAX_DEPTH = 32
MAX_ECHO = 200
SHOWN_VALUE = 40  # characters of a refused parameter's value quoted back
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


SCAN_BLOCK = 256 * 1024  # bytes scanned at once: the masks stay small, a refusal comes early
SMALL_CHUNK = 16 * 1024  # up to this, bytes.count is cheaper than numpy's fixed costs
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_CODES = {b"[": ord("["), b"{": ord("{"), b",": ord(","), b'"': _QUOTE}
_ALL_ONES = np.uint64(2**64 - 1)


class ShapeScan:
    """The structural bytes of a body, counted chunk by chunk against its bounds
    (`Operation.body_bounds`): `[`, `{` and `,` outside strings, and unescaped `"`.

    A small chunk is first counted whole (`bytes.count`, string contents included): a body
    under every bound that way is under it outside strings too, and that is all a usual
    body costs. Past a bound, or in large chunks, numpy tells apart what lies in strings,
    a block at a time (a byte of mask per byte of the block; indexes for backslash runs
    only, a block's at most):
    a quote is escaped when it ends an odd run of backslashes (runs found from where the
    backslash mask changes); the other quotes open and close strings by turns (a running
    XOR, computed on the quotes packed 64 to a word). Up to a parser's first error, that
    is how the parser reads the bytes, so it builds no more containers, values or strings
    than counted here."""

    def __init__(self, bounds: dict[bytes, int]) -> None:
        self.bounds = bounds
        self.totals = dict.fromkeys(bounds, 0)  # every such byte, string contents included
        self.exact: dict[bytes, int] | None = None  # outside strings, once a total is over
        self.pending: list[bytes] = []  # chunks not yet counted exactly
        self.pending_size = 0
        self.in_string = False
        self.escaped = False  # the bytes so far end in an odd run of backslashes

    def feed(self, chunk: bytes, last: bool = True) -> str | None:
        """Count a chunk (the body's next bytes); why the body is refused, if it is. Exact
        counts of a few small chunks wait for a block's worth, or the `last` one."""
        self.pending.append(chunk)
        self.pending_size += len(chunk)
        if self.exact is None:
            if len(chunk) <= SMALL_CHUNK and self._under_totals(chunk):
                return None
            self.exact = dict.fromkeys(self.bounds, 0)
        elif not last and self.pending_size < SCAN_BLOCK:
            return None
        data = b"".join(self.pending)
        self.pending.clear()
        self.pending_size = 0
        for start in range(0, len(data), SCAN_BLOCK):
            over = self._scan(
                np.frombuffer(data, np.uint8, min(SCAN_BLOCK, len(data) - start), start)
            )
            if over is not None:
                return _too_many(over, self.bounds[over])
        return None

    def _under_totals(self, chunk: bytes) -> bool:
        for byte, most in self.bounds.items():
            self.totals[byte] += chunk.count(byte)
            if self.totals[byte] > most:
                return False
        return True

    def _scan(self, data: np.ndarray) -> bytes | None:
        """Add a block's counts outside strings; the first byte past its bound, if any."""
        assert self.exact is not None
        quotes = data == _QUOTE
        self._unescape(data, quotes)
        inside = self._inside(quotes)
        outside, counts = ~inside, {b'"': int(np.count_nonzero(quotes))}
        for byte in (b"[", b"{", b","):
            counts[byte] = int(np.count_nonzero((data == _CODES[byte]) & outside))
        for byte, most in self.bounds.items():
            self.exact[byte] += counts.get(byte, 0)
            if self.exact[byte] > most:
                return byte
        return None

    def _unescape(self, data: np.ndarray, quotes: np.ndarray) -> None:
        """Clear in `quotes` those escaped: the byte after an odd run of backslashes (runs
        across blocks included: `escaped` carries one on)."""
        slashes = data == _BACKSLASH
        if self.escaped and len(data):
            slashes[0] = quotes[0] = False  # escaped by the block before: a plain byte
        self.escaped = False
        if not slashes.any():
            return
        edges = np.diff(slashes.view(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        escaped = ends[((ends - starts) & 1).astype(bool)]  # the byte after each odd run
        self.escaped = bool(len(escaped)) and escaped[-1] == len(data)
        quotes[escaped[escaped < len(data)]] = False

    def _inside(self, quotes: np.ndarray) -> np.ndarray:
        """Whether each byte is in a string (an opening quote is, a closing one is not):
        the XOR of the quotes up to it, and of `in_string`, which it carries on."""
        bits = np.packbits(quotes, bitorder="little")
        words = np.zeros(-(-len(bits) // 8), "<u8")
        words.view(np.uint8)[: len(bits)] = bits
        for shift in (1, 2, 4, 8, 16, 32):  # within a word: bit i, the XOR of bits 0 to i
            words ^= words << np.uint64(shift)
        parity = np.bitwise_xor.accumulate(words >> np.uint64(63))  # of the words so far
        before = np.concatenate(([np.uint64(self.in_string)], parity[:-1] ^ self.in_string))
        words ^= before * _ALL_ONES
        inside = np.unpackbits(words.view(np.uint8), count=len(quotes), bitorder="little")
        if len(inside):
            self.in_string = bool(inside[-1])
        return inside.view(bool)


def check_shape(raw: bytes, bounds: dict[bytes, int] | None) -> None:
    """Refuse a body holding more `[`, `{`, `,` outside strings, or more strings, than any
    body valid against the schema can (`Operation.body_bounds`), before a parser builds a
    single object: the counts cost about a millisecond per MiB of a usual body, a few
    where strings hold such bytes (`ShapeScan`), where parsing and freeing a MiB of small
    values costs 20 to 300 ms of the worker's event loop."""
    if not bounds:
        return
    if len(raw) <= SMALL_CHUNK:  # a usual body: under every bound, string contents counted
        for byte, most in bounds.items():
            if raw.count(byte) > most:
                break
        else:
            return
    refused = ShapeScan(bounds).feed(raw)
    if refused is not None:
        raise BadRequest(refused)


def _too_many(byte: bytes, most: int) -> str:
    allowed = (
        f"{most // 2} strings" if byte == b'"' else f"{most} '{byte.decode()}' outside strings"
    )
    return f"The request body holds more {_NAMES[byte]} than the schema allows (at most {allowed})."


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
    bounds = _bounds_of(scope)
    scan: ShapeScan | None = None  # a body in one message is counted by `parse_json`
    messages, chunks, more_body = [], [], True
    while more_body:
        message = await receive()
        messages.append(message)
        chunk = message.get("body", b"")
        chunks.append(chunk)
        more_body = message.get("more_body", False)
        if bounds and (more_body or scan is not None):
            scan = scan or ShapeScan(bounds)
            refused = scan.feed(chunk, last=not more_body)
            if refused is not None:
                read = sum(map(len, chunks))
                if more_body:
                    raise _refused_early(scope, refused, read)
                raise RefusedBody(refused, size=read)
    state.payload_read = True
    raw = b"".join(chunks)
    try:
        state.payload = parse_json(raw, bounds if scan is None else None) if raw.strip() else None
    except BadRequest as exc:
        raise RefusedBody(exc.detail, errors=exc.errors, size=len(raw)) from None
    request_context(scope)["payload"] = state.payload
    return _replay(receive, messages)


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
    operation = state_of(scope).app_state.operations.get(handler) if handler else None
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


class CachedParameterValidator(ParameterValidator):
    """Connexion's parameter validation, each parameter's schema compiled once instead of
    per request.

    Connexion's `validate_parameter` deep-copies the parameter and builds a new jsonschema
    validator for every value it checks, then validates in Python: a model route's one path
    parameter cost about 200 µs of a request's CPU (profiled). Here the schema is compiled
    once (jsonschema-rs) and a value it accepts is accepted at C speed; a value it refuses
    is judged by Connexion's own jsonschema validator (built once too), so what is refused
    is Connexion's call. The message names the parameter, the value (its first
    `SHOWN_VALUE` characters) and the rule it breaks, not Connexion's dump of the whole
    schema and value. Kept per parameter object, which Connexion holds for the app's
    life."""

    _validators: t.ClassVar[dict[int, tuple[dict[str, t.Any], t.Any, t.Any]]] = {}

    def validate_path_parameter(self, param: dict[str, t.Any], request: t.Any) -> str | None:
        """A string path parameter as routed (Connexion would coerce it to the same string,
        resolving every path parameter per request to do so)."""
        if param.get("schema", {}).get("type") != "string":
            return t.cast(str | None, super().validate_path_parameter(param, request))
        value = (request.scope.get("path_params") or {}).get(param["name"].replace("-", "_"))
        return self.validate_parameter("path", value, param)

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: t.Any, param: dict[str, t.Any], param_name: t.Any = None
    ) -> str | None:
        if is_nullable(param) and is_null(value):
            return None
        if value is None:
            if param.get("required"):
                return f"Missing {parameter_type} parameter '{param['name']}'"
            return None
        hit = CachedParameterValidator._validators.get(id(param))
        if hit is None or hit[0] is not param:
            schema = copy.deepcopy(param.get("schema", param))
            fast = jsonschema_rs.Draft4Validator(openapi_to_jsonschema(schema))
            full = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
            hit = (param, fast, full)
            CachedParameterValidator._validators[id(param)] = hit  # keeps `param` alive
        if hit[1].is_valid(value):
            return None
        error = next(iter(hit[2].iter_errors(value)), None)
        if error is None:
            return None
        shown = bounded(repr(value), SHOWN_VALUE)
        rule = f"{error.validator} {error.validator_value!r}"
        return f"{parameter_type} parameter {param['name']!r} ({shown}) fails {rule}"


class OAuthFormValidator(FormDataValidator):
    """Form bodies (the token request): parameters the schema does not name are ignored, as
    RFC 6749 section 3.2 asks, whatever the API's strict validation says."""

    def __init__(self, **kwargs: t.Any) -> None:
        super().__init__(**{**kwargs, "strict_validation": False})
