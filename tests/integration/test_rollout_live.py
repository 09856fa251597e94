"""Shadow and canary under gunicorn with two workers: the agreement in `GET /v1/models/{name}`
adds up over both workers whichever one answers it, and a canary written while the service
runs is applied by every worker within the poll interval, on `/v1` and `/v2` alike."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, multiprocess

from specserve.auth.filestore import FileKeyStore
from specserve.cli import main
from specserve.serving.rollout import share
from tests.live import LiveService
from tests.rollout_store import DIFFERENT, LOW, MODEL, add_candidates

POLL = 0.5
REQUESTS = 120


@pytest.fixture(scope="module")
def store(tmp_path_factory, trained_model_dir):
    root = tmp_path_factory.mktemp("rollout-live")
    shutil.copytree(trained_model_dir, root / "models")
    add_candidates(root / "models")
    keys = FileKeyStore(root / "keys.json")
    created = [keys.create(f"caller-{i}") for i in range(24)]
    return root, [key for _, key in created], {key: record.id for record, key in created}


@pytest.fixture(scope="module")
def live(store):
    root = store[0]
    models = root / "models"
    assert main(["models", "shadow", MODEL, DIFFERENT, "--model-dir", str(models)]) == 0
    env = {"SPECSERVE_ALLOW_PICKLE": "true", "SPECSERVE_MODEL_POLL_SECONDS": str(POLL)}
    with LiveService(root, models, root / "keys.json", workers=2, env=env) as svc:
        yield svc


def fresh(svc: LiveService, key: str, method: str, path: str, **kwargs) -> httpx.Response:
    """One request on its own connection (so either worker may take it)."""
    url = path if path.startswith("http") else f"{svc.base_url}{path}"
    return httpx.request(method, url, headers={"X-API-Key": key}, timeout=10, **kwargs)


def per_worker_rows(prom_dir: Path) -> list[float]:
    """The shadow rows each worker counted (its own counter file, read alone)."""
    found = []
    for path in sorted(prom_dir.glob("counter_*.db")):
        alone = prom_dir.parent / f"alone-{path.stem}"
        alone.mkdir(exist_ok=True)
        shutil.copy(path, alone / path.name)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, str(alone))
        rows = sum(
            s.value
            for m in registry.collect()
            for s in m.samples
            if s.name == "specserve_shadow_rows_total" and s.labels["version"] == DIFFERENT
        )
        if rows:
            found.append(rows)
    return found


def test_agreement_adds_up_over_both_workers(live, store):
    keys = store[1]
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(
                lambda i: fresh(
                    live, keys[i % len(keys)], "POST", "/predict", json={"features": LOW}
                ),
                range(REQUESTS),
            )
        )
    assert {
        (r.status_code, r.json()["model_version"], r.json()["prediction"]) for r in answers
    } == {(200, "1.0.0", 0)}
    deadline = time.monotonic() + 10
    while True:
        seen = [
            fresh(live, keys[0], "GET", f"/models/{MODEL}").json()["rollout"]["shadow"]["agreement"]
            for _ in range(6)
        ]
        if all(a["scored"] == REQUESTS for a in seen) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert all(a == {**seen[0]} for a in seen)
    assert seen[0]["scored"] == seen[0]["disagreed"] == REQUESTS and seen[0]["agreement_rate"] == 0
    workers = per_worker_rows(Path(live.env["PROMETHEUS_MULTIPROC_DIR"]))
    assert len(workers) == 2 and sum(workers) == REQUESTS  # both shadowed, each its share
    metrics = fresh(live, keys[0], "GET", "/metrics").text
    assert (
        f'specserve_shadow_rows_total{{model="{MODEL}",outcome="disagreed",version="{DIFFERENT}"}} '
        f"{float(REQUESTS)}" in metrics
    )


def test_a_canary_set_while_running_is_applied_by_every_worker_within_the_interval(live, store):
    root, keys, ids = store
    models = root / "models"
    argv = ["models", "canary", MODEL, DIFFERENT, "--weight", "50", "--model-dir", str(models)]
    assert main(argv) == 0
    written = time.monotonic()
    expected = {
        k: DIFFERENT if share(f"key:{ids[k]}", MODEL, DIFFERENT) < 50 else "1.0.0" for k in keys
    }
    assert set(expected.values()) == {DIFFERENT, "1.0.0"}
    time.sleep(max(0.0, written + 2 * POLL + 0.5 - time.monotonic()))
    v2 = live.base_url.removesuffix("/v1") + f"/v2/models/{MODEL}/infer"
    tensor = {"inputs": [{"name": "input-0", "shape": [1, 3], "datatype": "FP64", "data": LOW}]}
    for key, version in expected.items():
        for _ in range(4):
            r = fresh(live, key, "POST", "/predict", json={"features": LOW})
            assert r.json()["model_version"] == version
            assert fresh(live, key, "POST", v2, json=tensor).json()["model_version"] == version
    assert main(["models", "promote", MODEL, "--model-dir", str(models)]) == 0
    time.sleep(2 * POLL + 0.5)
    for key in keys:
        assert (
            fresh(live, key, "POST", "/predict", json={"features": LOW}).json()["model_version"]
            == DIFFERENT
        )
    rollout = fresh(live, keys[0], "GET", f"/models/{MODEL}").json()
    assert rollout["pinned"] == DIFFERENT
    assert rollout["rollout"]["canary"] is None and rollout["rollout"]["shadow"] is None


def test_agreement_adds_up_over_two_instances_sharing_redis(tmp_path, store, test_redis):
    """Two instances (one worker each) over one model store and one Redis: each reports the
    agreement of every request either instance shadowed."""
    root, keys, _ = store
    models = tmp_path / "models"
    shutil.copytree(root / "models" / MODEL / "1.0.0", models / MODEL / "1.0.0")
    add_candidates(models)
    assert main(["models", "shadow", MODEL, DIFFERENT, "--model-dir", str(models)]) == 0
    env = {
        "SPECSERVE_ALLOW_PICKLE": "true",
        "SPECSERVE_REDIS_URL": test_redis,
        "SPECSERVE_RATE_LIMIT_KEY_PREFIX": f"test-rollout-{tmp_path.name}",
    }
    shutil.copy(root / "keys.json", tmp_path / "keys.json")
    one = LiveService(tmp_path / "a", models, tmp_path / "keys.json", workers=1, env=env)
    two = LiveService(tmp_path / "b", models, tmp_path / "keys.json", workers=1, env=env)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with one, two:
        for i in range(30):
            svc = one if i % 3 else two  # 20 and 10
            r = fresh(svc, keys[i % len(keys)], "POST", "/predict", json={"features": LOW})
            assert r.json()["model_version"] == "1.0.0"
        deadline = time.monotonic() + 10
        while True:
            seen = [
                fresh(svc, keys[0], "GET", f"/models/{MODEL}").json()["rollout"]["shadow"][
                    "agreement"
                ]["disagreed"]
                for svc in (one, two)
            ]
            if seen == [30, 30] or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert seen == [30, 30]
        # setting the shadow again starts its agreement afresh
        assert main(["models", "shadow", MODEL, DIFFERENT, "--model-dir", str(models)]) == 0
        time.sleep(2 * 2.0 + 0.5)  # the default poll interval
        fresh_count = fresh(one, keys[0], "GET", f"/models/{MODEL}").json()["rollout"]["shadow"]
        assert fresh_count["agreement"]["scored"] == 0
