"""Schemathesis against the live service's Open Inference Protocol (`/v2`,
openapi/inference-v2.yaml): every operation, every check, zero failures.

The same kind of run as test_schemathesis.py's (suite.py holds the shared assertions): its
own live service, the same credentials (an API key and a bearer token; the protocol has no
HTTP Basic), every built-in check and the custom ones that apply on `/v2`:
`problem_details_match_response` in the protocol's error dialect, `tensor_refusal_is_true`
(the infer operations' 400 `invalid_tensor` and 422, allowed to positive data only when true
of what was sent) and `every_operation_succeeds` (the spec's examples give infer valid
tensors).
"""

from __future__ import annotations

import pytest
import schemathesis

from tests.contract import hooks, suite
from tests.contract.runner import V2_SPEC, ContractRun, spec_base_url

OPERATIONS = suite.operations(V2_SPEC)
CUSTOM_CHECKS = [
    "problem_details_match_response",
    "tensor_refusal_is_true",
    "binary_answer_is_whole",
    "payload_too_large_is_true",
    "every_operation_succeeds",
]
# A valid request asking for binary outputs: answered `application/octet-stream`, which no
# schemathesis phase asks for (a request's `parameters` are free-form).
BINARY_OUTPUTS = {
    "inputs": [
        {
            "name": "input",
            "shape": [2, 3],
            "datatype": "FP64",
            "data": [1500.5, 2, 0.75, 20, 1, 0.1],
        }
    ],
    "parameters": {"binary_data_output": True},
}


@pytest.fixture(scope="module")
def contract_run(contract_service, contract_credentials, workdir) -> ContractRun:
    return suite.contract_run(
        "contract-v2", V2_SPEC, contract_service, contract_credentials, workdir
    )


def test_run_is_complete_and_green(contract_run):
    suite.assert_complete_and_green(contract_run, dict.fromkeys(suite.PHASES, "success"))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_conforms(contract_run, operation):
    suite.assert_operation_conforms(contract_run, operation)


@pytest.mark.parametrize("check", suite.BUILTIN_CHECKS + CUSTOM_CHECKS)
def test_check_holds(contract_run, check):
    suite.assert_check_holds(contract_run, check)


def test_methods_outside_the_spec_conform(contract_run):
    suite.assert_methods_outside_the_spec_conform(contract_run)


def test_stateful_phase_follows_every_link_of_the_spec(contract_run):
    """The protocol's spec declares none today (the stateful phase chains operations by the
    links it infers); any it gains must be followed, as on `/v1`."""
    suite.assert_links_followed(contract_run)


def test_credentials_were_accepted(contract_run):
    suite.assert_credentials_accepted(contract_run)


def test_credentials_never_reach_the_logs_or_the_output(
    contract_run, contract_service, contract_credentials
):
    suite.assert_credentials_kept_secret(contract_run, contract_service, contract_credentials)


def test_a_binary_answer_passes_every_check(contract_service, contract_credentials):
    """The response form the fuzzing never meets (binary outputs) holds under every check,
    built-in and ours, as schemathesis validates a response."""
    schema = schemathesis.openapi.from_path(V2_SPEC)
    case = schema["/models/{model_name}/infer"]["POST"].Case(
        path_parameters={"model_name": "fraud-detector"},
        body=BINARY_OUTPUTS,
        headers={"X-API-Key": contract_credentials.api_key},
    )
    response = case.call(base_url=spec_base_url(contract_service.base_url, V2_SPEC))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == ["application/octet-stream"]
    case.validate_response(response, additional_checks=[hooks.binary_answer_is_whole])
    # two binary outputs (predict: 2 INT64; predict_proba: 2 x 2 FP64), after the JSON part
    header_length = int(response.headers["inference-header-content-length"][0])
    assert len(response.content) - header_length == 2 * 8 + 4 * 8
