"""The Open Inference Protocol's tensor codec: every request form a client sends becomes the
rows the model takes, binary tensors round-trip exactly as `tritonclient` writes and reads
them, and every tensor that does not fit is refused with 400 `invalid_tensor`, naming the
tensor and its JSON path, before anything is allocated for it."""

from __future__ import annotations

import copy
import struct
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from specserve.serving import tensors
from specserve.serving.model import Model, load_version
from specserve.serving.outputs import Scored
from specserve.serving.signature import Input, Signature
from specserve.serving.tensors import Requested, TensorInvalid, decode

ROWS = [[1500.5, 2.0, 0.75], [200.0, 1.0, 0.1]]


def model_of(signature: Signature) -> Model:
    return Model(name="m", version="1", versions=["1"], path=Path("."), signature=signature)


NUMBERS = model_of(Signature.positional(["amount", "count", "risk"]))
TYPED = model_of(
    Signature(
        (
            Input("income"),
            Input("city", "string", categories=("lyon", "paris")),
            Input("channel", "string", nullable=True),
            Input("member", "boolean"),
        ),
        layout="frame",
    )
)
TEXT = model_of(Signature((Input("text", "string"),), layout="text"))
ONE_NUMBER = model_of(Signature.positional(["amount"]))


def matrix(datatype: str = "FP64", data: Any = None, shape: Any = None) -> dict[str, Any]:
    data = [v for row in ROWS for v in row] if data is None else data
    return {
        "inputs": [{"name": "input", "datatype": datatype, "shape": shape or [2, 3], "data": data}]
    }


def binary_input(name: str, datatype: str, shape: list[int], raw: bytes) -> dict[str, Any]:
    return {
        "name": name,
        "datatype": datatype,
        "shape": shape,
        "parameters": {"binary_data_size": len(raw)},
    }


def serialize_bytes(values: list[bytes]) -> bytes:
    """As `tritonclient.utils.serialize_byte_tensor` writes BYTES: a 4-byte little-endian
    length, then the bytes, for each element."""
    return b"".join(struct.pack("<I", len(v)) + v for v in values)


def refused(
    payload: dict[str, Any],
    model: Model = NUMBERS,
    binary: bytes | None = None,
    max_rows: int = 100,
) -> TensorInvalid:
    with pytest.raises(TensorInvalid) as caught:
        decode(payload, binary, model, max_rows)
    exc = caught.value
    assert exc.status == 400 and exc.code == "invalid_tensor"
    assert exc.errors and exc.errors[0]["path"].startswith("$.inputs")
    return exc


# -- the matrix form --------------------------------------------------------------------------


def test_the_matrix_form_flat_or_nested_by_row_is_one_float64_matrix():
    flat = decode(matrix(), None, NUMBERS, 100)
    nested = decode(matrix(data=ROWS), None, NUMBERS, 100)
    for decoded in (flat, nested):
        assert decoded.n == 2 and decoded.rows is None
        assert decoded.x is not None and decoded.x.dtype == np.float64
        assert decoded.x.tolist() == ROWS


@pytest.mark.parametrize(
    "datatype, values",
    [
        ("FP16", [[1.5, -2.0, 0.25], [65504.0, 0.0, 1.0]]),
        ("FP32", ROWS),
        ("FP64", ROWS),
        ("INT8", [[-128, 0, 127], [1, 2, 3]]),
        ("UINT8", [[0, 255, 7], [1, 2, 3]]),
        ("INT64", [[-(2**40), 0, 2**40], [1, 2, 3]]),
        ("UINT64", [[2**63, 0, 1], [1, 2, 3]]),
        ("BOOL", [[True, False, True], [False, False, True]]),
    ],
)
def test_binary_and_json_tensors_of_every_fixed_datatype_decode_alike(datatype, values):
    dtype = tensors.DATATYPES[datatype]
    raw = np.asarray(values, dtype=dtype).tobytes()  # what tritonclient sends: tobytes()
    as_binary = {"inputs": [binary_input("input", datatype, [2, 3], raw)]}
    from_binary = decode(as_binary, raw, NUMBERS, 100)
    from_json = decode(matrix(datatype, values), None, NUMBERS, 100)
    # binary values are the datatype's; JSON numbers are taken as written (as on /v1)
    assert np.array_equal(from_binary.x, np.asarray(values, dtype=dtype).astype(np.float64))
    assert np.array_equal(from_json.x, np.asarray(values, dtype=np.float64))


