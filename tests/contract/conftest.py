"""The service under contract test: live gunicorn, real API key, real bearer token."""

from __future__ import annotations

import secrets

import httpx
import pytest

from specserve.auth.filestore import FileKeyStore
from specserve.auth.records import known_scopes
from tests.contract.runner import MAX_BODY_BYTES, Credentials
from tests.live import LiveService

# Rate limiting stays on, with a limit fuzzing never reaches.
UNREACHABLE_RATE_LIMIT = "100000000/minute"


def contract_env() -> dict[str, str]:
    return {
        # a fresh random HS256 secret (32 bytes) per service, so bearer tokens are real
        "SPECSERVE_JWT_SECRET": secrets.token_hex(32),
        "SPECSERVE_RATE_LIMIT": UNREACHABLE_RATE_LIMIT,
        # fuzzing sends bad credentials on purpose, all from one address
        "SPECSERVE_AUTH_RATE_LIMIT": UNREACHABLE_RATE_LIMIT,
        "SPECSERVE_TOKEN_TTL": "86400",  # a long `make fuzz` outlives the default 15 minutes
        # stated, not defaulted: hooks.py's `payload_too_large_is_true` checks a 413 against it
        "SPECSERVE_MAX_BODY_BYTES": str(MAX_BODY_BYTES),
    }


def issue_credentials(service: LiveService, keys_file) -> Credentials:
    """A key with every scope (admin included, so reloadModels is reachable) and its token."""
    record, key = FileKeyStore(keys_file).create("contract", scopes=list(known_scopes()))
    r = httpx.post(
        f"{service.base_url}/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"X-API-Key": key},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    return Credentials(api_key=key, key_id=record.id, bearer_token=r.json()["access_token"])


@pytest.fixture(scope="module")
def contract_service(workdir, model_dir, keys_file):
    with LiveService(workdir, model_dir, keys_file, env=contract_env()) as svc:
        yield svc


@pytest.fixture(scope="module")
def contract_credentials(contract_service, keys_file) -> Credentials:
    return issue_credentials(contract_service, keys_file)
