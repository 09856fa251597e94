"""`SPECSERVE_GZIP_MIN_BYTES`: off by default; on, a large answer is gzipped for a client that
accepts it (and decodes to the same JSON), never for one that does not, never a small one."""

from __future__ import annotations

import gzip
import json

import pytest

ROWS = {
    "requests": [{"features": [100.0 + 37 * i, float(i % 7), (i % 10) / 10]} for i in range(100)]
}


@pytest.fixture(scope="module")
def app_overrides():
    return {"gzip_min_bytes": 1000}


def raw(client, path, body, accept):
    headers = {"Accept-Encoding": accept} if accept else {"Accept-Encoding": "identity"}
    with client.stream("POST", path, json=body, headers=headers) as r:
        return r, b"".join(r.iter_raw())


def test_a_batch_answer_is_gzipped_for_a_client_that_accepts_it(client):
    r, body = raw(client, "/batch_predict", ROWS, "gzip")
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert r.headers["vary"] == "Accept-Encoding" and int(r.headers["content-length"]) == len(body)
    plain = json.loads(gzip.decompress(body))
    assert len(plain["predictions"]) == 100
    assert r.headers["x-request-id"] and r.headers["ratelimit"]  # the edge's headers survive
    r2, body2 = raw(client, "/batch_predict", ROWS, None)
    assert "content-encoding" not in r2.headers
    assert len(json.loads(body2)["predictions"]) == 100 and len(body) < len(body2) / 5


def test_a_single_row_answer_stays_plain(client):
    r, body = raw(client, "/predict", {"features": [1500.5, 2.0, 0.75]}, "gzip")
    assert r.status_code == 200 and "content-encoding" not in r.headers
    assert json.loads(body)["prediction"] in (0.0, 1.0)
