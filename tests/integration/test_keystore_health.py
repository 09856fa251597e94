"""A corrupt key file: `/health` says degraded, the keys read before keep working, and no
request fails with a 500."""

from __future__ import annotations

import time

import httpx

from specserve.auth.filestore import FileKeyStore
from tests.live import LiveService

SEED = {"features": [1500.50, 2, 0.75]}


def test_corrupt_key_file_degrades_health_and_breaks_no_request(tmp_path, trained_model_dir):
    store = FileKeyStore(tmp_path / "keys.json")
    _, key = store.create("known")
    # one worker: it read the file before it broke (each worker keeps what it read)
    with LiveService(tmp_path, trained_model_dir, store.path, workers=1) as svc:
        headers = {"X-API-Key": key}  # metrics:read: the checks' detail
        health = httpx.get(f"{svc.base_url}/health", headers=headers, timeout=10).json()
        assert health["status"] == "healthy"
        assert health["checks"]["key_store"] == {"status": "pass", "detail": "key file: 1 keys"}
        anonymous = httpx.get(f"{svc.base_url}/health", timeout=10).json()
        assert anonymous["checks"]["key_store"] == {"status": "pass"}  # no count, no detail
        for _ in range(4):  # every worker has read the file
            r = httpx.post(f"{svc.base_url}/predict", json=SEED, headers=headers, timeout=10)
            assert r.status_code == 200
        store.path.write_text('{"keys": [')
        time.sleep(0.05)
        for _ in range(4):
            health = httpx.get(f"{svc.base_url}/health", headers=headers, timeout=10).json()
            assert health["status"] == "degraded", health
            check = health["checks"]["key_store"]
            assert check["status"] == "fail" and "unreadable" in check["detail"]
            assert str(store.path) not in check["detail"]
            r = httpx.post(f"{svc.base_url}/predict", json=SEED, headers=headers, timeout=10)
            assert r.status_code == 200, r.text
            other = {"X-API-Key": "ssk_0123456789ab_" + "Q" * 43}
            r = httpx.post(f"{svc.base_url}/predict", json=SEED, headers=other, timeout=10)
            assert r.status_code == 401
