"""A model's own OpenAPI document (`GET /models/{name}/openapi.json`), in process: valid
OpenAPI, this model's inputs and classes, prepared once, and true to what the service takes."""

from __future__ import annotations

import asyncio
import gc
import json
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from specserve.auth.filestore import FileKeyStore
from specserve.serving.contract import CONTRACTS, model_document, served_document
from specserve.serving.model import Model
from tests.loan import CITIES, CLASSES, NAME, publish_loan
from tests.problem import assert_problem

NUMERIC = "grades"
NUMERIC_INPUTS = [
    {"name": "score", "type": "number", "nullable": False},
    {"name": "hours", "type": "number", "nullable": False, "minimum": 0},
]


@pytest.fixture(scope="module")
def model_dir(model_dir: Path) -> Path:
    """The default model, `loan` 1 (a string category), `loan` 2 that fails to load, and
    `grades` (numbers only, named)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from specserve.serving.publish import add_estimator

    publish_loan(model_dir, "1")
    broken = model_dir / NAME / "2"
    broken.mkdir()
    (broken / "metadata.json").write_text(json.dumps({"format": "skops", "n_features": 3}))
    (broken / "model.skops").write_bytes(b"not a model")
    (model_dir / NAME / "pinned").write_text("1\n")
    x = np.random.default_rng(3).normal(size=(60, 2))
    estimator = LogisticRegression().fit(x, np.where(x[:, 0] > 0, "pass", "fail"))
    add_estimator(model_dir, NUMERIC, "1.0", estimator, metadata={"inputs": NUMERIC_INPUTS})
    return model_dir


def document(client: Any, path: str) -> dict[str, Any]:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return dict(r.json())


def resolved(doc: dict[str, Any], node: Any) -> Any:
    """`node` with every `$ref` into `doc` replaced by its target (the schemas are acyclic)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return resolved(doc, target)
        return {k: resolved(doc, v) for k, v in node.items()}
    if isinstance(node, list):
        return [resolved(doc, v) for v in node]
    return node


def request_schema(doc: dict[str, Any], path: str) -> dict[str, Any]:
    body = resolved(doc, doc["paths"][path]["post"]["requestBody"])
    return dict(body["content"]["application/json"]["schema"])


@pytest.mark.parametrize(
    "path",
    [
        f"/models/{NAME}/openapi.json",
        f"/models/{NAME}/versions/1/openapi.json",
        f"/models/{NUMERIC}/openapi.json",
        "/models/fraud-detector/openapi.json",
    ],
)
def test_the_document_is_valid_openapi(client, path):
    doc = document(client, path)
    validate(doc)
    assert doc["openapi"].startswith("3.0")
    for item in doc["paths"].values():
        for op in item.values():
            names = [resolved(doc, p)["name"] for p in op.get("parameters", [])]
            assert "model_name" not in names and "version" not in names


def test_it_names_the_model_inputs_categories_and_classes(client, app):
    doc = document(client, f"/models/{NAME}/openapi.json")
    spec = app.app_state.contract.raw
    assert doc["info"]["title"] == f"{NAME} 1"
    assert doc["info"]["version"] == spec["info"]["version"]
    assert doc["servers"] == spec["servers"]
    assert doc["x-model"] == {
        "name": NAME,
        "version": "1",
        "task": "classification",
        "classes": CLASSES,
    }
    assert sorted(doc["paths"]) == [
        f"/models/{NAME}",
        f"/models/{NAME}/batch_predict",
        f"/models/{NAME}/predict",
    ]
    features = request_schema(doc, f"/models/{NAME}/predict")["properties"]["features"]
    assert "oneOf" not in features  # strings: only the named form
    assert list(features["properties"]) == ["income", "city", "age"]
    assert features["properties"]["city"]["enum"] == CITIES
    assert features["properties"]["age"]["nullable"] is True
    assert features["required"] == ["income", "city"]
    response = resolved(doc, doc["components"]["schemas"]["PredictionResponse"])
    assert response["properties"]["label"]["enum"] == CLASSES
    assert set(doc["components"]["securitySchemes"]) == {"ApiKeyAuth", "BearerAuth", "OAuth2"}


def test_the_version_document_has_the_version_routes(client):
    doc = document(client, f"/models/{NAME}/versions/1/openapi.json")
    assert sorted(doc["paths"]) == [
        f"/models/{NAME}/versions/1",
        f"/models/{NAME}/versions/1/batch_predict",
        f"/models/{NAME}/versions/1/predict",
    ]


