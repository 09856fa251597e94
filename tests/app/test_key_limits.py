"""Keys limited to models, and tokens across rotation, in process."""

from __future__ import annotations

from datetime import timedelta

import pytest

from specserve.auth.filestore import FileKeyStore
from tests.problem import SEED, assert_problem


@pytest.fixture(scope="module")
def store(keys_file):
    return FileKeyStore(keys_file)


def token_for(anonymous, key):
    form = {"grant_type": "client_credentials"}
    r = anonymous.post("/auth/token", data=form, headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_a_key_for_other_models_gets_403_naming_the_model(anonymous, store):
    key = {"X-API-Key": store.create("churn-only", models=["churn"])[1]}
    batch = {"requests": [{"features": SEED}]}
    for method, path, body in [
        ("post", "/predict", {"features": SEED}),
        ("post", "/batch_predict", batch),
        ("post", "/models/fraud-detector/predict", {"features": SEED}),
        ("post", "/models/fraud-detector/batch_predict", batch),
        ("get", "/models/fraud-detector", None),
        ("get", "/models/fraud-detector/versions/1.0.0", None),
        ("post", "/models/fraud-detector/versions/1.0.0/predict", {"features": SEED}),
        ("post", "/models/fraud-detector/versions/1.0.0/batch_predict", batch),
    ]:
        r = getattr(anonymous, method)(path, headers=key, **({"json": body} if body else {}))
        assert "'fraud-detector'" in assert_problem(r, 403, "model_not_allowed")["detail"], path
    r = anonymous.post(
        "/predict", json={"features": SEED}, headers=token_for(anonymous, key["X-API-Key"])
    )
    assert_problem(r, 403, "model_not_allowed")


def test_a_key_for_its_model_serves(anonymous, store):
    key = {"X-API-Key": store.create("fraud-only", models=["fraud-detector"])[1]}
    assert anonymous.post("/predict", json={"features": SEED}, headers=key).status_code == 200
    r = anonymous.post("/models/fraud-detector/predict", json={"features": SEED}, headers=key)
    assert r.status_code == 200
    r = anonymous.post("/models/churn/predict", json={"features": SEED}, headers=key)
    assert_problem(r, 403, "model_not_allowed")  # before the lookup: not a 404


def test_a_rotation_without_grace_ends_the_keys_tokens(anonymous, store):
    record, key = store.create("rotating")
    bearer = token_for(anonymous, key)
    assert anonymous.post("/predict", json={"features": SEED}, headers=bearer).status_code == 200
    _, new = store.rotate(record.id, timedelta(0))
    r = anonymous.post("/predict", json={"features": SEED}, headers=bearer)
    assert_problem(r, 401, "unauthorized")
    assert 'error="invalid_token"' in r.headers["www-authenticate"]
    fresh = token_for(anonymous, new)
    assert anonymous.post("/predict", json={"features": SEED}, headers=fresh).status_code == 200


def test_a_limited_key_lists_only_its_models(anonymous, store):
    every = {m["name"] for m in anonymous.get("/models", headers=admin(store)).json()["models"]}
    assert "fraud-detector" in every
    limited = {"X-API-Key": store.create("churn-lister", models=["churn"])[1]}
    listed = anonymous.get("/models", headers=limited).json()
    assert listed == {"default_model": None, "models": []}  # not even the default's name
    mine = {"X-API-Key": store.create("fraud-lister", models=["fraud-detector"])[1]}
    listed = anonymous.get("/models", headers=mine).json()
    assert [m["name"] for m in listed["models"]] == ["fraud-detector"]
    assert listed["default_model"] == "fraud-detector"


def test_a_request_refused_for_its_model_costs_nothing(anonymous, store):
    key = {"X-API-Key": store.create("churn-counted", models=["churn"])[1]}
    before = anonymous.get("/models", headers=key).headers["X-RateLimit-Remaining"]
    for _ in range(3):
        r = anonymous.post("/models/fraud-detector/predict", json={"features": SEED}, headers=key)
        assert_problem(r, 403, "model_not_allowed")
    after = anonymous.get("/models", headers=key).headers["X-RateLimit-Remaining"]
    assert int(before) - int(after) == 1  # the second listing, not the refusals


def admin(store):
    return {"X-API-Key": store.create("lister", scopes=["models:read", "admin"])[1]}
