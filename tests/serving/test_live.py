"""The model zoo behind a real gunicorn (2 workers, micro-batching on): no request hangs,
a slow model stalls nothing else, and the seed's client works with a regressor."""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from specserve.auth.filestore import FileKeyStore
from tests.integration.test_seed_clients import load_seed_client
from tests.live import LiveService
from tests.serving.faulty import TRIGGER

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(zoo_dir, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("live")
    models = workdir / "models"
    shutil.copytree(zoo_dir, models)
    keys = workdir / "keys.json"
    key = FileKeyStore(keys).create("tests")[1]
    env = {
        "SPECSERVE_ALLOW_PICKLE": "true",
        "SPECSERVE_PREDICT_TIMEOUT": "1",
        "SPECSERVE_DEFAULT_MODEL": "forestreg-onnx",
    }
    with LiveService(workdir, models, keys, env=env) as svc:
        yield svc, key


def test_string_label_models_answer_every_concurrent_request(live):
    svc, key = live
    headers = {"X-API-Key": key}

    def post(i: int) -> httpx.Response:
        name = ("loan-onnx", "loan-sklearn")[i % 2]
        body = {"features": [800.0 + 10 * i, 3.0, 0.5]}
        return httpx.post(
            f"{svc.base_url}/models/{name}/predict", json=body, headers=headers, timeout=10
        )

    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(post, range(256)))
    assert [r.status_code for r in answers] == [200] * 256
    assert {r.json()["label"] for r in answers} <= {"approve", "deny"}


def test_a_slow_model_times_out_while_health_and_other_models_answer(live):
    svc, key = live
    headers = {"X-API-Key": key}
    slow: dict[str, httpx.Response] = {}

    def call_slow(i: int) -> None:
        slow[i] = httpx.post(
            f"{svc.base_url}/models/faulty-slow/predict",
            json={"features": [TRIGGER, 1.0, 0.5]},
            headers=headers,
            timeout=10,
        )

    def round_trip() -> float:
        """Seconds for a health check and a prediction from another model."""
        started = time.perf_counter()
        assert httpx.get(f"{svc.base_url}/health", timeout=5).status_code == 200
        fast = httpx.post(
            f"{svc.base_url}/models/hgb-onnx/predict",
            json={"features": [1.0, 1.0, 0.5]},
            headers=headers,
            timeout=5,
        )
        assert fast.status_code == 200
        return time.perf_counter() - started

    baseline = sorted(round_trip() for _ in range(5))[2]
    threads = [threading.Thread(target=call_slow, args=(i,)) for i in range(4)]  # both workers
    for t in threads:
        t.start()
    time.sleep(0.1)
    during = [round_trip() for _ in range(3)]
    print(f"round trip: {baseline * 1000:.1f} ms alone, {[round(d * 1000, 1) for d in during]}")
    # the slow calls sleep 6 s; a stalled worker would answer only after its 1 s timeout
    assert max(during) < 0.6 + 3 * baseline
    for t in threads:
        t.join(10)
    for r in slow.values():
        assert r.status_code == 504 and r.json()["error"] == "model_timeout"


def test_seed_client_works_with_a_regressor(live):
    svc, key = live
    seed = load_seed_client()
    client = seed.MLAPIClient(base_url=svc.base_url, api_key=key)
    result = client.predict([1000.0, 3.0, 0.5], request_id="reg-1")
    assert result.probability is None and result.request_id == "reg-1"
    assert isinstance(result.prediction, float)
    batch = client.batch_predict([[1000.0, 3.0, 0.5], [1200.0, 1.0, 0.5]])
    assert batch[0].prediction == pytest.approx(result.prediction)


def test_both_sdks_call_a_string_label_model(live, tmp_path):
    import json
    import shutil
    import subprocess

    from specserve_client import SpecserveClient

    from tests.conftest import requires
    from tests.live import ROOT

    svc, key = live
    with SpecserveClient(svc.base_url, api_key=key) as api:
        got = api.predict_with_model("loan-onnx", [900.0, 3.0, 0.5], probabilities=True)
    assert got.label in ("approve", "deny") and len(got.probabilities) == 2
    assert got.prediction == ["approve", "deny"].index(got.label)
    node = shutil.which("node")
    requires("Node.js", node is not None)
    dist = ROOT / "generated" / "typescript-client" / "dist" / "index.js"
    requires("the built TypeScript SDK (make sdk-deps)", dist.exists())
    script = tmp_path / "call.mjs"
    script.write_text(
        f"import {{ SpecserveClient }} from {json.dumps(str(dist))};\n"
        f"const api = new SpecserveClient({{ baseUrl: {json.dumps(svc.base_url)}, "
        f"apiKey: {json.dumps(key)} }});\n"
        "const r = await api.predictWithModel('loan-onnx', { features: [900, 3, 0.5] }, "
        "{ probabilities: true });\n"
        "console.log(JSON.stringify(r));\n"
    )
    out = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["label"] == got.label and body["probabilities"] == pytest.approx(got.probabilities)