def test_a_numeric_model_takes_both_forms(client):
    doc = document(client, f"/models/{NUMERIC}/openapi.json")
    features = request_schema(doc, f"/models/{NUMERIC}/predict")["properties"]["features"]
    positional, named = features["oneOf"]
    assert positional["minItems"] == positional["maxItems"] == 2
    assert list(named["properties"]) == ["score", "hours"]
    assert resolved(doc, doc["components"]["schemas"]["PredictionResponse"])["properties"]["label"][
        "enum"
    ] == ["fail", "pass"]
    r = client.post(f"/models/{NUMERIC}/predict", json={"features": [0.5, 2.0]})
    assert r.status_code == 200, r.text
    assert r.json()["label"] in ("fail", "pass")


def test_a_model_limited_key_reads_only_its_own_models(anonymous, keys_file):
    key = {"X-API-Key": FileKeyStore(keys_file).create("loan-only", models=[NAME])[1]}
    assert anonymous.get(f"/models/{NAME}/openapi.json", headers=key).status_code == 200
    for path in (
        "/models/fraud-detector/openapi.json",
        f"/models/{NUMERIC}/versions/1.0/openapi.json",
    ):
        assert_problem(anonymous.get(path, headers=key), 403, "model_not_allowed")


def test_unknown_and_failed_versions(client):
    assert_problem(client.get("/models/nope/openapi.json"), 404, "model_not_found")
    assert_problem(client.get(f"/models/{NAME}/versions/7/openapi.json"), 404, "model_not_found")
    assert_problem(client.get(f"/models/{NAME}/versions/2/openapi.json"), 503, "model_unavailable")


def test_the_document_is_prepared_once_per_loaded_version(app, client):
    spec, plane = app.app_state.contract.raw, app.app_state.data_plane
    first = asyncio.run(served_document(spec, plane, NAME))
    assert asyncio.run(served_document(spec, plane, NAME)) is first
    held = len(CONTRACTS)
    for _ in range(20):
        assert client.get(f"/models/{NAME}/openapi.json").content == first
    assert len(CONTRACTS) == held


def test_a_version_that_unloads_leaves_the_cache(app):
    serving = app.app_state.data_plane.registry.get(NAME)
    model = Model(NAME, "9", ["9"], Path("/nonexistent"), metadata=dict(serving.metadata))
    before = len(CONTRACTS)
    CONTRACTS.document(app.app_state.contract.raw, model, True)
    assert len(CONTRACTS) == before + 1
    del model
    gc.collect()
    assert len(CONTRACTS) == before


def test_a_request_valid_against_the_document_is_accepted(client):
    doc = document(client, f"/models/{NAME}/openapi.json")
    schema = resolved(doc, request_schema(doc, f"/models/{NAME}/predict"))
    good = {"features": {"income": 52000, "city": "lyon", "age": None}}
    OAS30Validator(schema).validate(good)
    r = client.post(f"/models/{NAME}/predict", json=good)
    assert r.status_code == 200, r.text
    assert r.json()["label"] in CLASSES
    examples = doc["paths"][f"/models/{NAME}/predict"]["post"]["requestBody"]
    for example in resolved(doc, examples)["content"]["application/json"]["examples"].values():
        OAS30Validator(schema).validate(example["value"])
        assert client.post(f"/models/{NAME}/predict", json=example["value"]).status_code == 200


def test_a_wrong_category_is_refused_by_both(client):
    doc = document(client, f"/models/{NAME}/openapi.json")
    schema = resolved(doc, request_schema(doc, f"/models/{NAME}/predict"))
    bad = {"features": {"income": 52000, "city": "berlin", "age": 40}}
    assert not OAS30Validator(schema).is_valid(bad)
    problem = assert_problem(
        client.post(f"/models/{NAME}/predict", json=bad), 422, "unknown_category"
    )
    assert problem["errors"][0]["path"] == "$.features.city"


def test_the_document_is_derived_not_stored(app):
    """Built from the contract: a description changed there shows in every model's."""
    spec = json.loads(json.dumps(app.app_state.contract.raw))
    spec["paths"]["/models/{model_name}/predict"]["post"]["summary"] = "Changed"
    model = app.app_state.data_plane.registry.get(NUMERIC)
    doc = model_document(spec, model)
    assert doc["paths"][f"/models/{NUMERIC}/predict"]["post"]["summary"] == "Changed"
