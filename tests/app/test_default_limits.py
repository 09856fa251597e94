"""The default limits admit every request the spec allows: the largest batch under the default
rate limit, the largest valid body under the default body limit; a request no wait could
ever admit (it costs more than its key's whole limit) is refused at once, charged nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from specserve.auth.filestore import FileKeyStore
from specserve.config import Settings
from specserve.spec import load
from tests.problem import SEED, assert_problem

DEFAULTS = {name: field.default for name, field in Settings.model_fields.items()}
SMALL_TIER = 10
WIDE = 1000  # `maxItems` of `features`
BATCH = load().by_id("batchPredict").max_items  # `maxItems` of `requests`


@pytest.fixture(scope="module")
def app_overrides():
    """The defaults of both limits (tests/app/conftest.py raises the rate limit otherwise)."""
    return {
        "rate_limit": DEFAULTS["rate_limit"],
        "max_body_bytes": DEFAULTS["max_body_bytes"],
        "rate_limit_tiers": f"small={SMALL_TIER}/minute",
    }


@pytest.fixture(scope="module")
def model_dir(trained_model_dir, workdir) -> Path:
    """The default model plus `wide`, a regressor on the most features a row may hold."""
    from sklearn.linear_model import LinearRegression

    from specserve.serving.publish import add_estimator

    target = workdir / "models"
    shutil.copytree(trained_model_dir, target)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, WIDE))
    add_estimator(target, "wide", "1", LinearRegression().fit(x, x @ rng.normal(size=WIDE)))
    return target


def fresh_key(keys_file: Path, tier: str = "default") -> dict[str, str]:
    return {"X-API-Key": FileKeyStore(keys_file).create("defaults", tier=tier)[1]}


def test_the_defaults_are_the_ones_documented():
    assert DEFAULTS["rate_limit"] == "100/minute"
    assert DEFAULTS["max_body_bytes"] == 4 * 1024 * 1024


def test_the_largest_batch_passes_the_default_rate_limit(anonymous, keys_file):
    key = fresh_key(keys_file)
    rows = {"requests": [{"features": SEED}] * BATCH}
    r = anonymous.post("/batch_predict", json=rows, headers=key)
    assert r.status_code == 200, r.text
    assert len(r.json()["predictions"]) == BATCH and r.headers["x-ratelimit-remaining"] == "0"
    refused = anonymous.post("/predict", json={"features": SEED}, headers=key)
    body = assert_problem(refused, 429, "rate_limited")  # the window is spent: wait for it
    assert int(refused.headers["retry-after"]) >= 1 and body["retry_after"] >= 1


def test_a_request_costing_more_than_the_whole_limit_is_refused_at_once(anonymous, keys_file):
    key = fresh_key(keys_file, tier="small")
    too_big = {"requests": [{"features": SEED}] * (SMALL_TIER + 1)}
    r = anonymous.post("/batch_predict", json=too_big, headers=key)
    body = assert_problem(r, 429, "cost_exceeds_limit")
    assert "retry-after" not in r.headers and "retry_after" not in body
    assert f"costs {SMALL_TIER + 1} units" in body["detail"]
    assert f"limit of {SMALL_TIER} per 60 seconds" in body["detail"]
    assert r.headers["ratelimit-policy"] == f'"small";q={SMALL_TIER};w=60'
    # nothing was charged: the whole limit is still there
    fits = {"requests": [{"features": SEED}] * SMALL_TIER}
    r = anonymous.post("/batch_predict", json=fits, headers=key)
    assert r.status_code == 200 and r.headers["x-ratelimit-remaining"] == "0"


def largest_valid_body() -> bytes:
    """100 rows of 1,000 features, each number at float64's longest `repr` (24 characters),
    with the longest `metadata` the schema allows, written by `json.dumps`."""
    rng = np.random.default_rng(1)
    values = -(1 + rng.random((BATCH, WIDE))) * 1e-300  # -1.2345678901234567e-300
    meta = {"request_id": "r" * 128, "timestamp": "2026-01-01T00:00:00.123456+00:00"}
    rows = [{"features": row.tolist(), "metadata": meta} for row in values]
    return json.dumps({"requests": rows}).encode()


def test_the_largest_valid_body_passes_the_default_body_limit(anonymous, keys_file):
    limit = DEFAULTS["max_body_bytes"]
    body = largest_valid_body()
    assert 2_500_000 < len(body) < limit  # about 2.6 MB
    padded = body + b" " * (limit - len(body))  # exactly at the limit: still admitted
    headers = {**fresh_key(keys_file), "Content-Type": "application/json"}
    r = anonymous.post("/models/wide/batch_predict", content=padded, headers=headers)
    assert r.status_code == 200, r.text[:500]
    assert len(r.json()["predictions"]) == BATCH
    over = anonymous.post("/models/wide/batch_predict", content=padded + b" ", headers=headers)
    body_413 = assert_problem(over, 413, "payload_too_large")
    assert str(limit) in body_413["detail"]
