"""The code samples the HTML reference shows for every operation (scripts/code_samples.py):
there is one per language for each operation, and the Python and curl ones run unchanged
against a live service."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts.code_samples import with_samples
from scripts.spec_operations import METHODS
from specserve import spec as contract
from specserve.auth.filestore import FileKeyStore

ROOT = Path(__file__).resolve().parents[2]
SPEC = with_samples(yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text()))
SAMPLES = {
    op["operationId"]: {s["label"]: s["source"] for s in op["x-codeSamples"]}
    for item in SPEC["paths"].values()
    for method in METHODS
    if (op := item.get(method))
}


@pytest.fixture(scope="module")
def env(token_service, keys_file) -> dict[str, str]:
    key = FileKeyStore(keys_file).create("samples", scopes=list(contract.load().scopes))[1]
    return {**os.environ, "SPECSERVE_BASE_URL": token_service.base_url, "SPECSERVE_API_KEY": key}


def test_every_operation_has_a_sample_per_language():
    assert set(SAMPLES) == {op.operation_id for op in contract.load().operations.values()}
    for op, samples in SAMPLES.items():
        assert set(samples) == {"curl", "Python", "JavaScript"}, op
        assert f"api.{op}(" in samples["JavaScript"]


@pytest.mark.parametrize("op", sorted(SAMPLES))
def test_python_and_curl_samples_run(op, env):
    python = subprocess.run(
        [sys.executable, "-c", SAMPLES[op]["Python"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert python.returncode == 0, SAMPLES[op]["Python"] + "\n" + python.stderr[-2000:]
    curl = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", SAMPLES[op]["curl"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert curl.returncode == 0, SAMPLES[op]["curl"] + "\n" + curl.stderr[-2000:]