def test_a_width_one_model_takes_n_or_n_by_one_whatever_the_name():
    for shape, data in (([3], [1.0, 2.0, 3.0]), ([3, 1], [[1.0], [2.0], [3.0]])):
        payload = {"inputs": [{"name": "x", "datatype": "FP32", "shape": shape, "data": data}]}
        assert decode(payload, None, ONE_NUMBER, 100).x.tolist() == [[1.0], [2.0], [3.0]]


def test_a_constrained_signature_gets_positional_rows_to_check():
    bounded = model_of(Signature((Input("age", "integer", minimum=18), Input("income"))))
    payload = {"inputs": [{"name": "input", "datatype": "INT32", "shape": [1, 2], "data": [40, 1]}]}
    decoded = decode(payload, None, bounded, 100)
    assert decoded.x is None and decoded.rows == [[40.0, 1.0]]


def test_unknown_parameters_are_ignored():
    payload = matrix()
    payload["parameters"] = {"content_type": "np", "binary_data_output": False, "x": 1}
    payload["inputs"][0]["parameters"] = {"content_type": "np", "shared": "no"}
    assert decode(payload, None, NUMBERS, 100).x.tolist() == ROWS


# -- the column form --------------------------------------------------------------------------


def typed_columns() -> dict[str, Any]:
    return {
        "inputs": [
            {"name": "income", "datatype": "FP64", "shape": [2], "data": [52000.5, 31000]},
            {"name": "city", "datatype": "BYTES", "shape": [2, 1], "data": ["lyon", "paris"]},
            {"name": "channel", "datatype": "BYTES", "shape": [2], "data": ["web", None]},
            {"name": "member", "datatype": "BOOL", "shape": [2], "data": [True, False]},
        ]
    }


def test_one_tensor_per_input_becomes_one_named_row_each_null_a_missing_value():
    decoded = decode(typed_columns(), None, TYPED, 100)
    assert decoded.x is None and decoded.n == 2
    assert decoded.rows == [
        {"income": 52000.5, "city": "lyon", "channel": "web", "member": True},
        {"income": 31000, "city": "paris", "channel": None, "member": False},
    ]


def test_binary_columns_round_trip_bytes_and_numbers_nan_is_missing():
    cities = serialize_bytes([b"lyon", "pâris ✓".encode()])
    channels = serialize_bytes([b"", b"web"])
    income = np.asarray([52000.5, np.nan]).tobytes()
    members = np.asarray([True, False]).tobytes()
    payload = {
        "inputs": [
            binary_input("income", "FP64", [2], income),
            binary_input("city", "BYTES", [2], cities),
            binary_input("channel", "BYTES", [2, 1], channels),
            binary_input("member", "BOOL", [2], members),
        ]
    }
    rows = decode(payload, income + cities + channels + members, TYPED, 100).rows
    assert rows == [
        {"income": 52000.5, "city": "lyon", "channel": "", "member": True},
        {"income": None, "city": "pâris ✓", "channel": "web", "member": False},
    ]


def test_missing_columns_are_left_to_the_signature():
    payload = typed_columns()
    del payload["inputs"][1]
    rows = decode(payload, None, TYPED, 100).rows
    assert rows is not None and "city" not in rows[0]


def test_a_width_one_string_model_takes_one_tensor_whatever_its_name():
    payload = {
        "inputs": [{"name": "INPUT0", "datatype": "BYTES", "shape": [2], "data": ["a", "b"]}]
    }
    assert decode(payload, None, TEXT, 100).rows == [{"text": "a"}, {"text": "b"}]


# -- refusals: each names the tensor and its field ------------------------------------------


def with_input(**changes: Any) -> dict[str, Any]:
    payload = matrix()
    payload["inputs"][0].update(changes)
    return payload


