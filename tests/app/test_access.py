"""Scopes, the token endpoint's RFC 6749 answers, CORS and the error path, in process."""

from __future__ import annotations

import pytest

from specserve.app import create_app
from specserve.auth.filestore import FileKeyStore
from tests.problem import SEED, assert_problem


@pytest.fixture(scope="module")
def store(keys_file):
    return FileKeyStore(keys_file)


@pytest.fixture(scope="module")
def models_only_key(store):
    return store.create("reader", scopes=["models:read"])[1]


def test_a_key_without_the_scope_gets_403_naming_it(anonymous, models_only_key):
    headers = {"X-API-Key": models_only_key}
    assert anonymous.get("/models", headers=headers).status_code == 200
    r = anonymous.post("/predict", json={"features": SEED}, headers=headers)
    body = assert_problem(r, 403, "insufficient_scope")
    assert "'predict'" in body["detail"]
    assert 'error="insufficient_scope"' in r.headers["www-authenticate"]


def test_admin_needs_the_admin_scope(client):
    assert_problem(client.post("/admin/models/reload"), 403, "insufficient_scope")


def test_tokens_carry_narrowed_scopes(client, anonymous):
    r = client.post("/auth/token", data={"grant_type": "client_credentials", "scope": "predict"})
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert anonymous.post("/predict", json={"features": SEED}, headers=bearer).status_code == 200
    assert_problem(anonymous.get("/models", headers=bearer), 403, "insufficient_scope")


@pytest.mark.parametrize(
    "form,code",
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "scope": "nope"}, "invalid_scope"),
    ],
)
def test_token_errors_carry_rfc6749_members(client, form, code):
    body = assert_problem(client.post("/auth/token", data=form), 400, code)
    assert body["error_description"] == body["detail"]


def test_token_requests_ignore_unknown_parameters(client):
    form = {"grant_type": "password", "username": "a", "password": "b"}
    assert_problem(client.post("/auth/token", data=form), 400, "unsupported_grant_type")
    form = {"grant_type": "client_credentials", "audience": "x"}
    assert client.post("/auth/token", data=form).status_code == 200


def test_token_request_without_a_content_type_is_415(client):
    r = client.post(
        "/auth/token", content=b"grant_type=client_credentials", headers={"Content-Type": ""}
    )
    assert_problem(r, 415)


def test_token_request_without_credentials_is_invalid_client(anonymous):
    r = anonymous.post("/auth/token", data={"grant_type": "client_credentials"})
    body = assert_problem(r, 401, "invalid_client")
    assert body["error_description"] and r.headers["www-authenticate"].startswith("Basic")


def test_other_operations_do_not_speak_rfc6749(anonymous):
    body = assert_problem(anonymous.get("/models"), 401, "unauthorized")
    assert "error_description" not in body


def test_cors_is_off_by_default(client):
    r = client.options(
        "/predict", headers={"Origin": "https://a.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in r.headers


def test_cors_allow_list_in_process(settings, api_key):
    app = create_app(settings.model_copy(update={"cors_origins": "https://a.example"}))
    with app.test_client(base_url="http://testserver/v1") as c:
        preflight = {"Origin": "https://a.example", "Access-Control-Request-Method": "POST"}
        r = c.options("/predict", headers=preflight)
        assert r.headers["access-control-allow-origin"] == "https://a.example"
        assert "access-control-allow-credentials" not in r.headers
        other = c.options("/predict", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_every_response_has_security_headers_and_one_request_id(client):
    for r in (client.get("/health"), client.get("/nope"), client.post("/predict", json={})):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        assert len(r.headers.get_list("x-request-id")) == 1
        assert "server" not in r.headers


def test_a_model_fault_is_a_500_in_the_error_shape_without_internals(client, monkeypatch):
    import specserve.serving.dataplane as dataplane

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals /srv/model")

    monkeypatch.setattr(dataplane, "_matrix", explode)
    r = client.post("/predict", json={"features": SEED})
    body = assert_problem(r, 500, "internal_error")
    assert "secret" not in r.text and "/srv" not in r.text
    assert body["request_id"] == r.headers["x-request-id"]


def test_narrowing_a_key_narrows_it_and_its_tokens_at_once(anonymous, store):
    record, key = store.create("widened-later", scopes=["predict"])
    store.set_scopes(record.id, add=["models:read"])
    headers = {"X-API-Key": key}
    assert anonymous.get("/models", headers=headers).status_code == 200
    form = {"grant_type": "client_credentials"}
    token = anonymous.post("/auth/token", data=form, headers=headers).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert anonymous.get("/models", headers=bearer).status_code == 200
    store.set_scopes(record.id, remove=["models:read"])
    assert_problem(anonymous.get("/models", headers=headers), 403, "insufficient_scope")
    assert_problem(anonymous.get("/models", headers=bearer), 403, "insufficient_scope")
    assert anonymous.post("/predict", json={"features": SEED}, headers=bearer).status_code == 200
