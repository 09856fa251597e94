"""`GET /usage` and `GET /admin/usage` in process (the in-process counters, one worker):
the caller's own rows and quota, spans refused in the one error shape, the admin scope, a
quota refusal that says so and leaves usage readable, and no per-key label in `/metrics`."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import jwt
import pytest

from specserve.app import create_app
from specserve.auth.filestore import FileKeyStore
from specserve.ratelimit import usage as usage_module
from tests.problem import assert_problem

SEED = {"features": [1500.50, 2, 0.75]}


@pytest.fixture(scope="module")
def app_overrides() -> dict[str, Any]:
    return {"quota_tiers": "small=3/day"}


@pytest.fixture(scope="module")
def store(keys_file) -> FileKeyStore:
    return FileKeyStore(keys_file)


def as_key(app, key: str) -> Any:
    return app.test_client(base_url="http://testserver/v1", headers={"X-API-Key": key})


def test_the_caller_reads_its_own_usage_and_no_one_elses(app, store):
    mine, key = store.create("reader")
    _, other = store.create("someone")
    with as_key(app, key) as c, as_key(app, other) as o:
        assert c.post("/batch_predict", json={"requests": [SEED] * 3}).status_code == 200
        assert o.post("/predict", json=SEED).status_code == 200
        body = c.get("/usage").json()
    assert body["identity"] == f"key:{mine.id}" and body["quota"] is None
    rows = [d for d in body["days"] if d["model"] == "fraud-detector"]
    assert [(d["requests"], d["units"]) for d in rows] == [(1, 3)]
    assert body["to"] == datetime.now(UTC).date().isoformat()


@pytest.mark.parametrize("query", ["from=yesterday", "to=", "from=2026-02-30"])
def test_a_day_that_is_no_date_is_a_400(client, query):
    assert_problem(client.get(f"/usage?{query}"), 400, "validation_error")


def test_a_long_span_is_answered_for_its_last_400_days_and_a_reversed_one_is_empty(client):
    long = client.get("/usage?from=2020-01-01&to=2026-01-01").json()
    assert (long["from"], long["to"]) == ("2024-11-28", "2026-01-01")
    reversed_ = client.get("/usage?from=2026-02-01&to=2026-01-01").json()
    assert reversed_["days"] == [] and reversed_["totals"]["requests"] == 0


def test_every_keys_usage_needs_the_admin_scope(app, client, store):
    assert_problem(client.get("/admin/usage"), 403, "insufficient_scope")
    _, admin = store.create("admin", ["admin", "predict"])
    with as_key(app, admin) as c:
        assert client.post("/predict", json=SEED).status_code == 200  # two identities' rows
        assert c.post("/predict", json=SEED).status_code == 200
        listed = c.get("/admin/usage?limit=1")
        every = c.get("/admin/usage").json()
    assert listed.status_code == 200
    assert len(listed.json()["rows"]) == 1 and listed.json()["truncated"] is True
    assert len(every["rows"]) >= 2 and every["truncated"] is False
    where = [
        (r["identity"], r["day"], r["model"]) for r in [*listed.json()["rows"], *every["rows"]]
    ]
    assert where[0] == where[1]  # the first row of the whole list


def test_past_its_tier_quota_a_key_gets_quota_exceeded_and_can_read_why(app, store):
    _, key = store.create("small", tier="small")
    with as_key(app, key) as c:
        answers = [c.post("/predict", json=SEED) for _ in range(4)]
        usage = c.get("/usage").json()
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    body = assert_problem(answers[3], 429, "quota_exceeded")
    assert body["retry_after"] == int(answers[3].headers["Retry-After"]) > 0
    assert [r.headers["X-Quota-Remaining"] for r in answers] == ["2", "1", "0", "0"]
    assert usage["quota"]["limit"] == 3 and usage["quota"]["remaining"] == 0


def test_metrics_carry_no_key_label(app, store):
    record, key = store.create("scraped", ["metrics:read", "predict"])
    with as_key(app, key) as c:
        c.post("/predict", json=SEED)
        text = c.get("/metrics").text
    assert record.id not in text and "key:" not in text


def test_a_junk_body_past_a_small_quota_is_still_the_400(app, store):
    """A body refused as it is read is priced by its size, but never above the caller's
    whole quota: the answer stays the 400, not `cost_exceeds_limit`."""
    _, key = store.create("junk", tier="small")
    junk = b'{"features": [' + b"1," * 600_000
    with as_key(app, key) as c:
        r = c.post("/predict", content=junk, headers={"Content-Type": "application/json"})
        usage = c.get("/usage").json()
    assert_problem(r, 400)
    assert usage["quota"]["used"] == 3 and usage["totals"]["client_error"] == 1


def idp_token(settings, sub: str) -> str:
    now = int(time.time())
    body = {"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now}
    body.update(exp=now + 600, scope="predict", sub=sub)
    return jwt.encode(body, settings.jwt_secret.get_secret_value(), algorithm="HS256")


def test_a_subject_too_long_for_an_identity_is_refused_at_authentication(anonymous, settings):
    """An identity provider's subject names the caller's usage (`sub:<subject>`, at most
    300 characters): the longest that fits reads its usage, a longer one is a 401
    `invalid_token` saying why (not a 500 on `GET /usage`)."""
    longest = {"Authorization": f"Bearer {idp_token(settings, 's' * 296)}"}
    assert anonymous.post("/predict", json=SEED, headers=longest).status_code == 200
    usage = anonymous.get("/usage", headers=longest)
    assert usage.status_code == 200 and usage.json()["identity"] == "sub:" + "s" * 296
    over = anonymous.get(
        "/usage", headers={"Authorization": f"Bearer {idp_token(settings, 's' * 297)}"}
    )
    body = assert_problem(over, 401)
    assert (
        "subject" in body["detail"] and 'error="invalid_token"' in over.headers["www-authenticate"]
    )


def test_an_answer_after_midnight_is_counted_on_its_requests_day(app, store, monkeypatch):
    """The answer's outcome is counted on the day its request was charged to, even when the
    answer comes after midnight (the usage store's clock reads tomorrow by then)."""
    record, key = store.create("midnight")
    later = SimpleNamespace(time=lambda: time.time() + 86_400, monotonic=time.monotonic)
    monkeypatch.setattr(usage_module, "time", later)
    today = datetime.now(UTC).date()
    with as_key(app, key) as c:
        assert c.post("/predict", json=SEED).status_code == 200
        body = c.get(f"/usage?from={today}&to={today + timedelta(days=1)}").json()
    [row] = [d for d in body["days"] if d["model"] == "fraud-detector"]
    assert row["day"] == today.isoformat() and (row["requests"], row["ok"]) == (1, 1)


def test_an_admin_reads_one_subjects_usage_by_identity(app, anonymous, settings, store):
    """An identity provider's subject has no key id: `identity=sub:<subject>` filters its
    rows (as `identity=key:<id>` does a key's); with `key_id` too, both must match."""
    subject = {"Authorization": f"Bearer {idp_token(settings, 'user-42')}"}
    assert anonymous.post("/predict", json=SEED, headers=subject).status_code == 200
    record, admin = store.create("subject-admin", ["admin"])
    with as_key(app, admin) as c:
        by_sub = c.get("/admin/usage", params={"identity": "sub:user-42"}).json()
        by_key = c.get("/admin/usage", params={"identity": f"key:{record.id}"}).json()
        both = c.get("/admin/usage", params={"identity": "sub:user-42", "key_id": record.id})
        bad = c.get("/admin/usage", params={"identity": "user-42"})
    assert {r["identity"] for r in by_sub["rows"]} == {"sub:user-42"}
    assert sum(r["units"] for r in by_sub["rows"] if r["model"] == "fraud-detector") == 1
    assert {r["identity"] for r in by_key["rows"]} <= {f"key:{record.id}"}
    assert both.status_code == 200 and both.json()["rows"] == []
    assert_problem(bad, 400, "validation_error")


def test_with_rate_limiting_off_no_quota_is_shown(settings, keys_file):
    """Nothing charges a quota with rate limiting off: `GET /usage` says `quota: null`
    rather than a quota that never moves."""
    off = settings.model_copy(update={"rate_limit_enabled": False, "quota_tiers": "small=3/day"})
    _, key = FileKeyStore(keys_file).create("off", tier="small")
    with as_key(create_app(off), key) as c:
        assert [c.post("/predict", json=SEED).status_code for _ in range(4)] == [200] * 4
        assert c.get("/usage").json()["quota"] is None


def test_an_unreachable_cluster_is_usage_unavailable(settings, api_key):
    """Usage on a Redis Cluster none of whose nodes answers: 503 `usage_unavailable` with
    `Retry-After`, as for a single Redis (not a 500); the limiter fails open there too."""
    down = settings.model_copy(update={"redis_url": "redis+cluster://127.0.0.1:1"})
    with as_key(create_app(down), api_key) as c:
        assert c.post("/predict", json=SEED).status_code == 200
        r = c.get("/usage")
    assert_problem(r, 503, "usage_unavailable")
    assert int(r.headers["Retry-After"]) > 0
