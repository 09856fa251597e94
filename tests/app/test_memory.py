"""A worker serving only ONNX sessions keeps scikit-learn, SciPy, skops and pandas out of
memory (the ≤ 150 MB per worker goal): they are imported only where a model needs them
(pandas: a model served by scikit-learn that was fitted on a DataFrame), whichever form the
features come in."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # a fresh interpreter

PROBE = """
import json, secrets, sys
from specserve.app import create_app
from specserve.config import Settings
app = create_app(Settings(model_dir=sys.argv[1], keys_file=sys.argv[2],
                          jwt_secret=secrets.token_urlsafe(48), model_poll_seconds=0))
with app.test_client(base_url="http://testserver/v1", headers={"X-API-Key": sys.argv[3]}) as c:
    r = c.post("/predict", json={"features": [1500.5, 2.0, 0.75]})
    assert r.status_code == 200, r.text
    names = c.get("/models/fraud-detector").json()["feature_names"]
    r = c.post("/predict", json={"features": dict(zip(names, [1500.5, 2.0, 0.75]))})
    assert r.status_code == 200, r.text
heavy = ("sklearn", "scipy", "skops", "pandas")
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def test_an_onnx_worker_never_imports_scikit_learn(model_dir, keys_file, api_key):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPECSERVE_")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(model_dir), str(keys_file), api_key],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
