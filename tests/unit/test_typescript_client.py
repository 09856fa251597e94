"""The TypeScript client is written from the spec (scripts/typescript_client.py): every
operation, every path and query parameter and the body reach it with no hand edit."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import typescript_client
from specserve import spec
from specserve.spec import parse_operations

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text(encoding="utf-8"))
TEMPLATE = ROOT / "sdk-templates" / "typescript" / "package.json"


def method_text(client: str, operation_id: str) -> str:
    """One method of the generated class, from its signature to its closing brace."""
    match = re.search(rf"\n  {operation_id}\((.*?)\n  }}\n", client, re.S)
    assert match, f"no method {operation_id}"
    return match.group(0)


def with_query_parameter(spec: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    changed = copy.deepcopy(spec)
    parameter = {"name": name, "in": "query", "required": False, "schema": {"type": "boolean"}}
    changed["paths"][path]["post"].setdefault("parameters", []).append(parameter)
    return changed


def test_every_operation_and_parameter_of_the_spec_has_its_place_in_the_client():
    client = typescript_client.client_ts(SPEC)
    for op in parse_operations(SPEC).values():
        text = method_text(client, op.operation_id)
        data = op.operation_id[0].upper() + op.operation_id[1:] + "Data"
        for param in op.parameters:
            if param["in"] == "path":
                assert f"{data}['path']['{param['name']}']" in text, (op.operation_id, param)
            else:
                assert json.dumps(param["name"]) in text, (op.operation_id, param)
        assert (f"{data}['body']" in text) == (
            "requestBody" in SPEC["paths"][op.template][op.method.lower()]
        )


def test_a_new_query_parameter_reaches_the_client_and_its_options_type():
    client = typescript_client.client_ts(with_query_parameter(SPEC, "/predict", "explain"))
    predict = spec.parse(SPEC).by_id("predict")
    query = [p["name"] for p in predict.parameters if p["in"] == "query"] + ["explain"]
    # (`predict` also has the high-level overload: its implementation names the options `opts`)
    assert f"queryOf(opts, {json.dumps(query)} as const)" in method_text(client, "predict")
    assert (
        "export type PredictOptions = RequestOptions &\n  NonNullable<PredictData['query']>;"
        in client
    )


def test_a_body_whose_required_properties_have_defaults_is_optional_and_sends_them():
    text = method_text(typescript_client.client_ts(SPEC), "issueToken")
    assert "body: WithDefaults<IssueTokenData['body'], \"grant_type\"> = {}" in text
    assert '{ "grant_type": "client_credentials", ...body }' in text


def test_an_error_status_answered_with_the_success_schema_is_a_result():
    client = typescript_client.client_ts(SPEC)
    assert "[503]" in method_text(client, "healthCheck")
    assert "[503]" not in method_text(client, "predict")


def test_a_parameter_the_client_cannot_pass_stops_generation_with_its_name():
    changed = copy.deepcopy(SPEC)
    header = {"name": "X-Tenant", "in": "header", "schema": {"type": "string"}}
    changed["paths"]["/predict"]["post"]["parameters"].append(header)
    with pytest.raises(SystemExit, match=r"predict: .*header X-Tenant"):
        typescript_client.client_ts(changed)


def test_a_query_parameter_named_like_a_call_option_stops_generation():
    with pytest.raises(SystemExit, match="clashes with RequestOptions"):
        typescript_client.client_ts(with_query_parameter(SPEC, "/predict", "signal"))


def test_the_npm_version_is_the_specs_info_version():
    assert "version" not in json.loads(TEMPLATE.read_text(encoding="utf-8"))
    changed = copy.deepcopy(SPEC)
    changed["info"]["version"] = "2.3.0"
    package = json.loads(typescript_client.package_json(changed, TEMPLATE))
    assert package["version"] == "2.3.0"
    assert list(package)[:2] == ["name", "version"]
    built = json.loads((ROOT / "generated" / "typescript-client" / "package.json").read_text())
    assert built["version"] == str(SPEC["info"]["version"])


def test_response_enums_are_open_in_the_generated_types():
    types = (ROOT / "generated/typescript-client/src/gen/types.gen.ts").read_text(encoding="utf-8")
    tasks = SPEC["components"]["schemas"]["ModelMetadata"]["properties"]["task"]["enum"]
    assert f"task: {' | '.join(repr(t) for t in tasks)} | (string & {{}});" in types
    assert "status: 'healthy' | 'degraded' | 'unhealthy' | (string & {});" in types
    unions = re.findall(r"^\s*(\w.*?)[:=] '[^']*'(?: \| '[^']*')*;$", types, re.M)
    closed = [name for name in unions if name != "url"]  # the operations' own paths
    assert not closed, closed


def test_a_deprecated_operation_is_marked_for_editors_with_its_dates():
    changed = copy.deepcopy(SPEC)
    changed["paths"]["/predict"]["post"].update(
        {"deprecated": True, "x-deprecated-at": "2026-01-01", "x-sunset": "2027-01-01"}
    )
    client = typescript_client.client_ts(changed)
    # the operation's own overload (the body form), after the high-level one
    doc = client[: client.index("*/\n  predict(body")].rsplit("/**", 1)[1]
    text = " ".join(line.strip(" *") for line in doc.splitlines() if line.strip(" *"))
    assert text == (
        "Single prediction (`POST /predict`). Make a single prediction with the default model. "
        "@deprecated The service marks this operation deprecated since 2026-01-01; "
        "it may stop answering after 2027-01-01."
    )
