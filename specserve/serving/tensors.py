"""The Open Inference Protocol's tensors (`/v2`): a request's inputs as the rows a model takes,
a model's answers as output tensors, and a model's metadata as tensors.

Below the HTTP layer and above the data plane's checks: what comes out of `decode` goes
through the same `_matrix` / `Signature.matrix` checks as `/v1` (so a value a model cannot
take is the same 422 on both APIs), and only what is about tensors themselves (a name, a
datatype, a shape, an element count, binary sizes) is refused here, with 400
`invalid_tensor` naming the tensor and its JSON path.

Two request forms (openapi/inference-v2.yaml): one `[n, k]` tensor, the model's `k` inputs
in order (the fast path: one float64 matrix, no per-row Python objects), or one tensor per
named input (MLServer's `"content_type": "pd"` convention), which becomes one object per row
keyed by input name. Binary inputs (Triton's `binary_tensor_data`) are sized and bounded
before a byte of them is read: a hostile shape or size allocates nothing.

numpy only: an ONNX worker must not import pandas.
"""

from __future__ import annotations

import json
import math
import struct
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from specserve.errors import ApiError

if TYPE_CHECKING:
    from specserve.serving.model import Model
    from specserve.serving.outputs import Scored

# The protocol's datatypes, as little-endian numpy dtypes; BYTES has no fixed size.
DATATYPES: dict[str, np.dtype[Any] | None] = {
    "BOOL": np.dtype("|b1"),
    "UINT8": np.dtype("|u1"),
    "UINT16": np.dtype("<u2"),
    "UINT32": np.dtype("<u4"),
    "UINT64": np.dtype("<u8"),
    "INT8": np.dtype("|i1"),
    "INT16": np.dtype("<i2"),
    "INT32": np.dtype("<i4"),
    "INT64": np.dtype("<i8"),
    "FP16": np.dtype("<f2"),
    "FP32": np.dtype("<f4"),
    "FP64": np.dtype("<f8"),
    "BYTES": None,
}
MAX_ELEMENTS = 100_000  # the contract's `TensorData.maxItems`: the most values one tensor holds
MAX_STRING = 10_000  # the contract's `Scalar` string `maxLength`
LENGTH = struct.Struct("<I")  # a BYTES element's length prefix
INPUT_DATATYPES = {"number": "FP64", "integer": "INT64", "boolean": "BOOL", "string": "BYTES"}
SHOWN = 20  # names quoted in a message


class TensorInvalid(ApiError):
    """A tensor that does not fit the protocol or the model (its name, datatype, shape,
    element count or binary size)."""

    status, code = 400, "invalid_tensor"


def invalid(kind: str, name: str, path: str, message: str) -> TensorInvalid:
    """`Input 'x': <message>.`, with the field's JSON path."""
    return TensorInvalid(
        f"{kind} '{name[:128]}': {message}.", errors=[{"path": path, "message": message}]
    )


