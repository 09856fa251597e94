"""The Open Inference Protocol (`/v2`) against the live service, spoken by a client no one
here wrote: NVIDIA's `tritonclient.http`. What it answers equals what `/v1` answers for the
same rows, for the default model (ONNX Runtime), a classifier with string labels and a
DataFrame pipeline with string and nullable inputs; its refusals are our messages, in the
protocol's error object, with our keys, scopes, model limits and per-row rate limits."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import tritonclient.http as triton
from tritonclient.utils import InferenceServerException

from specserve.auth.filestore import FileKeyStore
from tests.conftest import jwt_secret
from tests.live import LiveService
from tests.loan import CITIES, publish_loan

pytestmark = pytest.mark.slow

DEFAULT = "fraud-detector"
LABELS = "labels"  # numeric inputs, string classes
LOAN = "loan"  # a DataFrame pipeline: income, city (a string), age (nullable)
TINY = 10  # the rows a minute of the `tiny` tier's key

# float32-exact values: the ONNX graph takes FP32 (as the model's metadata says), so the
# tensor tritonclient sends holds exactly the numbers /v1 receives as JSON
ROWS = np.array(
    [
        [1500.5, 2, 0.75],
        [20.0, 0, 0.0625],
        [9000.0, 7, 0.96875],
        [120.25, 1, 0.3125],
        [2000.0, 3, 0.875],
        [5.0, 0, 0.015625],
    ]
)
LOAN_ROWS: list[dict[str, Any]] = [
    {"income": 95_000.0, "city": "paris", "age": 41.0},
    {"income": 21_000.0, "city": "lyon", "age": 67.0},
    {"income": 55_000.0, "city": "nantes", "age": 29.0},
    {"income": 48_500.0, "city": "paris", "age": 35.0},
]


def label_estimator() -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 3)) * [400.0, 2.0, 0.2] + [1000.0, 3.0, 0.5]
    y = np.where(x[:, 0] + 300 * x[:, 2] > 1150, "approve", "deny")
    return make_pipeline(StandardScaler(), LogisticRegression()).fit(x, y)


@pytest.fixture(scope="module")
def v2_model_dir(trained_model_dir, workdir) -> Path:
    """The default model (1.0.0 serving, 0.9.0 an older copy), `labels` and `loan`."""
    from specserve.serving.publish import add_estimator

    root = workdir / "v2-models"
    shutil.copytree(trained_model_dir, root)
    shutil.copytree(root / DEFAULT / "1.0.0", root / DEFAULT / "0.9.0")
    add_estimator(root, LABELS, "1", label_estimator(), metadata={"description": "labels"})
    publish_loan(root)
    return root


@pytest.fixture(scope="module")
def store(keys_file) -> FileKeyStore:
    return FileKeyStore(keys_file)


@pytest.fixture(scope="module")
def keys(store, api_key) -> dict[str, str]:
    return {
        "main": api_key,
        "read_only": store.create("read only", scopes=["models:read"])[1],
        "loan_only": store.create("loan only", models=[LOAN])[1],
        "tiny": store.create("tiny", tier="tiny")[1],
        "tiny_too": store.create("tiny too", tier="tiny")[1],
    }


@pytest.fixture(scope="module")
def svc(workdir, v2_model_dir, keys_file, keys, test_redis):
    env = {
        "SPECSERVE_REDIS_URL": test_redis,
        "SPECSERVE_JWT_SECRET": jwt_secret(),
        "SPECSERVE_RATE_LIMIT_TIERS": f"tiny={TINY}/minute",
    }
    with LiveService(workdir, v2_model_dir, keys_file, env=env) as service:
        yield service


@pytest.fixture(scope="module")
def client(svc):
    c = triton.InferenceServerClient(f"127.0.0.1:{svc.port}", network_timeout=30)
    yield c
    c.close()


@pytest.fixture(scope="module")
def v1(svc, api_key):
    with httpx.Client(base_url=svc.base_url, headers={"X-API-Key": api_key}, timeout=20) as c:
        yield c


def auth(key: str) -> dict[str, str]:
    """A fresh dict per call: tritonclient adds its own headers to the one it is given."""
    return {"X-API-Key": key}


def matrix_input(rows: np.ndarray, datatype: str = "FP32", binary: bool = True) -> Any:
    dtype = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64}[datatype]
    tensor = triton.InferInput("input", list(rows.shape), datatype)
    tensor.set_data_from_numpy(rows.astype(dtype), binary_data=binary)
    return tensor


def loan_inputs(rows: list[dict[str, Any]], binary: bool = True) -> list[Any]:
    """One tensor per input, as the model's metadata lists them (BYTES for `city`)."""
    n = len(rows)
    income = triton.InferInput("income", [n], "FP64")
    income.set_data_from_numpy(np.array([r["income"] for r in rows]), binary_data=binary)
    city = triton.InferInput("city", [n], "BYTES")
    city.set_data_from_numpy(np.array([r["city"] for r in rows], dtype=object), binary_data=binary)
    age = triton.InferInput("age", [n], "FP64")
    age.set_data_from_numpy(np.array([r["age"] for r in rows]), binary_data=binary)
    return [income, city, age]


