"""What every schemathesis run of a contract must show, for both contracts' modules
(test_schemathesis.py: `/v1`, test_schemathesis_v2.py: `/v2`).

Each module runs schemathesis once on its spec and states its operations, links and checks;
the assertions are these, shared, so neither contract is held to less than the other.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests import reporting
from tests.contract.runner import (
    METHODS,
    ContractRun,
    Credentials,
    run_schemathesis,
    spec_base_url,
    spec_operations,
)
from tests.live import LiveService

PHASES = ("examples", "coverage", "fuzzing", "stateful")
# Every built-in check runs on every response. Three have nothing to act on in these APIs and
# pass vacuously; they stay on so that an operation added later is covered:
# - use_after_free, ensure_resource_availability: need an operation that creates a resource
#   under a path (POST /things → GET /things/{id}) or deletes one; the specs have neither;
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


def operations(spec: Path) -> list[str]:
    return sorted(spec_operations(spec))


def links(spec: Path) -> list[str]:
    """`METHOD /path -> [status] name` of every link the spec declares."""
    doc = yaml.safe_load(spec.read_text())
    return sorted(
        f"{method.upper()} {path} -> [{status}] {name}"
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
        for status, response in op["responses"].items()
        for name in (response.get("links") or {})
    )


def contract_run(
    name: str, spec: Path, service: LiveService, credentials: Credentials, workdir: Path
) -> ContractRun:
    """The run of `spec` against the live service, at the spec's own mount (`/v1`, `/v2`)."""
    out = workdir / f"schemathesis-{name}"
    out.mkdir()
    run = run_schemathesis(spec_base_url(service.base_url, spec), credentials, out, spec=spec)
    reporting.record_schemathesis(name, run.summary())
    return run


def explain(run: ContractRun, failures: list | None = None) -> str:
    shown = failures if failures is not None else run.failures
    lines = [f"{f['operation']} · {f['check']} ({f['phase']}): {f['message']}" for f in shown]
    return "\n\n".join(lines[:20]) + "\n\n--- schemathesis output (end) ---\n" + run.output[-6000:]


def assert_complete_and_green(run: ContractRun, phases: dict[str, str]) -> None:
    report = run.report
    assert report.get("complete") is True, explain(run)
    assert report.get("errors") == [], report.get("errors")
    tested = len(operations(run.spec))
    assert report["operations"]["tested"] == tested == report["operations"]["total"]
    assert {name: p["status"] for name, p in report["phases"].items()} == phases
    assert report.get("failures") == [], explain(run)
    assert run.exit_code == 0, explain(run)


def assert_operation_conforms(run: ContractRun, operation: str) -> None:
    checks = run.operations.get(operation)
    assert checks, f"schemathesis sent no test case to {operation}"
    failures = run.failures_of(operation=operation)
    assert not failures, explain(run, failures)


def assert_check_holds(run: ContractRun, check: str) -> None:
    counts = run.checks().get(check)
    assert counts, f"check {check} never ran"
    failures = run.failures_of(check=check)
    assert not failures and not counts.get("failure"), explain(run, failures)


def assert_methods_outside_the_spec_conform(run: ContractRun) -> None:
    """`unsupported_method` probes (TRACE /health, ...): labelled "<path> (methods outside ...)"."""
    declared = operations(run.spec)
    extra = [f for f in run.failures if f["operation"] not in declared]
    assert not extra, explain(run, extra)
    probed = [op for op in run.operations if op not in declared]
    assert probed, "no method outside the spec was tried"


def assert_links_followed(run: ContractRun) -> None:
    """The stateful phase saw every link the spec declares, and followed each."""
    declared = links(run.spec)
    assert run.links_total == len(declared)
    assert {t.rsplit(" -> ", 1)[0] for t in run.links_followed} == set(declared)


def assert_credentials_accepted(run: ContractRun) -> None:
    """No operation answered only 401/403: the fuzzing really ran behind the auth layer."""
    assert run.report["warnings"]["missing_auth"] == []


def assert_credentials_kept_secret(
    run: ContractRun, service: LiveService, credentials: Credentials
) -> None:
    key_secret = credentials.api_key.split("_", 2)[2]
    signature = credentials.bearer_token.rsplit(".", 1)[1]
    for text in (service.logs(), run.output, str(run.summary())):
        assert key_secret not in text
        assert signature not in text
