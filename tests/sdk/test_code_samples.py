"""The code samples the HTML reference shows for every operation (scripts/code_samples.py):
one per language for each operation; the admin operations' say they need an admin key; no
sample hides an error. tests/integration/test_snippets.py runs every one of them."""

from __future__ import annotations

from pathlib import Path

import yaml

from scripts.code_samples import needs_admin, with_samples
from scripts.spec_operations import METHODS
from specserve import spec as contract

ROOT = Path(__file__).resolve().parents[2]
SPEC = with_samples(yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text()))
OPERATIONS = {
    op["operationId"]: op for item in SPEC["paths"].values() for m in METHODS if (op := item.get(m))
}
SAMPLES = {
    name: {s["label"]: s["source"] for s in op["x-codeSamples"]} for name, op in OPERATIONS.items()
}


def test_every_operation_has_a_sample_per_language():
    assert set(SAMPLES) == {op.operation_id for op in contract.load().operations.values()}
    for op, samples in SAMPLES.items():
        assert set(samples) == {"curl", "Python", "JavaScript"}, op
        assert f"api.{op}(" in samples["JavaScript"]


def test_admin_samples_say_they_need_an_admin_key():
    admin = {name for name, op in OPERATIONS.items() if needs_admin(SPEC, op)}
    assert admin == {"reloadModels"}
    for name, samples in SAMPLES.items():
        for label, source in samples.items():
            says = "admin scope" in source and "SPECSERVE_ADMIN_KEY" in source
            assert says == (name in admin), (name, label, source)


def test_no_sample_hides_an_error():
    for name, samples in SAMPLES.items():
        curl = samples["curl"]
        assert "-sf" not in curl.split() and "--fail-with-body" in curl, (name, curl)
