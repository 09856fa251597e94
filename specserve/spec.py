"""The one reader of the contract: facts the service and the generators take from it.

The spec is the single source of truth: the base path (its `servers`), each operation's
handler, path template, scopes and public-ness, which model it uses (the path parameter
marked `x-model-name`, or the default model for operations marked `x-default-model`), which
operations are charged per row, the token endpoint's error dialect, whether a retry is safe
(`x-idempotent`, else the method's semantics) and its documented errors (for the SDK
generators, `scripts/spec_operations.py`), the scopes a key may hold, the patterns of
model names and request ids, and the shape a valid request body can have at most (its
`[`, `{` and `,` outside strings and its strings, whatever they hold: `body_bounds`).
Nothing here is written a second time in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import yaml

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi" / "openapi.yaml"
# The Open Inference Protocol (V2), mounted beside the service's own API at its base path
INFERENCE_SPEC_PATH = SPEC_PATH.parent / "inference-v2.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IDEMPOTENT_METHODS = frozenset({"get", "put", "delete", "options", "head", "trace"})


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    handler: str  # `handlers.<tag>.<operation id>`, snake case
    method: str
    path: str  # the spec's template, base path included
    template: str  # the spec's template as written (no base path)
    summary: str
    scopes: tuple[str, ...]  # from the `OAuth2` requirement; empty: none needed
    public: bool  # no credentials needed (`security: []`, or `{}` among the alternatives)
    idempotent: bool  # safe to retry: `x-idempotent`, else the method's semantics
    raises: tuple[tuple[int, str], ...]  # documented error statuses, first line of each
    model_param: str | None  # the path parameter marked `x-model-name`: the model used
    default_model: bool  # `x-default-model`: the operation uses the default model
    # `x-ratelimit-cost`: where in the body the cost is: an array (`requests`: its length)
    # or a number (`{value: inputs[0].shape[0], maximum: 100}`), as keys and indexes
    cost_path: tuple[str | int, ...] | None
    cost_counts: bool  # the cost is the length of the array at `cost_path`
    max_items: int  # the most rows one request may hold (the array's `maxItems`, `maximum`)
    # `x-error-dialect` (the operation's, else its contract's): `rfc6749` for the token
    # endpoint, `open-inference` for every operation of the Open Inference Protocol
    dialect: str | None
    binary_tensors: bool  # `x-binary-tensors`: also takes Triton's binary tensor bodies
    # `x-ratelimit-bucket`: `identity` (the default with credentials), `token` (tokens issued
    # per key), `anonymous` (the default without: per client address) or `none`
    bucket: str
    parameters: tuple[dict[str, Any], ...] = ()  # path item's and operation's, `$ref`s resolved
    body: dict[str, Any] | None = None  # the request body's media type object, schema resolved
    body_bounds: dict[bytes, int] | None = (
        None  # most `[ { ,` outside strings, `"` a valid body holds
    )


@dataclass(frozen=True, slots=True)
class Contract:
    raw: dict[str, Any]
    base_path: str
    operations: dict[str, Operation]  # by handler name
    scopes: tuple[str, ...]
    model_name: re.Pattern[str]
    model_version: re.Pattern[str]
    request_id: re.Pattern[bytes]
    path_patterns: tuple[re.Pattern[str], ...]
    dialect: str | None  # the root's `x-error-dialect`: its errors' form, routed or not

    def by_id(self, operation_id: str) -> Operation:
        return next(op for op in self.operations.values() if op.operation_id == operation_id)


def handler_name(operation: dict[str, Any]) -> str:
    """operationId `batchPredict` tagged `Predictions` → `handlers.predictions.batch_predict`."""
    return f"handlers.{_snake(operation['tags'][0])}.{_snake(operation['operationId'])}"


@cache
def load(path: Path = SPEC_PATH) -> Contract:
    """The contract at `path`, read once per process (it is immutable)."""
    return parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def parse(raw: dict[str, Any]) -> Contract:
    """The service's contract: its operations and the facts the runtime takes from it."""
    base = base_path(raw)
    components = raw["components"]
    operations = parse_operations(raw)
    oauth = components["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"]
    return Contract(
        raw=raw,
        base_path=base,
        operations=operations,
        scopes=tuple(oauth["scopes"]),
        model_name=re.compile(components["parameters"]["ModelName"]["schema"]["pattern"]),
        model_version=re.compile(components["parameters"]["ModelVersion"]["schema"]["pattern"]),
        request_id=re.compile(components["headers"]["X-Request-ID"]["schema"]["pattern"].encode()),
        path_patterns=tuple(_template_re(op.path) for op in operations.values()),
        dialect=raw.get("x-error-dialect"),
    )


def service_contracts(spec_path: Path = SPEC_PATH) -> tuple[Contract, ...]:
    """Every contract the service mounts, each at its own base path: its own API, then the
    Open Inference Protocol."""
    return (load(spec_path), load(INFERENCE_SPEC_PATH))


