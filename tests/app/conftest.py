"""In-process apps: `create_app(Settings(...))` and Connexion's test client, no sockets.

Each module gets a fresh app over its own copy of the default model and its own key file;
the rate limiter is the in-memory store (no Redis), limits high unless a module overrides
`app_overrides`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from specserve.app import create_app
from specserve.config import Settings


@pytest.fixture(scope="module")
def app_overrides() -> dict[str, Any]:
    """Settings a module wants on top of the defaults below."""
    return {}


@pytest.fixture(scope="module")
def settings(model_dir, keys_file, app_overrides) -> Settings:
    values: dict[str, Any] = {
        "model_dir": model_dir,
        "keys_file": keys_file,
        "validate_responses": True,
        "rate_limit": "1000000/minute",
        "jwt_secret": secrets.token_urlsafe(48),
        "model_poll_seconds": 0,
        **app_overrides,
    }
    return Settings(**values)


@pytest.fixture(scope="module")
def app(settings) -> Any:
    return create_app(settings)


@pytest.fixture(scope="module")
def client(app, api_key) -> Iterator[Any]:
    """A client with a valid key; `base_url` is the API's (paths start after `/v1`)."""
    with app.test_client(base_url="http://testserver/v1", headers={"X-API-Key": api_key}) as c:
        yield c


@pytest.fixture(scope="module")
def anonymous(app) -> Iterator[Any]:
    with app.test_client(base_url="http://testserver/v1") as c:
        yield c
