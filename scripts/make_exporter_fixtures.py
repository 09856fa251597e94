"""Write the ONNX exports of other libraries that tests/serving/test_exporters.py serves.

XGBoost, LightGBM and onnxmltools are not the service's dependencies: run this in a separate
environment, then commit what it writes to tests/fixtures/exporters/:

    python3.11 -m venv /tmp/exporters
    /tmp/exporters/bin/pip install xgboost==3.2.0 lightgbm==4.7.0 onnxmltools==1.16.0 \\
        skl2onnx==1.20.0 onnx scikit-learn==1.9.1 'protobuf<7'
    /tmp/exporters/bin/python scripts/make_exporter_fixtures.py tests/fixtures/exporters

Each model's own answers on fixed rows go to `expected.json`, so the test compares the served
answers with the library's `predict`/`predict_proba` without the library installed. Also
written: an XGBoost classifier as `.joblib` and `.skops`, which the service refuses with
"export it to ONNX".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

N_FEATURES = 4


def data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, N_FEATURES)).astype(np.float32)
    three = np.digitize(x[:, 0] + 0.5 * x[:, 1], [-0.5, 0.5])
    value = (0.3 * x[:, 0] - 0.2 * x[:, 2] + rng.normal(scale=0.1, size=400)).astype(np.float32)
    rows = rng.normal(size=(50, N_FEATURES)).astype(np.float32)
    return x, three, value, rows


def exports(x: np.ndarray, three: np.ndarray, value: np.ndarray) -> dict[str, tuple]:
    import lightgbm
    import onnxmltools
    import xgboost
    from onnxmltools.convert.common.data_types import FloatTensorType

    typed = [("input", FloatTensorType([None, N_FEATURES]))]
    small = {"n_estimators": 10, "max_depth": 3}
    xgb_clf = xgboost.XGBClassifier(**small).fit(x, three)
    xgb_reg = xgboost.XGBRegressor(**small).fit(x, value)
    lgb_clf = lightgbm.LGBMClassifier(**small, verbose=-1).fit(x, three)
    lgb_reg = lightgbm.LGBMRegressor(**small, verbose=-1).fit(x, value)

    def xgb(model: object) -> object:
        return onnxmltools.convert_xgboost(model, initial_types=typed)

    def lgb(model: object) -> object:  # the default export: probabilities as a ZipMap
        return onnxmltools.convert_lightgbm(model, initial_types=typed)

    return {
        "xgboost-classifier": (xgb_clf, xgb(xgb_clf)),
        "xgboost-regressor": (xgb_reg, xgb(xgb_reg)),
        "lightgbm-classifier": (lgb_clf, lgb(lgb_clf)),
        "lightgbm-regressor": (lgb_reg, lgb(lgb_reg)),
    }


def hand_built(x: np.ndarray, three: np.ndarray) -> tuple[object, object]:
    """A softmax regression written with plain operators: no class labels in the graph."""
    from onnx import TensorProto, helper, numpy_helper
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression().fit(x, three)
    nodes = [
        helper.make_node("MatMul", ["input", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
        helper.make_node("ArgMax", ["logits"], ["label"], axis=1, keepdims=0),
    ]
    graph = helper.make_graph(
        nodes,
        "softmax_regression",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, N_FEATURES])],
        [
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 3]),
        ],
        [
            numpy_helper.from_array(lr.coef_.T.astype(np.float32), "W"),
            numpy_helper.from_array(lr.intercept_.astype(np.float32), "b"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return lr, model


def answers(estimator: object, rows: np.ndarray) -> dict[str, list]:
    found = {"predict": np.asarray(estimator.predict(rows)).tolist()}  # type: ignore[attr-defined]
    if hasattr(estimator, "predict_proba"):
        found["predict_proba"] = estimator.predict_proba(rows).tolist()
    return found


def main(folder: Path) -> None:
    import joblib
    import skops.io as sio

    folder.mkdir(parents=True, exist_ok=True)
    x, three, value, rows = data()
    made = exports(x, three, value)
    made["handbuilt-classifier"] = hand_built(x, three)
    expected = {"rows": rows.astype(np.float64).tolist()}
    for name, (estimator, model) in made.items():
        (folder / f"{name}.onnx").write_bytes(model.SerializeToString())
        expected[name] = answers(estimator, rows)
    (folder / "expected.json").write_text(json.dumps(expected) + "\n")
    xgb_clf = made["xgboost-classifier"][0]
    joblib.dump(xgb_clf, folder / "xgboost-classifier.joblib")
    sio.dump(xgb_clf, folder / "xgboost-classifier.skops")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/exporters"))