@dataclass(frozen=True, slots=True)
class Tensor:
    """One request input, its header checked (its values not read yet)."""

    index: int
    name: str
    datatype: str
    shape: tuple[int, ...]
    data: Any  # the JSON `data`, or None for a binary input
    size: int | None  # `parameters.binary_data_size`

    @property
    def count(self) -> int:
        return math.prod(self.shape)

    @property
    def rows(self) -> int:
        return self.shape[0]

    def fail(self, field: str, message: str) -> TensorInvalid:
        return invalid("Input", self.name, f"$.inputs[{self.index}].{field}", message)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A request's rows: `x` (float64, `[n, k]`: the fast path) or `rows` (positional lists
    or objects keyed by input name, for the signature's checks), and the JSON path the data
    plane names a refused value by (`{row}` formatted)."""

    n: int
    x: np.ndarray | None = None
    rows: list[Any] | None = None
    where: str = "$.inputs[0].data[{row}]"


@dataclass(frozen=True, slots=True)
class Requested:
    """An output to answer, and whether it goes in the binary tail."""

    name: str
    binary: bool


# -- requests -------------------------------------------------------------------------------


def decode(
    payload: dict[str, Any], binary: bytes | memoryview | None, model: Model, max_rows: int
) -> Decoded:
    """The request's inputs as rows for `model`, or a 400 naming the first tensor that does
    not fit. Every header and binary size is checked before any value is read."""
    raw_inputs = payload.get("inputs")
    if not isinstance(raw_inputs, list) or not raw_inputs:
        raise TensorInvalid(
            "The request holds no inputs.", errors=[{"path": "$.inputs", "message": "no inputs"}]
        )
    tensors = [header(i, raw, max_rows) for i, raw in enumerate(raw_inputs)]
    parts = binary_parts(tensors, binary)
    if is_matrix(tensors, model):
        return matrix_form(tensors[0], parts[0], model)
    return column_form(tensors, parts, model)


def header(index: int, raw: Any, max_rows: int) -> Tensor:
    """An input's name, datatype, shape and data source, checked."""
    path = f"$.inputs[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise TensorInvalid(
            f"Input {index} has no name.", errors=[{"path": f"{path}.name", "message": "required"}]
        )
    name, datatype = raw["name"], raw.get("datatype")
    if datatype not in DATATYPES:
        known = ", ".join(DATATYPES)
        raise invalid("Input", name, f"{path}.datatype", f"datatype {datatype!r} is not {known}")
    shape = check_shape(name, path, raw.get("shape"), max_rows)
    params = raw.get("parameters") or {}
    size = params.get("binary_data_size") if isinstance(params, dict) else None
    tensor = Tensor(index, name, datatype, shape, raw.get("data"), size)
    check_source(tensor)
    return tensor


def check_shape(name: str, path: str, shape: Any, max_rows: int) -> tuple[int, ...]:
    """`[n]` or `[n, k]`, n from 1 to `max_rows`, at most `MAX_ELEMENTS` values in all."""
    at = f"{path}.shape"
    if (
        not isinstance(shape, list)
        or not 1 <= len(shape) <= 2
        or any(type(d) is not int or d < 0 for d in shape)
    ):
        raise invalid(
            "Input", name, at, f"shape {repr(shape)[:60]} is not [n] or [n, k] (whole numbers)"
        )
    if not 1 <= shape[0] <= max_rows:
        raise invalid("Input", name, at, f"{shape[0]} rows; a request holds 1 to {max_rows}")
    if math.prod(shape) > MAX_ELEMENTS:
        raise invalid(
            "Input",
            name,
            at,
            f"shape {shape} holds {math.prod(shape)} values; at most {MAX_ELEMENTS}",
        )
    return tuple(shape)


def check_source(t: Tensor) -> None:
    """Either `data` or `binary_data_size`, and a fixed-size type's size fits its shape."""
    if t.size is None:
        if t.data is None:
            raise t.fail("data", "no data and no parameters.binary_data_size")
        return
    if type(t.size) is not int or t.size < 0:
        raise t.fail("parameters.binary_data_size", f"{t.size!r} is not a size in bytes")
    if t.data is not None:
        raise t.fail("data", "both data and parameters.binary_data_size")
    dtype = DATATYPES[t.datatype]
    if dtype is not None and t.size != t.count * dtype.itemsize:
        raise t.fail(
            "parameters.binary_data_size",
            f"{t.size} bytes; shape {list(t.shape)} of {t.datatype} takes "
            f"{t.count * dtype.itemsize}",
        )


