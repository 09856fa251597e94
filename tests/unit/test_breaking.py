"""The breaking-change gate's rules on the released contract and known changes to it
(tests/fixtures/breaking/cases.yaml), in process: what a release of each must bump and what
the changelog must name (the real openapi-diff runs in test_breaking_tool.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.lifecycle import gate, strict
from scripts.lifecycle.findings import ADDED, BREAKING, level
from scripts.lifecycle.spec import load
from tests.spec_changes import BASELINE, CASES, case_specs, patched


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
    released = load(BASELINE)
    assert released["info"]["version"] == "1.0.0"
    props = released["components"]["schemas"]["PredictionResponse"]["properties"]
    assert props["probabilities"]["x-opt-in"] == {"query": "probabilities"}
    assert "model" in props["label"]["x-opt-in"]
    assert strict.problems(released) == []


def test_an_opt_in_must_name_a_query_parameter_the_operation_has():
    spec = patched(
        load(BASELINE),
        [
            {
                "op": "replace",
                "value": {"query": "explain"},
                "path": "/components/schemas/PredictionResponse/properties/probabilities/x-opt-in",
            }
        ],
    )
    assert any("no query parameter `explain`" in p for p in strict.problems(spec))


def test_a_header_shared_by_many_answers_is_one_entry_naming_them_all():
    added = next(c for c in CASES if c["name"].startswith("a response header added"))
    groups = [g for g in gate.changes(*case_specs(added), differ=None) if g.subject == "X-Spent"]
    assert len(groups) == 1 and groups[0].pointer == "new#/components/headers/X-Spent"
    assert {"POST /predict", "POST /models/{model_name}/predict", "GET /models"} <= set(
        groups[0].operations
    )
