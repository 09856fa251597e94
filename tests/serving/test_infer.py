"""`DataPlane.infer` (the Open Inference Protocol, `/v2`) answers exactly what `/v1` answers
for the same rows: the same labels, probabilities, values and scores, for every model kind
and runtime, a numeric matrix or one tensor per named input (a DataFrame pipeline with
strings), JSON or binary; a batch is one model call; a value the model cannot take is the
same 422 as on `/v1`."""

from __future__ import annotations

import asyncio
import json
import shutil
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from specserve.config import Settings
from specserve.errors import FeatureOutOfRange, ModelNotFound, ModelUnavailable
from specserve.serving.dataplane import DataPlane
from specserve.serving.publish import add_estimator
from specserve.serving.signature import InputRefused
from specserve.serving.tensors import TensorInvalid
from tests.app.test_typed_inputs import loan_frame, loan_model
from tests.serving.conftest import training_data

ROWS = np.vstack([training_data(seed=1)[:30], [[0.0, 0.0, 0.0], [1e6, -50.0, 3.0]]])
NAMES = [
    "hgb-onnx",
    "hgb-sklearn",
    "loan-onnx",
    "loan-sklearn",
    "svc-sklearn",
    "forest3-onnxfile",
    "forestreg-onnx",
    "linreg-joblib",
]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def plane_of(root: Path, microbatch: bool = True) -> DataPlane:
    plane = DataPlane(
        Settings(model_dir=root, model_poll_seconds=0, allow_pickle=True, microbatch=microbatch)
    )
    plane.load()
    return plane


@pytest.fixture(scope="module", params=[True, False], ids=["microbatch", "direct"])
def zoo_plane(request, zoo_dir) -> DataPlane:
    return plane_of(zoo_dir, request.param)


def infer(plane: DataPlane, name: str, payload: dict[str, Any], binary: bytes | None = None):
    return run(plane.infer(payload, "req-1", binary, name=name, max_rows=100))


def outputs(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in body["outputs"]}


def matrix(rows: np.ndarray) -> dict[str, Any]:
    return {
        "inputs": [
            {"name": "input", "datatype": "FP64", "shape": list(rows.shape), "data": rows.tolist()}
        ]
    }


def v1_batch(plane: DataPlane, name: str, features: list[Any], **extras: bool) -> list[Any]:
    payload = {"requests": [{"features": f} for f in features]}
    body = run(plane.batch_predict(payload, "r", name=name, probabilities=True, **extras))
    return list(body["predictions"])


def assert_same_answers(body: dict[str, Any], v1: list[dict[str, Any]]) -> None:
    """The infer's outputs hold /v1's answers for the same rows, in order."""
    out = outputs(body)
    predict = out["predict"]
    assert predict["shape"] == [len(v1)]
    if predict["datatype"] == "BYTES":
        assert predict["data"] == [p["label"] for p in v1]
    else:
        assert predict["data"] == [p["prediction"] for p in v1]
    if v1[0]["probabilities"] is None:
        assert "predict_proba" not in out
        return
    proba = out["predict_proba"]
    assert proba["shape"] == [len(v1), len(v1[0]["probabilities"])]
    assert proba["data"] == [p for row in v1 for p in row["probabilities"]]


@pytest.mark.parametrize("name", NAMES)
def test_an_infer_answers_as_batch_predict_and_predict(zoo_plane, name):
    body, tail = infer(zoo_plane, name, matrix(ROWS))
    assert tail == b"" and body["model_name"] == name and body["id"] == "req-1"
    assert_same_answers(body, v1_batch(zoo_plane, name, ROWS.tolist()))
    one, _ = infer(zoo_plane, name, matrix(ROWS[:1]))
    single = run(
        zoo_plane.predict({"features": ROWS[0].tolist()}, "r", name=name, probabilities=True)
    )
    assert_same_answers(one, [single])