def binary_parts(
    tensors: list[Tensor], binary: bytes | memoryview | None
) -> list[memoryview | None]:
    """Each binary input's bytes, in input order; the sizes must cover the tail exactly."""
    view = memoryview(binary if binary is not None else b"").cast("B")
    parts: list[memoryview | None] = []
    offset = 0
    for t in tensors:
        if t.size is None:
            parts.append(None)
            continue
        if offset + t.size > len(view):
            left = len(view) - offset
            raise t.fail(
                "parameters.binary_data_size",
                f"{t.size} bytes, but {left} bytes of binary data are left",
            )
        parts.append(view[offset : offset + t.size])
        offset += t.size
    if offset != len(view):
        message = f"{len(view) - offset} bytes of binary data follow the inputs that claim any"
        raise TensorInvalid(
            f"The request's binary data holds {len(view)} bytes; its inputs' "
            f"binary_data_size add up to {offset}.",
            errors=[{"path": "$.inputs", "message": message}],
        )
    return parts


def is_matrix(tensors: list[Tensor], model: Model) -> bool:
    """One tensor of `k > 1` values per row, or one unnamed tensor (not an input's name):
    the matrix form. A width-1 numeric model takes any single tensor as its matrix."""
    if len(tensors) != 1:
        return False
    t = tensors[0]
    if len(t.shape) == 2 and t.shape[1] != 1:
        return True
    signature = model.signature
    if model.n_features == 1:
        return signature is None or signature.numeric
    return signature is None or t.name not in signature.names


def matrix_form(t: Tensor, part: memoryview | None, model: Model) -> Decoded:
    """One `[n, k]` tensor of numbers (or BOOL): a float64 matrix, the model's inputs in its
    order; positional rows when the signature checks more than a range."""
    refuse_strings(t, model)
    width = t.shape[1] if len(t.shape) == 2 else 1
    if width != model.n_features:
        raise t.fail(
            "shape",
            f"shape {list(t.shape)} holds {width} values per row; the model takes "
            f"{model.n_features}",
        )
    values = numbers(t, part)
    x = values.astype(np.float64, copy=False).reshape(t.rows, width)
    # JSON holds no NaN or infinity (the parser refuses them): only raw bytes can
    if part is not None and not np.isfinite(x).all():
        raise t.fail("data", "NaN or infinite values; the matrix form takes finite numbers")
    signature = model.signature
    if signature is None or signature.plain_numbers:
        return Decoded(t.rows, x=x)
    return Decoded(t.rows, rows=x.tolist())


def refuse_strings(t: Tensor, model: Model) -> None:
    """The matrix form holds numbers, for a model that takes numbers only."""
    signature = model.signature
    if signature is not None and not signature.numeric:
        strings = [i.name for i in signature.inputs if not i.numeric][:SHOWN]
        raise t.fail(
            "name",
            f"this model takes named inputs ({', '.join(strings)} of type string): send one "
            "tensor per input, each of shape [n], as GET /v2/models/{model_name} lists them",
        )
    if t.datatype == "BYTES":
        raise t.fail("datatype", "BYTES in the matrix form; send numbers or BOOL")


def numbers(t: Tensor, part: memoryview | None) -> np.ndarray:
    """The matrix form's values, a flat array (no missing value: that is the column form's)."""
    if part is not None:
        return binary_values(t, part)
    values = json_values(t)
    if any(v is None for v in values):
        raise t.fail("data", "null in the matrix form; a missing value goes in a column")
    return np.asarray(values, dtype=np.float64)


def column_form(tensors: list[Tensor], parts: list[memoryview | None], model: Model) -> Decoded:
    """One tensor per named input, each `[n]` or `[n, 1]`: one object per row keyed by input
    name (a column left out is the signature's to refuse, as a missing input)."""
    names = model.signature.names if model.signature is not None else ()
    sole = names[0] if len(names) == 1 and len(tensors) == 1 else None  # any name will do
    n, seen = tensors[0].rows, set[str]()
    rows: list[dict[str, Any]] = [{} for _ in range(n)]
    for t, part in zip(tensors, parts, strict=True):
        name = sole or t.name
        check_column(t, name, names, seen, n)
        seen.add(name)
        for row, value in zip(rows, column_values(t, part), strict=True):
            row[name] = value
    return Decoded(n, rows=rows, where="$.inputs[*].data[{row}]")