BAD = [
    ("datatype", with_input(datatype="FP8"), "datatype 'FP8' is not"),
    ("shape", with_input(shape=[]), "is not [n] or [n, k]"),
    ("shape", with_input(shape=[2, 3, 1]), "is not [n] or [n, k]"),
    ("shape", with_input(shape=[2, -3]), "is not [n] or [n, k]"),
    ("shape", with_input(shape=[True, 3]), "is not [n] or [n, k]"),
    ("shape", with_input(shape=[0, 3], data=[]), "0 rows; a request holds 1 to 100"),
    ("shape", with_input(shape=[101, 3]), "101 rows; a request holds 1 to 100"),
    ("shape", with_input(shape=[2, 4]), "holds 4 values per row; the model takes 3"),
    ("data", with_input(data=[1.0] * 5), "data holds 5 values; shape [2, 3] holds 6"),
    ("data", with_input(data=[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), "rows of 3"),
    ("data", with_input(data=[[1.0, 2.0, 3.0], 4.0, 5.0, 6.0]), "rows of 3"),
    ("data", with_input(data=[1.0, 2.0, True, 4.0, 5.0, 6.0]), "element 2 (True) is not a number"),
    ("data", with_input(data=[1.0, 2.0, "3", 4.0, 5.0, 6.0]), "element 2 ('3') is not a number"),
    ("data", with_input(data=[1.0, 2.0, None, 4.0, 5.0, 6.0]), "null in the matrix form"),
    ("data", with_input(datatype="INT32", data=[1, 2, 3.5, 4, 5, 6]), "element 2 (3.5)"),
    ("data", with_input(datatype="UINT8", data=[1, 2, 256, 4, 5, 6]), "element 2 (256)"),
    ("data", with_input(datatype="UINT16", data=[1, -1, 3, 4, 5, 6]), "element 1 (-1)"),
    ("data", with_input(datatype="BOOL", data=[1, 0, 1, 0, 1, 0]), "is not true or false"),
    ("datatype", with_input(datatype="BYTES", data=["1"] * 6), "BYTES in the matrix form"),
    ("data", with_input(data=None), "no data and no parameters.binary_data_size"),
    ("data", with_input(parameters={"binary_data_size": 48}), "both data and"),
]


@pytest.mark.parametrize("field, payload, message", BAD, ids=[m for _, _, m in BAD])
def test_a_tensor_that_does_not_fit_is_refused_naming_it(field, payload, message):
    exc = refused(copy.deepcopy(payload))
    assert exc.detail.startswith("Input 'input': ")
    assert message in exc.detail
    assert exc.errors == [{"path": f"$.inputs[0].{field}", "message": exc.errors[0]["message"]}]


def test_column_refusals_name_the_column():
    unknown = typed_columns()
    unknown["inputs"][2]["name"] = "chanel"
    exc = refused(unknown, TYPED)
    assert exc.detail.startswith("Input 'chanel': not an input of this model; it takes: income")
    assert exc.errors[0]["path"] == "$.inputs[2].name"

    short = typed_columns()
    short["inputs"][3].update(shape=[1], data=[True])
    assert "1 rows; the first input holds 2" in refused(short, TYPED).detail

    wide = typed_columns()
    wide["inputs"][0].update(shape=[1, 2], data=[1.0, 2.0])
    wide["inputs"] = wide["inputs"][:1] + wide["inputs"][1:]
    assert refused(wide, TYPED).detail.startswith("Input 'income': shape [1, 2]; a column is")

    twice = typed_columns()
    twice["inputs"].append(dict(twice["inputs"][0]))
    assert refused(twice, TYPED).detail == "Input 'income': sent twice."


def test_a_string_model_sent_the_matrix_form_is_told_to_send_one_tensor_per_input():
    payload = {"inputs": [{"name": "input", "datatype": "FP64", "shape": [1, 4], "data": [1] * 4}]}
    exc = refused(payload, TYPED)
    assert "send one tensor per input" in exc.detail and "city, channel" in exc.detail


def binary_matrix(raw: bytes, datatype: str = "FP64", shape: Any = None, size: Any = None):
    spec = binary_input("input", datatype, shape or [2, 3], raw)
    if size is not None:
        spec["parameters"]["binary_data_size"] = size
    return {"inputs": [spec]}


def test_binary_sizes_must_fit_the_shape_and_cover_the_tail_exactly():
    raw = np.asarray(ROWS).tobytes()
    cases = [
        (binary_matrix(raw, size=40), raw, "40 bytes; shape [2, 3] of FP64 takes 48"),
        (binary_matrix(raw, "FP32"), raw, "48 bytes; shape [2, 3] of FP32 takes 24"),
        (binary_matrix(raw), raw[:40], "48 bytes, but 40 bytes of binary data are left"),
        (binary_matrix(raw), None, "48 bytes, but 0 bytes of binary data are left"),
        (binary_matrix(raw, size=-1), raw, "-1 is not a size in bytes"),
        (binary_matrix(raw, size="48"), raw, "'48' is not a size in bytes"),
    ]
    for payload, binary, message in cases:
        exc = refused(payload, binary=binary)
        assert exc.detail.startswith("Input 'input': ") and message in exc.detail, exc.detail
        assert exc.errors[0]["path"] == "$.inputs[0].parameters.binary_data_size"
    tail = refused(matrix(), binary=b"\x00" * 8)
    assert "binary data holds 8 bytes" in tail.detail and tail.errors[0]["path"] == "$.inputs"
    extra = refused(binary_matrix(raw), binary=raw + b"\x00")
    assert "binary data holds 49 bytes; its inputs' binary_data_size add up to 48" in extra.detail


def test_bool_bytes_are_zero_or_one_and_the_matrix_form_is_finite():
    refused_bool = refused(
        binary_matrix(bytes([0, 1, 2, 0, 1, 1]), "BOOL"), binary=bytes([0, 1, 2, 0, 1, 1])
    )
    assert "BOOL elements are bytes 0 or 1" in refused_bool.detail
    for bad in (np.nan, np.inf, -np.inf):
        raw = np.asarray([[1.0, bad, 0.5], [1.0, 2.0, 3.0]]).tobytes()
        exc = refused(binary_matrix(raw), binary=raw)
        assert exc.detail.startswith("Input 'input': NaN or infinite values")
    fp16 = np.asarray([[np.inf, 1, 1], [1, 1, 1]], dtype="<f2").tobytes()
    assert "NaN or infinite" in refused(binary_matrix(fp16, "FP16"), binary=fp16).detail


@pytest.mark.parametrize(
    "raw, message",
    [
        (serialize_bytes([b"a"]) + b"\x01\x00", "element 1: no length (data ends)"),
        (
            serialize_bytes([b"a"]) + struct.pack("<I", 5) + b"abc",
            "element 1: 5 bytes past the end",
        ),
        (struct.pack("<I", 2**32 - 1) + b"ab", "element 0: 4294967295 bytes past the end"),
        (serialize_bytes([b"a", b"\xff\xfe"]), "element 1 is not UTF-8"),
        (serialize_bytes([b"a", b"b", b"c"]), "5 bytes after 2 elements"),
        (serialize_bytes([b"a", b"x" * 10_001]), "element 1 is longer than 10000 characters"),
        (serialize_bytes([b"a", b"x" * 40_001]), "element 1 is longer than 10000 characters"),
    ],
    ids=lambda case: case if isinstance(case, str) else "",
)
def test_bytes_elements_are_walked_with_bounds_checks(raw, message):
    payload = {"inputs": [binary_input("text", "BYTES", [2], raw)]}
    exc = refused(payload, TEXT, raw)
    assert exc.detail.startswith("Input 'text': ") and message in exc.detail, exc.detail


def test_a_hostile_shape_or_size_is_refused_before_anything_is_allocated():
    hostile = [
        (with_input(shape=[100_000, 100_000]), None, 10**6),
        (with_input(shape=[1, 100_001]), None, 10**6),
        (binary_matrix(b"", shape=[100_000, 100_000], size=8 * 10**10), b"", 10**6),
        (binary_matrix(b"", shape=[50_000, 2], size=16), b"\x00" * 16, 10**6),
    ]
    for payload, binary, max_rows in hostile:
        tracemalloc.start()
        try:
            with pytest.raises(TensorInvalid, match="^Input 'input': "):
                decode(payload, binary, NUMBERS, max_rows)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 64_000, peak


# -- outputs ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fraud(trained_model_dir) -> Model:
    """The default model (a classifier of 0 and 1, with probabilities), really loaded."""
    model = load_version(trained_model_dir / "fraud-detector", "1.0.0", ["1.0.0"], False)
    assert model.ready
    return model


def test_outputs_all_by_default_binary_when_asked_and_each_may_override(fraud):
    assert tensors.requested_outputs({"inputs": []}, fraud) == [
        Requested("predict", False),
        Requested("predict_proba", False),
    ]
    everything = {"parameters": {"binary_data_output": True}}
    assert [r.binary for r in tensors.requested_outputs(everything, fraud)] == [True, True]
    mixed = {
        "parameters": {"binary_data_output": True},
        "outputs": [
            {"name": "predict_proba", "parameters": {"binary_data": False}},
            {"name": "predict"},
        ],
    }
    assert tensors.requested_outputs(mixed, fraud) == [
        Requested("predict_proba", False),
        Requested("predict", True),
    ]


def test_an_unknown_output_is_refused_naming_it(fraud):
    with pytest.raises(TensorInvalid) as caught:
        tensors.requested_outputs({"outputs": [{"name": "predict"}, {"name": "score"}]}, fraud)
    assert caught.value.detail == (
        "Output 'score': not an output of this model; it gives: predict, predict_proba."
    )
    assert caught.value.errors[0]["path"] == "$.outputs[1].name"


def test_binary_outputs_carry_their_size_and_decode_to_the_json_values(fraud):
    x = np.asarray(ROWS)
    scored = fraud.score(x)
    asked = [Requested("predict", False), Requested("predict_proba", False)]
    as_json, tail = tensors.encode(fraud, scored, 2, asked, "req-9", {"id": "mine"})
    assert tail == b"" and as_json["id"] == "mine" and as_json["model_version"] == "1.0.0"
    predict, proba = as_json["outputs"]
    assert predict == {"name": "predict", "datatype": "INT64", "shape": [2], "data": [1, 0]}
    assert proba["shape"] == [2, 2] and proba["parameters"] == {"classes": "[0, 1]"}
    assert proba["data"] == [p for row in fraud.runner(x)[1].tolist() for p in row]

    binary = [Requested(r.name, True) for r in asked]
    as_binary, tail = tensors.encode(fraud, scored, 2, binary, "req-9", {})
    assert as_binary["id"] == "req-9"
    sizes = [o["parameters"]["binary_data_size"] for o in as_binary["outputs"]]
    assert (
        sizes == [16, 32] and len(tail) == 48 and all("data" not in o for o in as_binary["outputs"])
    )
    assert np.frombuffer(tail[:16], "<i8").tolist() == predict["data"]
    assert np.frombuffer(tail[16:], "<f8").tolist() == proba["data"]
    assert as_binary["outputs"][1]["parameters"]["classes"] == "[0, 1]"


def test_string_labels_are_bytes_length_prefixed_in_binary():
    labels = Scored([0.0, 1.0], [None, None], ["approve", "déni"], None)
    raw = tensors.to_bytes("BYTES", labels.labels or [])
    assert raw == serialize_bytes([b"approve", "déni".encode()])
    payload = {"inputs": [binary_input("text", "BYTES", [2], raw)]}
    assert decode(payload, raw, TEXT, 100).rows == [{"text": "approve"}, {"text": "déni"}]


def test_metadata_of_a_plain_numeric_model_is_one_matrix_tensor(fraud):
    body = tensors.metadata(fraud)
    assert body["name"] == "fraud-detector" and body["versions"] == ["1.0.0"]
    datatype = "FP32" if fraud.runtime == "onnx" else "FP64"
    assert body["inputs"] == [{"name": "input", "datatype": datatype, "shape": [-1, 3]}]
    assert body["outputs"] == [
        {"name": "predict", "datatype": "INT64", "shape": [-1]},
        {
            "name": "predict_proba",
            "datatype": "FP64",
            "shape": [-1, 2],
            "parameters": {"classes": "[0, 1]"},
        },
    ]
    assert "parameters" not in body
