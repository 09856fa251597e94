"""Model watching, live: two workers, traffic kept alive on one of them, a broken version
copied in — every `/health` answer agrees within the poll interval, whichever worker it
comes from (each worker watches on its own, not when a request reaches it)."""

from __future__ import annotations

import shutil
import threading
import time

import httpx

from specserve.auth.filestore import FileKeyStore
from tests.live import LiveService
from tests.problem import SEED

POLL = 0.5


def test_every_worker_reports_a_broken_version_within_the_interval(
    tmp_path, trained_model_dir, test_redis
):
    models = tmp_path / "models"
    shutil.copytree(trained_model_dir, models)
    keys = tmp_path / "keys.json"
    key = FileKeyStore(keys).create("watch")[1]
    env = {"SPECSERVE_MODEL_POLL_SECONDS": str(POLL), "SPECSERVE_REDIS_URL": test_redis}
    stop = threading.Event()
    with LiveService(tmp_path, models, keys, workers=2, env=env) as svc:

        def steady() -> None:  # one kept-alive connection: one worker gets all of it
            with httpx.Client(headers={"X-API-Key": key}) as client:
                while not stop.is_set():
                    client.post(f"{svc.base_url}/predict", json={"features": SEED})

        busy = threading.Thread(target=steady, daemon=True)
        busy.start()
        try:
            assert httpx.get(f"{svc.base_url}/health").json()["status"] == "healthy"
            broken = models / "fraud-detector" / "1.1.0"
            shutil.copytree(models / "fraud-detector" / "1.0.0", broken)
            for artifact in ("model.onnx", "model.skops"):
                (broken / artifact).write_bytes(b"not a model")
            time.sleep(POLL * 2 + 1.0)  # the interval, a scan, and room for a loaded machine
            answers = []
            for _ in range(40):  # a new connection each: the workers take turns accepting
                body = httpx.get(f"{svc.base_url}/health").json()
                answers.append((body["status"], body["model_version"]))
                time.sleep(0.02)
        finally:
            stop.set()
            busy.join(10)
    # anonymous probes see the status (the detail is for `metrics:read`)
    assert set(answers) == {("degraded", "1.0.0")}, answers
    log = svc.logs()
    assert log.count("new model version refused") == 2, log[-3000:]  # one per worker
