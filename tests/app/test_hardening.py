"""Attack-review findings that the app answers in process: deep JSON, echoed bodies, label
cardinality, fail-closed authentication, and tokens that choose their own limits."""

from __future__ import annotations

import time

import jwt
import orjson
import pytest

from specserve.app import create_app
from tests.problem import SEED, assert_problem


def test_deep_json_is_a_400_not_a_500(client):
    for depth in (40, 300, 600, 5000):
        metadata = b'{"a":' * depth + b"1" + b"}" * depth
        raw = b'{"features": [1, 2, 3], "metadata": ' + metadata + b"}"
        r = client.post("/predict", content=raw, headers={"Content-Type": "application/json"})
        assert_problem(r, 400, "validation_error")


def test_error_bodies_never_echo_a_large_request(client):
    r = client.post("/predict", json={"features": [1.5] * 200_000})
    body = assert_problem(r, 400)
    assert len(r.content) < 8_000 and len(body["detail"]) < 600


def metric_series(client) -> int:
    text = client.get("/metrics").text
    return sum(1 for line in text.splitlines() if line.startswith("specserve_http_requests"))


def junk(client, i: int) -> None:
    client.get(f"/ui/junk{i}.json")
    client.get(f"/junk{i}")
    client.post(f"/models/m{i}/predict", json={"features": SEED})


def test_junk_paths_never_grow_the_metrics(client):
    junk(client, 0)
    metric_series(client)  # a scrape records itself after answering
    before = metric_series(client)
    for i in range(1, 50):
        junk(client, i)
    assert metric_series(client) == before


@pytest.fixture(scope="module")
def closed_client(settings, api_key):
    down = settings.model_copy(
        update={"redis_url": "redis://127.0.0.1:1/0", "rate_limit_fail": "closed"}
    )
    with create_app(down).test_client(base_url="http://testserver/v1") as c:
        yield c


def test_fail_closed_refuses_every_authenticated_attempt(closed_client, api_key):
    good = closed_client.get("/models", headers={"X-API-Key": api_key})
    assert_problem(good, 503, "rate_limiter_unavailable")
    for _ in range(5):  # wrong guesses get the same answer: no oracle, no free guessing
        bad = closed_client.get("/models", headers={"X-API-Key": "ssk_0123456789ab_" + "A" * 43})
        assert_problem(bad, 503, "rate_limiter_unavailable")
    assert closed_client.get("/health").status_code in (200, 503)


def idp_token(settings, lifetime: int, **claims) -> str:
    now = int(time.time())
    body = {"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now}
    body.update(exp=now + lifetime, scope="predict", **claims)
    return jwt.encode(body, settings.jwt_secret.get_secret_value(), algorithm="HS256")


def test_provider_tokens_pick_neither_tier_nor_a_keys_bucket(anonymous, settings, api_key):
    key_id = api_key.split("_")[1]
    token = idp_token(settings, 600, sub=f"key:{key_id}", tier="unlimited")
    r = anonymous.post(
        "/predict", json={"features": SEED}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200 and r.headers["ratelimit-policy"].startswith('"default"')
    limit = int(r.headers["x-ratelimit-limit"])
    assert r.headers["x-ratelimit-remaining"] == str(limit - 1)  # a bucket of its own
    own = anonymous.post("/predict", json={"features": SEED}, headers={"X-API-Key": api_key})
    assert int(own.headers["x-ratelimit-remaining"]) < limit - 1  # the key's, used before


def test_provider_token_lifetime_is_capped(anonymous, settings):
    token = idp_token(settings, 3 * 86400, sub="user-1")
    r = anonymous.post(
        "/predict", json={"features": SEED}, headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(r, 401)
    assert "lifetime" in orjson.loads(r.content)["detail"]


def test_gzip_is_off_by_default(client):
    rows = {"requests": [{"features": [100.0 + i, 1.0, 0.5]} for i in range(100)]}
    r = client.post("/batch_predict", json=rows, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and "content-encoding" not in r.headers