def dialect_of(path: str, contracts: tuple[Contract, ...] | None = None) -> str | None:
    """The error dialect of a request path, routed or not: that of the contract whose base
    path it is under (the service's own API's otherwise)."""
    contracts = contracts or service_contracts()
    for contract in contracts[1:]:
        base = contract.base_path
        if path == base or path.startswith(base + "/"):
            return contract.dialect
    return contracts[0].dialect


def base_path(raw: dict[str, Any]) -> str:
    return str(urlparse(raw["servers"][0]["url"]).path).rstrip("/")


def parse_operations(raw: dict[str, Any]) -> dict[str, Operation]:
    """Every operation of a spec, by handler name, in the spec's order (any OpenAPI 3.0
    spec: the SDK generators read other specs than the service's own through this too)."""
    base = base_path(raw)
    operations = {}
    for template, item in raw["paths"].items():
        for method in METHODS:
            if method in item:
                op = _operation(raw, base, template, method, item[method], item)
                operations[op.handler] = op
    return operations


def _operation(
    raw: dict[str, Any], base: str, template: str, method: str, op: dict[str, Any], item: Any
) -> Operation:
    security = op.get("security", raw.get("security", []))
    scopes: tuple[str, ...] = ()
    for requirement in security:
        if "OAuth2" in requirement:
            scopes = tuple(requirement["OAuth2"])
    cost = op.get("x-ratelimit-cost")
    parameters = _parameters(raw, item, op)
    responses = {str(code): resolve(raw, r) for code, r in op["responses"].items()}
    return Operation(
        operation_id=op["operationId"],
        handler=handler_name(op),
        method=method.upper(),
        path=base + template,
        template=template,
        summary=op.get("summary", ""),
        scopes=scopes,
        public=security == [] or {} in security,  # `{}`: credentials optional
        idempotent=bool(op.get("x-idempotent", method in IDEMPOTENT_METHODS)),
        raises=tuple(
            (int(code), _first_line(r.get("description", "")))
            for code, r in responses.items()
            if code.isdigit() and int(code) >= 400
        ),
        model_param=next(
            (p["name"] for p in parameters if p["in"] == "path" and p.get("x-model-name")), None
        ),
        default_model=bool(op.get("x-default-model")),
        cost_path=_cost_path(cost) if cost else None,
        cost_counts=isinstance(cost, str),
        max_items=_max_items(raw, op, cost) if cost else 1,
        dialect=op.get("x-error-dialect", raw.get("x-error-dialect")),
        binary_tensors=bool(op.get("x-binary-tensors")),
        bucket=op.get("x-ratelimit-bucket", "anonymous" if security == [] else "identity"),
        parameters=parameters,
        body=_body(raw, op),
        body_bounds=_body_bounds(raw, op),
    )


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def _body(raw: dict[str, Any], op: dict[str, Any]) -> dict[str, Any] | None:
    if "requestBody" not in op:
        return None
    content = resolve(raw, op["requestBody"])["content"]
    media = dict(next(iter(content.values())))
    media["schema"] = resolve(raw, media.get("schema", {}))
    return media


def _parameters(
    raw: dict[str, Any], item: dict[str, Any], op: dict[str, Any]
) -> tuple[dict[str, Any], ...]:
    """The operation's parameters, the path item's included (an operation's own one of the
    same name and location wins, as OpenAPI says), each with its schema resolved."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for node in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = dict(resolve(raw, node))
        if "schema" in param:
            param["schema"] = resolve(raw, param["schema"])
        merged[(param["name"], param["in"])] = param
    return tuple(merged.values())


def resolve(raw: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A node with its `$ref`s followed (local references only, as in this spec)."""
    while "$ref" in node:
        target: Any = raw
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


STRUCTURAL = (b"[", b"{", b",", b'"')
_SCALAR_TYPES = frozenset({"number", "integer", "boolean", "null"})
Bounds = tuple[int, int, int, int]  # most arrays, objects, commas, strings (outside strings)
# one item past each `maxItems` and `maxProperties` is admitted: a body just over a limit
# (101 rows) is answered by the schema's own error, its keyword and path, not by its shape
_ONE_PAST = 1


def _body_bounds(raw: dict[str, Any], op: dict[str, Any]) -> dict[bytes, int] | None:
    """The most `[`, `{` and `,` bytes outside strings, and unescaped `"` (two a string,
    keys included), that a body valid against the JSON request schema can hold; None when
    the schema bounds them not (no shape check). What a string holds is not counted, so
    its length does not matter. A body over any bound is invalid whatever else it holds,
    so it is refused (`specserve.http.validation.check_shape`) before a parser builds a
    single object."""
    body = _body(raw, op)
    if body is None or "schema" not in body:
        return None
    bounds = _bounds(raw, body["schema"])
    if bounds is None:
        return None
    arrays, objects, commas, strings = bounds
    return dict(zip(STRUCTURAL, (arrays, objects, commas, 2 * strings), strict=True))


