"""The in-process rate limiter: exact limits, batch pricing, headers, the per-address guard."""

from __future__ import annotations

import pytest

from specserve.auth.filestore import FileKeyStore
from tests.problem import SEED, assert_problem

LIMIT = 10


@pytest.fixture(scope="module")
def app_overrides():
    return {
        "rate_limit": f"{LIMIT}/minute",
        "auth_rate_limit": "5/minute",
        "token_rate_limit": "3/minute",
    }


def fresh_key(keys_file) -> dict[str, str]:
    return {"X-API-Key": FileKeyStore(keys_file).create("limits")[1]}


def test_exactly_the_limit_passes_then_429_with_retry_after(anonymous, keys_file):
    key = fresh_key(keys_file)
    codes = [
        anonymous.post("/predict", json={"features": SEED}, headers=key).status_code
        for _ in range(LIMIT + 3)
    ]
    assert codes == [200] * LIMIT + [429] * 3
    r = anonymous.post("/predict", json={"features": SEED}, headers=key)
    body = assert_problem(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1 and body["retry_after"] >= 1
    assert r.headers["ratelimit-policy"] == f'"default";q={LIMIT};w=60'


def test_a_batch_costs_one_unit_per_row(anonymous, keys_file):
    key = fresh_key(keys_file)
    rows = {"requests": [{"features": SEED}] * 4}
    r = anonymous.post("/batch_predict", json=rows, headers=key)
    assert r.status_code == 200 and r.headers["x-ratelimit-remaining"] == str(LIMIT - 4)
    r = anonymous.post("/batch_predict", json={"requests": [{"features": SEED}] * 7}, headers=key)
    assert_problem(r, 429)  # 7 rows do not fit in the 6 left, and consume nothing
    r = anonymous.post("/batch_predict", json={"requests": [{"features": SEED}] * 6}, headers=key)
    assert r.status_code == 200 and r.headers["x-ratelimit-remaining"] == "0"


def test_invalid_requests_are_charged_too(anonymous, keys_file):
    key = fresh_key(keys_file)
    for body in ({"features": "nope"}, {"requests": "nope"}):
        path = "/predict" if "features" in body else "/batch_predict"
        assert_problem(anonymous.post(path, json=body, headers=key), 400)
    bad = anonymous.post(
        "/batch_predict", content=b"{oops", headers={**key, "Content-Type": "application/json"}
    )
    assert_problem(bad, 400)
    r = anonymous.post("/predict", json={"features": SEED}, headers=key)
    assert r.headers["x-ratelimit-remaining"] == str(LIMIT - 4)


def test_failed_authentications_are_limited_per_address_never_valid_keys(anonymous, keys_file):
    key = fresh_key(keys_file)
    codes = [anonymous.get("/models", headers={"X-API-Key": "nope"}).status_code for _ in range(7)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
    assert_problem(anonymous.get("/models", headers={"X-API-Key": "nope"}), 429, "rate_limited")
    # someone else's failures from the same address never lock a valid key out
    assert anonymous.get("/models", headers=key).status_code == 200
    assert anonymous.get("/health").status_code == 200


def test_tokens_are_limited_per_key_not_per_address(anonymous, keys_file):
    first, second = fresh_key(keys_file), fresh_key(keys_file)
    form = {"grant_type": "client_credentials"}
    codes = [anonymous.post("/auth/token", data=form, headers=first).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert anonymous.post("/auth/token", data=form, headers=second).status_code == 200
    assert anonymous.post("/predict", json={"features": SEED}, headers=first).status_code == 200
