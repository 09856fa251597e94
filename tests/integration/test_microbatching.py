"""Micro-batching against live gunicorn: same answers, own answers, isolated errors, no stalls.

Coalescing is encouraged with a few milliseconds of `SPECSERVE_MICROBATCH_MAX_WAIT_MS` and
32 concurrent clients; each test checks from `/metrics` that rows really were coalesced, so
none can pass with every row scored alone.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pytest

from tests.integration.test_observability import metric
from tests.live import LiveService

CLIENTS = 32
# Rows spread over the model's range, so a row answered with a neighbour's result shows.
ROWS = [[round(15.0 + 211.7 * i, 2), i % 7, round((i * 37 % 100) / 100, 2)] for i in range(160)]
TOO_LARGE_FOR_FLOAT32 = 1e39  # finite JSON, refused by models that score in float32


@pytest.fixture(scope="module")
def model_dir(model_dir):
    """The default model plus `tree-check`, a decision tree that refuses huge values."""
    import skops.io as sio
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 3)) * [500, 2, 0.3] + [800, 2, 0.4]
    y = (x[:, 0] / 500 + x[:, 2] * 2 > 2.4).astype(int)
    target = model_dir / "tree-check" / "1.0.0"
    target.mkdir(parents=True)
    sio.dump(DecisionTreeClassifier(max_depth=4, random_state=0).fit(x, y), target / "model.skops")
    meta = {"format": "skops", "feature_names": ["a", "b", "c"], "n_features": 3, "classes": [0, 1]}
    (target / "metadata.json").write_text(json.dumps(meta))
    return model_dir


def _service(workdir, model_dir, keys_file, **env: str) -> LiveService:
    env = {f"SPECSERVE_{k.upper()}": v for k, v in env.items()}
    return LiveService(workdir, model_dir, keys_file, workers=1, env=env)


@pytest.fixture(scope="module")
def batching(workdir, model_dir, keys_file, api_key):
    with _service(
        workdir, model_dir, keys_file, microbatch="true", microbatch_max_wait_ms="5"
    ) as s:
        yield s


@pytest.fixture(scope="module")
def unbatched(workdir, model_dir, keys_file, api_key):
    with _service(workdir, model_dir, keys_file, microbatch="false") as s:
        yield s


def _post_all(service, api_key, path: str, rows: list[list[float]]) -> list[httpx.Response]:
    """POST each row with its own request id, from CLIENTS concurrent clients."""
    headers = {"X-API-Key": api_key}

    def one(i: int) -> httpx.Response:
        body = {"features": rows[i], "metadata": {"request_id": f"row-{i}"}}
        return httpx.post(f"{service.base_url}{path}", json=body, headers=headers, timeout=10)

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(len(rows))))


def _calls(service, api_key, model: str) -> dict[str, float]:
    """Model calls of the batcher so far: all, those that scored 2+ rows, rows scored."""
    text = httpx.get(f"{service.base_url}/metrics", headers={"X-API-Key": api_key}).text
    calls = metric(text, "specserve_microbatch_size_rows_count", model=model)
    single = metric(text, "specserve_microbatch_size_rows_bucket", model=model, le="1.0")
    rows = metric(text, "specserve_microbatch_size_rows_sum", model=model)
    return {"calls": calls, "multi_row": calls - single, "rows": rows}


def test_concurrent_rows_get_the_same_results_with_and_without_batching(
    batching, unbatched, api_key, model_dir
):
    batched = _post_all(batching, api_key, "/predict", ROWS)
    plain = _post_all(unbatched, api_key, "/predict", ROWS)
    import skops.io as sio

    path = model_dir / "fraud-detector" / "1.0.0" / "model.skops"
    estimator = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    proba = estimator.predict_proba(np.array(ROWS))
    for i, (b, p) in enumerate(zip(batched, plain, strict=True)):
        assert b.status_code == p.status_code == 200, (b.text, p.text)
        got, want = b.json(), p.json()
        assert got["request_id"] == want["request_id"] == f"row-{i}"
        assert (got["prediction"], got["probability"]) == (want["prediction"], want["probability"])
        assert got["prediction"] == float(estimator.classes_[proba[i].argmax()])
        # the ONNX graph serves: within the parity gate's tolerance
        assert got["probability"] == pytest.approx(float(proba[i].max()), abs=1e-4)
        assert set(got) == set(want)
    assert len({r.json()["probability"] for r in batched}) > 50  # the rows really differ
    calls = _calls(batching, api_key, "fraud-detector")
    assert calls["rows"] == len(ROWS) and calls["multi_row"] > 0  # rows were coalesced


def test_a_bad_row_fails_only_its_own_request(batching, unbatched, api_key):
    rows = [
        [TOO_LARGE_FOR_FLOAT32, 1, 0.5] if i % 3 == 0 else row for i, row in enumerate(ROWS[:120])
    ]
    before = _calls(batching, api_key, "tree-check")
    batched = _post_all(batching, api_key, "/models/tree-check/predict", rows)
    plain = _post_all(unbatched, api_key, "/models/tree-check/predict", rows)
    for i, (b, p) in enumerate(zip(batched, plain, strict=True)):
        if i % 3 == 0:
            assert b.status_code == p.status_code == 422, b.text
            assert b.json()["error"] == "feature_out_of_range"
            assert b.json()["errors"][0]["path"] == "$.features[0]"
        else:
            assert b.status_code == 200, b.text
            assert b.json() | {"processing_time_ms": 0} == p.json() | {"processing_time_ms": 0}
    # Calls of 2+ rows happened; with every third row bad, such calls held bad rows, were
    # refused as a whole and retried row by row, and good neighbours still got their answer.
    assert _calls(batching, api_key, "tree-check")["multi_row"] > before["multi_row"]


def test_feature_count_mismatch_never_enters_a_batch(batching, api_key):
    rows = [[1.0, 2.0] if i % 4 == 0 else row for i, row in enumerate(ROWS[:64])]
    responses = _post_all(batching, api_key, "/predict", rows)
    for i, r in enumerate(responses):
        assert r.status_code == (422 if i % 4 == 0 else 200), r.text


@pytest.fixture(scope="module")
def long_window(workdir, model_dir, keys_file, api_key):
    """A 30 s fill window, far beyond the clients' 10 s timeout, and batches of 2 rows."""
    with _service(
        workdir,
        model_dir,
        keys_file,
        microbatch="true",
        microbatch_max_wait_ms="30000",
        microbatch_max_size="2",
    ) as s:
        yield s