def _bounds(raw: dict[str, Any], schema: dict[str, Any]) -> Bounds | None:
    """(arrays, objects, commas, strings) upper bounds for one value of `schema`; None:
    unbounded. A value valid against `oneOf`/`anyOf` is valid against one alternative:
    their elementwise max; against `allOf` and the schema's own keywords at once: the
    elementwise min of what each bounds."""
    schema = resolve(raw, schema)
    found = [own] if (own := _typed_bounds(raw, schema)) is not None else []
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            options = [_bounds(raw, sub) for sub in schema[keyword]]
            if all(o is not None for o in options):
                found.append(_elementwise(max, cast(list[Bounds], options)))
    found += [b for sub in schema.get("allOf", []) if (b := _bounds(raw, sub)) is not None]
    return _elementwise(min, found) if found else None


def _elementwise(pick: Any, bounds: list[Bounds]) -> Bounds:
    arrays, objects, commas, strings = (pick(column) for column in zip(*bounds, strict=True))
    return (arrays, objects, commas, strings)


def _typed_bounds(raw: dict[str, Any], schema: dict[str, Any]) -> Bounds | None:
    kind = schema.get("type")
    if kind == "array":
        return _array_bounds(raw, schema)
    if kind == "object":
        return _object_bounds(raw, schema)
    if kind == "string":
        return (0, 0, 0, 1)
    if kind in _SCALAR_TYPES:
        return (0, 0, 0, 0)
    return None  # no type: not bounded by it


def _array_bounds(raw: dict[str, Any], schema: dict[str, Any]) -> Bounds | None:
    items = _bounds(raw, schema.get("items", {}))
    if items is None or "maxItems" not in schema:
        return None
    count = int(schema["maxItems"]) + _ONE_PAST
    arrays, objects, commas, strings = (count * n for n in items)
    return (arrays + 1, objects, commas + max(count - 1, 0), strings)


def _object_bounds(raw: dict[str, Any], schema: dict[str, Any]) -> Bounds | None:
    """Each property a key (a string) and a value, a comma between two; with
    `additionalProperties` a schema, at most `maxProperties` of them, each value bounded by
    the largest of the schemas a value may meet."""
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    if extra is False:
        count, values = len(properties), [_bounds(raw, sub) for sub in properties.values()]
    elif isinstance(extra, dict) and "maxProperties" in schema:
        count = int(schema["maxProperties"]) + _ONE_PAST
        values = [_bounds(raw, sub) for sub in [*properties.values(), extra]]
    else:
        return None  # any key and value, or no count of them: no bound
    if None in values:
        return None
    bounded = cast(list[Bounds], values)
    if extra is not False:
        bounded = [_elementwise(max, bounded)] * count
    arrays, objects, commas, strings = _elementwise(sum, [(0, 0, 0, 0), *bounded])
    return (arrays, objects + 1, commas + max(count - 1, 0), strings + count)


_PATH_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def _cost_path(cost: str | dict[str, Any]) -> tuple[str | int, ...]:
    """`requests` -> ("requests",); `inputs[0].shape[0]` -> ("inputs", 0, "shape", 0)."""
    text = cost if isinstance(cost, str) else str(cost["value"])
    parts = [(m.group(1), m.group(2)) for m in _PATH_PART.finditer(text.replace(".", ""))]
    if "".join(k or f"[{i}]" for k, i in parts) != text.replace(".", ""):
        raise KeyError(f"x-ratelimit-cost {text!r}")
    return tuple(key if key else int(index) for key, index in parts)


def _max_items(raw: dict[str, Any], op: dict[str, Any], cost: str | dict[str, Any]) -> int:
    """The most rows a request may hold: the counted array's `maxItems`, or the `maximum`
    the cost declaration states for a number."""
    if isinstance(cost, dict):
        return int(cost["maximum"])
    body = resolve(raw, op["requestBody"])
    schema = resolve(raw, body["content"]["application/json"]["schema"])
    return int(resolve(raw, schema["properties"][cost])["maxItems"])


def cost_at(operation: Operation, payload: Any) -> int | None:
    """The cost the operation's body declares (`x-ratelimit-cost`), when it is a whole
    number from 1 to `max_items`; None otherwise (the body's own validation answers)."""
    node = payload
    for part in operation.cost_path or ():
        if isinstance(part, int):
            if not isinstance(node, list) or len(node) <= part:
                return None
        elif not isinstance(node, dict):
            return None
        node = node[part] if isinstance(part, int) else node.get(part)
    value = len(node) if operation.cost_counts and isinstance(node, list) else node
    if type(value) is int and 1 <= value <= operation.max_items:
        return value
    return None


def _template_re(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
