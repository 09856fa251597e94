"""Known changes to the released contract (tests/fixtures/breaking/cases.yaml, JSON Patch
operations) and the contracts they make, for the lifecycle tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from scripts.lifecycle.spec import load

FIXTURES = Path("tests/fixtures/breaking")
BASELINE = Path("openapi/released/1.0.0.yaml")
CASES = yaml.safe_load((FIXTURES / "cases.yaml").read_text())
# A CHANGELOG.md with the first release only.
FIRST = "# Changelog\n\n## [1.0.0] - 2026-12-06\n\n### Added\n\n- The first contract.\n"


def patched(spec: dict[str, Any], operations: list[dict[str, Any]]) -> dict[str, Any]:
    """JSON Patch (add, remove, replace) on a copy."""
    spec = copy.deepcopy(spec)
    for op in operations:
        *parents, last = [
            t.replace("~1", "/").replace("~0", "~") for t in op["path"][1:].split("/")
        ]
        node = spec
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        if isinstance(node, list):
            index = len(node) if last == "-" else int(last)
            if op["op"] == "add":
                node.insert(index, op["value"])
            elif op["op"] == "remove":
                del node[index]
            else:
                node[index] = op["value"]
        elif op["op"] == "remove":
            del node[last]
        else:
            node[last] = op["value"]
    return spec


def case_specs(case: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    old = patched(load(BASELINE), case.get("before", []))
    return old, patched(old, case["change"])


def dump(spec: dict[str, Any]) -> str:
    return yaml.dump(spec, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)


def with_invoices(raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` plus an operation the source tree has no handler for (`GET /invoices`)."""
    raw["tags"].append({"name": "Invoices", "description": "What a key was billed."})
    raw["paths"]["/invoices"] = {
        "get": {
            "tags": ["Invoices"],
            "operationId": "getInvoices",
            "summary": "Invoices of the calling key",
            "security": [{"ApiKeyAuth": []}, {"OAuth2": ["predict"]}],
            "parameters": [{"name": "since", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The usage."}},
        }
    }
    return raw
