"""The `/v2` checks of hooks.py bite: each passes a true answer and fails a false one.

No service: the checks are called as schemathesis calls them, on a test case and a response
built here, with the model's metadata (what the checks read from the live service) given.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tests.contract import hooks

V2 = {"x-error-dialect": "open-inference"}
# fraud-detector as `GET /v2/models/fraud-detector` and `/v1/models/fraud-detector` show it
META = {
    "name": "fraud-detector",
    "inputs": [{"name": "input", "datatype": "FP64", "shape": [-1, 3]}],
    "outputs": [{"name": "predict"}, {"name": "predict_proba"}],
    "named": [
        {"name": n, "type": "number", "nullable": False, "datatype": "FP64"}
        for n in ("transaction_amount", "transaction_count", "risk_score")
    ],
}


INFER = {
    "x-binary-tensors": True,
    "x-ratelimit-cost": {"value": "inputs[0].shape[0]", "maximum": 100},
}


@pytest.fixture(autouse=True)
def model(monkeypatch):
    monkeypatch.setattr(hooks, "tensor_metadata", lambda name, version: META)


def case(body, *, positive=True, raw=V2, infer=True):
    mode = SimpleNamespace(is_positive=positive)
    operation = SimpleNamespace(
        path="/models/{model_name}/infer" if infer else "/models/{model_name}",
        schema=SimpleNamespace(raw_schema=raw),
        definition=SimpleNamespace(raw=INFER if infer else {}),
    )
    return SimpleNamespace(
        operation=operation,
        body=body,
        path_parameters={"model_name": "fraud-detector"},
        meta=SimpleNamespace(generation=SimpleNamespace(mode=mode)),
    )


def response(status, body, headers=None, content_type="application/json"):
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return SimpleNamespace(
        status_code=status,
        content=content,
        json=lambda: json.loads(content),
        headers={"content-type": [content_type], "x-request-id": ["r1"], **(headers or {})},
    )


def refusal(status, code, path, message, name="x", noun="Input"):
    return response(
        status,
        {
            "error": f"{noun} '{name}': {message}." if status == 400 else message,
            "code": code,
            "status": status,
            "type": "about:blank",
            "request_id": "r1",
            "errors": [{"path": path, "message": message}],
        },
    )


def tensor(name="x", shape=(1,), datatype="FP64", data=(1.0,)):
    return {"name": name, "shape": list(shape), "datatype": datatype, "data": list(data)}


def check(sent, answer, **kwargs):
    return hooks.tensor_refusal_is_true(None, answer, case(sent, **kwargs))


WIDTH = "shape [1] holds 1 values per row; the model takes 3"
TRUE_400 = [
    ({"inputs": [tensor()]}, "$.inputs[0].shape", WIDTH, "x"),
    (
        {"inputs": [tensor(shape=(150, 3), data=[0] * 450)]},
        "$.inputs[0].shape",
        "150 rows; a request holds 1 to 100",
        "x",
    ),
    (
        {"inputs": [tensor(shape=(2,), data=[1.0])]},
        "$.inputs[0].data",
        "data holds 1 values; shape [2] holds 2",
        "x",
    ),
    (
        {"inputs": [tensor(shape=(1, 3), datatype="INT8", data=[1, 2, 300])]},
        "$.inputs[0].data",
        "element 2 (300) is not a whole number in the datatype's range",
        "x",
    ),
    (
        {"inputs": [tensor("a"), tensor("b")]},
        "$.inputs[0].name",
        "not an input of this model; it takes: transaction_amount, transaction_count, risk_score",
        "a",
    ),
    (
        {"inputs": [tensor("transaction_amount"), tensor("transaction_amount")]},
        "$.inputs[1].name",
        "sent twice",
        "transaction_amount",
    ),
    (
        {"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP64"}]},
        "$.inputs[0].data",
        "no data and no parameters.binary_data_size",
        "x",
    ),
]


@pytest.mark.parametrize("sent,path,message,name", TRUE_400)
def test_a_true_invalid_tensor_passes(sent, path, message, name):
    assert check(sent, refusal(400, "invalid_tensor", path, message, name)) is None


FALSE_400 = [
    # the width of what was sent is not the one quoted
    ({"inputs": [tensor(shape=(1, 3), data=[1, 2, 3])]}, "$.inputs[0].shape", WIDTH, "x"),
    # the model's width is not 4
    (
        {"inputs": [tensor()]},
        "$.inputs[0].shape",
        "shape [1] holds 1 values per row; the model takes 4",
        "x",
    ),
    # no second input was sent
    ({"inputs": [tensor()]}, "$.inputs[1].shape", WIDTH, "x"),
    # the message names another tensor than the one sent
    ({"inputs": [tensor()]}, "$.inputs[0].shape", WIDTH, "y"),
    # 50 rows are within the limit
    (
        {"inputs": [tensor(shape=(50, 3), data=[0] * 150)]},
        "$.inputs[0].shape",
        "50 rows; a request holds 1 to 100",
        "x",
    ),
    # the element fits INT8
    (
        {"inputs": [tensor(shape=(1, 3), datatype="INT8", data=[1, 2, 3])]},
        "$.inputs[0].data",
        "element 2 (3) is not a whole number in the datatype's range",
        "x",
    ),
    # the name is one of the model's inputs
    (
        {"inputs": [tensor("risk_score"), tensor("b")]},
        "$.inputs[0].name",
        "not an input of this model; it takes: transaction_amount, transaction_count, risk_score",
        "risk_score",
    ),
    # data was sent
    ({"inputs": [tensor()]}, "$.inputs[0].data", "no data and no parameters.binary_data_size", "x"),
    # a message the check does not know is no proof
    ({"inputs": [tensor()]}, "$.inputs[0].shape", "something is wrong", "x"),
]


@pytest.mark.parametrize("sent,path,message,name", FALSE_400)
def test_a_false_invalid_tensor_fails(sent, path, message, name):
    with pytest.raises(AssertionError):
        check(sent, refusal(400, "invalid_tensor", path, message, name))


def test_an_output_refusal_is_checked_against_the_model():
    sent = {"inputs": [tensor()], "outputs": [{"name": "proba"}]}
    says = "not an output of this model; it gives: predict, predict_proba"
    assert (
        check(sent, refusal(400, "invalid_tensor", "$.outputs[0].name", says, "proba", "Output"))
        is None
    )
    sent["outputs"] = [{"name": "predict"}]
    with pytest.raises(AssertionError):
        check(sent, refusal(400, "invalid_tensor", "$.outputs[0].name", says, "predict", "Output"))


def test_another_400_fails_for_valid_data_only():
    answer = refusal(400, "validation_error", "$.inputs", "bad")
    with pytest.raises(AssertionError, match="schema-valid"):
        check({"inputs": [tensor()]}, answer)
    assert check({"inputs": "nope"}, answer, positive=False) is None  # negative data: 400


def test_a_422_names_a_value_sent_that_the_model_refuses():
    path = "$.inputs[0].data[0][1]"
    too_big = {"inputs": [tensor(shape=(1, 3), data=[1, 1e39, 2])]}
    fits = {"inputs": [tensor(shape=(1, 3), data=[1, 5.0, 2])]}
    answer = refusal(422, "feature_out_of_range", path, "beyond ±3.402823e+38")
    assert check(too_big, answer) is None
    with pytest.raises(AssertionError):
        check(fits, answer)
    with pytest.raises(AssertionError):  # no such row was sent
        check(too_big, refusal(422, "feature_out_of_range", "$.inputs[0].data[3][1]", "beyond"))


def test_a_422_on_a_column_is_true_of_that_column():
    columns = [tensor("transaction_amount", data=[None]), tensor("risk_score", data=[0.5])]
    null = refusal(422, "input_not_nullable", "$.inputs[*].data[0].transaction_amount", "null")
    assert check({"inputs": columns}, null) is None
    not_null = refusal(422, "input_not_nullable", "$.inputs[*].data[0].risk_score", "null")
    with pytest.raises(AssertionError):
        check({"inputs": columns}, not_null)
    missing = "$.inputs[*].data[0].transaction_count"
    assert check({"inputs": columns}, refusal(422, "missing_input", missing, "required")) is None
    sent = "$.inputs[*].data[0].risk_score"
    with pytest.raises(AssertionError):
        check({"inputs": columns}, refusal(422, "missing_input", sent, "required"))


def test_other_operations_and_v1_are_left_alone():
    answer = refusal(400, "validation_error", "$.inputs", "bad")
    assert check({"inputs": [tensor()]}, answer, infer=False) is None
    assert check({"inputs": [tensor()]}, answer, raw={}) is None


ERROR = {
    "error": "No such model.",
    "code": "model_not_found",
    "status": 404,
    "type": "about:blank",
    "request_id": "r1",
}


@pytest.mark.parametrize(
    "body,passes",
    [
        (ERROR, True),
        ({**ERROR, "error": "model_not_found"}, False),  # the code where the message goes
        ({**ERROR, "code": "Model not found"}, False),
        ({**ERROR, "status": 400}, False),
        ({**ERROR, "request_id": "r2"}, False),
    ],
)
def test_v2_errors_are_checked_in_their_dialect(body, passes):
    run = lambda: hooks.problem_details_match_response(None, response(404, body), case({}))  # noqa: E731
    if passes:
        assert run() is None
    else:
        with pytest.raises(AssertionError):
            run()


def test_a_429_carries_its_retry_after():
    body = {**ERROR, "status": 429, "code": "rate_limited", "retry_after": 3}
    ok = response(429, body, {"retry-after": ["3"]})
    assert hooks.problem_details_match_response(None, ok, case({})) is None
    with pytest.raises(AssertionError):
        hooks.problem_details_match_response(
            None, response(429, body, {"retry-after": ["4"]}), case({})
        )


def binary_answer(tail: bytes, declared: int) -> SimpleNamespace:
    header = json.dumps(
        {
            "model_name": "fraud-detector",
            "outputs": [
                {
                    "name": "predict",
                    "shape": [2],
                    "datatype": "INT64",
                    "parameters": {"binary_data_size": declared},
                }
            ],
        }
    ).encode()
    return response(
        200,
        header + tail,
        {"inference-header-content-length": [str(len(header))]},
        "application/octet-stream",
    )


def test_a_binary_answer_must_hold_what_its_outputs_claim():
    whole = binary_answer(b"\0" * 16, 16)
    assert hooks.binary_answer_is_whole(None, whole, case({})) is None
    with pytest.raises(AssertionError):
        hooks.binary_answer_is_whole(None, binary_answer(b"\0" * 12, 16), case({}))


def sized(n: int) -> SimpleNamespace:
    answer = response(413, {"error": "Too large.", "code": "payload_too_large"})
    answer.request = SimpleNamespace(body=b"x" * n)
    return answer


def test_a_413_answers_a_body_over_the_limit_only(monkeypatch):
    monkeypatch.setenv("CONTRACT_MAX_BODY_BYTES", "1024")
    assert hooks.payload_too_large_is_true(None, sized(1025), case({})) is None
    with pytest.raises(AssertionError):
        hooks.payload_too_large_is_true(None, sized(1024), case({}))
