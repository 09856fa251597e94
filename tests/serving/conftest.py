"""A model directory holding every model kind in every artifact format and runtime.

Kinds: the default pipeline (numeric labels, binary), a string-label logistic regression, an
SVC without `predict_proba`, a 3-class forest, a scaler + forest regressor, a linear
regressor. Variants of each: `-onnx` (published by `specserve models add`: skops + gated
`model.onnx`, served by ONNX Runtime), `-sklearn` (the same version with `"runtime":
"sklearn"`), `-onnxfile` (only the `model.onnx`, `"format": "onnx"`), `-joblib` (a pickle,
opt-in). Plus the misbehaving estimators of `tests.serving.faulty`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest

from specserve.auth.filestore import FileKeyStore
from specserve.serving.publish import add_estimator, add_onnx

VARIANTS = ("onnx", "sklearn", "onnxfile", "joblib")
FAULTS = ("raise", "dtype", "slow", "refuse")


def training_data(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(600, 3)) * [400.0, 2.0, 0.2] + [1000.0, 3.0, 0.5]


def estimators() -> dict[str, Any]:
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    x = training_data()
    binary = (x[:, 0] + 300 * x[:, 2] > 1150).astype(int)
    three = np.digitize(x[:, 0], [850, 1150])
    value = 0.01 * x[:, 0] + 2.0 * x[:, 1]
    return {
        "hgb": make_pipeline(
            StandardScaler(), HistGradientBoostingClassifier(max_iter=20, random_state=0)
        ).fit(x, binary),
        "loan": make_pipeline(StandardScaler(), LogisticRegression()).fit(
            x, np.where(binary == 1, "approve", "deny")
        ),
        "svc": make_pipeline(StandardScaler(), SVC()).fit(x, binary),
        "forest3": RandomForestClassifier(20, max_depth=6, random_state=0).fit(x, three),
        "forestreg": make_pipeline(
            StandardScaler(), RandomForestRegressor(20, max_depth=6, random_state=0)
        ).fit(x, value),
        "linreg": LinearRegression().fit(x, value),
    }


def _variants(root: Path, kind: str, estimator: Any) -> None:
    add_estimator(root, f"{kind}-onnx", "1", estimator, metadata={"description": kind})
    onnx_dir = root / f"{kind}-onnx" / "1"
    assert json.loads((onnx_dir / "parity.json").read_text())["passed"], kind
    sk = root / f"{kind}-sklearn" / "1"
    shutil.copytree(onnx_dir, sk)
    meta = json.loads((sk / "metadata.json").read_text())
    (sk / "metadata.json").write_text(json.dumps({**meta, "runtime": "sklearn"}))
    add_onnx(root, f"{kind}-onnxfile", "1", onnx_dir / "model.onnx", {}, None)
    jb = root / f"{kind}-joblib" / "1"
    jb.mkdir(parents=True)
    joblib.dump(estimator, jb / "model.joblib")
    (jb / "metadata.json").write_text(json.dumps({"format": "joblib", "n_features": 3}))


@pytest.fixture(scope="session")
def zoo() -> dict[str, Any]:
    return estimators()


@pytest.fixture(scope="session")
def zoo_dir(tmp_path_factory, zoo, trained_model_dir) -> Path:
    from tests.serving.faulty import Faulty

    root = tmp_path_factory.mktemp("zoo")
    shutil.copytree(trained_model_dir / "fraud-detector", root / "fraud-detector")
    for kind, estimator in zoo.items():
        _variants(root, kind, estimator)
    x = training_data()
    for mode in FAULTS:
        folder = root / f"faulty-{mode}" / "1"
        folder.mkdir(parents=True)
        joblib.dump(Faulty(mode).fit(x, None), folder / "model.joblib")
        meta = {"format": "joblib", "n_features": 3, "microbatch": mode == "raise"}
        (folder / "metadata.json").write_text(json.dumps(meta))
    return root


def make_client(root: Path, tmp_path: Path, **overrides: Any) -> tuple[Any, str]:
    from specserve.app import create_app
    from specserve.config import Settings

    keys = tmp_path / "keys.json"
    key = FileKeyStore(keys).create("tests")[1]
    settings = Settings(
        model_dir=root,
        keys_file=keys,
        validate_responses=True,
        rate_limit_enabled=False,
        allow_pickle=True,
        model_poll_seconds=0,
        **overrides,
    )
    app = create_app(settings)
    return app, key