def labels_of(result: Any) -> list[Any]:
    values = result.as_numpy("predict")
    # BYTES: bytes from a binary output, str from a JSON one
    return [
        v.decode() if isinstance(v, bytes) else v if isinstance(v, str) else v.item()
        for v in values
    ]


def v1_batch(v1: httpx.Client, model: str, features: list[Any]) -> list[dict[str, Any]]:
    r = v1.post(
        f"/models/{model}/batch_predict",
        params={"probabilities": "true"},
        json={"requests": [{"features": f} for f in features]},
    )
    assert r.status_code == 200, r.text
    return r.json()["predictions"]


def v1_single(v1: httpx.Client, model: str, features: Any) -> dict[str, Any]:
    path = "/predict" if model == DEFAULT else f"/models/{model}/predict"
    r = v1.post(path, params={"probabilities": "true"}, json={"features": features})
    assert r.status_code == 200, r.text
    return r.json()


def assert_same_as_v1(
    result: Any, v1: httpx.Client, model: str, features: list[Any], infer_one: Any
) -> None:
    """The same computation, the same numbers: an infer of n rows answers exactly what /v1's
    batch of those rows answers (labels and every class's probability), and an infer of one
    row exactly what /v1/predict answers for it. (A row alone and in a batch may differ in
    the last bits of a float32 graph's probabilities, on /v1 as on /v2.)"""
    batch = v1_batch(v1, model, features)
    string_labels = "label" in batch[0]
    expected = [p["label"] if string_labels else p["prediction"] for p in batch]
    assert labels_of(result) == expected
    proba = result.as_numpy("predict_proba")
    assert proba.dtype == np.float64 and proba.shape == (len(features), 2)
    assert proba.tolist() == [p["probabilities"] for p in batch]
    for row in features:
        single = v1_single(v1, model, row)
        alone = infer_one(row)
        (label,) = labels_of(alone)
        assert label == single.get("label", single["prediction"])
        (probabilities,) = alone.as_numpy("predict_proba").tolist()
        assert probabilities == single["probabilities"]
        assert max(probabilities) == single["probability"]


def refusal(call: Any) -> InferenceServerException:
    with pytest.raises(InferenceServerException) as caught:
        call()
    return caught.value


# -- health and metadata ------------------------------------------------------------------------


def test_server_health_and_metadata(client, api_key):
    assert client.is_server_live(headers=auth(api_key)) is True
    assert client.is_server_ready(headers=auth(api_key)) is True
    meta = client.get_server_metadata(headers=auth(api_key))
    assert meta["name"] == "specserve" and meta["version"]
    assert "binary_tensor_data" in meta["extensions"]


def test_probes_need_no_key(svc):
    url = f"http://127.0.0.1:{svc.port}/v2"
    assert httpx.get(f"{url}/health/live").json() == {"live": True}
    assert httpx.get(f"{url}/health/ready").json() == {"ready": True}


