"""The Open Inference Protocol at `/v2`, in process: the same keys, scopes, model limits,
rate limits, bounds, metrics and request ids as `/v1`, every error in the protocol's form."""

from __future__ import annotations

import json

import pytest

from specserve.auth.filestore import FileKeyStore
from tests.problem import SEED, assert_problem, assert_v2_error

LIMIT = 10
INFER = "/v2/models/fraud-detector/infer"


def tensor(rows: int, width: int = 3) -> dict:
    return {
        "inputs": [
            {"name": "input", "shape": [rows, width], "datatype": "FP32", "data": SEED * rows}
        ]
    }


@pytest.fixture(scope="module")
def app_overrides():
    return {"rate_limit": f"{LIMIT}/minute", "max_body_bytes": 64 * 1024}


@pytest.fixture(scope="module")
def store(keys_file):
    return FileKeyStore(keys_file)


@pytest.fixture(scope="module")
def root(app):
    with app.test_client(base_url="http://testserver") as c:
        yield c


def key(store, **kwargs) -> dict[str, str]:
    return {"X-API-Key": store.create("v2", **kwargs)[1]}


def test_health_needs_no_key_and_costs_nothing(root):
    for _ in range(LIMIT + 2):
        assert root.get("/v2/health/live").json() == {"live": True}
        r = root.get("/v2/health/ready")
        assert r.status_code == 200 and r.json() == {"ready": True}
        assert "ratelimit" not in r.headers


def test_server_metadata_is_answered_with_and_without_the_slash(root, store):
    k = key(store)
    for path in ("/v2", "/v2/"):
        r = root.get(path, headers=k)
        assert r.status_code == 200, r.text
        assert r.json()["name"] == "specserve" and "binary_tensor_data" in r.json()["extensions"]


def test_a_missing_or_wrong_key_is_refused_with_the_message_in_error(root):
    for headers in ({}, {"X-API-Key": "ssk_000000000000_" + "x" * 43}):
        for method, path in (("get", "/v2/models/fraud-detector"), ("post", INFER)):
            kwargs = {"json": tensor(1)} if method == "post" else {}
            r = getattr(root, method)(path, headers=headers, **kwargs)
            body = assert_v2_error(r, 401, "unauthorized")
            assert body["error"] == "Missing or invalid credentials."
            assert "ApiKey" in r.headers["www-authenticate"]


def test_scopes_are_those_of_v1(root, store):
    reader = key(store, scopes=["models:read"])
    assert root.get("/v2/models/fraud-detector", headers=reader).status_code == 200
    assert root.get("/v2/models/fraud-detector/ready", headers=reader).status_code == 200
    assert_v2_error(root.post(INFER, json=tensor(1), headers=reader), 403, "insufficient_scope")
    predictor = key(store, scopes=["predict"])
    assert root.post(INFER, json=tensor(1), headers=predictor).status_code == 200
    for path in ("/v2", "/v2/models/fraud-detector", "/v2/models/fraud-detector/ready"):
        assert_v2_error(root.get(path, headers=predictor), 403, "insufficient_scope")


def test_a_key_limited_to_other_models_is_refused_before_the_lookup(root, store):
    churn = key(store, models=["churn"])
    for method, path in (
        ("get", "/v2/models/fraud-detector"),
        ("get", "/v2/models/fraud-detector/versions/1.0.0"),
        ("get", "/v2/models/fraud-detector/ready"),
        ("post", INFER),
        ("post", "/v2/models/fraud-detector/versions/1.0.0/infer"),
    ):
        kwargs = {"json": tensor(1)} if method == "post" else {}
        r = getattr(root, method)(path, headers=churn, **kwargs)
        assert "'fraud-detector'" in assert_v2_error(r, 403, "model_not_allowed")["error"]
    mine = key(store, models=["fraud-detector"])
    assert root.post(INFER, json=tensor(1), headers=mine).status_code == 200