def test_datatypes_of_predict_follow_the_labels(zoo_plane):
    kinds = {"hgb-onnx": "INT64", "loan-sklearn": "BYTES", "forestreg-onnx": "FP64"}
    for name, datatype in kinds.items():
        body, _ = infer(zoo_plane, name, matrix(ROWS[:2]))
        assert outputs(body)["predict"]["datatype"] == datatype
        meta = run(zoo_plane.tensor_metadata(name))
        assert [o["datatype"] for o in meta["outputs"]][0] == datatype
        assert [o["name"] for o in meta["outputs"]] == [o["name"] for o in body["outputs"]]
    classes = outputs(infer(zoo_plane, "loan-onnx", matrix(ROWS[:2]))[0])["predict_proba"]
    assert json.loads(classes["parameters"]["classes"]) == ["approve", "deny"]


def test_binary_in_binary_out_equals_json(zoo_plane):
    raw = ROWS.astype("<f4").tobytes()  # what tritonclient sends for an FP32 numpy array
    payload = {
        "inputs": [
            {
                "name": "input",
                "datatype": "FP32",
                "shape": list(ROWS.shape),
                "parameters": {"binary_data_size": len(raw)},
            }
        ],
        "parameters": {"binary_data_output": True},
    }
    body, tail = infer(zoo_plane, "loan-onnx", payload, raw)
    as_json, _ = infer(zoo_plane, "loan-onnx", matrix(ROWS.astype(np.float32).astype(np.float64)))
    predict, proba = body["outputs"]
    size = predict["parameters"]["binary_data_size"]
    labels, offset = [], 0
    while offset < size:
        (length,) = struct.unpack_from("<I", tail, offset)
        labels.append(tail[offset + 4 : offset + 4 + length].decode())
        offset += 4 + length
    assert labels == outputs(as_json)["predict"]["data"]
    probabilities = np.frombuffer(tail[size:], "<f8")
    assert probabilities.tolist() == outputs(as_json)["predict_proba"]["data"]
    assert len(tail) == size + proba["parameters"]["binary_data_size"]


