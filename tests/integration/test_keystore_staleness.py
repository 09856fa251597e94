"""`SPECSERVE_KEYS_MAX_STALENESS`: an instance cut off from PostgreSQL (a relay the test cuts)
stops trusting its copy of the keys once it is older than the bound, so a key revoked during
the partition gets 503 there instead of 200; tokens from an identity provider keep working,
and everything comes back once the database does."""

from __future__ import annotations

import time
import uuid

import httpx
import jwt
import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from specserve.auth.pgstore import PostgresKeyStore
from tests.conftest import jwt_secret
from tests.integration.test_keystore_postgres import cli, until, with_schema
from tests.live import LiveService
from tests.tcpproxy import TcpProxy

SEED = {"features": [1500.50, 2, 0.75]}
BOUND = 2.0  # seconds: SPECSERVE_KEYS_MAX_STALENESS in these tests
SLACK = 2.0  # the watcher's poll (0.5 s), the relay's cut, a shared machine


@pytest.fixture
def schema(test_postgres):
    name = f"stale_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield name
    with psycopg.connect(test_postgres, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def proxy(test_postgres):
    port = int(psycopg.conninfo.conninfo_to_dict(test_postgres).get("port") or 5432)
    with TcpProxy(port) as relay:
        yield relay


def test_a_cut_off_store_turns_stale_past_the_bound_and_fresh_when_back(
    test_postgres, schema, proxy
):
    direct = PostgresKeyStore(with_schema(test_postgres, schema), watch=False)
    relayed = with_schema(test_postgres, schema, proxy.port)
    store = PostgresKeyStore(relayed, max_staleness=BOUND)
    unbounded = PostgresKeyStore(relayed)  # today's behaviour: no bound
    try:
        record, key = direct.create("doomed")
        until(lambda: store.authenticate(key) and unbounded.authenticate(key), 1.0)
        assert not store.stale()
        proxy.stop()
        direct.revoke(record.id)  # the partition hides it from the relayed stores
        took = until(store.stale, BOUND + SLACK)
        assert took > BOUND - 0.6, "stale before the bound"  # last sync: at most a poll ago
        assert "refusing API keys (503)" in store.healthy()[1]
        assert not unbounded.stale() and unbounded.authenticate(key) is not None
        proxy.start()
        until(lambda: not store.stale() and store.authenticate(key) is None, 10.0)
    finally:
        for s in (store, unbounded, direct):
            s.close()


def test_a_store_never_reached_is_stale_with_a_bound(test_postgres, schema, proxy):
    proxy.stop()  # nothing listens on the relay's port
    relayed = with_schema(test_postgres, schema, proxy.port)
    store = PostgresKeyStore(relayed, max_staleness=BOUND)
    try:
        assert store.stale()  # no key is known: 503 says so, a 401 would blame the key
    finally:
        store.close()


def idp_token(private_key: rsa.RSAPrivateKey) -> str:
    now = int(time.time())
    scope = "predict metrics:read"  # metrics:read: `/health` shows it the detail
    claims = {"iss": "specserve", "aud": "specserve", "sub": "idp-user", "scope": scope}
    return jwt.encode({**claims, "iat": now, "exp": now + 300}, private_key, algorithm="RS256")


def public_pem(private_key: rsa.RSAPrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def call(svc: LiveService, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{svc.base_url}/predict", json=SEED, headers=headers, timeout=10)


def statuses(svc: LiveService, headers: dict[str, str], n: int = 6) -> set[int]:
    """Statuses of `n` calls (two workers: both answer some)."""
    return {call(svc, headers).status_code for _ in range(n)}


def test_live_revoked_key_is_refused_during_a_partition(
    tmp_path, trained_model_dir, test_postgres, schema, proxy
):
    idp = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    direct = with_schema(test_postgres, schema)
    relayed = with_schema(test_postgres, schema, proxy.port)
    env = {
        "SPECSERVE_KEYS_URL": relayed,
        "SPECSERVE_KEYS_MAX_STALENESS": str(BOUND),
        "SPECSERVE_JWT_SECRET": jwt_secret(),
        "SPECSERVE_JWT_PUBLIC_KEY": public_pem(idp),
        "SPECSERVE_AUTH_RATE_LIMIT": "100000/minute",
    }
    with LiveService(tmp_path, trained_model_dir, tmp_path / "unused.json", env=env) as svc:
        kept = cli(direct, "keys", "create", "--name", "kept", "--quiet").stdout.strip()
        doomed = cli(direct, "keys", "create", "--name", "doomed", "--quiet").stdout.strip()
        until(lambda: statuses(svc, {"X-API-Key": doomed}) == {200}, 2.0)
        form = {"grant_type": "client_credentials"}
        url = f"{svc.base_url}/auth/token"
        issued = httpx.post(url, data=form, headers={"X-API-Key": kept}, timeout=10)
        bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        idp_bearer = {"Authorization": f"Bearer {idp_token(idp)}"}
        assert statuses(svc, bearer) == {200} and statuses(svc, idp_bearer) == {200}

        proxy.stop()  # the instance is cut off; the database itself is fine
        cli(direct, "keys", "revoke", doomed.split("_")[1])
        until(lambda: statuses(svc, {"X-API-Key": doomed}) == {503}, BOUND + SLACK)
        refused = call(svc, {"X-API-Key": doomed})
        assert refused.json()["error"] == "key_store_unavailable"
        assert refused.headers["Retry-After"] == "5"
        for credential in (
            {"X-API-Key": kept},
            bearer,
            {"X-API-Key": "ssk_0123456789ab_" + "Q" * 43},
        ):
            assert statuses(svc, credential) == {503}  # right or wrong, as fail-closed does
        token_refused = httpx.post(url, data=form, headers={"X-API-Key": kept}, timeout=10)
        assert token_refused.status_code == 503
        assert statuses(svc, idp_bearer) == {200}  # an identity provider's token is unaffected
        health = httpx.get(f"{svc.base_url}/health", headers=idp_bearer, timeout=10).json()
        check = health["checks"]["key_store"]
        assert check["status"] == "fail" and "refusing API keys (503)" in check["detail"]

        proxy.start()
        until(lambda: statuses(svc, {"X-API-Key": doomed}) == {401}, 10.0)
        until(lambda: statuses(svc, {"X-API-Key": kept}) == {200}, 10.0)
        assert statuses(svc, bearer) == {200}