def test_model_metadata_lists_the_tensors_an_infer_takes_and_returns(client, api_key):
    meta = client.get_model_metadata(DEFAULT, headers=auth(api_key))
    assert meta["name"] == DEFAULT and meta["platform"] == "onnx_onnxv1"
    assert sorted(meta["versions"]) == ["0.9.0", "1.0.0"]
    assert meta["inputs"] == [{"name": "input", "datatype": "FP32", "shape": [-1, 3]}]
    predict, proba = meta["outputs"]
    assert predict == {"name": "predict", "datatype": "INT64", "shape": [-1]}
    assert proba["name"] == "predict_proba" and proba["shape"] == [-1, 2]
    assert json.loads(proba["parameters"]["classes"]) == [0, 1]

    labels = client.get_model_metadata(LABELS, headers=auth(api_key))
    assert labels["outputs"][0]["datatype"] == "BYTES"
    assert json.loads(labels["outputs"][1]["parameters"]["classes"]) == ["approve", "deny"]

    loan = client.get_model_metadata(LOAN, headers=auth(api_key))
    assert loan["parameters"] == {"content_type": "pd"}
    assert loan["inputs"] == [
        {"name": "income", "datatype": "FP64", "shape": [-1]},
        {"name": "city", "datatype": "BYTES", "shape": [-1]},
        {"name": "age", "datatype": "FP64", "shape": [-1]},
    ]
    assert json.loads(loan["outputs"][1]["parameters"]["classes"]) == ["approve", "reject"]

    older = client.get_model_metadata(DEFAULT, "0.9.0", headers=auth(api_key))
    assert older["inputs"] == meta["inputs"]


def test_model_readiness(client, api_key):
    for model in (DEFAULT, LABELS, LOAN):
        assert client.is_model_ready(model, headers=auth(api_key)) is True
    assert client.is_model_ready(DEFAULT, "0.9.0", headers=auth(api_key)) is True
    assert client.is_model_ready("no-such-model", headers=auth(api_key)) is False


# -- inference: the same answers as /v1 -------------------------------------------------------


def test_numeric_model_binary_defaults_equal_v1(client, api_key, v1):
    result = client.infer(DEFAULT, [matrix_input(ROWS)], headers=auth(api_key))
    response = result.get_response()
    assert response["model_name"] == DEFAULT and response["model_version"] == "1.0.0"
    # tritonclient's defaults: binary inputs, and all outputs asked for in binary
    assert all("binary_data_size" in o["parameters"] for o in response["outputs"])
    assert result.as_numpy("predict").dtype == np.int64
    assert_same_as_v1(
        result,
        v1,
        DEFAULT,
        ROWS.tolist(),
        lambda row: client.infer(DEFAULT, [matrix_input(np.array([row]))], headers=auth(api_key)),
    )


def json_outputs() -> list[Any]:
    return [
        triton.InferRequestedOutput("predict", binary_data=False),
        triton.InferRequestedOutput("predict_proba", binary_data=False),
    ]


def test_numeric_model_json_in_json_out_equals_binary(client, api_key, v1):
    def infer(rows: np.ndarray) -> Any:
        return client.infer(
            DEFAULT,
            [matrix_input(rows, "FP64", binary=False)],
            outputs=json_outputs(),
            headers=auth(api_key),
        )

    result = infer(ROWS)
    response = result.get_response()
    assert all(
        "data" in o and "binary_data_size" not in o.get("parameters", {})
        for o in response["outputs"]
    )
    assert_same_as_v1(result, v1, DEFAULT, ROWS.tolist(), lambda row: infer(np.array([row])))
    binary = client.infer(DEFAULT, [matrix_input(ROWS)], headers=auth(api_key))
    assert labels_of(binary) == labels_of(result)
    assert binary.as_numpy("predict_proba").tolist() == result.as_numpy("predict_proba").tolist()


def test_one_output_asked_for_is_the_only_one_answered(client, api_key):
    outputs = [triton.InferRequestedOutput("predict_proba")]
    result = client.infer(DEFAULT, [matrix_input(ROWS)], outputs=outputs, headers=auth(api_key))
    assert [o["name"] for o in result.get_response()["outputs"]] == ["predict_proba"]
    assert result.as_numpy("predict") is None


def test_string_label_classifier_equals_v1(client, api_key, v1):
    result = client.infer(LABELS, [matrix_input(ROWS)], headers=auth(api_key))
    assert set(labels_of(result)) <= {"approve", "deny"}
    assert_same_as_v1(
        result,
        v1,
        LABELS,
        ROWS.tolist(),
        lambda row: client.infer(LABELS, [matrix_input(np.array([row]))], headers=auth(api_key)),
    )
    as_json = client.infer(
        LABELS,
        [matrix_input(ROWS, "FP64", binary=False)],
        outputs=[triton.InferRequestedOutput("predict", binary_data=False)],
        headers=auth(api_key),
    )
    assert as_json.get_response()["outputs"][0]["datatype"] == "BYTES"
    assert labels_of(as_json) == labels_of(result)


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "json"])
def test_dataframe_pipeline_with_string_columns_equals_v1(client, api_key, v1, binary):
    def infer(rows: list[dict[str, Any]]) -> Any:
        outputs = [
            triton.InferRequestedOutput("predict", binary_data=binary),
            triton.InferRequestedOutput("predict_proba", binary_data=binary),
        ]
        return client.infer(LOAN, loan_inputs(rows, binary), outputs=outputs, headers=auth(api_key))

    result = infer(LOAN_ROWS)
    assert set(labels_of(result)) == {"approve", "reject"}  # the rows hold both answers
    assert_same_as_v1(result, v1, LOAN, LOAN_ROWS, lambda row: infer([row]))


