"""The contract tests bite: the same schemathesis run catches a deliberately broken service.

fixtures/broken_app.py breaks eight operations (one or two contract violations each) and
leaves two intact. The run uses the same configuration, seed and example count as the real one; each
broken operation must fail exactly the check named for it, the intact ones nothing.
"""

from __future__ import annotations

import pytest
import yaml

from tests.contract.conftest import contract_env, issue_credentials
from tests.contract.fixtures.broken_app import BROKEN, INTACT
from tests.contract.runner import METHODS, SPEC, ContractRun, run_schemathesis
from tests.live import LiveService

LABELS = {
    op["operationId"]: f"{method.upper()} {path}"
    for path, item in yaml.safe_load(SPEC.read_text())["paths"].items()
    for method, op in item.items()
    if method in METHODS
}


@pytest.fixture(scope="module")
def broken_run(workdir, model_dir, keys_file) -> ContractRun:
    env = {**contract_env(), "SPECSERVE_VALIDATE_RESPONSES": "false"}  # as in production
    app = "tests.contract.fixtures.broken_app:create_app()"
    with LiveService(workdir, model_dir, keys_file, env=env, app=app) as service:
        out = workdir / "schemathesis-broken"
        out.mkdir()
        yield run_schemathesis(service.base_url, issue_credentials(service, keys_file), out)


def test_broken_service_fails_the_run(broken_run):
    assert broken_run.exit_code != 0
    assert broken_run.report.get("complete") is True


@pytest.mark.parametrize("operation_id,check", BROKEN)
def test_each_violation_is_caught_by_its_check(broken_run, operation_id, check):
    caught = broken_run.failures_of(operation=LABELS[operation_id], check=check)
    seen = sorted({(f["operation"], f["check"]) for f in broken_run.failures})
    assert caught, f"{check} did not catch broken {operation_id}; failures seen: {seen}"


def test_an_operation_that_never_succeeds_is_caught(broken_run):
    caught = broken_run.failures_of(check="every_operation_succeeds")
    assert [f["message"] for f in caught] == [
        f"never answered 2xx: {LABELS['batchPredictWithModel']}"
    ]


@pytest.mark.parametrize("operation_id", INTACT)
def test_intact_operations_stay_green(broken_run, operation_id):
    failures = broken_run.failures_of(operation=LABELS[operation_id])
    assert not failures, failures