def test_an_infer_costs_its_batch_dimension(root, store):
    k = key(store)
    r = root.post(INFER, json=tensor(4), headers=k)
    assert r.status_code == 200, r.text
    assert r.headers["x-ratelimit-remaining"] == str(LIMIT - 4)
    assert r.headers["ratelimit-policy"] == f'"default";q={LIMIT};w=60'
    assert_v2_error(root.post(INFER, json=tensor(7), headers=k), 429, "rate_limited")
    r = root.post(INFER, json=tensor(6), headers=k)
    assert r.status_code == 200 and r.headers["x-ratelimit-remaining"] == "0"
    r = root.post(INFER, json=tensor(1), headers=k)
    body = assert_v2_error(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1 and body["retry_after"] >= 1


def test_an_infer_larger_than_the_whole_limit_can_never_be_admitted(root, store):
    r = root.post(INFER, json=tensor(LIMIT + 1), headers=key(store))
    assert_v2_error(r, 429, "cost_exceeds_limit")
    assert "retry-after" not in r.headers


def test_an_infer_past_the_row_limit_costs_one_and_is_a_400(root, store):
    k = key(store)
    r = root.post(INFER, json=tensor(101), headers=k)
    assert r.status_code == 400, r.text  # not priced at 101: the batch bound answers
    assert root.get("/v2/models/fraud-detector", headers=k).headers["x-ratelimit-remaining"] == str(
        LIMIT - 2
    )


def test_a_body_without_content_type_is_json_on_v2_only(root, store):
    k = key(store)
    body = json.dumps(tensor(1)).encode()
    r = root.post(INFER, content=body, headers=k)
    assert r.status_code == 200, r.text
    r = root.post("/v1/predict", content=json.dumps({"features": SEED}).encode(), headers=k)
    assert_problem(r, 415)


def test_refusals_before_routing_speak_the_protocol_on_v2(root, store):
    k = key(store)
    big = b"[" + b"1," * 40_000 + b"1]"
    assert_v2_error(root.post(INFER, content=big, headers=k), 413, "payload_too_large")
    assert_problem(root.post("/v1/predict", content=big, headers=k), 413, "payload_too_large")
    gz = {**k, "Content-Encoding": "gzip", "Content-Type": "application/json"}
    assert_v2_error(root.post(INFER, content=b"x", headers=gz), 415, "unsupported_media_type")
    assert_v2_error(root.get("/v2/no/such/path", headers=k), 404, "not_found")
    assert_v2_error(root.get("/v2/models/fraud-detector/", headers=k), 404, "not_found")
    many = {**k, **{f"X-Pad-{i}": "x" for i in range(120)}}
    assert_v2_error(root.get("/v2/health/live", headers=many), 431, "headers_too_large")
    assert_v2_error(root.delete("/v2/health/live"), 405, "method_not_allowed")


def test_a_binary_header_length_must_fit_the_body(root, store):
    k = key(store)
    header = json.dumps(tensor(1)).encode()
    for length in ("abc", "-1", str(len(header) + 1)):
        r = root.post(
            INFER, content=header, headers={**k, "Inference-Header-Content-Length": length}
        )
        assert "Inference-Header-Content-Length" in assert_v2_error(r, 400)["error"]


def test_a_request_id_is_kept_and_routes_are_labelled(root, store):
    k = key(store, scopes=["predict", "metrics:read"])
    r = root.post(INFER, json=tensor(1), headers={**k, "X-Request-ID": "triton-1"})
    assert r.headers["x-request-id"] == "triton-1"
    metrics = root.get("/v1/metrics", headers=k).text
    for route in ("/v2/models/{model_name}/infer", "/v2/health/live"):
        assert f'route="{route}"' in metrics
    assert 'route="/v2/models/fraud-detector/infer"' not in metrics


def test_the_contract_and_its_ui_are_public_documents(root):
    spec = root.get("/v2/openapi.json")
    assert spec.status_code == 200 and spec.json()["servers"] == [{"url": "/v2"}]
    assert spec.json()["info"]["title"].startswith("Open Inference Protocol")
    assert root.get("/v2/openapi.yaml").status_code == 200
    assert "swagger" in root.get("/v2/ui/").text.lower()
    assert root.get("/v2/ui", follow_redirects=False).headers["location"] == "/v2/ui/"


def test_binary_tensors_in_and_out(root, store):
    """Triton's binary extension as `tritonclient` sends it by default: no Content-Type,
    the JSON header, raw little-endian inputs after it, outputs asked for in binary."""
    import struct

    k = key(store)
    raw = struct.pack("<6f", *SEED, *SEED)
    header = json.dumps(
        {
            "inputs": [
                {
                    "name": "input",
                    "shape": [2, 3],
                    "datatype": "FP32",
                    "parameters": {"binary_data_size": len(raw)},
                }
            ],
            "parameters": {"binary_data_output": True},
        }
    ).encode()
    r = root.post(
        INFER,
        content=header + raw,
        headers={**k, "Inference-Header-Content-Length": str(len(header))},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/octet-stream"
    length = int(r.headers["inference-header-content-length"])
    answer = json.loads(r.content[:length])
    sizes = [o["parameters"]["binary_data_size"] for o in answer["outputs"]]
    assert [o["name"] for o in answer["outputs"]] == ["predict", "predict_proba"]
    assert len(r.content) == length + sum(sizes) == length + 2 * 8 + 2 * 2 * 8
    labels = struct.unpack("<2q", r.content[length : length + 16])
    as_json = root.post(INFER, json=tensor(2), headers=k).json()
    assert list(labels) == as_json["outputs"][0]["data"]


def test_every_example_of_the_contract_is_answered(root, store):
    """The contract's request examples (the reference page shows them) work as written."""
    from specserve.spec import INFERENCE_SPEC_PATH, load

    body = load(INFERENCE_SPEC_PATH).raw["components"]["requestBodies"]["InferenceRequest"]
    examples = body["content"]["application/json"]["examples"]
    assert len(examples) >= 2
    for name, example in examples.items():
        r = root.post(INFER, json=example["value"], headers=key(store))
        assert r.status_code == 200, (name, r.text)
        asked = [o["name"] for o in example["value"].get("outputs", [])]
        assert [o["name"] for o in r.json()["outputs"]] == (asked or ["predict", "predict_proba"])


def test_a_path_parameter_out_of_its_pattern_is_named_in_one_line(root, store):
    k = key(store)
    body = assert_v2_error(root.get("/v2/models/Bad!Name", headers=k), 400, "validation_error")
    assert body["error"] == (
        "path parameter 'model_name' ('Bad!Name') fails pattern '^[a-z0-9][a-z0-9._-]{0,63}$'"
    )
    r = root.get("/v1/models/" + "a" * 300, headers=k)
    detail = assert_problem(r, 400, "validation_error")["detail"]
    assert detail.endswith("fails maxLength 64") and len(detail) < 120 and "\n" not in detail
    r = root.post("/v1/predict?probabilities=maybe", json={"features": SEED}, headers=k)
    assert "probabilities" in assert_problem(r, 400, "validation_error")["detail"]
