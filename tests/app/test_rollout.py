"""Shadow versions and canary splits, in process: what a client sees, what is counted, and
what `specserve models shadow|canary|promote|abort` write and refuse."""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from typing import Any

import pytest

from specserve.auth.filestore import FileKeyStore
from specserve.cli import main
from tests.rollout_store import DIFFERENT, HANGS, HIGH, LOW, MODEL, RAISES, add_candidates

V2_INFER = "http://testserver/v2/models/fraud-detector/infer"


@pytest.fixture(scope="module")
def model_dir(trained_model_dir, workdir):
    import shutil

    target = workdir / "models"
    shutil.copytree(trained_model_dir, target)
    add_candidates(target)
    return target


@pytest.fixture(scope="module")
def app_overrides():
    return {"allow_pickle": True, "predict_timeout": 1.0, "model_versions_loaded": 0}


def models(model_dir, *argv: str) -> int:
    return main(["models", *argv[:1], *argv[1:], "--model-dir", str(model_dir)])


def rescan(app) -> None:
    """What each worker's watcher does within the poll interval."""
    app.app_state.data_plane.load()


def shadows(app):
    return app.app_state.data_plane.shadows


def wait_shadows(app, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while shadows(app).in_flight:
        assert time.monotonic() < deadline, "shadow calls still running"
        time.sleep(0.01)


def v2_body(features: list[float]) -> dict[str, Any]:
    return {"inputs": [{"name": "input-0", "shape": [1, 3], "datatype": "FP64", "data": features}]}


VOLATILE_FIELDS = {"request_id", "processing_time_ms", "total_processing_time_ms", "id"}
VOLATILE_HEADERS = {"date", "x-request-id", "content-length", "server-timing"}
# the rate limiter's headers count down (and reset) from one request to the next
VOLATILE_PREFIXES = ("ratelimit", "x-ratelimit")


def strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in VOLATILE_FIELDS}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def exchange(client, features: list[float]) -> list[tuple[int, dict[str, str], Any]]:
    """One of each unversioned prediction route: (status, headers, body) minus what differs
    from one request to the next anyway (request ids, timings)."""
    answers = [
        client.post("/predict", json={"features": features}),
        client.post(f"/models/{MODEL}/predict?probabilities=true", json={"features": features}),
        client.post("/batch_predict", json={"requests": [{"features": features}] * 3}),
        client.post(V2_INFER, json=v2_body(features)),
    ]
    return [
        (
            r.status_code,
            {
                k.lower(): v
                for k, v in r.headers.items()
                if k.lower() not in VOLATILE_HEADERS and not k.lower().startswith(VOLATILE_PREFIXES)
            },
            strip(r.json()),
        )
        for r in answers
    ]


def agreement(client) -> dict[str, Any]:
    rollout = client.get(f"/models/{MODEL}").json()["rollout"]
    return rollout["shadow"]["agreement"]


def test_a_shadow_that_answers_differently_changes_no_response(app, client, model_dir):
    assert client.post(f"/models/{MODEL}/versions/{DIFFERENT}/predict", json={"features": LOW})
    before = exchange(client, LOW)
    assert before[0][2]["prediction"] == 0 and before[0][2]["model_version"] == "1.0.0"
    differs = client.post(f"/models/{MODEL}/versions/{DIFFERENT}/predict", json={"features": LOW})
    assert differs.json()["prediction"] == 1  # the shadow does answer differently

    assert models(model_dir, "shadow", MODEL, DIFFERENT) == 0
    rescan(app)
    counted = agreement(client)
    after = exchange(client, LOW)
    wait_shadows(app)
    assert after == before
    now = agreement(client)
    # predict, models/predict, 3 batch rows, one v2 row: 6 rows, none agreeing
    assert now["disagreed"] - counted["disagreed"] == 6
    assert now["agreed"] == counted["agreed"] and now["errors"] == counted["errors"]
    assert now["scored"] == now["agreed"] + now["disagreed"]
    assert now["agreement_rate"] == pytest.approx(now["agreed"] / now["scored"])
    assert now["abs_diff"] is None  # a classifier: labels compared, no |Δ|


@pytest.mark.parametrize("version", [RAISES, HANGS])
def test_a_shadow_that_raises_or_hangs_changes_nothing_the_client_sees(
    app, client, model_dir, version
):
    assert models(model_dir, "unshadow", MODEL) in (0, 1)
    rescan(app)
    before = exchange(client, HIGH)
    assert models(model_dir, "shadow", MODEL, version) == 0
    rescan(app)
    counted = agreement(client)
    started = time.perf_counter()
    after = exchange(client, HIGH)
    elapsed = time.perf_counter() - started
    assert after == before
    assert elapsed < 0.9  # four requests; the hanging shadow sleeps 5 s, times out after 1 s
    wait_shadows(app, 5)
    now = agreement(client)
    assert now["errors"] - counted["errors"] == 4  # one shadow call per request, each failed
    assert now["scored"] == counted["scored"]
    assert models(model_dir, "unshadow", MODEL) == 0


