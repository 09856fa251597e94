"""Facts the service takes from the contract, and hand-built bodies against the generated
models (both come from openapi/openapi.yaml)."""

from __future__ import annotations

import orjson
import yaml

from generated import models
from specserve import spec
from specserve.auth.records import known_scopes
from specserve.errors import ApiError, TooManyRequests
from specserve.http import problems

RAW = yaml.safe_load(spec.SPEC_PATH.read_text())


def test_scopes_patterns_and_base_path_come_from_the_spec():
    schemes = RAW["components"]["securitySchemes"]
    assert tuple(schemes["OAuth2"]["flows"]["clientCredentials"]["scopes"]) == known_scopes()
    assert (
        spec.load().model_name.pattern
        == RAW["components"]["parameters"]["ModelName"]["schema"]["pattern"]
    )
    contract = spec.load()
    assert RAW["servers"][0]["url"].endswith(contract.base_path)
    assert contract.by_id("batchPredict").max_items == 100
    assert contract.by_id("issueToken").dialect == "rfc6749"


def test_every_domain_error_renders_a_valid_error_body():
    def leaves(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from leaves(sub)

    for cls in leaves(ApiError):
        exc = cls("x", "detail") if cls.__name__ == "TokenRequestError" else cls()
        problem = problems.render(exc, "rid", problems.RFC6749)
        models.Error.model_validate(orjson.loads(problem.body("rid")))
        assert problem.detail, cls


def test_a_429_body_carries_retry_after():
    problem = problems.render(TooManyRequests(headers={"Retry-After": "7"}), "r")
    assert orjson.loads(problem.body("r"))["retry_after"] == 7


def test_the_tasks_the_service_serves_are_the_spec_s():
    from specserve.serving.artifacts import TASKS

    task = RAW["components"]["schemas"]["ModelMetadata"]["properties"]["task"]
    assert tuple(task["enum"]) == TASKS
