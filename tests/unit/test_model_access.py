"""Keys and tokens limited to some models."""

from __future__ import annotations

import pytest

from specserve.auth.access import check_model_access, token_models
from specserve.auth.records import KeyRecord
from specserve.errors import ModelForbidden
from specserve.http.problems import render


def test_unlimited_credentials_reach_every_model():
    check_model_access({"sub": "key:x"}, "anything")
    check_model_access(None, "anything")  # a handler called without credentials (tests)


def test_a_limited_credential_gets_403_naming_the_model():
    with pytest.raises(ModelForbidden) as caught:
        check_model_access({"models": ["churn"]}, "fraud-detector")
    problem = render(caught.value, "rid")
    assert problem.status == 403 and problem.code == "model_not_allowed"
    assert "'fraud-detector'" in problem.detail
    check_model_access({"models": ["churn"]}, "churn")


def test_echoed_model_name_is_bounded():
    with pytest.raises(ModelForbidden) as caught:
        check_model_access({"models": []}, "m" * 5000)
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