def test_a_lone_request_never_waits_for_the_fill_window(long_window, api_key):
    headers = {"X-API-Key": api_key}
    with httpx.Client(base_url=long_window.base_url, headers=headers, timeout=10) as client:
        for row in ROWS[:5]:  # one at a time: each is alone, so it must be scored at once
            assert client.post("/predict", json={"features": row}).status_code == 200


def test_full_batches_go_at_once_and_never_exceed_the_max_size(long_window, api_key):
    def histograms() -> dict[str, float]:
        text = httpx.get(f"{long_window.base_url}/metrics", headers={"X-API-Key": api_key}).text
        m = "fraud-detector"
        return {
            "calls": metric(text, "specserve_microbatch_size_rows_count", model=m),
            "le1": metric(text, "specserve_microbatch_size_rows_bucket", model=m, le="1.0"),
            "le2": metric(text, "specserve_microbatch_size_rows_bucket", model=m, le="2.0"),
            "rows": metric(text, "specserve_microbatch_size_rows_sum", model=m),
            "waits": metric(text, "specserve_microbatch_queue_wait_seconds_count", model=m),
        }

    before = histograms()
    responses = _post_all(long_window, api_key, "/predict", ROWS[:64])
    assert all(r.status_code == 200 for r in responses)  # none held for the 30 s window
    d = {k: v - before[k] for k, v in histograms().items()}
    assert d["calls"] > d["le1"]  # pairs formed...
    assert d["le2"] == d["calls"]  # ...and nothing bigger
    assert d["rows"] == d["waits"] == 64  # every row scored once, its queue wait recorded


def test_metadata_turns_batching_on_for_one_model(unbatched, api_key, model_dir, keys_file):
    """`"microbatch": true` in a model's metadata.json overrides SPECSERVE_MICROBATCH=false."""
    from specserve.auth.filestore import FileKeyStore

    _, admin = FileKeyStore(keys_file).create("ops", ["admin"])
    meta_path = model_dir / "tree-check" / "1.0.0" / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "microbatch": True}))
    reload = f"{unbatched.base_url}/admin/models/reload"
    try:
        assert httpx.post(reload, headers={"X-API-Key": admin}, timeout=30).status_code == 200
        responses = _post_all(unbatched, api_key, "/models/tree-check/predict", ROWS[:64])
        assert all(r.status_code == 200 for r in responses)
        assert _calls(unbatched, api_key, "tree-check")["rows"] == 64  # through the batcher
        _post_all(unbatched, api_key, "/predict", ROWS[:16])
        assert _calls(unbatched, api_key, "fraud-detector")["calls"] == 0  # still unbatched
    finally:
        meta_path.write_text(json.dumps(meta))
        httpx.post(reload, headers={"X-API-Key": admin}, timeout=30)
