"""Keys and tokens limited to some models."""

from __future__ import annotations

import pytest

from specserve.auth.permissions import check_model, token_models
from specserve.auth.records import KeyRecord
from specserve.errors import ModelForbidden
from specserve.http.problems import render


def test_operations_that_use_no_model_pass_any_limit():
    check_model([], None)  # e.g. GET /models: no model named


def test_a_limited_credential_gets_403_naming_the_model():
    with pytest.raises(ModelForbidden) as caught:
        check_model(["churn"], "fraud-detector")
    problem = render(caught.value, "rid")
    assert problem.status == 403 and problem.code == "model_not_allowed"
    assert "'fraud-detector'" in problem.detail
    check_model(["churn"], "churn")


def test_echoed_model_name_is_bounded():
    with pytest.raises(ModelForbidden) as caught:
        check_model([], "m" * 5000)
    assert len(caught.value.detail) < 200


def test_token_limit_is_the_claim_narrowed_by_the_key():
    key = KeyRecord(id="a", name="a", hash="h", scopes=[], models=["a", "b"])
    assert token_models({}) is None
    assert token_models({"models": ["a"]}) == ["a"]
    assert token_models({"models": "a"}) == []  # malformed: nothing
    assert token_models({}, key) == ["a", "b"]
    assert token_models({"models": ["a", "c"]}, key) == ["a"]
    unlimited = KeyRecord(id="b", name="b", hash="h", scopes=[])
    assert token_models({"models": ["c"]}, unlimited) == ["c"]