class CountingRunner:
    """The served runner, counting its calls and the rows they carry."""

    def __init__(self, runner: Any) -> None:
        self.runner, self.calls, self.rows = runner, 0, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.runner, name)

    def __call__(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.rows += len(x)
        return self.runner(x, *args, **kwargs)


@pytest.mark.parametrize("name", ["hgb-onnx", "loan-sklearn"])
def test_an_infer_of_100_rows_is_one_model_call(zoo_dir, name):
    plane = plane_of(zoo_dir)
    model = plane.registry.ready_model(name)
    counting = model.runner = CountingRunner(model.runner)
    rows = np.vstack([ROWS] * 4)[:100]
    body, _ = infer(plane, name, matrix(rows))
    assert (counting.calls, counting.rows) == (1, 100)
    assert outputs(body)["predict"]["shape"] == [100]


def test_values_a_float32_graph_cannot_hold_are_the_same_422(zoo_plane):
    rows = np.array([[1.0, 2.0, 0.5], [1e39, 2.0, 0.5]])
    with pytest.raises(FeatureOutOfRange) as caught:
        infer(zoo_plane, "hgb-onnx", matrix(rows))
    assert caught.value.errors == [
        {"path": "$.inputs[0].data[1][0]", "message": caught.value.errors[0]["message"]}
    ]


# -- named inputs: a DataFrame pipeline with strings, outliers and clusters ------------------


@pytest.fixture(scope="module")
def typed_dir(tmp_path_factory, trained_model_dir) -> Path:
    from sklearn.cluster import KMeans
    from sklearn.ensemble import IsolationForest

    root = tmp_path_factory.mktemp("typed")
    shutil.copytree(trained_model_dir / "fraud-detector", root / "fraud-detector")
    frame, y = loan_frame()
    add_estimator(root, "loan", "1", loan_model(frame, y), example=frame.to_dict("records"))
    x = training_data()
    add_estimator(root, "outliers", "1", IsolationForest(n_estimators=30, random_state=0).fit(x))
    add_estimator(root, "clusters", "1", KMeans(3, n_init=3, random_state=0).fit(x))
    broken = root / "fraud-detector" / "0.9.0"
    shutil.copytree(root / "fraud-detector" / "1.0.0", broken)
    for artifact in broken.glob("model.*"):
        artifact.write_bytes(b"not a model")
    return root


@pytest.fixture(scope="module")
def typed_plane(typed_dir) -> DataPlane:
    return plane_of(typed_dir)


def loan_rows() -> list[dict[str, Any]]:
    frame, _ = loan_frame(20, seed=3)
    rows: list[dict[str, Any]] = frame.to_dict("records")
    for row in rows:  # pandas holds a missing string as NaN; JSON as null
        row["channel"] = row["channel"] if isinstance(row["channel"], str) else None
    rows[1]["channel"] = None
    return rows


def columns(rows: list[dict[str, Any]]) -> dict[str, Any]:
    datatypes = {
        "income": "FP64",
        "debt": "FP64",
        "age": "INT64",
        "city": "BYTES",
        "channel": "BYTES",
    }
    return {
        "inputs": [
            {
                "name": name,
                "datatype": datatype,
                "shape": [len(rows)],
                "data": [r[name] for r in rows],
            }
            for name, datatype in datatypes.items()
        ]
    }


def test_a_dataframe_pipeline_takes_one_tensor_per_input(typed_plane):
    rows = loan_rows()
    body, _ = infer(typed_plane, "loan", columns(rows))
    assert_same_answers(body, v1_batch(typed_plane, "loan", rows))
    single, _ = infer(typed_plane, "loan", columns(rows[1:2]))
    v1 = run(typed_plane.predict({"features": rows[1]}, "r", name="loan", probabilities=True))
    assert_same_answers(single, [v1])


def test_binary_string_columns_equal_json_ones(typed_plane):
    rows = loan_rows()
    payload = columns(rows)
    tail = b""
    for tensor in payload["inputs"]:
        values = tensor.pop("data")
        if tensor["datatype"] == "BYTES":
            raw = b"".join(
                struct.pack("<I", len(b)) + b for b in ((v or "").encode() for v in values)
            )
        else:
            raw = np.asarray(
                values, dtype="<f8" if tensor["datatype"] == "FP64" else "<i8"
            ).tobytes()
        tensor["parameters"] = {"binary_data_size": len(raw)}
        tail += raw
    body, _ = infer(typed_plane, "loan", payload, tail)
    for row in rows:  # BYTES has no missing value: "" went, an unknown value to the encoder
        row["channel"] = row["channel"] or ""
    assert_same_answers(body, v1_batch(typed_plane, "loan", rows))


def test_a_value_the_signature_refuses_is_the_same_422(typed_plane):
    rows = loan_rows()[:2]
    rows[1]["city"] = None
    with pytest.raises(InputRefused) as caught:
        infer(typed_plane, "loan", columns(rows))
    assert caught.value.code == "input_not_nullable" and "'city'" in caught.value.detail
    rows[1]["city"] = "berlin"
    with pytest.raises(InputRefused) as caught:
        infer(typed_plane, "loan", columns(rows))
    assert caught.value.code == "unknown_category"
    missing = columns(loan_rows()[:2])
    missing["inputs"] = [t for t in missing["inputs"] if t["name"] != "debt"]
    with pytest.raises(InputRefused) as caught:
        infer(typed_plane, "loan", missing)
    assert caught.value.code == "missing_input"


def test_a_string_model_sent_one_matrix_is_told_to_send_columns(typed_plane):
    payload = {"inputs": [{"name": "input", "datatype": "FP64", "shape": [1, 5], "data": [1] * 5}]}
    with pytest.raises(TensorInvalid, match="send one tensor per input"):
        infer(typed_plane, "loan", payload)


def test_named_metadata_lists_one_tensor_per_input_and_what_an_infer_returns(typed_plane):
    meta = run(typed_plane.tensor_metadata("loan"))
    assert meta["parameters"] == {"content_type": "pd"}
    assert meta["platform"] == "sklearn_skops"  # a pipeline of strings serves with scikit-learn
    assert meta["inputs"] == [
        {"name": "income", "datatype": "FP64", "shape": [-1]},
        {"name": "debt", "datatype": "FP64", "shape": [-1]},
        {"name": "age", "datatype": "INT64", "shape": [-1]},
        {"name": "city", "datatype": "BYTES", "shape": [-1]},
        {"name": "channel", "datatype": "BYTES", "shape": [-1]},
    ]
    assert meta["outputs"] == [
        {"name": "predict", "datatype": "INT64", "shape": [-1]},
        {
            "name": "predict_proba",
            "datatype": "FP64",
            "shape": [-1, 2],
            "parameters": {"classes": "[0, 1]"},
        },
    ]


def test_outliers_answer_plus_or_minus_one_and_their_scores(typed_plane):
    body, _ = infer(typed_plane, "outliers", matrix(ROWS))
    out = outputs(body)
    assert out["predict"]["datatype"] == "INT64" and set(out["predict"]["data"]) <= {-1, 1}
    v1 = run(
        typed_plane.batch_predict(
            {"requests": [{"features": r} for r in ROWS.tolist()]},
            "r",
            name="outliers",
            scores=True,
        )
    )["predictions"]
    assert out["predict"]["data"] == [p["prediction"] for p in v1]
    assert out["decision_function"] == {
        "name": "decision_function",
        "datatype": "FP64",
        "shape": [len(ROWS)],
        "data": [p["score"] for p in v1],
    }
    clusters = outputs(infer(typed_plane, "clusters", matrix(ROWS))[0])
    assert list(clusters) == ["predict"] and clusters["predict"]["datatype"] == "INT64"


def test_metadata_and_readiness_of_unknown_and_failed_versions(typed_plane):
    assert run(typed_plane.model_ready("loan")) == {"name": "loan", "ready": True}
    assert run(typed_plane.model_ready("fraud-detector", "1.0.0"))["ready"] is True
    for call in (typed_plane.tensor_metadata, typed_plane.model_ready):
        with pytest.raises(ModelNotFound):
            run(call("nope"))
        with pytest.raises(ModelNotFound):
            run(call("loan", "7"))
        with pytest.raises(ModelUnavailable):
            run(call("fraud-detector", "0.9.0"))
    with pytest.raises(ModelUnavailable):
        infer_version = typed_plane.infer(
            matrix(ROWS[:1]), "r", name="fraud-detector", version="0.9.0", max_rows=100
        )
        run(infer_version)


def test_the_handlers_answer_json_or_json_then_the_binary_tail(typed_plane):
    from handlers import inference

    live = run(inference.server_live("r1"))
    assert (live.status_code, json.loads(live.body)) == (200, {"live": True})
    assert live.headers["X-Request-ID"] == "r1"
    ready = run(inference.server_ready(typed_plane, "r2"))
    assert (ready.status_code, json.loads(ready.body)) == (200, {"ready": True})
    server = json.loads(run(inference.server_metadata("r3")).body)
    assert server["name"] == "specserve" and server["extensions"] == ["binary_tensor_data"]

    as_json = run(inference.model_infer(typed_plane, matrix(ROWS[:2]), "r4", "outliers"))
    assert as_json.content_type == "application/json"
    assert "Inference-Header-Content-Length" not in as_json.headers
    payload = {
        **matrix(ROWS[:2]),
        "outputs": [{"name": "predict", "parameters": {"binary_data": True}}],
    }
    answer = run(inference.model_version_infer(typed_plane, payload, "r5", "outliers", "1"))
    assert answer.content_type == "application/octet-stream"
    assert answer.headers["X-Request-ID"] == "r5"
    length = int(answer.headers["Inference-Header-Content-Length"])
    header, tail = json.loads(answer.body[:length]), answer.body[length:]
    assert header["outputs"][0]["parameters"] == {"binary_data_size": 16}
    assert np.frombuffer(tail, "<i8").tolist() == json.loads(as_json.body)["outputs"][0]["data"]
