"""Schemathesis against the live service: every operation, every check, zero failures.

One schemathesis run per module (examples, coverage, fuzzing and stateful phases; fixed
seed; no example database), authenticated with a real API key, HTTP Basic client
credentials and a bearer token issued by the service. The tests below read its verdicts per
operation and per check, so a failure names both. The assertions are shared with the Open
Inference Protocol's run (test_schemathesis_v2.py) in suite.py.
"""

from __future__ import annotations

import pytest

from tests.contract import suite
from tests.contract.runner import SPEC, ContractRun

OPERATIONS = suite.operations(SPEC)
SPEC_LINKS = suite.links(SPEC)
BUILTIN_CHECKS = suite.BUILTIN_CHECKS
CUSTOM_CHECKS = [
    "problem_details_match_response",
    "feature_count_refusal_is_true",
    "every_operation_succeeds",
]


@pytest.fixture(scope="module")
def contract_run(contract_service, contract_credentials, workdir) -> ContractRun:
    return suite.contract_run("contract", SPEC, contract_service, contract_credentials, workdir)


def test_run_is_complete_and_green(contract_run):
    suite.assert_complete_and_green(contract_run, dict.fromkeys(suite.PHASES, "success"))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_conforms(contract_run, operation):
    suite.assert_operation_conforms(contract_run, operation)


@pytest.mark.parametrize("check", BUILTIN_CHECKS + CUSTOM_CHECKS)
def test_check_holds(contract_run, check):
    suite.assert_check_holds(contract_run, check)


def test_methods_outside_the_spec_conform(contract_run):
    suite.assert_methods_outside_the_spec_conform(contract_run)


def test_stateful_phase_follows_every_link_of_the_spec(contract_run):
    assert SPEC_LINKS, "the spec declares no links"
    suite.assert_links_followed(contract_run)


def test_credentials_were_accepted(contract_run):
    suite.assert_credentials_accepted(contract_run)


def test_credentials_never_reach_the_logs_or_the_output(
    contract_run, contract_service, contract_credentials
):
    suite.assert_credentials_kept_secret(contract_run, contract_service, contract_credentials)
