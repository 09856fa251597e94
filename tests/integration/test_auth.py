"""Authentication and authorization against the live service: the JWT attack table, scopes,
the OAuth2 token endpoint, key revocation and rotation."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from specserve.auth.filestore import FileKeyStore
from specserve.auth.records import default_scopes
from tests.conftest import jwt_secret
from tests.live import LiveService

SEED = {"features": [1500.50, 2, 0.75]}
ISS, AUD = "https://idp.example.test/", "specserve-api"


@pytest.fixture(scope="module")
def idp_keys(workdir):
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rsa_pub = (
        rsa_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key()))
    jwk.update(kid="ec-1", use="sig", alg="ES256")
    jwks_file = workdir / "jwks.json"
    jwks_file.write_text(json.dumps({"keys": [jwk]}))
    return {"rsa": rsa_key, "rsa_pub": rsa_pub, "ec": ec_key, "jwks_file": jwks_file}


@pytest.fixture(scope="module")
def secret():
    return jwt_secret()


@pytest.fixture(scope="module")
def auth_service(workdir, model_dir, keys_file, api_key, test_redis, idp_keys, secret):
    env = {
        "SPECSERVE_REDIS_URL": test_redis,
        "SPECSERVE_RATE_LIMIT": "1000000/minute",
        "SPECSERVE_AUTH_RATE_LIMIT": "100000/minute",
        "SPECSERVE_JWT_SECRET": secret,
        "SPECSERVE_JWT_PUBLIC_KEY": idp_keys["rsa_pub"],
        "SPECSERVE_JWT_JWKS_FILE": str(idp_keys["jwks_file"]),
        "SPECSERVE_JWT_ISSUER": ISS,
        "SPECSERVE_JWT_AUDIENCE": AUD,
    }
    with LiveService(workdir, model_dir, keys_file, env=env) as svc:
        yield svc


@pytest.fixture(scope="module")
def store(keys_file):
    return FileKeyStore(keys_file)


def claims(**over):
    now = int(time.time())
    base = {
        "iss": ISS,
        "aud": AUD,
        "sub": "user-1",
        "scope": "predict models:read",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def call(svc, headers=None, path="/predict", method="POST", **kw):
    kw.setdefault("json", SEED if method == "POST" else None)
    return httpx.request(method, svc.base_url + path, headers=headers or {}, timeout=10, **kw)


def assert_401(r, *, invalid_token: bool):
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["error"] == "unauthorized" and body["request_id"] == r.headers["x-request-id"]
    challenge = r.headers["www-authenticate"]
    assert "Bearer" in challenge
    assert ('error="invalid_token"' in challenge) == invalid_token


def attack_tokens(idp, secret, store):
    rsa_priv, pub = idp["rsa"], idp["rsa_pub"]
    revoked_record, revoked_key = store.create("to-revoke")
    store.revoke(revoked_record.id)
    forged_hs = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + b64(claims()) + "."
    import hashlib
    import hmac

    signing_input = forged_hs[:-1].encode()
    sig = hmac.new(pub.encode(), signing_input, hashlib.sha256).digest()
    forged_hs += base64.urlsafe_b64encode(sig).rstrip(b"=").decode()
    return {
        "alg_none": b64({"alg": "none", "typ": "JWT"}) + "." + b64(claims()) + ".",
        "alg_none_upper": b64({"alg": "None", "typ": "JWT"}) + "." + b64(claims()) + ".",
        "hs256_signed_with_public_key": forged_hs,
        "wrong_signature": jwt.encode(claims(), "x" * 48, algorithm="HS256"),
        "unconfigured_alg_hs512": jwt.encode(claims(), secret, algorithm="HS512"),
        "expired": jwt.encode(claims(exp=int(time.time()) - 3600), rsa_priv, algorithm="RS256"),
        "nbf_in_future": jwt.encode(
            claims(nbf=int(time.time()) + 3600), rsa_priv, algorithm="RS256"
        ),
        "wrong_iss": jwt.encode(claims(iss="https://evil.test/"), rsa_priv, algorithm="RS256"),
        "wrong_aud": jwt.encode(claims(aud="other-api"), rsa_priv, algorithm="RS256"),
        "missing_exp": jwt.encode(claims(exp=None), rsa_priv, algorithm="RS256"),
        "unknown_kid": jwt.encode(claims(), idp["ec"], algorithm="ES256", headers={"kid": "nope"}),
        "revoked_key": jwt.encode(
            claims(sub=f"key:{revoked_record.id}", key_id=revoked_record.id, scope="predict"),
            secret,
            algorithm="HS256",
        ),
        "garbage": "abc.def.ghi",
        "ten_kb": "a" * 10_000,
    }


ATTACKS = [
    "alg_none",
    "alg_none_upper",
    "hs256_signed_with_public_key",
    "wrong_signature",
    "unconfigured_alg_hs512",
    "expired",
    "nbf_in_future",
    "wrong_iss",
    "wrong_aud",
    "missing_exp",
    "unknown_kid",
    "revoked_key",
    "garbage",
    "ten_kb",
]


@pytest.fixture(scope="module")
def attacks(idp_keys, secret, store):
    return attack_tokens(idp_keys, secret, store)


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_table_bearer_tokens(auth_service, attacks, name):
    token = attacks[name]
    r = call(auth_service, {"Authorization": f"Bearer {token}"})
    assert_401(r, invalid_token=True)
    assert token not in r.text


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer  x", "abc", "Basic", "Token abc", "Bearer a b"]
)
def test_malformed_authorization_headers(auth_service, header):
    r = call(auth_service, {"Authorization": header})
    assert r.status_code == 401, (header, r.text)
    assert r.json()["status"] == 401


def test_api_key_in_query_string_is_not_accepted(auth_service, api_key):
    for name in ("X-API-Key", "api_key", "apikey", "access_token"):
        r = call(auth_service, params={name: api_key})
        assert r.status_code == 401
        assert api_key not in r.text


def test_unknown_key_with_the_right_prefix(auth_service):
    assert_401(
        call(auth_service, {"X-API-Key": "ssk_0123456789ab_" + "Q" * 43}), invalid_token=False
    )


def test_expired_key_is_refused(auth_service, store):
    from datetime import timedelta

    _, key = store.create("short-lived", expires_in=timedelta(seconds=1))
    assert call(auth_service, {"X-API-Key": key}).status_code == 200
    time.sleep(1.2)
    assert_401(call(auth_service, {"X-API-Key": key}), invalid_token=False)


def test_insufficient_scope_is_403_naming_the_scope(auth_service, store, idp_keys):
    _, key = store.create("reader", ["models:read"])
    r = call(auth_service, {"X-API-Key": key})
    assert r.status_code == 403 and r.json()["error"] == "insufficient_scope"
    assert "'predict'" in r.json()["detail"]
    assert 'error="insufficient_scope"' in r.headers["www-authenticate"]
    assert call(auth_service, {"X-API-Key": key}, "/models", "GET").status_code == 200
    token = jwt.encode(claims(scope="models:read"), idp_keys["rsa"], algorithm="RS256")
    r = call(auth_service, {"Authorization": f"Bearer {token}"})
    assert r.status_code == 403 and 'scope="predict"' in r.headers["www-authenticate"]
    r = call(auth_service, {"Authorization": f"Bearer {token}"}, "/metrics", "GET")
    assert r.status_code == 403
    r = call(auth_service, {"X-API-Key": key}, "/admin/models/reload")
    assert r.status_code == 403 and "'admin'" in r.json()["detail"]


def test_external_idp_tokens_rs256_and_es256_with_kid(auth_service, idp_keys):
    rs = jwt.encode(claims(), idp_keys["rsa"], algorithm="RS256")
    assert call(auth_service, {"Authorization": f"Bearer {rs}"}).status_code == 200
    es = jwt.encode(
        claims(scopes=["predict"], scope=None),
        idp_keys["ec"],
        algorithm="ES256",
        headers={"kid": "ec-1"},
    )
    assert call(auth_service, {"Authorization": f"Bearer {es}"}).status_code == 200


def token(svc, key, **form):
    form.setdefault("grant_type", "client_credentials")
    return httpx.post(
        f"{svc.base_url}/auth/token", data=form, headers={"X-API-Key": key}, timeout=10
    )


def test_token_endpoint_round_trip_with_scope_narrowing(auth_service, api_key):
    r = token(auth_service, api_key, scope="predict")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "predict"
    assert body["expires_in"] == 900
    assert r.headers["cache-control"] == "no-store"
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert call(auth_service, bearer).status_code == 200
    assert call(auth_service, bearer, "/models", "GET").status_code == 403
    full = token(auth_service, api_key).json()
    assert set(full["scope"].split()) == set(default_scopes())  # every scope but admin


def test_token_endpoint_with_http_basic(auth_service, api_key):
    key_id = api_key.split("_")[1]
    for password in (api_key, api_key.split("_", 2)[2]):
        r = httpx.post(
            f"{auth_service.base_url}/auth/token",
            data={"grant_type": "client_credentials"},
            auth=(key_id, password),
        )
        assert r.status_code == 200, r.text


def test_token_endpoint_errors_follow_rfc6749(auth_service, api_key):
    r = token(auth_service, api_key, grant_type="password")
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"
    r = token(auth_service, api_key, scope="admin")
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"
    assert r.json()["error_description"]
    r = token(auth_service, api_key, scope="root")
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"
    r = httpx.post(
        f"{auth_service.base_url}/auth/token",
        data={"grant_type": "client_credentials"},
        auth=("abc", "wrong"),
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    assert r.headers["www-authenticate"].startswith("Basic")
    r = httpx.post(f"{auth_service.base_url}/auth/token", data={"grant_type": "x"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"


def cli(keys_file, *args):
    env = {**os.environ, "SPECSERVE_KEYS_FILE": str(keys_file)}
    out = subprocess.run(
        [sys.executable, "-m", "specserve.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_revoking_a_key_stops_its_tokens_at_once(auth_service, keys_file):
    key = cli(keys_file, "keys", "create", "--name", "revoke-me", "--quiet").strip()
    access = token(auth_service, key).json()["access_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    assert call(auth_service, bearer).status_code == 200
    assert call(auth_service, {"X-API-Key": key}).status_code == 200
    cli(keys_file, "keys", "revoke", key.split("_")[1])
    for _ in range(4):  # every worker sees it, without a restart
        assert_401(call(auth_service, bearer), invalid_token=True)
        assert_401(call(auth_service, {"X-API-Key": key}), invalid_token=False)


def test_rotation_grace_period(auth_service, keys_file):
    old = cli(keys_file, "keys", "create", "--name", "rotate-me", "--quiet").strip()
    key_id = old.split("_")[1]
    new = cli(keys_file, "keys", "rotate", key_id, "--grace", "2s", "--quiet").strip()
    assert new != old
    assert call(auth_service, {"X-API-Key": old}).status_code == 200
    assert call(auth_service, {"X-API-Key": new}).status_code == 200
    time.sleep(2.5)
    assert call(auth_service, {"X-API-Key": old}).status_code == 401
    assert call(auth_service, {"X-API-Key": new}).status_code == 200
    listing = cli(keys_file, "keys", "list")
    assert key_id in listing and new not in listing and old not in listing


def test_rotation_past_its_grace_ends_the_keys_tokens(auth_service, keys_file):
    key = cli(keys_file, "keys", "create", "--name", "rotate-tokens", "--quiet").strip()
    bearer = {"Authorization": f"Bearer {token(auth_service, key).json()['access_token']}"}
    assert call(auth_service, bearer).status_code == 200
    new = cli(keys_file, "keys", "rotate", key.split("_")[1], "--grace", "0s", "--quiet")
    for _ in range(4):  # every worker
        assert_401(call(auth_service, bearer), invalid_token=True)
    fresh = token(auth_service, new.strip()).json()["access_token"]
    assert call(auth_service, {"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_tokens_of_the_old_secret_live_as_long_as_its_grace(auth_service, keys_file):
    old = cli(keys_file, "keys", "create", "--name", "grace-tokens", "--quiet").strip()
    before = token(auth_service, old).json()["access_token"]
    new = cli(keys_file, "keys", "rotate", old.split("_")[1], "--grace", "2s", "--quiet")
    during = token(auth_service, old).json()["access_token"]  # the old secret, in its grace
    after = token(auth_service, new.strip()).json()["access_token"]
    for access in (before, during, after):
        assert call(auth_service, {"Authorization": f"Bearer {access}"}).status_code == 200
    time.sleep(2.5)
    for access in (before, during):
        assert_401(call(auth_service, {"Authorization": f"Bearer {access}"}), invalid_token=True)
    assert call(auth_service, {"Authorization": f"Bearer {after}"}).status_code == 200


def assert_model_403(r, model):
    assert r.status_code == 403, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["error"] == "model_not_allowed" and f"'{model}'" in body["detail"]
    assert body["request_id"] == r.headers["x-request-id"]


def test_keys_limited_to_models_and_their_tokens(auth_service, keys_file):
    create = ("keys", "create", "--quiet", "--models")
    mine = {"X-API-Key": cli(keys_file, *create, "fraud-detector", "--name", "m1").strip()}
    theirs = {"X-API-Key": cli(keys_file, *create, "churn", "--name", "m2").strip()}
    batch = {"requests": [SEED]}
    assert call(auth_service, mine).status_code == 200
    assert call(auth_service, mine, "/models/fraud-detector/predict").status_code == 200
    assert call(auth_service, mine, "/models/fraud-detector", "GET").status_code == 200
    assert_model_403(call(auth_service, mine, "/models/churn/predict"), "churn")  # not 404
    assert_model_403(call(auth_service, theirs), "fraud-detector")
    assert_model_403(call(auth_service, theirs, "/batch_predict", json=batch), "fraud-detector")
    path = "/models/fraud-detector/batch_predict"
    assert_model_403(call(auth_service, theirs, path, json=batch), "fraud-detector")
    assert_model_403(call(auth_service, theirs, "/models/fraud-detector", "GET"), "fraud-detector")
    access = token(auth_service, theirs["X-API-Key"]).json()["access_token"]
    assert_model_403(call(auth_service, {"Authorization": f"Bearer {access}"}), "fraud-detector")
    assert "[churn]" in cli(keys_file, "keys", "list")


def test_credentials_never_logged(auth_service, api_key, attacks):
    logs = auth_service.logs()
    assert api_key not in logs and api_key.split("_", 2)[2] not in logs
    for name in ("wrong_signature", "revoked_key"):
        assert attacks[name] not in logs


def test_without_a_secret_no_tokens_are_issued_or_accepted(tmp_path, trained_model_dir, secret):
    store = FileKeyStore(tmp_path / "keys.json")
    _, key = store.create("no-bearer")
    with LiveService(tmp_path, trained_model_dir, store.path, workers=1) as svc:
        r = token(svc, key)
        assert r.status_code == 503 and r.json()["error"] == "token_issuance_disabled"
        assert "SPECSERVE_JWT_SECRET" in r.json()["detail"]
        forged = jwt.encode(claims(iss="specserve", aud="specserve"), secret, algorithm="HS256")
        assert_401(call(svc, {"Authorization": f"Bearer {forged}"}), invalid_token=True)
        assert call(svc, {"X-API-Key": key}).status_code == 200
