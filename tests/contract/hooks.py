"""Our own schemathesis checks: promises of the spec that its schemas cannot express.

Loaded by schemathesis (`hooks` in schemathesis.toml), in the schemathesis process; the
runner passes the service's URL and API key in the environment.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
from functools import cache

import httpx
import schemathesis

PREDICTION_PATHS = {
    "/predict": False,
    "/batch_predict": True,
    "/models/{model_name}/predict": False,
    "/models/{model_name}/batch_predict": True,
    "/models/{model_name}/versions/{version}/predict": False,
    "/models/{model_name}/versions/{version}/batch_predict": True,
}
COUNT_RE = re.compile(r"expects (\d+) features, got (\d+)\.")


def _get(path: str, base: str = "CONTRACT_BASE_URL") -> dict:
    response = httpx.get(
        os.environ[base] + path,
        headers={"X-API-Key": os.environ["CONTRACT_API_KEY"]},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


@cache
def model_n_features(name: str | None) -> int:
    """The live model's feature count (the default model when `name` is None)."""
    name = name or _get("/models")["default_model"]
    return _get(f"/models/{name}")["n_features"]


def _json(response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def open_inference(case) -> bool:
    """The operation's contract answers errors in the Open Inference Protocol's dialect
    (`x-error-dialect: open-inference`: openapi/inference-v2.yaml, at `/v2`)."""
    return case.operation.schema.raw_schema.get("x-error-dialect") == "open-inference"


CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@schemathesis.check
def problem_details_match_response(ctx, response, case):
    """An error body names the response's own status and request id (the spec's promise).

    `/v1` (problem+json): `message` is `detail`. `/v2` (the protocol's error object): `error`
    is the message, `code` a stable code, and a 429's `retry_after` is its `Retry-After`."""
    if response.status_code < 400:
        return None
    body = _json(response)
    if not isinstance(body, dict):
        raise AssertionError(f"{response.status_code} without a JSON object body")
    if body.get("status") != response.status_code:
        raise AssertionError(f"body status {body.get('status')} on a {response.status_code}")
    ids = response.headers.get("x-request-id") or []  # lower-case names, lists of values
    if ids != [body.get("request_id")]:
        raise AssertionError(f"body request_id is not the one X-Request-ID header ({len(ids)})")
    if not open_inference(case):
        if body.get("message") != body.get("detail"):
            raise AssertionError("`message` differs from `detail`")
        return None
    if not isinstance(body.get("error"), str) or not body["error"].strip():
        raise AssertionError(f"`error` is not a message: {body.get('error')!r}")
    if not isinstance(body.get("code"), str) or not CODE.match(body["code"]):
        raise AssertionError(f"`code` is not a stable code: {body.get('code')!r}")
    if body["error"] == body["code"]:
        raise AssertionError(f"`error` is the code {body['code']!r}, not a message")
    retry_after = response.headers.get("retry-after") or []
    if response.status_code == 429 and retry_after != [str(body.get("retry_after"))]:
        raise AssertionError(f"retry_after {body.get('retry_after')!r}, Retry-After {retry_after}")
    return None


def _rows(case) -> list | None:
    body = case.body
    batch = PREDICTION_PATHS[case.operation.path]
    if not isinstance(body, dict):
        return None
    if batch:
        requests = body.get("requests")
        return [r.get("features") for r in requests] if isinstance(requests, list) else None
    return [body.get("features")]


FLOAT32_MAX = 3.4028234663852886e38


@schemathesis.check
def feature_count_refusal_is_true(ctx, response, case):
    """A 422 from a prediction is `feature_count_mismatch` or `feature_out_of_range`, and
    true for what was sent.

    The model's count comes from the live service; the refusal must name it and the count of
    the first row that differs, and point at that row by JSON path.
    """
    if (
        response.status_code != 422
        or open_inference(case)
        or case.operation.path not in PREDICTION_PATHS
    ):
        return None
    body = _json(response) or {}
    if body.get("error") == "feature_out_of_range":
        values = [v for r in _rows(case) or [] if isinstance(r, list) for v in r]
        if not any(isinstance(v, int | float) and abs(v) > FLOAT32_MAX for v in values):
            raise AssertionError("422 feature_out_of_range although every value fits float32")
        return None
    if body.get("error") in NAMED_CODES:
        return _named_refusal_is_true(case, body)
    if body.get("error") != "feature_count_mismatch":
        raise AssertionError(f"422 with error {body.get('error')!r}, not feature_count_mismatch")
    rows = _rows(case)
    if not rows or not any(isinstance(r, list) for r in rows):
        raise AssertionError("422 feature_count_mismatch for a body without positional rows")
    expected = model_n_features(
        case.path_parameters.get("model_name") if case.path_parameters else None
    )
    bad = next((i for i, r in enumerate(rows) if isinstance(r, list) and len(r) != expected), None)
    if bad is None:
        raise AssertionError(f"422 although every row has the model's {expected} features")
    claim = COUNT_RE.search(str(body.get("detail", "")))
    if claim is None or (int(claim[1]), int(claim[2])) != (expected, len(rows[bad])):
        raise AssertionError(
            f"detail {body.get('detail')!r} does not say: expects {expected}, got {len(rows[bad])}"
        )
    batch = PREDICTION_PATHS[case.operation.path]
    path = f"$.requests[{bad}].features" if batch else "$.features"
    paths = [e.get("path") for e in body.get("errors") or []]
    if paths != [path]:
        raise AssertionError(f"errors name {paths}, expected [{path!r}]")
    return None


NAMED_CODES = {"unknown_input", "missing_input", "invalid_input_type", "input_not_nullable"}
NAMED_PATH = re.compile(r"^\$(?:\.requests\[(\d+)\])?\.features(?:\.(\w+)|\[(.+)\])$")


def _model_inputs(name: str | None) -> dict[str, dict]:
    name = name or _get("/models")["default_model"]
    return {i["name"]: i for i in _get(f"/models/{name}")["inputs"]}


def _named_refusal_is_true(case, body: dict) -> None:
    """A refused named input is named by its path, and the refusal is true of what was sent:
    an unknown name is not the model's, a missing one is absent, a null one is not nullable,
    a mistyped one is not of the input's type."""
    errors = body.get("errors") or []
    found = NAMED_PATH.match(str(errors[0].get("path"))) if errors else None
    if found is None:
        raise AssertionError(f"{body['error']} without a `$.features.<name>` path: {errors}")
    rows = _rows(case) or []
    row = rows[int(found[1] or 0)] if len(rows) > int(found[1] or 0) else None
    name, code = found[2] or ast.literal_eval(found[3]), body["error"]
    inputs = _model_inputs(case.path_parameters.get("model_name") if case.path_parameters else None)
    if not isinstance(row, dict):
        raise AssertionError(f"{code} for a row that is not named features: {row!r}")
    spec = inputs.get(name)
    if code == "unknown_input" and (spec is not None or name not in row):
        raise AssertionError(f"unknown_input for {name!r}, an input the model takes or not sent")
    if code == "missing_input" and (spec is None or name in row):
        raise AssertionError(f"missing_input for {name!r}, which was sent or is not an input")
    if code == "input_not_nullable" and (spec is None or row.get(name, 0) is not None):
        raise AssertionError(f"input_not_nullable for {name!r}, which was not null")
    if code == "invalid_input_type":
        value = row.get(name)
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if spec is None or (spec["type"] == "number" and numeric):
            raise AssertionError(f"invalid_input_type for {name!r} = {value!r}")


@schemathesis.check
class every_operation_succeeds:  # noqa: N801  (the check's name in reports)
    """Every operation answered 2xx at least once: the credentials and the valid data work."""

    def __init__(self) -> None:
        self.tested: set[str] = set()
        self.succeeded: set[str] = set()

    def after_response(self, ctx, response, case) -> None:
        self.tested.add(case.operation.label)
        if 200 <= response.status_code < 300:
            self.succeeded.add(case.operation.label)

    def after_run(self, ctx) -> None:
        never = sorted(self.tested - self.succeeded)
        if never:
            raise AssertionError(f"never answered 2xx: {', '.join(never)}")


# -- the Open Inference Protocol (`/v2`) ------------------------------------------------------

MAX_ELEMENTS = 100_000  # `TensorData.maxItems`
INT_RANGES = {
    f"{sign}INT{bits}": (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    if sign == ""
    else (0, 2**bits - 1)
    for sign in ("", "U")
    for bits in (8, 16, 32, 64)
}
ITEMSIZE = {"BOOL": 1, "FP16": 2, "FP32": 4, "FP64": 8} | {
    k: int(k.rsplit("INT", 1)[1]) // 8 for k in INT_RANGES
}
TENSOR_PATH = re.compile(r"^\$\.(inputs|outputs)\[(\d+)\]\.(.+)$")


INPUT_DATATYPES = {"number": "FP64", "integer": "INT64", "boolean": "BOOL", "string": "BYTES"}


@cache
def tensor_metadata(name: str, version: str | None) -> dict:
    """The live model's tensors, as `GET /v2/models/{name}[/versions/{version}]` lists them,
    and (`named`) its named inputs as `/v1` describes them, each with the datatype that holds
    its type: what one tensor per input is checked against, even for a model whose tensor
    metadata shows the matrix form only."""
    at = f"/models/{name}" + (f"/versions/{version}" if version else "")
    meta = _get(at)
    named = _get(at, "CONTRACT_V1_URL").get("inputs") or []
    meta["named"] = [{**i, "datatype": INPUT_DATATYPES[i["type"]]} for i in named]
    return meta


def _model_width(meta: dict) -> int:
    inputs = meta["inputs"]
    if len(inputs) == 1 and len(inputs[0]["shape"]) == 2:
        return inputs[0]["shape"][1]
    return len(inputs)


def _shape(text: str) -> list[int]:
    return [int(d) for d in text.split(",") if d.strip()]


def _flat(tensor: dict) -> list | None:
    """The tensor's `data` flattened as the protocol reads it (flat, or nested by row), or
    None when it is neither."""
    data = tensor.get("data")
    if not isinstance(data, list):
        return None
    if any(isinstance(v, list) for v in data):
        if not all(isinstance(v, list) for v in data):
            return None
        return [v for row in data for v in row]
    return data


def _fits(datatype: str, value) -> bool:
    """`value` is an element of `datatype` (a JSON boolean is no number)."""
    if datatype == "BOOL":
        return type(value) is bool
    if datatype == "BYTES":
        return isinstance(value, str) and len(value) <= 10_000
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if datatype.startswith("FP"):
        return True
    if isinstance(value, float) and not value.is_integer():
        return False
    low, high = INT_RANGES[datatype]
    return low <= int(value) <= high


def _count(shape: list) -> int:
    total = 1
    for d in shape:
        total *= d
    return total


def _size(tensor: dict):
    params = tensor.get("parameters")
    return params.get("binary_data_size") if isinstance(params, dict) else None


def _input_claim(
    message: str, field: str, sent: list[dict], i: int, meta: dict, max_rows: int
) -> bool:
    """Whether `message`, an `invalid_tensor` about `inputs[i].<field>`, is true of the
    request's inputs `sent` for the model `meta` (its width, input and output names), with
    at most `max_rows` rows to a request."""
    t = sent[i]
    shape, datatype, size = t.get("shape"), t.get("datatype"), _size(t)
    width = shape[1] if len(shape) == 2 else 1
    names = [m["name"] for m in meta["named"]]
    if field == "shape":
        if m := re.fullmatch(r"(\d+) rows; a request holds 1 to (\d+)", message):
            return int(m[1]) == shape[0] and int(m[2]) == max_rows and not 1 <= shape[0] <= max_rows
        if m := re.fullmatch(r"shape \[(.*)\] holds (\d+) values; at most (\d+)", message):
            return _shape(m[1]) == shape and int(m[2]) == _count(shape) > MAX_ELEMENTS
        if m := re.fullmatch(
            r"shape \[(.*)\] holds (\d+) values per row; the model takes (\d+)", message
        ):
            real = _model_width(meta)
            return _shape(m[1]) == shape and int(m[2]) == width != int(m[3]) == real
        if m := re.fullmatch(r"shape \[(.*)\]; a column is \[n\] or \[n, 1\]", message):
            return _shape(m[1]) == shape and width != 1
        if m := re.fullmatch(r"(\d+) rows; the first input holds (\d+)", message):
            return int(m[1]) == shape[0] != int(m[2]) == sent[0]["shape"][0]
    elif field == "name":
        if m := re.fullmatch(r"not an input of this model; it takes: (.*)", message):
            return t["name"] not in names and m[1] == ", ".join(names[:20])
        if message == "sent twice":
            return any(s.get("name") == t["name"] for s in sent[:i])
        if message.startswith("this model takes named inputs ("):
            return any(m["datatype"] == "BYTES" for m in meta["named"])
    elif field == "datatype":
        return message.startswith("BYTES in the matrix form") and datatype == "BYTES"
    elif field == "data":
        flat = _flat(t)
        if message == "no data and no parameters.binary_data_size":
            return t.get("data") is None and size is None
        if message == "both data and parameters.binary_data_size":
            return t.get("data") is not None and size is not None
        if m := re.fullmatch(r"data holds (\d+) values; shape \[(.*)\] holds (\d+)", message):
            return flat is not None and int(m[1]) == len(flat) != int(m[3]) == _count(shape)
        if m := re.fullmatch(r"data nested by row must hold (\d+) rows of (\d+)", message):
            data = t.get("data") or []
            rows, per_row = int(m[1]), int(m[2])
            return (rows, per_row) == (shape[0], _count(shape) // max(shape[0], 1)) and (
                flat is None or len(data) != rows or any(len(r) != per_row for r in data)
            )
        if m := re.fullmatch(r"element (\d+) \((.*)\) is not .+", message, re.DOTALL):
            j = int(m[1])
            return flat is not None and j < len(flat) and not _fits(datatype, flat[j])
        if message.startswith("null in the matrix form"):
            return flat is not None and None in flat
        if message.startswith("NaN or infinite values"):
            return flat is not None and any(
                isinstance(v, int | float) and not math.isfinite(float(v)) for v in flat
            )
    elif field == "parameters.binary_data_size":
        if m := re.fullmatch(r"(.+) is not a size in bytes", message):
            return m[1] == repr(size) and (type(size) is not int or size < 0)
        if m := re.fullmatch(r"(\d+) bytes; shape \[(.*)\] of (\w+) takes (\d+)", message):
            takes = _count(shape) * ITEMSIZE.get(datatype, 0)
            return (int(m[1]), _shape(m[2]), m[3], int(m[4])) == (
                size,
                shape,
                datatype,
                takes,
            ) and size != takes
        if m := re.fullmatch(r"(\d+) bytes, but (-?\d+) bytes of binary data are left", message):
            # a JSON request carries no binary data: what is left is less than nothing
            left = -sum(_size(s) for s in sent[:i] if type(_size(s)) is int)
            return int(m[1]) == size and int(m[2]) == left and size > left
    return False


def _output_claim(message: str, sent: list[dict], i: int, meta: dict) -> bool:
    names = [m["name"] for m in meta["outputs"]]
    name = sent[i].get("name")
    if m := re.fullmatch(r"not an output of this model; it gives: (.*)", message):
        return name not in names and m[1] == ", ".join(names)
    if message == "asked twice":
        return any(s.get("name") == name for s in sent[:i])
    return False


def _invalid_tensor_is_true(body: dict, sent: dict, meta: dict, max_rows: int) -> None:
    errors = body.get("errors") or []
    found = TENSOR_PATH.match(str(errors[0].get("path"))) if len(errors) == 1 else None
    if found is None:
        raise AssertionError(f"invalid_tensor without one `$.inputs[i]` path: {errors}")
    kind, i, field = found[1], int(found[2]), found[3]
    tensors = sent.get(kind) or []
    if i >= len(tensors):
        raise AssertionError(f"invalid_tensor names {kind}[{i}]; the request sent {len(tensors)}")
    message = errors[0].get("message", "")
    noun = "Input" if kind == "inputs" else "Output"
    if body.get("error") != f"{noun} '{str(tensors[i].get('name'))[:128]}': {message}.":
        raise AssertionError(f"{body.get('error')!r} does not name {kind}[{i}] as sent")
    if kind == "inputs":
        true = _input_claim(message, field, tensors, i, meta, max_rows)
    else:
        true = field == "name" and _output_claim(message, tensors, i, meta)
    if not true:
        raise AssertionError(f"{kind}[{i}].{field}: {message!r} is not true of what was sent")


COLUMN_PATH = re.compile(r"^\$\.inputs\[\*\]\.data\[(\d+)\](?:\.(\w+)|\[(.+)\])$")
MATRIX_PATH = re.compile(r"^\$\.inputs\[0\]\.data\[(\d+)\]\[(\d+)\]$")


def _out_of_range(value, spec: dict) -> bool:
    if isinstance(value, str):
        return spec.get("max_length") is not None and len(value) > spec["max_length"]
    low, high = spec.get("minimum"), spec.get("maximum")
    return isinstance(value, int | float) and (
        (low is not None and value < low) or (high is not None and value > high)
    )


# what each code says of the value it names, given the input (`/v1`'s description of it)
REFUSED_VALUE = {
    "feature_out_of_range": lambda v, _: isinstance(v, int | float) and abs(v) > FLOAT32_MAX,
    "input_not_nullable": lambda v, spec: v is None and spec.get("nullable") is not True,
    "invalid_input_type": lambda v, spec: v is not None and not _fits(spec["datatype"], v),
    "input_out_of_range": lambda v, spec: _out_of_range(v, spec),
    "unknown_category": lambda v, spec: (
        v not in (spec.get("categories") or []) and spec.get("open") is not True
    ),
}


def _refused_value_is_true(body: dict, sent: dict, meta: dict) -> None:
    """A 422 names, by JSON path, a value the request sent (a row of the matrix form, or a
    row of a named column), and the value is what the code says: beyond float32, null, or
    not of the input's type; `missing_input` names an input of the model the request left
    out."""
    code = body.get("code")
    errors = body.get("errors") or []
    path = str(errors[0].get("path")) if errors else ""
    tensors = sent.get("inputs") or []
    if found := COLUMN_PATH.match(path):
        row, name = int(found[1]), found[2] or ast.literal_eval(found[3])
        spec = next((m for m in meta["named"] if m["name"] == name), None)
        column = next((t for t in tensors if t.get("name") == name), None)
        if code == "missing_input":
            if spec is None or column is not None:
                raise AssertionError(f"missing_input {name!r}: sent, or not the model's input")
            return
        flat = _flat(column) if column is not None else None
        if spec is None or flat is None or row >= len(flat):
            raise AssertionError(f"{code} at {path}: no such value was sent to an input")
        value = flat[row]
    elif found := MATRIX_PATH.match(path):
        row, col = int(found[1]), int(found[2])
        flat = _flat(tensors[0]) if tensors else None
        width = _model_width(meta)
        if flat is None or row * width + col >= len(flat) or col >= width:
            raise AssertionError(f"{code} at {path}: no such value was sent")
        value = flat[row * width + col]
        spec = meta["named"][col] if col < len(meta["named"]) else {"datatype": "FP64"}
    else:
        raise AssertionError(f"422 {code} without the path of a value sent: {errors}")
    refused = REFUSED_VALUE.get(code)
    if refused is None or not refused(value, spec):
        raise AssertionError(f"422 {code} at {path} for {value!r}, which the model takes")


@schemathesis.check
def tensor_refusal_is_true(ctx, response, case):
    """An infer's refusal of schema-valid data is true of what was sent (the allowance of
    400 and 422 to `positive_data_acceptance` in schemathesis.toml).

    A 400 is `invalid_tensor`, naming by JSON path an input or output the request holds, by
    its name as sent, and what it says of it (shape, rows, width, element count, datatype,
    element, binary size, name) is re-derived from the request and the live model's
    metadata. A 422 names a value the request sent, by path, and the value is what its code
    says. Negative data (a body outside the schema) is `negative_data_rejection`'s.
    """
    if response.status_code not in (400, 422) or not open_inference(case):
        return None
    definition = case.operation.definition.raw or {}
    if not definition.get("x-binary-tensors"):
        return None  # not an infer
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    body = _json(response) or {}
    sent = case.body if isinstance(case.body, dict) else {}
    params = case.path_parameters or {}
    meta = tensor_metadata(params["model_name"], params.get("version"))
    if response.status_code == 422:
        return _refused_value_is_true(body, sent, meta)
    if body.get("code") != "invalid_tensor":
        raise AssertionError(
            f"400 {body.get('code')!r} to a schema-valid body: {body.get('error')!r}"
        )
    max_rows = definition["x-ratelimit-cost"]["maximum"]  # the most rows an infer holds
    return _invalid_tensor_is_true(body, sent, meta, max_rows)


@schemathesis.check
def payload_too_large_is_true(ctx, response, case):
    """A 413 answers a body larger than the service takes (SPECSERVE_MAX_BODY_BYTES), the
    one reason the contract gives for it: the allowance of 413 to the infer operations'
    `positive_data_acceptance` and `negative_data_rejection` (whose tensors the schema lets
    grow to hundreds of megabytes)."""
    if response.status_code != 413:
        return None
    body = response.request.body or b""
    size = len(body.encode() if isinstance(body, str) else body)
    limit = int(os.environ["CONTRACT_MAX_BODY_BYTES"])
    if size <= limit:
        raise AssertionError(f"413 for a body of {size} bytes; the service takes {limit}")
    return None


@schemathesis.check
def binary_answer_is_whole(ctx, response, case):
    """A binary-tensor answer (`application/octet-stream`, which no schema check reads): its
    `Inference-Header-Content-Length` measures a JSON part that is an answer (model, outputs
    each with a shape and a datatype), and the bytes after it are exactly the binary outputs'
    `binary_data_size`s, which hold no `data` of their own."""
    types = response.headers.get("content-type") or []
    if not types or not types[0].startswith("application/octet-stream"):
        return None
    lengths = response.headers.get("inference-header-content-length") or []
    if len(lengths) != 1 or not lengths[0].isdigit():
        raise AssertionError(f"binary answer without Inference-Header-Content-Length: {lengths}")
    raw, size = response.content, int(lengths[0])
    try:
        header = json.loads(raw[:size])
    except ValueError:
        raise AssertionError(f"the first {size} bytes are not JSON") from None
    outputs = header.get("outputs") if isinstance(header, dict) else None
    if not isinstance(outputs, list) or not isinstance(header.get("model_name"), str):
        raise AssertionError(f"the JSON part is not an answer: {str(header)[:200]}")
    binary = 0
    for o in outputs:
        sized = (o.get("parameters") or {}).get("binary_data_size")
        if not isinstance(o.get("shape"), list) or not isinstance(o.get("datatype"), str):
            raise AssertionError(f"output {o.get('name')!r} without shape or datatype")
        if sized is not None:
            if "data" in o or type(sized) is not int:
                raise AssertionError(f"binary output {o.get('name')!r}: data or a bad size")
            binary += sized
    if len(raw) - size != binary:
        raise AssertionError(f"{len(raw) - size} bytes follow the JSON; outputs claim {binary}")
    return None