def check_column(t: Tensor, name: str, names: tuple[str, ...], seen: set[str], n: int) -> None:
    if name not in names:
        shown = ", ".join(names[:SHOWN])
        raise t.fail("name", f"not an input of this model; it takes: {shown}")
    if name in seen:
        raise t.fail("name", "sent twice")
    if len(t.shape) == 2 and t.shape[1] != 1:
        raise t.fail("shape", f"shape {list(t.shape)}; a column is [n] or [n, 1]")
    if t.rows != n:
        raise t.fail("shape", f"{t.rows} rows; the first input holds {n}")


def column_values(t: Tensor, part: memoryview | None) -> list[Any]:
    """A column's values as Python values; a missing one (null, or NaN in binary) is None."""
    if part is None:
        return json_values(t)
    if t.datatype == "BYTES":
        return byte_strings(t, part)
    values: list[Any] = binary_values(t, part).tolist()
    if t.datatype.startswith("FP"):
        return [None if v != v else v for v in values]  # NaN: pandas' missing value
    return values


# -- element values ---------------------------------------------------------------------------


def binary_values(t: Tensor, part: memoryview) -> np.ndarray:
    """A fixed-size binary input (its size was checked against its shape); BOOL bytes are
    0 or 1."""
    if t.datatype == "BOOL":
        raw = np.frombuffer(part, dtype=np.uint8)
        if raw.size and int(raw.max()) > 1:
            raise t.fail("parameters.binary_data_size", "BOOL elements are bytes 0 or 1")
        return raw.astype(bool)
    dtype = DATATYPES[t.datatype]
    return np.frombuffer(part, dtype=dtype)


def byte_strings(t: Tensor, part: memoryview) -> list[Any]:
    """A binary BYTES input: each element a 4-byte little-endian length, then its UTF-8."""
    out: list[Any] = []
    offset, end = 0, len(part)
    for j in range(t.count):
        if offset + LENGTH.size > end:
            raise t.fail("parameters.binary_data_size", f"element {j}: no length (data ends)")
        (length,) = LENGTH.unpack_from(part, offset)
        offset += LENGTH.size
        if length > end - offset:
            raise t.fail("parameters.binary_data_size", f"element {j}: {length} bytes past the end")
        if length > 4 * MAX_STRING:  # more bytes than 10,000 characters take: not decoded
            raise t.fail("data", f"element {j} is longer than {MAX_STRING} characters")
        out.append(utf8(t, j, part[offset : offset + length]))
        offset += length
    if offset != end:
        raise t.fail(
            "parameters.binary_data_size", f"{end - offset} bytes after {t.count} elements"
        )
    return out


def utf8(t: Tensor, j: int, raw: memoryview) -> str:
    try:
        text = str(raw, "utf-8")
    except UnicodeDecodeError:
        raise t.fail("data", f"element {j} is not UTF-8") from None
    if len(text) > MAX_STRING:
        raise t.fail("data", f"element {j} is longer than {MAX_STRING} characters")
    return text


def json_values(t: Tensor) -> list[Any]:
    """JSON `data`, flat or nested by row, each element of the tensor's datatype (null: a
    missing value, for the column form to pass on)."""
    kind = kind_of(t.datatype)
    data = flat_data(t)
    if kind == "FP" and all(type(v) is float or type(v) is int for v in data):
        return data  # numbers only, as a float tensor takes them (the usual request)
    fit = element_fit(kind, DATATYPES[t.datatype])
    out: list[Any] = []
    for j, value in enumerate(data):
        if value is None:
            out.append(None)
            continue
        fitted = fit(value)
        if fitted is NOT_FIT:
            raise t.fail("data", f"element {j} ({repr(value)[:40]}) is not {EXPECTED[kind]}")
        out.append(fitted)
    return out


