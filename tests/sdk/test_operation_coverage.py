"""Every operation of the spec has a high-level method in both SDKs, with its errors
documented: an operation added to the spec fails here until the SDKs offer it."""

from __future__ import annotations

import inspect
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import specserve_client
import yaml

from scripts.spec_operations import operations
from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = operations(yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text()))
IDS = [op["operation_id"] for op in OPERATIONS]
PYTHON_CLASSES = [
    specserve_client.SpecserveClient,
    specserve_client.AsyncSpecserveClient,
    specserve_client.SpecserveClientWithRawResponse,
    specserve_client.AsyncSpecserveClientWithRawResponse,
]


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
def test_every_operation_has_a_python_method_that_documents_its_errors(op):
    for cls in PYTHON_CLASSES:
        method = getattr(cls, snake(op["operation_id"]), None)
        assert callable(method), f"{cls.__name__} has no method for {op['operation_id']}"
        doc = inspect.getdoc(method) or ""
        assert "Raises:" in doc and "APIConnectionError" in doc
        for status, _ in op["raises"]:
            error = specserve_client.errors.error_class(status).__name__
            assert f"{error}: {status}," in doc, f"{cls.__name__}.{method.__name__}: {status}"
        parameters = inspect.signature(method).parameters
        assert {"timeout", "max_retries", "extra_headers"} <= set(parameters)


def test_every_operation_has_a_typescript_method():
    node = shutil.which("node")
    requires("Node.js", node is not None)
    dist = ROOT / "generated" / "typescript-client" / "dist" / "index.js"
    requires("the built TypeScript SDK (make sdk-deps)", dist.exists())
    script = (
        f"const sdk = await import({json.dumps(dist.as_uri())});"
        "const proto = sdk.SpecserveClient.prototype;"
        "console.log(JSON.stringify({methods: Object.getOwnPropertyNames(proto)"
        ".filter((n) => typeof proto[n] === 'function'), table: Object.keys(sdk.OPERATIONS)}));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["table"] == IDS, "operations.gen.ts is stale: run `make generate`"
    missing = [op for op in IDS if op not in found["methods"]]
    assert not missing, f"SpecserveClient (written by scripts/typescript_client.py) lacks {missing}"
