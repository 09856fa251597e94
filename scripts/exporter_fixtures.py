"""The ONNX test fixtures made by other exporters than skl2onnx: XGBoost and LightGBM
(onnxmltools, each library's default export settings) and a hand-built graph with no class
labels. They are not the service's dependencies, so this runs in an environment of its own:

    python3.11 -m venv /tmp/exporters
    /tmp/exporters/bin/pip install xgboost==3.2.0 lightgbm==4.7.0 onnxmltools==1.16.0 \\
        skl2onnx==1.20.0 onnx==1.23.2 protobuf==6.33.6 scikit-learn==1.9.1
    /tmp/exporters/bin/python scripts/exporter_fixtures.py tests/fixtures/exporters

Each `<name>.onnx` comes with `<name>.json`: probe rows and what the library itself answers
for them (`predict`, and `predict_proba` for classifiers), which the tests compare with what
the service answers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

FEATURES = 4
OPSET = 15


def data(kind: str) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import make_classification, make_regression

    if kind == "classifier":
        x, y = make_classification(
            n_samples=400, n_features=FEATURES, n_informative=3, n_redundant=0, random_state=0
        )
    else:
        x, y = make_regression(n_samples=400, n_features=FEATURES, noise=0.1, random_state=0)
    return x.astype(np.float32), y


def exported(name: str, model: object) -> object:
    from onnxmltools import convert_lightgbm, convert_xgboost
    from onnxmltools.convert.common.data_types import FloatTensorType

    convert = convert_lightgbm if name.startswith("lightgbm") else convert_xgboost
    types = [("input", FloatTensorType([None, FEATURES]))]
    return convert(model, initial_types=types, target_opset=OPSET)


def libraries() -> dict[str, tuple[object, str]]:
    import lightgbm
    import xgboost

    return {
        "lightgbm_classifier": (lightgbm.LGBMClassifier(n_estimators=10, verbose=-1), "classifier"),
        "lightgbm_regressor": (lightgbm.LGBMRegressor(n_estimators=10, verbose=-1), "regressor"),
        "xgboost_classifier": (xgboost.XGBClassifier(n_estimators=10), "classifier"),
        "xgboost_regressor": (xgboost.XGBRegressor(n_estimators=10), "regressor"),
    }


def handbuilt() -> tuple[object, dict[str, object]]:
    """Softmax regression written node by node: outputs `probabilities` only, no labels."""
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    weights = rng.normal(size=(FEATURES, 3)).astype(np.float32)
    bias = rng.normal(size=3).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["input", "W"], ["logits0"]),
            helper.make_node("Add", ["logits0", "b"], ["logits"]),
            helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
        ],
        "handbuilt",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, FEATURES])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 3])],
        [numpy_helper.from_array(weights, "W"), numpy_helper.from_array(bias, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    x = rng.normal(size=(20, FEATURES)).astype(np.float32)
    logits = x @ weights + bias
    proba = np.exp(logits - logits.max(axis=1, keepdims=True))
    proba /= proba.sum(axis=1, keepdims=True)
    classes = ["low", "mid", "high"]
    expected = {
        "rows": x.tolist(),
        "classes": classes,
        "predict": [classes[i] for i in proba.argmax(axis=1)],
        "predict_proba": proba.tolist(),
    }
    return model, expected


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (model, kind) in libraries().items():
        x, y = data(kind)
        model.fit(x, y)
        probe = x[:20]
        expected: dict[str, object] = {
            "rows": probe.tolist(),
            "predict": model.predict(probe).tolist(),
        }
        if kind == "classifier":
            expected["predict_proba"] = model.predict_proba(probe).tolist()
        write(out, name, exported(name, model), expected)
    write(out, "handbuilt_classifier", *handbuilt())


def write(out: Path, name: str, model: object, expected: dict[str, object]) -> None:
    (out / f"{name}.onnx").write_bytes(model.SerializeToString())
    (out / f"{name}.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out / name}.onnx")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