def flat_data(t: Tensor) -> list[Any]:
    data = t.data
    if not isinstance(data, list):
        raise t.fail("data", "data is not an array")
    nested = [type(v) is list for v in data]
    if any(nested):
        per_row = t.count // t.rows
        if not all(nested) or len(data) != t.rows or any(len(r) != per_row for r in data):
            raise t.fail("data", f"data nested by row must hold {t.rows} rows of {per_row}")
        data = [v for row in data for v in row]
    if len(data) != t.count:
        raise t.fail(
            "data", f"data holds {len(data)} values; shape {list(t.shape)} holds {t.count}"
        )
    return data


NOT_FIT = object()
EXPECTED = {
    "BOOL": "true or false",
    "INT": "a whole number in the datatype's range",
    "FP": "a number",
    "BYTES": f"a string of at most {MAX_STRING} characters",
}


def kind_of(datatype: str) -> str:
    if datatype in ("BOOL", "BYTES"):
        return datatype
    return "FP" if datatype.startswith("FP") else "INT"


def element_fit(kind: str, dtype: np.dtype[Any] | None) -> Callable[[Any], Any]:
    """The element as the datatype holds it, or `NOT_FIT` (a JSON boolean is no number)."""
    if kind == "BOOL":
        return lambda v: v if type(v) is bool else NOT_FIT
    if kind == "BYTES":
        return lambda v: v if type(v) is str and len(v) <= MAX_STRING else NOT_FIT
    if kind == "FP":
        return lambda v: v if type(v) in (int, float) else NOT_FIT
    info = np.iinfo(dtype)
    low, high = int(info.min), int(info.max)

    def fit_int(v: Any) -> Any:
        if type(v) is float and v.is_integer():
            v = int(v)
        return v if type(v) is int and low <= v <= high else NOT_FIT

    return fit_int


def requested_outputs(payload: dict[str, Any], model: Model) -> list[Requested]:
    """The outputs to answer (all the model gives when the request names none), each binary
    when the request's `binary_data_output` or its own `binary_data` says so."""
    available = output_specs(model)
    params = payload.get("parameters") or {}
    all_binary = params.get("binary_data_output") is True
    if not payload.get("outputs"):  # every output, in the model's order
        return [Requested(name, all_binary) for name in available]
    asked = payload["outputs"]
    out: list[Requested] = []
    for i, output in enumerate(asked):
        name = str(output.get("name"))
        path = f"$.outputs[{i}].name"
        if name not in available:
            it_gives = ", ".join(available)
            raise invalid(
                "Output", name, path, f"not an output of this model; it gives: {it_gives}"
            )
        if any(r.name == name for r in out):
            raise invalid("Output", name, path, "asked twice")
        binary = (output.get("parameters") or {}).get("binary_data", all_binary)
        out.append(Requested(name, binary is True))
    return out


# -- responses ------------------------------------------------------------------------------


SPEC_CACHE = 64  # loaded versions whose output metadata is kept (a reload makes new ones)
_specs: OrderedDict[int, tuple[weakref.ref[Model], dict[str, dict[str, Any]]]] = OrderedDict()


def output_specs(model: Model) -> dict[str, dict[str, Any]]:
    """Every output's metadata by name, worked out once per loaded version (a few µs of
    every infer otherwise); a bounded cache that holds no version alive."""
    hit = _specs.get(id(model))
    if hit is not None and hit[0]() is model:
        return hit[1]
    specs = {name: output_spec(model, name) for name in output_names(model)}
    _specs[id(model)] = (weakref.ref(model), specs)
    while len(_specs) > SPEC_CACHE:
        _specs.popitem(last=False)
    return specs


def output_names(model: Model) -> list[str]:
    names = ["predict"]
    if model.has_probabilities:
        names.append("predict_proba")
    if model.task == "outlier_detection" and model.has_scores:
        names.append("decision_function")
    return names


