"""Schemathesis against the live service: every operation, every check, zero failures.

One schemathesis run per module (examples, coverage, fuzzing and stateful phases; fixed
seed; no example database), authenticated with a real API key, HTTP Basic client
credentials and a bearer token issued by the service. The tests below read its verdicts per
operation and per check, so a failure names both.
"""

from __future__ import annotations

import pytest
import yaml

from tests import reporting
from tests.contract.runner import METHODS, SPEC, ContractRun, run_schemathesis, spec_operations

SPEC_DOC = yaml.safe_load(SPEC.read_text())
OPERATIONS = sorted(spec_operations())
SPEC_LINKS = sorted(
    f"{method.upper()} {path} -> [{status}] {name}"
    for path, item in SPEC_DOC["paths"].items()
    for method, op in item.items()
    if method in METHODS
    for status, response in op["responses"].items()
    for name in (response.get("links") or {})
)
# Every built-in check runs on every response. Three have nothing to act on in this API and
# pass vacuously; they stay on so that an operation added later is covered:
# - use_after_free, ensure_resource_availability: need an operation that creates a resource
#   under a path (POST /things → GET /things/{id}) or deletes one; the spec has neither;
# - object_level_authorization: needs two identities owning objects; models are global.
BUILTIN_CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
]
CUSTOM_CHECKS = [
    "problem_details_match_response",
    "feature_count_refusal_is_true",
    "every_operation_succeeds",
]


@pytest.fixture(scope="module")
def contract_run(contract_service, contract_credentials, workdir) -> ContractRun:
    out = workdir / "schemathesis"
    out.mkdir()
    run = run_schemathesis(contract_service.base_url, contract_credentials, out)
    reporting.record_schemathesis("contract", run.summary())
    return run


def _explain(run: ContractRun, failures: list | None = None) -> str:
    shown = failures if failures is not None else run.failures
    lines = [f"{f['operation']} · {f['check']} ({f['phase']}): {f['message']}" for f in shown]
    return "\n\n".join(lines[:20]) + "\n\n--- schemathesis output (end) ---\n" + run.output[-6000:]


def test_run_is_complete_and_green(contract_run):
    report = contract_run.report
    assert report.get("complete") is True, _explain(contract_run)
    assert report.get("errors") == [], report.get("errors")
    assert report["operations"]["tested"] == len(OPERATIONS) == report["operations"]["total"]
    phases = {name: p["status"] for name, p in report["phases"].items()}
    assert phases == dict.fromkeys(("examples", "coverage", "fuzzing", "stateful"), "success")
    assert report.get("failures") == [], _explain(contract_run)
    assert contract_run.exit_code == 0, _explain(contract_run)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_conforms(contract_run, operation):
    checks = contract_run.operations.get(operation)
    assert checks, f"schemathesis sent no test case to {operation}"
    failures = contract_run.failures_of(operation=operation)
    assert not failures, _explain(contract_run, failures)


@pytest.mark.parametrize("check", BUILTIN_CHECKS + CUSTOM_CHECKS)
def test_check_holds(contract_run, check):
    counts = contract_run.checks().get(check)
    assert counts, f"check {check} never ran"
    failures = contract_run.failures_of(check=check)
    assert not failures and not counts.get("failure"), _explain(contract_run, failures)


def test_methods_outside_the_spec_conform(contract_run):
    """`unsupported_method` probes (TRACE /health, ...): labelled "<path> (methods outside ...)"."""
    extra = [f for f in contract_run.failures if f["operation"] not in OPERATIONS]
    assert not extra, _explain(contract_run, extra)
    probed = [op for op in contract_run.operations if op not in OPERATIONS]
    assert probed, "no method outside the spec was tried"


def test_stateful_phase_follows_every_link_of_the_spec(contract_run):
    assert SPEC_LINKS, "the spec declares no links"
    assert contract_run.links_total == len(SPEC_LINKS)
    followed = {t.rsplit(" -> ", 1)[0] for t in contract_run.links_followed}
    assert followed == set(SPEC_LINKS)


def test_credentials_were_accepted(contract_run):
    """No operation answered only 401/403: the fuzzing really ran behind the auth layer."""
    assert contract_run.report["warnings"]["missing_auth"] == []


def test_credentials_never_reach_the_logs_or_the_output(
    contract_run, contract_service, contract_credentials
):
    key_secret = contract_credentials.api_key.split("_", 2)[2]
    signature = contract_credentials.bearer_token.rsplit(".", 1)[1]
    for text in (contract_service.logs(), contract_run.output, str(contract_run.summary())):
        assert key_secret not in text
        assert signature not in text
