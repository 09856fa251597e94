"""The examples in docs/integration-examples.md, extracted and run against a live service."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "integration-examples.md"
NODE_TOOLS = ROOT / "sdk-templates" / "node_modules"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)


@pytest.fixture(scope="module")
def env(token_service, api_key) -> dict[str, str]:
    return {
        **os.environ,
        "SPECSERVE_BASE_URL": token_service.base_url,
        "SPECSERVE_API_KEY": api_key,
    }


def run(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> str:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    return out.stdout


def test_the_document_has_one_example_per_client():
    sdk, triton = blocks("python")  # the Python SDK, then tritonclient (the /v2 protocol)
    assert "SpecserveClient" in sdk and "tritonclient.http" in triton
    assert len(blocks("ts")) == 1
    assert any("curl" in block for block in blocks("sh"))


def test_curl_example(env):
    script = next(block for block in blocks("sh") if "curl" in block)
    lines = run(["bash", "-euo", "pipefail", "-c", script], env).splitlines()
    one, batch, health = (json.loads(line) for line in lines)
    assert one["request_id"] == "req-123"
    assert len(batch["predictions"]) == 2
    assert health["status"] == "healthy"


def test_python_sdk_example(env):
    out = run([sys.executable, "-c", blocks("python")[0]], env)
    assert "prediction" in out and "batch [" in out and "health healthy" in out
    assert "refused 422 feature_count_mismatch request id" in out and "remaining " in out


def test_typescript_sdk_example(env, tmp_path):
    node = shutil.which("node")
    requires("Node.js", node is not None)
    requires(
        "the built TypeScript SDK (make sdk-deps)",
        (ROOT / "generated/typescript-client/dist").exists(),
    )
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "specserve-client").symlink_to(
        ROOT / "generated/typescript-client"
    )
    (tmp_path / "example.ts").write_text(blocks("ts")[0])
    (tmp_path / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "ESNext",
                    "moduleResolution": "bundler",
                    "strict": True,
                    "lib": ["ES2022", "DOM"],
                    "types": ["node"],
                    "typeRoots": [str(NODE_TOOLS / "@types")],
                    "outDir": "out",
                },
                "files": ["example.ts"],
            }
        )
    )
    (tmp_path / "package.json").write_text('{"type": "module"}')
    run([str(NODE_TOOLS / ".bin" / "tsc"), "-p", "tsconfig.json"], env, cwd=tmp_path)  # strict
    out = run([node, "out/example.js"], env, cwd=tmp_path)
    assert "prediction" in out and "health healthy" in out
    assert "refused 422 feature_count_mismatch request id" in out


def test_tritonclient_example(env, token_service):
    """The Open Inference Protocol's own client, at the live service's address (the example
    names `make serve`'s)."""
    address = urlparse(token_service.base_url).netloc
    code = blocks("python")[1].replace("127.0.0.1:8000", address)
    out = run([sys.executable, "-c", code], env).splitlines()
    assert out[0] == "ready True"
    assert out[1] == "inputs [('input', 'FP32', [-1, 3])]"
    assert out[2].startswith("predict [") and out[3].startswith("predict_proba [0, 1] [[")
    assert (
        out[4]
        == "refused 400 Input 'input': shape [1, 2] holds 2 values per row; the model takes 3."
    )