def test_request_id_is_echoed_as_the_answers_id(client, api_key):
    result = client.infer(
        DEFAULT, [matrix_input(ROWS[:1])], request_id="triton-req-7", headers=auth(api_key)
    )
    assert result.get_response()["id"] == "triton-req-7"


def test_a_versioned_infer_uses_that_version(client, api_key):
    result = client.infer(
        DEFAULT, [matrix_input(ROWS)], model_version="0.9.0", headers=auth(api_key)
    )
    assert result.get_response()["model_version"] == "0.9.0"
    serving = client.infer(DEFAULT, [matrix_input(ROWS)], headers=auth(api_key))
    assert labels_of(result) == labels_of(serving)  # a copy of the serving version


def test_a_hundred_rows_in_one_infer(client, api_key, v1):
    rng = np.random.default_rng(11)
    rows = (rng.normal(size=(100, 3)) * [400.0, 2.0, 0.2] + [1000.0, 3.0, 0.5]).astype(np.float32)
    result = client.infer(DEFAULT, [matrix_input(rows)], headers=auth(api_key))
    assert result.as_numpy("predict").shape == (100,)
    assert result.as_numpy("predict_proba").shape == (100, 2)
    batch = v1_batch(v1, DEFAULT, rows.astype(np.float64).tolist())
    assert labels_of(result) == [p["prediction"] for p in batch]
    assert result.as_numpy("predict_proba").tolist() == [p["probabilities"] for p in batch]


def test_integer_and_bool_tensors_are_cast_as_the_model_needs(client, api_key):
    """Any numeric datatype (or BOOL) in the matrix form: the same values, the same answers."""
    whole = np.array([[1500, 2, 1], [20, 0, 0], [9000, 7, 1]])

    def infer(tensor: Any) -> Any:
        return client.infer(DEFAULT, [tensor], headers=auth(api_key))

    as_float = infer(matrix_input(whole.astype(np.float64)))
    as_int = infer(matrix_input(whole, "INT64"))
    flags = triton.InferInput("input", [3, 3], "BOOL")
    flags.set_data_from_numpy(whole.astype(bool))
    as_bool = infer(flags)
    as_bool_float = infer(matrix_input(whole.astype(bool).astype(np.float64)))
    for got, want in ((as_int, as_float), (as_bool, as_bool_float)):
        assert labels_of(got) == labels_of(want)
        assert got.as_numpy("predict_proba").tolist() == want.as_numpy("predict_proba").tolist()


