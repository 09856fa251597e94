"""Hardening: CORS off by default and an explicit allow-list when on."""

from __future__ import annotations

import httpx
import pytest

from specserve.auth.filestore import FileKeyStore
from specserve.config import Settings
from tests.live import LiveService

PREFLIGHT = {
    "Origin": "https://app.example.com",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "x-api-key,content-type",
}


def test_cors_off_by_default(service, api_key):
    r = httpx.options(f"{service.base_url}/predict", headers=PREFLIGHT)
    assert "access-control-allow-origin" not in r.headers
    r = httpx.post(
        f"{service.base_url}/predict",
        json={"features": [1, 2, 3]},
        headers={"X-API-Key": api_key, "Origin": "https://app.example.com"},
    )
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_cors_allow_list(tmp_path, trained_model_dir):
    store = FileKeyStore(tmp_path / "keys.json")
    _, key = store.create("browser")
    env = {"SPECSERVE_CORS_ORIGINS": "https://app.example.com"}
    with LiveService(tmp_path, trained_model_dir, store.path, workers=1, env=env) as svc:
        r = httpx.options(f"{svc.base_url}/predict", headers=PREFLIGHT)
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "https://app.example.com"
        assert "access-control-allow-credentials" not in r.headers
        r = httpx.post(
            f"{svc.base_url}/predict",
            json={"features": [1, 2, 3]},
            headers={"X-API-Key": key, "Origin": "https://app.example.com"},
        )
        assert r.headers["access-control-allow-origin"] == "https://app.example.com"
        assert "x-request-id" in r.headers["access-control-expose-headers"].lower()
        evil = {**PREFLIGHT, "Origin": "https://evil.example"}
        r = httpx.options(f"{svc.base_url}/predict", headers=evil)
        assert r.headers.get("access-control-allow-origin") != "https://evil.example"


def test_wildcard_cors_and_weak_jwt_secrets_are_refused(monkeypatch):
    with pytest.raises(ValueError, match="explicitly"):
        Settings(cors_origins="*")
    for weak in ("short", "your-secret-key-here", "your-secret-key-here-your-secret-key", "a" * 64):
        with pytest.raises(ValueError):
            Settings(jwt_secret=weak)
    Settings(jwt_secret="Vq3kLr8Zp2Xw7Ym4Tn6Bc1Hd9Gf5Js0Ka2Qe8Ru3")


def test_service_refuses_to_start_with_a_placeholder_secret(tmp_path, trained_model_dir):
    svc = LiveService(
        tmp_path,
        trained_model_dir,
        tmp_path / "k.json",
        workers=1,
        env={"SPECSERVE_JWT_SECRET": "your-secret-key-here"},
    )
    with pytest.raises(RuntimeError, match="placeholder|32 bytes"):
        svc.start(timeout=30)
    svc.stop()