def predict_datatype(model: Model) -> str:
    """INT64 for integer labels, cluster ids and ±1; BYTES for string labels; else FP64."""
    if model.task in ("clustering", "outlier_detection"):
        return "INT64"
    if model.task == "regression":
        return "FP64"
    classes = model.json_classes
    if any(isinstance(c, str) for c in classes):
        return "BYTES"
    return "INT64" if all(isinstance(c, int) for c in classes) else "FP64"


def output_spec(model: Model, name: str) -> dict[str, Any]:
    """An output's metadata (`-1`: the batch dimension)."""
    if name == "predict_proba":
        return {
            "name": name,
            "datatype": "FP64",
            "shape": [-1, len(model.classes)],
            "parameters": {"classes": json.dumps(model.json_classes)},
        }
    datatype = "FP64" if name == "decision_function" else predict_datatype(model)
    return {"name": name, "datatype": datatype, "shape": [-1]}


def output_values(name: str, datatype: str, scored: Scored) -> list[Any]:
    """An output's values, flat (row-major)."""
    if name == "predict_proba":
        return [p for row in scored.probabilities or [] for p in row]
    if name == "decision_function":
        return list(scored.scores or [])
    if datatype == "BYTES":
        return list(scored.labels or [])
    if datatype == "INT64":
        return [int(p) for p in scored.predictions]
    return [float(p) for p in scored.predictions]


def encode(
    model: Model,
    scored: Scored,
    n: int,
    requested: list[Requested],
    request_id: str,
    payload: dict[str, Any],
) -> tuple[dict[str, Any], bytes]:
    """The response's JSON and its binary tail (the binary outputs, in output order)."""
    outputs, tail = [], []
    specs = output_specs(model)
    for want in requested:
        spec = specs[want.name]
        values = output_values(want.name, spec["datatype"], scored)
        tensor = {**spec, "shape": [n, *spec["shape"][1:]]}
        if want.binary:
            raw = to_bytes(spec["datatype"], values)
            tensor["parameters"] = {**spec.get("parameters", {}), "binary_data_size": len(raw)}
            tail.append(raw)
        else:
            tensor["data"] = values
        outputs.append(tensor)
    body = {
        "model_name": model.name,
        "model_version": model.version,
        "id": payload.get("id") or request_id,
        "outputs": outputs,
    }
    return body, b"".join(tail)


def to_bytes(datatype: str, values: list[Any]) -> bytes:
    """Values as the binary extension sends them (BYTES: length-prefixed UTF-8)."""
    dtype = DATATYPES[datatype]
    if dtype is None:
        encoded = [str(v).encode() for v in values]
        return b"".join(LENGTH.pack(len(b)) + b for b in encoded)
    return np.asarray(values, dtype=dtype).tobytes()


# -- metadata -------------------------------------------------------------------------------


def metadata(model: Model) -> dict[str, Any]:
    """The protocol's model metadata: the inputs an infer takes, the outputs it answers."""
    signature = model.signature
    body: dict[str, Any] = {
        "name": model.name,
        "versions": list(model.versions),
        "platform": platform(model),
    }
    if signature is None or signature.plain:
        datatype = "FP32" if model.runtime == "onnx" else "FP64"
        body["inputs"] = [{"name": "input", "datatype": datatype, "shape": [-1, model.n_features]}]
    else:
        body["inputs"] = [
            {"name": i.name, "datatype": INPUT_DATATYPES[i.type], "shape": [-1]}
            for i in signature.inputs
        ]
        body["parameters"] = {"content_type": "pd"}
    body["outputs"] = list(output_specs(model).values())
    return body


def platform(model: Model) -> str:
    if model.runtime == "onnx":
        return "onnx_onnxv1"
    return "sklearn_pickle" if model.metadata.get("format") == "joblib" else "sklearn_skops"
