"""Every model kind x artifact format x runtime x micro-batching on/off, in process.

Every answer equals scikit-learn's own (labels exactly; probabilities and values within the
parity gate's tolerance), a single row equals the same row in a batch, and every response
validates against the spec (response validation is on) and the generated models.
"""

from __future__ import annotations

import numpy as np
import pytest

from generated.models import BatchPredictionResponse, ModelMetadata, PredictionResponse
from tests.serving.conftest import VARIANTS, make_client, training_data

KINDS = ("hgb", "loan", "svc", "forest3", "forestreg", "linreg")
SEED_KEYS = {"prediction", "probability", "model_version", "request_id", "processing_time_ms"}
ROWS = np.vstack([training_data(seed=1)[:30], [[0.0, 0.0, 0.0], [1e6, -50.0, 3.0]]])


@pytest.fixture(scope="module", params=[True, False], ids=["microbatch", "direct"])
def client(request, zoo_dir, tmp_path_factory):
    app, key = make_client(zoo_dir, tmp_path_factory.mktemp("keys"), microbatch=request.param)
    with app.test_client(headers={"X-API-Key": key}) as http:
        yield http


def expected(estimator, rows):
    labels = estimator.predict(rows)
    proba = estimator.predict_proba(rows) if hasattr(estimator, "predict_proba") else None
    return labels, proba


def check_row(body, kind, estimator, label, proba):
    PredictionResponse.model_validate(body)
    assert body.keys() >= SEED_KEYS
    if kind in ("forestreg", "linreg"):
        assert body["probability"] is None and body["probabilities"] is None
        assert np.isclose(body["prediction"], label, rtol=1e-5, atol=1e-8)
        return
    classes = list(estimator.classes_)
    if isinstance(label, str):
        assert body["label"] == label
        assert body["prediction"] == classes.index(label)
    else:
        assert body["prediction"] == float(label) and "label" not in body
    if proba is None:
        assert body["probability"] is None and body["probabilities"] is None
        return
    assert np.allclose(body["probabilities"], proba, atol=1e-4)
    assert body["probability"] == pytest.approx(proba[classes.index(label)], abs=1e-4)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", KINDS)
def test_answers_equal_scikit_learn(client, zoo, kind, variant):
    name, estimator = f"{kind}-{variant}", zoo[kind]
    labels, proba = expected(estimator, ROWS)
    singles = []
    for i, row in enumerate(ROWS.tolist()):
        r = client.post(f"/v1/models/{name}/predict?probabilities=true", json={"features": row})
        assert r.status_code == 200, r.text
        check_row(r.json(), kind, estimator, labels[i], None if proba is None else proba[i])
        singles.append(r.json())
    batch = client.post(
        f"/v1/models/{name}/batch_predict?probabilities=true",
        json={"requests": [{"features": row} for row in ROWS.tolist()]},
    )
    assert batch.status_code == 200, batch.text
    BatchPredictionResponse.model_validate(batch.json())
    for single, in_batch in zip(singles, batch.json()["predictions"], strict=True):
        assert in_batch["prediction"] == pytest.approx(single["prediction"], rel=1e-6)
        assert (in_batch["probability"] is None) == (single["probability"] is None)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", KINDS)
def test_seed_keys_exactly_and_metadata(client, kind, variant):
    name = f"{kind}-{variant}"
    body = client.post(f"/v1/models/{name}/predict", json={"features": [1000.0, 3.0, 0.5]}).json()
    extra = {"label"} if kind == "loan" else set()
    assert body.keys() == SEED_KEYS | extra
    meta = client.get(f"/v1/models/{name}")
    assert meta.status_code == 200, meta.text
    info = ModelMetadata.model_validate(meta.json())
    assert info.task == ("regression" if kind in ("forestreg", "linreg") else "classification")
    assert info.runtime == ("onnx" if variant in ("onnx", "onnxfile") else "sklearn")
    if variant == "onnx":
        assert info.parity is not None and info.parity.passed
    if kind == "loan":
        assert [c.root for c in info.classes] == ["approve", "deny"]


def test_values_a_float32_graph_cannot_hold_get_422(client):
    for name in ("hgb-onnx", "linreg-sklearn"):
        r = client.post(f"/v1/models/{name}/predict", json={"features": [1e39, 1.0, 0.5]})
        assert r.status_code == 422
        assert r.json()["error"] == "feature_out_of_range"
        assert r.json()["errors"][0]["path"] == "$.features[0]"
        r = client.post(
            f"/v1/models/{name}/batch_predict",
            json={"requests": [{"features": [1.0, 1.0, 0.5]}, {"features": [1.0, -4e38, 0.5]}]},
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["path"] == "$.requests[1].features[1]"