def test_a_canary_serves_its_share_of_callers_each_always_the_same_version(
    app, client, model_dir, keys_file
):
    store = FileKeyStore(keys_file)
    keys = [store.create(f"canary-{i}")[1] for i in range(200)]
    assert models(model_dir, "canary", MODEL, DIFFERENT, "--weight", "20") == 0
    rescan(app)
    seen: dict[str, set[str]] = {}
    served: Counter[str] = Counter()
    for round_ in range(10):
        for key in keys:
            if round_ % 2:
                r = client.post(V2_INFER, json=v2_body(LOW), headers={"X-API-Key": key})
            else:
                r = client.post("/predict", json={"features": LOW}, headers={"X-API-Key": key})
            assert r.status_code == 200, r.text
            version = r.json()["model_version"]
            seen.setdefault(key, set()).add(version)
            served[version] += 1
    assert all(len(versions) == 1 for versions in seen.values())
    on_canary = sum(1 for v in seen.values() if v == {DIFFERENT})
    n, p = len(keys), 0.2
    assert abs(on_canary - n * p) <= 4 * math.sqrt(n * p * (1 - p))
    assert served[DIFFERENT] == 10 * on_canary and sum(served.values()) == 2000
    # a version asked for by name is served as asked, whoever asks
    for key in keys[:20]:
        r = client.post(
            f"/models/{MODEL}/versions/1.0.0/predict",
            json={"features": LOW},
            headers={"X-API-Key": key},
        )
        assert r.json()["model_version"] == "1.0.0"
    rollout = client.get(f"/models/{MODEL}").json()["rollout"]
    assert rollout["canary"] == {"version": DIFFERENT, "weight": 20.0}

    assert models(model_dir, "abort", MODEL) == 0
    rescan(app)
    assert {
        client.post("/predict", json={"features": LOW}, headers={"X-API-Key": k}).json()[
            "model_version"
        ]
        for k in keys
    } == {"1.0.0"}
    assert client.get(f"/models/{MODEL}").json()["rollout"]["canary"] is None


def test_shadow_and_canary_versions_stay_loaded_past_the_loaded_versions_limit(
    app, client, model_dir
):
    registry = app.app_state.data_plane.registry
    assert registry.versions_loaded == 0  # no version beside the serving one stays loaded
    assert models(model_dir, "shadow", MODEL, RAISES) == 0
    assert models(model_dir, "canary", MODEL, DIFFERENT, "--weight", "100") == 0
    rescan(app)
    for _ in range(3):  # other versions come and go; these two stay
        client.post(f"/models/{MODEL}/versions/{HANGS}/predict", json={"features": LOW})
        assert registry.held(MODEL, RAISES).ready and registry.held(MODEL, DIFFERENT).ready
    assert client.post("/predict", json={"features": LOW}).json()["model_version"] == DIFFERENT
    models(model_dir, "abort", MODEL)
    models(model_dir, "unshadow", MODEL)
    rescan(app)


@pytest.mark.parametrize(
    ("kind", "content", "problem"),
    [
        ("shadow", b"not json", "shadow: not JSON (ignored)"),
        ("canary", b'{"version": "9.9.9", "weight": 5}', "canary ignored: no version 9.9.9"),
        ("canary", b'{"version": "1.0.0", "weight": 5}', "is the serving version"),
        ("canary", b'{"version": "2.0.0-flip", "weight": 500}', "'weight' must be a number"),
        ("shadow", b'{"version": "2.0.0-flip", "sample": -1}', "'sample' must be a number"),
    ],
)
def test_a_bad_rollout_file_is_ignored_and_says_why(app, client, model_dir, kind, content, problem):
    path = model_dir / MODEL / kind
    path.write_bytes(content)
    try:
        rescan(app)
        rollout = client.get(f"/models/{MODEL}").json()["rollout"]
        assert rollout[kind] is None
        assert any(problem in p for p in rollout["problems"]), rollout["problems"]
        assert client.post("/predict", json={"features": LOW}).json()["model_version"] == "1.0.0"
    finally:
        path.unlink()
        rescan(app)


