"""The source document's own clients work unchanged against the service."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from tests.conftest import requires

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load_seed_client():
    spec = importlib.util.spec_from_file_location("seed_client", FIXTURES / "seed_client.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_python_client(service, api_key):
    seed = load_seed_client()
    client = seed.MLAPIClient(base_url=service.base_url, api_key=api_key)
    result = client.predict([1500.50, 2, 0.75])
    assert isinstance(result, seed.PredictionResult) and result.model_version == "1.0.0"
    assert client.predict([1500.50, 2, 0.75], request_id="req-123").request_id == "req-123"
    results = client.batch_predict([[1500.50, 2, 0.75], [2000.00, 3, 0.85], [500.25, 1, 0.60]])
    assert [r.prediction for r in results] == [
        client.predict(f).prediction
        for f in ([1500.50, 2, 0.75], [2000.00, 3, 0.85], [500.25, 1, 0.60])
    ]
    assert client.health_check()["status"] == "healthy"


def test_seed_typescript_client(service, api_key, tmp_path):
    node = shutil.which("node")
    requires("Node.js", node is not None)
    script = tmp_path / "run.mts"
    source = (FIXTURES / "seed_client.ts").read_text()
    # The client uses only interfaces and simple annotations: strip them and run it as ES.
    script.write_text(
        source
        + f"""
const client = new MLAPIClient({service.base_url!r}, {api_key!r});
const one = await client.predict([1500.50, 2, 0.75], "ts-1");
if (one.request_id !== "ts-1" || typeof one.probability !== "number") throw new Error("predict");
const many = await client.batchPredict([[1500.50, 2, 0.75], [500.25, 1, 0.60]]);
if (many.length !== 2) throw new Error("batch");
const health = await client.healthCheck();
if (health.status !== "healthy") throw new Error("health");
console.log("seed-ts-ok");
"""
    )
    js = tmp_path / "run.mjs"
    js.write_text(strip_types(script.read_text()))
    out = subprocess.run([node, str(js)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "seed-ts-ok" in out.stdout


def strip_types(ts: str) -> str:
    """Remove the TypeScript syntax the seed client uses (interfaces, annotations)."""
    import re

    ts = re.sub(r"export interface \w+ \{.*?\n\}\n", "", ts, flags=re.S)
    ts = re.sub(r"private (\w+): [\w\[\]]+;", "", ts)
    ts = re.sub(r"\): Promise<[\w\[\]]+> \{", ") {", ts)
    ts = re.sub(r"(\w+)\?: [\w\[\]]+", r"\1", ts)
    ts = re.sub(r"(\w+): (?:string|number\[\]\[\]|number\[\]|number)", r"\1", ts)
    return ts.replace("export class", "class")
