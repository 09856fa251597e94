"""ONNX from other exporters than skl2onnx, added with `specserve models add` and served:
XGBoost and LightGBM (onnxmltools' default export, LightGBM's with a ZipMap: one
{class: probability} map per row) and a hand-built graph that names no classes (`--classes`).
Each answers what the library itself answers for the same rows (the fixtures record it:
scripts/exporter_fixtures.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from specserve.app import create_app
from specserve.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "exporters"
EXPORTS = {
    "lightgbm-classifier": [],
    "lightgbm-regressor": [],
    "xgboost-classifier": [],
    "xgboost-regressor": [],
    "handbuilt-classifier": ["--classes", "low,mid,high"],
}


def fixture(name: str) -> Path:
    return FIXTURES / f"{name.replace('-', '_')}.onnx"


@pytest.fixture(scope="module")
def app(settings, model_dir) -> Any:
    for name, extra in EXPORTS.items():
        add = ["models", "add", str(fixture(name)), "--name", name, "--version", "1.0.0"]
        assert main([*add, "--model-dir", str(model_dir), *extra]) == 0
    return create_app(settings)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_an_exported_model_answers_like_its_library(client, name):
    expected = json.loads(fixture(name).with_suffix(".json").read_text())
    meta = client.get(f"/models/{name}").json()
    assert (meta["framework"], meta["runtime"]) == ("onnx", "onnx")
    classifier = "predict_proba" in expected
    assert meta["task"] == ("classification" if classifier else "regression")
    rows = {"requests": [{"features": row} for row in expected["rows"]]}
    r = client.post(f"/models/{name}/batch_predict?probabilities=true", json=rows)
    assert r.status_code == 200, r.text
    got = r.json()["predictions"]
    if not classifier:
        for answer, want in zip(got, expected["predict"], strict=True):
            assert answer["prediction"] == pytest.approx(want, rel=1e-5, abs=1e-5)
        return
    classes = meta["classes"]
    for answer, label, proba in zip(
        got, expected["predict"], expected["predict_proba"], strict=True
    ):
        assert answer["probabilities"] == pytest.approx(proba, abs=1e-5)
        if isinstance(label, str):
            assert answer["label"] == label and classes[int(answer["prediction"])] == label
        else:
            assert answer["prediction"] == label


def test_a_graph_without_classes_is_refused_naming_the_option(tmp_path, capsys):
    add = ["models", "add", str(fixture("handbuilt-classifier")), "--name", "hb"]
    assert main([*add, "--version", "1.0.0", "--model-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--classes a,b,c" in err[0], err


def test_task_and_classes_are_for_onnx_graphs_only(tmp_path, capsys, trained_model_dir):
    artifact = next(trained_model_dir.rglob("model.skops"))
    add = ["models", "add", str(artifact), "--name", "x", "--version", "1.0.0"]
    assert main([*add, "--model-dir", str(tmp_path), "--classes", "a,b"]) == 1
    assert "for .onnx graphs" in capsys.readouterr().err