def test_pd_columns_with_a_null_for_a_nullable_input(svc, api_key, v1):
    """MLServer's `pd` column form in plain JSON; `age` is missing on the second row (the
    pipeline imputes it), as /v1 takes a null."""
    rows = [
        {"income": 95_000.0, "city": "paris", "age": 41.0},
        {"income": 61_000.0, "city": "nantes", "age": None},
    ]
    body = {
        "id": "pd-1",
        "parameters": {"content_type": "pd"},
        "inputs": [
            {
                "name": name,
                "shape": [len(rows)],
                "datatype": datatype,
                "parameters": {"content_type": "str"} if datatype == "BYTES" else {},
                "data": [r[name] for r in rows],
            }
            for name, datatype in (("income", "FP64"), ("city", "BYTES"), ("age", "FP64"))
        ],
    }
    r = httpx.post(
        f"http://127.0.0.1:{svc.port}/v2/models/{LOAN}/infer",
        json=body,
        headers=auth(api_key),
        timeout=20,
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    answer = r.json()
    assert answer["id"] == "pd-1"
    outputs = {o["name"]: o for o in answer["outputs"]}
    batch = v1_batch(v1, LOAN, rows)
    assert outputs["predict"]["data"] == [p["label"] for p in batch]
    assert outputs["predict_proba"]["shape"] == [2, 2]
    assert outputs["predict_proba"]["data"] == [x for p in batch for x in p["probabilities"]]


# -- refusals, as the client shows them ---------------------------------------------------------


def raw_infer(svc: LiveService, key: str, body: dict[str, Any], model: str = DEFAULT):
    return httpx.post(
        f"http://127.0.0.1:{svc.port}/v2/models/{model}/infer",
        json=body,
        headers=auth(key),
        timeout=20,
    )


def matrix_body(rows: np.ndarray) -> dict[str, Any]:
    return {
        "inputs": [
            {"name": "input", "shape": list(rows.shape), "datatype": "FP64", "data": rows.tolist()}
        ]
    }


def test_a_wrong_key_is_401_with_our_message(client, svc):
    wrong = "ssk_000000000000_" + "A" * 43
    e = refusal(lambda: client.infer(DEFAULT, [matrix_input(ROWS)], headers=auth(wrong)))
    assert e.status() == "401"
    r = raw_infer(svc, wrong, matrix_body(ROWS))
    assert r.status_code == 401 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["code"] == "unauthorized" and body["status"] == 401
    assert e.message() == body["error"]
    assert "credentials" in e.message().lower()
    assert "WWW-Authenticate" in r.headers
    e = refusal(lambda: client.get_model_metadata(DEFAULT))  # no key at all
    assert e.status() == "401" and e.message() == body["error"]


def test_a_bearer_token_works_as_the_key_does(client, svc, keys):
    r = httpx.post(
        f"{svc.base_url}/auth/token",
        data={"grant_type": "client_credentials"},
        headers=auth(keys["read_only"]),
        timeout=10,
    )
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get_model_metadata(DEFAULT, headers=dict(bearer))["name"] == DEFAULT
    e = refusal(lambda: client.infer(DEFAULT, [matrix_input(ROWS)], headers=dict(bearer)))
    assert e.status() == "403" and "predict" in e.message()  # the key's scopes, no more


def test_a_key_without_predict_is_403_insufficient_scope(client, svc, keys):
    key = keys["read_only"]
    assert client.get_model_metadata(DEFAULT, headers=auth(key))["name"] == DEFAULT  # models:read
    e = refusal(lambda: client.infer(DEFAULT, [matrix_input(ROWS)], headers=auth(key)))
    assert e.status() == "403"
    body = raw_infer(svc, key, matrix_body(ROWS)).json()
    assert body["code"] == "insufficient_scope" and e.message() == body["error"]
    assert "predict" in e.message()


def test_a_key_limited_to_another_model_is_403(client, svc, keys):
    key = keys["loan_only"]
    result = client.infer(LOAN, loan_inputs(LOAN_ROWS), headers=auth(key))
    assert len(labels_of(result)) == len(LOAN_ROWS)
    e = refusal(lambda: client.infer(DEFAULT, [matrix_input(ROWS)], headers=auth(key)))
    assert e.status() == "403"
    body = raw_infer(svc, key, matrix_body(ROWS)).json()
    assert body["code"] == "model_not_allowed" and e.message() == body["error"]
    e = refusal(lambda: client.get_model_metadata(DEFAULT, headers=auth(key)))
    assert e.status() == "403"
    e = refusal(lambda: client.infer("no-such-model", [matrix_input(ROWS)], headers=auth(key)))
    assert e.status() == "403"  # a limited key learns nothing about other names


def test_an_unknown_model_is_404(client, api_key):
    e = refusal(lambda: client.infer("no-such-model", [matrix_input(ROWS)], headers=auth(api_key)))
    assert e.status() == "404" and "no-such-model" in e.message()


def test_an_unknown_version_is_404(client, api_key):
    e = refusal(
        lambda: client.infer(
            DEFAULT, [matrix_input(ROWS)], model_version="9.9.9", headers=auth(api_key)
        )
    )
    assert e.status() == "404" and "9.9.9" in e.message()
    e = refusal(lambda: client.get_model_metadata(DEFAULT, "9.9.9", headers=auth(api_key)))
    assert e.status() == "404" and "9.9.9" in e.message()
    assert client.is_model_ready(DEFAULT, "9.9.9", headers=auth(api_key)) is False


def test_a_compressed_request_is_415_with_our_message(client, api_key):
    e = refusal(
        lambda: client.infer(
            DEFAULT,
            [matrix_input(ROWS)],
            headers=auth(api_key),
            request_compression_algorithm="gzip",
        )
    )
    assert e.status() == "415" and "Content-Encoding" in e.message()
    # a compressed answer, though, the client may ask for
    result = client.infer(
        DEFAULT, [matrix_input(ROWS)], headers=auth(api_key), response_compression_algorithm="gzip"
    )
    assert result.as_numpy("predict").shape == (len(ROWS),)


def tensor_refusal(client: Any, key: str, model: str, inputs: list[Any]) -> str:
    e = refusal(lambda: client.infer(model, inputs, headers=auth(key)))
    assert e.status() == "400", (e.status(), e.message())
    return e.message()


def test_tensors_that_do_not_fit_are_400_naming_the_tensor(client, api_key):
    wide = triton.InferInput("input", [2, 4], "FP32")
    wide.set_data_from_numpy(np.ones((2, 4), np.float32))
    message = tensor_refusal(client, api_key, DEFAULT, [wide])
    assert message.startswith("Input 'input':") and "3" in message and "4" in message

    strings = triton.InferInput("input", [1, 3], "BYTES")
    strings.set_data_from_numpy(np.array([["a", "b", "c"]], dtype=object))
    message = tensor_refusal(client, api_key, DEFAULT, [strings])
    assert message.startswith("Input 'input':") and "BYTES" in message

    inputs = loan_inputs(LOAN_ROWS)
    bogus = triton.InferInput("salary", [len(LOAN_ROWS)], "FP64")
    bogus.set_data_from_numpy(np.ones(len(LOAN_ROWS)))
    message = tensor_refusal(client, api_key, LOAN, [inputs[0], inputs[1], bogus])
    assert message.startswith("Input 'salary':") and "income, city, age" in message

    short = triton.InferInput("age", [1], "FP64")
    short.set_data_from_numpy(np.ones(1))
    message = tensor_refusal(client, api_key, LOAN, [inputs[0], inputs[1], short])
    assert message.startswith("Input 'age':") and "rows" in message

    too_many = triton.InferInput("input", [101, 3], "FP32")
    too_many.set_data_from_numpy(np.ones((101, 3), np.float32))
    message = tensor_refusal(client, api_key, DEFAULT, [too_many])
    assert message.startswith("Input 'input':") and "100" in message

    e = refusal(
        lambda: client.infer(
            DEFAULT,
            [matrix_input(ROWS)],
            outputs=[triton.InferRequestedOutput("scores")],
            headers=auth(api_key),
        )
    )
    assert e.status() == "400" and e.message().startswith("Output 'scores':")


def test_a_value_the_model_cannot_take_is_422_naming_the_input(client, api_key):
    inputs = loan_inputs([{**LOAN_ROWS[0], "city": "berlin"}])
    e = refusal(lambda: client.infer(LOAN, inputs, headers=auth(api_key)))
    assert e.status() == "422" and "city" in e.message() and "berlin" in e.message()
    assert all(c in e.message() for c in CITIES)


POLICY = re.compile(rf'"tiny";q={TINY};w=60')


def rate(r: httpx.Response) -> int:
    match = re.fullmatch(r'"tiny";r=(\d+);t=\d+', r.headers["ratelimit"])
    assert match, r.headers["ratelimit"]
    return int(match[1])


def test_an_infer_costs_its_rows_and_over_the_limit_is_429(client, svc, keys):
    key = keys["tiny"]
    first = raw_infer(svc, key, matrix_body(ROWS[:4]))
    assert first.status_code == 200, first.text
    assert POLICY.fullmatch(first.headers["ratelimit-policy"])
    assert rate(first) == TINY - 4
    # the binary body tritonclient sends is costed by its JSON header's shape: 5 rows
    client.infer(DEFAULT, [matrix_input(ROWS[:5])], headers=auth(key))
    second = raw_infer(svc, key, matrix_body(ROWS[:1]))
    assert second.status_code == 200 and rate(second) == 0
    e = refusal(lambda: client.infer(DEFAULT, [matrix_input(ROWS[:1])], headers=auth(key)))
    assert e.status() == "429"
    over = raw_infer(svc, key, matrix_body(ROWS[:1]))
    assert over.status_code == 429 and over.headers["content-type"] == "application/json"
    body = over.json()
    retry = int(over.headers["retry-after"])
    assert 1 <= retry <= 60 and body["retry_after"] == retry
    assert body["code"] == "rate_limited"
    # the same message, but for the seconds left, which may have ticked between the two
    assert re.sub(r"\d+", "N", e.message()) == re.sub(r"\d+", "N", body["error"])
    assert f"retry in {retry} seconds" in body["error"]
    assert rate(over) == 0


def test_an_infer_of_more_rows_than_the_whole_limit_is_refused(client, svc, keys):
    key = keys["tiny_too"]
    e = refusal(
        lambda: client.infer(DEFAULT, [matrix_input(np.ones((TINY + 1, 3)))], headers=auth(key))
    )
    assert e.status() == "429"
    body = raw_infer(svc, key, matrix_body(np.ones((TINY + 1, 3)))).json()
    assert body["code"] == "cost_exceeds_limit" and e.message() == body["error"]
    assert raw_infer(svc, key, matrix_body(np.ones((TINY, 3)))).status_code == 200


# -- metrics ----------------------------------------------------------------------------------


Sample = tuple[str, dict[str, str], float]


def scrape(svc: LiveService, key: str) -> list[Sample]:
    """Every sample of /metrics: its name, labels and value."""
    text = httpx.get(f"{svc.base_url}/metrics", headers=auth(key), timeout=10).text
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, value = line.rsplit(" ", 1)
        name, _, labels = head.partition("{")
        samples.append((name, dict(re.findall(r'(\w+)="([^"]*)"', labels)), float(value)))
    return samples


def total(samples: list[Sample], name: str, **labels: str) -> float:
    return sum(
        v
        for n, have, v in samples
        if n == name and all(have.get(k) == x for k, x in labels.items())
    )


def test_metrics_name_routes_by_template_never_by_what_a_client_sent(client, svc, api_key):
    rows = "specserve_prediction_rows_total"
    before = scrape(svc, api_key)
    assert client.is_server_live(headers=auth(api_key))
    client.get_server_metadata(headers=auth(api_key))
    client.infer(DEFAULT, [matrix_input(ROWS)], request_id="metric-probe-id", headers=auth(api_key))
    client.infer(DEFAULT, [matrix_input(ROWS)], model_version="0.9.0", headers=auth(api_key))
    client.get_model_metadata(LOAN, headers=auth(api_key))
    client.is_model_ready(LABELS, headers=auth(api_key))
    refusal(lambda: client.infer("zz-made-up-model", [matrix_input(ROWS)], headers=auth(api_key)))
    bogus = triton.InferInput("zzbogustensor", [1], "FP64")
    bogus.set_data_from_numpy(np.ones(1))
    refusal(lambda: client.infer(LOAN, [bogus], headers=auth(api_key)))
    httpx.get(f"http://127.0.0.1:{svc.port}/v2/zz-no-such-path", timeout=10)
    after = scrape(svc, api_key)

    requests = "specserve_http_requests_total"
    infer = "/v2/models/{model_name}/infer"
    for route, status in (
        (infer, "200"),
        (infer, "404"),  # no such model: still the route's template
        (infer, "400"),
        ("/v2/models/{model_name}/versions/{version}/infer", "200"),
        ("/v2/models/{model_name}", "200"),
        ("/v2/models/{model_name}/ready", "200"),
        ("/v2/health/live", "200"),
        ("/v2/", "200"),
    ):
        moved = total(after, requests, route=route, status=status) - total(
            before, requests, route=route, status=status
        )
        assert moved >= 1, (route, status, sorted({s[1].get("route") for s in after}))
    # an infer's rows count as /v1's do, under the version that answered
    for version in ("1.0.0", "0.9.0"):
        moved = total(after, rows, model=DEFAULT, version=version) - total(
            before, rows, model=DEFAULT, version=version
        )
        assert moved == len(ROWS), version

    served = {DEFAULT, LABELS, LOAN}
    for name, labels, _ in after:
        if "route" in labels:  # per request: a template (and a method, a status), no more
            assert set(labels) <= {"route", "method", "status", "le"}, (name, labels)
            assert not re.search(r"fraud|loan|labels|zz|0\.9\.0", labels["route"]), labels
        if "model" in labels:  # per model: only the models the service holds
            assert labels["model"] in served, (name, labels)
        for value in labels.values():
            for sent in ("zz-made-up-model", "zzbogustensor", "metric-probe-id", "zz-no-such"):
                assert sent not in value, (name, labels)
