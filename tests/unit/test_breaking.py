"""The breaking-change gate's rules on the released contract and known changes to it
(tests/fixtures/breaking/cases.yaml), in process: what a release of each must bump and what
the changelog must name (the real openapi-diff runs in test_breaking_tool.py)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.lifecycle import gate, strict
from scripts.lifecycle.findings import ADDED, BREAKING, level

FIXTURES = Path("tests/fixtures/breaking")
BASELINE = Path("openapi/released/1.0.0.yaml")
CASES = yaml.safe_load((FIXTURES / "cases.yaml").read_text())


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
    old = patched(yaml.safe_load(BASELINE.read_text()), case.get("before", []))
    return old, patched(old, case["change"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_change_is_judged_as_documented(case):
    old, new = case_specs(case)
    groups = gate.changes(old, new, differ=None)
    assert level(groups) == case["level"], gate.listing(groups, BASELINE, Path("new"))
    assert {g.subject for g in groups if g.kind == BREAKING} == set(case.get("breaking", []))
    assert set(case.get("added", [])) <= {g.subject for g in groups if g.kind == ADDED}


def test_a_change_names_its_place_as_a_json_pointer():
    rename = CASES[0]
    groups = gate.changes(*case_specs(rename), differ=None)
    removed = next(g for g in groups if g.subject == "processing_time_ms")
    assert (
        removed.pointer
        == "old#/components/schemas/PredictionResponse/properties/processing_time_ms"
    )
    assert {"POST /predict", "POST /batch_predict"} <= set(removed.operations)
    assert len(removed.operations) == 6  # every prediction operation shares the schema


def test_the_working_contract_passes_against_its_baseline():
    assert gate.check(gate.Layout(), differ=None) == []


def test_the_baseline_is_the_released_one_and_declares_what_is_opt_in():
    released = yaml.safe_load(BASELINE.read_text())
    assert released["info"]["version"] == "1.0.0"
    props = released["components"]["schemas"]["PredictionResponse"]["properties"]
    assert props["probabilities"]["x-opt-in"] == {"query": "probabilities"}
    assert "model" in props["label"]["x-opt-in"]
    assert strict.problems(released) == []


def test_an_opt_in_must_name_a_query_parameter_the_operation_has():
    spec = patched(
        yaml.safe_load(BASELINE.read_text()),
        [
            {
                "op": "replace",
                "value": {"query": "explain"},
                "path": "/components/schemas/PredictionResponse/properties/probabilities/x-opt-in",
            }
        ],
    )
    assert any("no query parameter `explain`" in p for p in strict.problems(spec))
