"""The code samples the Open Inference Protocol's reference (/v2/docs) shows for every
operation (scripts/inference_samples.py): curl and `tritonclient.http`, no SDK, no error
hidden. tests/integration/test_snippets.py runs them against a live service."""

from __future__ import annotations

from pathlib import Path

import yaml

from scripts.inference_samples import with_samples
from scripts.spec_operations import METHODS
from specserve import spec as contract

ROOT = Path(__file__).resolve().parents[2]
SPEC = with_samples(yaml.safe_load(contract.INFERENCE_SPEC_PATH.read_text()))
SAMPLES = {
    op["operationId"]: {s["label"]: s["source"] for s in op["x-codeSamples"]}
    for item in SPEC["paths"].values()
    for method in METHODS
    if (op := item.get(method))
}


def test_every_operation_has_curl_and_tritonclient_and_no_sdk():
    operations = contract.load(contract.INFERENCE_SPEC_PATH).operations.values()
    assert set(SAMPLES) == {op.operation_id for op in operations}
    for op, samples in SAMPLES.items():
        assert set(samples) == {"curl", "Python"}, op
        assert '"$SPECSERVE_V2_URL/' in samples["curl"], op
        assert "-sf" not in samples["curl"].split() and "--fail-with-body" in samples["curl"]
        assert "InferenceServerClient(" in samples["Python"], op
        assert 'headers = {"X-API-Key": os.environ["SPECSERVE_API_KEY"]}' in samples["Python"]
    assert "client.infer(" in SAMPLES["modelInfer"]["Python"]
    assert 'model_version="1.0.0"' in SAMPLES["modelVersionInfer"]["Python"]