def test_cli_refuses_what_would_break_a_client_and_promote_pins(model_dir, capsys, monkeypatch):
    import shutil

    monkeypatch.setenv("SPECSERVE_ALLOW_PICKLE", "true")  # `models list` loads each version

    assert models(model_dir, "canary", MODEL, "1.0.0", "--weight", "10") == 1
    assert "is the version fraud-detector serves" in capsys.readouterr().err
    assert models(model_dir, "canary", MODEL, "9.9.9", "--weight", "10") == 1
    assert "has no version '9.9.9'" in capsys.readouterr().err
    changed = model_dir / MODEL / "2.0.0-wider"
    shutil.copytree(model_dir / MODEL / DIFFERENT, changed)
    meta = json.loads((changed / "metadata.json").read_text())
    meta["inputs"].append({"name": "merchant", "type": "string", "nullable": True})
    meta["feature_names"].append("merchant")
    meta["n_features"] = 4
    (changed / "metadata.json").write_text(json.dumps(meta))
    for kind in ("canary", "shadow"):
        extra = ["--weight", "10"] if kind == "canary" else []
        assert models(model_dir, kind, MODEL, "2.0.0-wider", *extra) == 1
        err = capsys.readouterr().err
        assert "changes the contract" in err and "input 'merchant' added" in err
        assert len(err.strip().splitlines()) == 1
    shutil.rmtree(changed)
    with pytest.raises(SystemExit) as exited:  # a weight out of range: bad usage
        models(model_dir, "canary", MODEL, DIFFERENT, "--weight", "101")
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        models(model_dir, "shadow", "../etc", DIFFERENT)
    assert models(model_dir, "promote", MODEL) == 1  # nothing to promote
    assert models(model_dir, "abort", MODEL) == 1
    capsys.readouterr()

    assert models(model_dir, "shadow", MODEL, DIFFERENT, "--sample", "0.5") == 0
    assert models(model_dir, "canary", MODEL, DIFFERENT, "--weight", "12.5") == 0
    written = json.loads((model_dir / MODEL / "canary").read_text())
    assert written == {"version": DIFFERENT, "weight": 12.5, "since": written["since"]}
    capsys.readouterr()
    assert models(model_dir, "list") == 0
    listing = capsys.readouterr().out
    assert any(DIFFERENT in line and "canary" in line for line in listing.splitlines())
    assert models(model_dir, "promote", MODEL) == 0
    assert (model_dir / MODEL / "pinned").read_text().strip() == DIFFERENT
    assert not (model_dir / MODEL / "canary").exists()
    assert not (model_dir / MODEL / "shadow").exists()  # it shadowed the promoted version
    assert models(model_dir, "unpin", MODEL) == 0


def test_a_rollout_file_reached_through_a_link_is_refused(app, client, model_dir, tmp_path):
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps({"version": DIFFERENT, "weight": 100}))
    link = model_dir / MODEL / "canary"
    before = app.app_state.data_plane.registry.fingerprint()
    link.symlink_to(outside)
    try:
        assert app.app_state.data_plane.registry.fingerprint() != before  # the watcher rescans
        rescan(app)
        rollout = client.get(f"/models/{MODEL}").json()["rollout"]
        assert rollout["canary"] is None
        assert any("canary ignored" in p and "link" in p for p in rollout["problems"])
        assert client.post("/predict", json={"features": LOW}).json()["model_version"] == "1.0.0"
    finally:
        link.unlink()
        rescan(app)


def test_a_shadow_call_is_counted_under_the_setting_its_request_saw(app, model_dir, test_redis):
    """A shadow set again while a request is scored (a rescan in between) does not get that
    request's agreement: the new setting counts afresh."""
    import asyncio
    import uuid

    import numpy as np
    import redis

    from specserve.serving.agreement import Agreement

    data_plane = app.app_state.data_plane
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    kept, data_plane.shadows.agreement = data_plane.shadows.agreement, Agreement(test_redis, prefix)
    assert models(model_dir, "shadow", MODEL, DIFFERENT) == 0
    rescan(app)

    async def scored_while_set_again() -> tuple[str, str]:
        model, shadowed = await data_plane._route(MODEL, None, None)
        assert shadowed is not None
        x = np.array([LOW])
        time.sleep(0.002)  # the next setting's `since` differs
        assert models(model_dir, "shadow", MODEL, DIFFERENT) == 0
        rescan(app)
        data_plane._after(model, shadowed, x, model.score(x), None)
        await data_plane.shadows.drain()
        return shadowed[1], data_plane.registry.rollout(MODEL).shadow.token

    try:
        seen, now = asyncio.run(scored_while_set_again())
    finally:
        data_plane.shadows.agreement = kept
        assert models(model_dir, "unshadow", MODEL) == 0
        rescan(app)
    assert seen != now
    store = redis.Redis.from_url(test_redis)
    counted = {
        k.decode(): int(v)
        for k, v in store.hgetall(f"{prefix}:shadow:{MODEL}:{DIFFERENT}:{seen}").items()
    }
    assert counted["ok"] == 1 and counted["disagreed"] == 1
    assert store.hgetall(f"{prefix}:shadow:{MODEL}:{DIFFERENT}:{now}") == {}
    store.delete(f"{prefix}:shadow:{MODEL}:{DIFFERENT}:{seen}")
