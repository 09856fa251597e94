"""The code samples the HTML reference shows for every operation (scripts/code_samples.py):
one per language for each operation; the admin operations' say they need an admin key; no
sample hides an error. tests/integration/test_snippets.py runs every one of them."""

from __future__ import annotations

from pathlib import Path

import yaml

from scripts.code_samples import needs_admin, snake, with_samples
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
        if op not in PREDICTIONS:
            assert f"api.{op}(" in samples["JavaScript"]
            assert f"api.{snake(op)}(" in samples["Python"]


# The prediction operations' samples use the SDKs' one high-level call, with plain rows.
PREDICTIONS = {
    "predict": ("predict([", "predict(["),
    "predictWithModel": ('predict([1500.5, 2, 0.75], model="fraud-detector")', "predict(["),
    "predictWithModelVersion": (
        'predict([1500.5, 2, 0.75], model="fraud-detector", version="1.0.0")',
        "predict([",
    ),
    "batchPredict": ("batch_predict([[", "batchPredict([["),
    "batchPredictWithModel": ("batch_predict([[", "batchPredict([["),
    "batchPredictWithModelVersion": ("batch_predict([[", "batchPredict([["),
}


def test_prediction_samples_use_the_high_level_calls():
    assert PREDICTIONS.keys() <= SAMPLES.keys()
    for op, (python, typescript) in PREDICTIONS.items():
        samples = SAMPLES[op]
        assert f"api.{python}" in samples["Python"], (op, samples["Python"])
        assert f"api.{typescript}" in samples["JavaScript"], (op, samples["JavaScript"])
        assert "PredictionRequest" not in samples["Python"], op  # rows, not request objects
        assert "features" not in samples["Python"] + samples["JavaScript"], op
        # the path's model and version become options, never lost
        path = next(p for p, item in SPEC["paths"].items() if OPERATIONS[op] in item.values())
        for name, py, ts in (
            ("{model_name}", 'model="fraud-detector"', "model: 'fraud-detector'"),
            ("{version}", 'version="1.0.0"', "version: '1.0.0'"),
        ):
            says = py in samples["Python"] and ts in samples["JavaScript"]
            assert says == (name in path), (op, name)


def test_admin_samples_say_they_need_an_admin_key():
    admin = {name for name, op in OPERATIONS.items() if needs_admin(SPEC, op)}
    assert admin == {"reloadModels", "listUsage"}
    for name, samples in SAMPLES.items():
        for label, source in samples.items():
            says = "admin scope" in source and "SPECSERVE_ADMIN_KEY" in source
            assert says == (name in admin), (name, label, source)


def test_no_sample_hides_an_error():
    for name, samples in SAMPLES.items():
        curl = samples["curl"]
        assert "-sf" not in curl.split() and "--fail-with-body" in curl, (name, curl)
