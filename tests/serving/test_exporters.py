"""ONNX from other exporters (XGBoost and LightGBM through onnxmltools, a hand-built graph),
each through `specserve models add` and a batch prediction, in process: answers equal to the
library's own `predict`/`predict_proba` (recorded in expected.json by
scripts/make_exporter_fixtures.py, which made the fixtures). XGBoost as .joblib or .skops is
refused with the advice to export it to ONNX."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from generated.models import BatchPredictionResponse, ModelMetadata
from specserve.cli import main
from tests.serving.conftest import make_client

FIXTURES = Path(__file__).parents[1] / "fixtures" / "exporters"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())
EXPORTS = {
    "xgboost-classifier": [],
    "xgboost-regressor": [],
    "lightgbm-classifier": [],  # the default export: probabilities as a ZipMap
    "lightgbm-regressor": [],
    "handbuilt-classifier": ["--classes", "0,1,2", "--task", "classification"],
}


@pytest.fixture(scope="module")
def http(tmp_path_factory):
    root = tmp_path_factory.mktemp("exporters")
    for name, extra in EXPORTS.items():
        argv = ["models", "add", str(FIXTURES / f"{name}.onnx"), "--name", name]
        assert main([*argv, "--version", "1", *extra, "--model-dir", str(root)]) == 0, name
    app, key = make_client(root, tmp_path_factory.mktemp("keys"), default_model="xgboost-regressor")
    with app.test_client(headers={"X-API-Key": key}) as client:
        yield client


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_export_serves_the_library_s_own_answers(http, name):
    meta = http.get(f"/v1/models/{name}").json()
    ModelMetadata.model_validate(meta)
    assert meta["framework"] == "onnx" and meta["runtime"] == "onnx"
    rows = EXPECTED["rows"]
    body = {"requests": [{"features": row} for row in rows]}
    response = http.post(f"/v1/models/{name}/batch_predict?probabilities=true", json=body)
    assert response.status_code == 200, response.text
    BatchPredictionResponse.model_validate(response.json())
    got = response.json()["predictions"]
    want = EXPECTED[name]
    values = [row["prediction"] for row in got]
    if name.endswith("regressor"):
        assert meta["task"] == "regression"
        assert np.allclose(values, want["predict"], rtol=1e-5, atol=1e-6)
        return
    assert meta["task"] == "classification" and meta["classes"] == [0, 1, 2]
    assert values == want["predict"]
    assert np.allclose([row["probabilities"] for row in got], want["predict_proba"], atol=1e-5)


def test_a_graph_without_labels_needs_classes(tmp_path, capsys):
    path = FIXTURES / "handbuilt-classifier.onnx"
    argv = ["models", "add", str(path), "--name", "h", "--version", "1"]
    assert main([*argv, "--model-dir", str(tmp_path)]) == 1
    assert "--classes a,b,c" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["joblib", "skops"])
def test_xgboost_outside_onnx_is_refused_with_what_to_do(tmp_path, capsys, suffix):
    path = FIXTURES / f"xgboost-classifier.{suffix}"
    argv = ["models", "add", str(path), "--name", "x", "--version", "1", "--allow-pickle"]
    assert main([*argv, "--model-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "XGBoost" in err and "export it to ONNX" in err


def test_a_hand_placed_onnx_version_reports_onnx(tmp_path):
    import shutil

    folder = tmp_path / "models" / "placed" / "1"
    folder.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "xgboost-regressor.onnx", folder / "model.onnx")
    (folder / "metadata.json").write_text(json.dumps({"format": "onnx"}))
    app, key = make_client(tmp_path / "models", tmp_path, default_model="placed")
    with app.test_client(headers={"X-API-Key": key}) as client:
        meta = client.get("/v1/models/placed").json()
    assert meta["framework"] == "onnx" and meta["status"] == "ready"
