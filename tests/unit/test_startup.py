"""Start-up names what is missing: one line per problem, from the spec's own facts."""

from __future__ import annotations

import asyncio
import copy
import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

from specserve import spec
from specserve.errors import NotImplementedYet
from specserve.http.operations import signature_problem
from specserve.startup import access_problems, problems, spec_problem
from tests.spec_changes import with_invoices

SCREEN = 300  # characters: no line of a problem longer than this


def write(tmp_path: Path, raw: dict[str, Any], name: str = "openapi.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def raw() -> dict[str, Any]:
    return copy.deepcopy(spec.load().raw)


def test_the_service_contract_has_no_problem():
    assert problems() == []


def test_an_operation_without_a_module_is_one_line_naming_what_to_define(tmp_path, raw):
    found = problems(write(tmp_path, with_invoices(raw)))
    assert found == [
        "operation getInvoices (GET /v1/invoices): no module handlers.invoices: "
        "define `async def get_invoices(...)` in handlers/invoices.py"
    ]


def test_an_operation_without_a_function_names_the_module_and_function(tmp_path, raw):
    raw["paths"]["/predict"]["post"]["operationId"] = "predictRow"
    [line] = problems(write(tmp_path, raw))
    assert line.startswith("operation predictRow (POST /v1/predict): no function predict_row")
    assert "define `async def predict_row(...)` in handlers/predictions.py" in line


def test_a_handler_missing_a_path_parameter_or_sync_is_named():
    op = spec.load().operations["handlers.models.get_model"]

    async def no_model_name(request_id: str) -> None: ...

    def sync(model_name: str) -> None: ...

    assert "must take the path parameter(s) model_name" in str(signature_problem(op, no_model_name))
    assert "must be `async def`" in str(signature_problem(op, sync))


def test_a_ref_that_resolves_nowhere_names_the_yaml_line(tmp_path):
    text = spec.SPEC_PATH.read_text(encoding="utf-8")
    bad = text.replace("#/components/schemas/ModelMetadata'", "#/components/schemas/ModelMeta'", 1)
    path = tmp_path / "openapi.yaml"
    path.write_text(bad, encoding="utf-8")
    line = next(i for i, t in enumerate(bad.splitlines(), 1) if "ModelMeta'" in t)
    assert spec_problem(path) == (
        f"{path}:{line}: can't resolve $ref '#/components/schemas/ModelMeta'"
    )


def test_an_invalid_spec_is_one_short_line_with_the_yaml_line(tmp_path):
    text = spec.SPEC_PATH.read_text(encoding="utf-8")
    bad = text.replace("operationId: predict\n", "operationId: 12\n", 1)
    path = tmp_path / "openapi.yaml"
    path.write_text(bad, encoding="utf-8")
    line = bad.splitlines().index("      operationId: 12") + 1
    problem = spec_problem(path)
    assert problem is not None and problem.startswith(f"{path}:{line}: 12 is not of type")
    assert "\n" not in problem and len(problem) < SCREEN + len(str(path))


def test_text_that_is_not_yaml_is_one_line(tmp_path):
    path = tmp_path / "openapi.yaml"
    path.write_text("openapi: 3.0.3\ninfo: [\n", encoding="utf-8")
    assert str(spec_problem(path)).startswith(f"{path}:3: not YAML")


def without(security: list[dict[str, list[str]]], scheme: str) -> list[dict[str, list[str]]]:
    return [r for r in security if scheme not in r]


def test_deleting_a_scope_requirement_is_refused(raw):
    metrics = raw["paths"]["/metrics"]["get"]
    metrics["security"] = without(metrics["security"], "OAuth2")
    [line] = access_problems(raw)
    assert line.startswith("operation getMetrics (GET /v1/metrics): no `OAuth2: [scope]`")


def test_an_operation_left_to_the_default_security_is_refused(raw):
    del raw["paths"]["/models"]["get"]["security"]  # the spec's default: key or bearer, no scope
    assert [line.split(":")[0] for line in access_problems(raw)] == [
        "operation listModels (GET /v1/models)"
    ]


def test_an_undefined_scope_or_scopes_on_a_key_scheme_are_refused(raw):
    metrics = raw["paths"]["/metrics"]["get"]
    metrics["security"] = [{"ApiKeyAuth": ["admin"]}, {"OAuth2": ["metrics:write"]}]
    found = access_problems(raw)
    assert any("ApiKeyAuth takes no scopes" in line for line in found)
    assert any("scope(s) metrics:write not defined" in line for line in found)


def test_public_operations_and_declared_exceptions_pass(raw):
    assert access_problems(raw) == []
    token = raw["paths"]["/auth/token"]["post"]
    del token["x-any-scope"]
    assert len(access_problems(raw)) == 1


def test_handler_stubs_answer_501_in_the_error_shape(tmp_path, raw):
    from scripts.handler_stubs import write_stubs

    contract = spec.parse(with_invoices(raw))
    assert write_stubs(contract, tmp_path) == ["handlers.invoices.get_invoices"]
    source = tmp_path / "handlers" / "invoices.py"
    loader = importlib.util.spec_from_file_location("stub_invoices", source)
    assert loader is not None and loader.loader is not None
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    op = contract.operations["handlers.invoices.get_invoices"]
    assert signature_problem(op, module.get_invoices) is None
    with pytest.raises(NotImplementedYet) as refused:
        asyncio.run(module.get_invoices(request_id="r1"))
    assert (refused.value.status, refused.value.code) == (501, "not_implemented")
