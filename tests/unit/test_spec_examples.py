"""Every example in the contract validates through the generated Pydantic models."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from generated import models
from specserve.config import SPEC_PATH

SPEC = yaml.safe_load(SPEC_PATH.read_text())


def deref(node: dict[str, Any]) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def media_examples() -> list[tuple[str, str, Any]]:
    """(where, schema name, example) for every media-type example with a component schema."""
    found = []
    media_types: list[tuple[str, dict[str, Any]]] = []
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            if "requestBody" in op:
                media_types.append((f"{method} {path} body", deref(op["requestBody"])))
            for status, response in op["responses"].items():
                media_types.append((f"{method} {path} {status}", deref(response)))
    for where, holder in media_types:
        for media, content in holder.get("content", {}).items():
            schema = content.get("schema", {})
            if "$ref" not in schema:
                continue
            name = schema["$ref"].rsplit("/", 1)[1]
            values = [content["example"]] if "example" in content else []
            values += [deref(e)["value"] for e in content.get("examples", {}).values()]
            found += [(f"{where} {media}", name, value) for value in values]
    return found


EXAMPLES = media_examples()


def test_the_spec_has_examples_for_every_schema_used_in_a_body():
    assert {name for _, name, _ in EXAMPLES} >= {
        "PredictionRequest",
        "BatchPredictionRequest",
        "PredictionResponse",
        "BatchPredictionResponse",
        "ModelList",
        "ModelMetadata",
        "Health",
        "TokenRequest",
        "TokenResponse",
        "Error",
    }


@pytest.mark.parametrize(("where", "name", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_validates_through_the_model(where, name, example):
    model: type[BaseModel] = getattr(models, name)
    model.model_validate(example)


PROPERTY_EXAMPLES = [
    (name, prop, spec["example"])
    for name, schema in SPEC["components"]["schemas"].items()
    for prop, spec in schema.get("properties", {}).items()
    if "example" in spec
]


@pytest.mark.parametrize(("schema", "prop", "example"), PROPERTY_EXAMPLES)
def test_property_example_validates_through_the_model(schema, prop, example):
    model: type[BaseModel] = getattr(models, schema)
    model.__pydantic_validator__.validate_assignment(model.model_construct(), prop, example)


def test_models_keep_the_spec_constraints():
    """The models are not looser than the spec: out-of-range values are refused."""
    with pytest.raises(ValidationError):
        models.PredictionRequest(features=[])  # minItems 1
    with pytest.raises(ValidationError):
        models.BatchPredictionRequest.model_validate({"requests": [{"features": [1.0]}] * 101})
    with pytest.raises(ValidationError):
        models.PredictionResponse.model_validate(
            {
                "prediction": 1,
                "probability": 1.5,
                "model_version": "1",
                "request_id": "r",
                "processing_time_ms": 0,
            }
        )
    with pytest.raises(ValidationError):
        models.PredictionRequest.model_validate({"features": [1.0], "extra": 1})  # no extras
    with pytest.raises(ValidationError):
        models.Health.model_validate(
            {
                "status": "fine",
                "uptime_seconds": 0,
                "model_loaded": True,
                "model_version": None,
                "checks": {},
            }
        )
    health = models.Health.model_validate(
        {
            "status": "unhealthy",
            "uptime_seconds": 0,
            "model_loaded": False,
            "model_version": None,
            "checks": {},
        }
    )
    assert health.model_version is None  # nullable and required
