"""The code samples the Open Inference Protocol's reference (/v2/docs) shows for every
operation (scripts/inference_samples.py): curl and `tritonclient.http`, run against a live
service, the samples' address (`make serve`'s) made the service's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from scripts.inference_samples import HOST, with_samples
from scripts.spec_operations import METHODS
from specserve import spec as contract
from specserve.auth.filestore import FileKeyStore

ROOT = Path(__file__).resolve().parents[2]
SPEC = with_samples(yaml.safe_load(contract.INFERENCE_SPEC_PATH.read_text()))
SAMPLES = {
    op["operationId"]: {s["label"]: s["source"] for s in op["x-codeSamples"]}
    for item in SPEC["paths"].values()
    for method in METHODS
    if (op := item.get(method))
}


@pytest.fixture(scope="module")
def address(token_service) -> str:
    return urlparse(token_service.base_url).netloc


@pytest.fixture(scope="module")
def env(address, keys_file) -> dict[str, str]:
    key = FileKeyStore(keys_file).create("v2-samples", scopes=list(contract.load().scopes))[1]
    return {**os.environ, "SPECSERVE_V2_URL": f"http://{address}/v2", "SPECSERVE_API_KEY": key}


def test_every_operation_has_curl_and_tritonclient_and_no_sdk():
    operations = contract.load(contract.INFERENCE_SPEC_PATH).operations.values()
    assert set(SAMPLES) == {op.operation_id for op in operations}
    for op, samples in SAMPLES.items():
        assert set(samples) == {"curl", "Python"}, op
        assert '"$SPECSERVE_V2_URL/' in samples["curl"], op
        assert "InferenceServerClient(" in samples["Python"], op
        assert 'headers = {"X-API-Key": os.environ["SPECSERVE_API_KEY"]}' in samples["Python"]
    assert "client.infer(" in SAMPLES["modelInfer"]["Python"]
    assert 'model_version="1.0.0"' in SAMPLES["modelVersionInfer"]["Python"]


@pytest.mark.parametrize("op", sorted(SAMPLES))
def test_curl_and_tritonclient_samples_run(op, env, address):
    python = SAMPLES[op]["Python"].replace(HOST, address)
    out = subprocess.run(
        [sys.executable, "-c", python], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, python + "\n" + out.stderr[-2000:]
    assert out.stdout.strip() not in ("", "False"), python + "\n" + out.stdout
    curl = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", SAMPLES[op]["curl"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert curl.returncode == 0, SAMPLES[op]["curl"] + "\n" + curl.stderr[-2000:]
