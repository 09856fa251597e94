"""The models a team commonly trains, each through `specserve models add` (in process) and a
prediction over HTTP (in process): every one serves with answers equal to its own `predict`
(and `predict_proba`, `decision_function`), or is refused in one line; never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import skops.io as sio

from generated.models import BatchPredictionResponse, ModelMetadata
from specserve.cli import main
from tests.serving.conftest import make_client

SEED_KEYS = {"prediction", "probability", "model_version", "request_id", "processing_time_ms"}
RNG = np.random.default_rng(7)
X = RNG.normal(size=(300, 4))
Y_NEAR_ZERO = RNG.normal(scale=0.3, size=300)  # float32 rounding near 0: the old gate failed
Y_CLASS = (X[:, 0] + X[:, 1] > 0).astype(int)
Y_NAMES = np.array(["low", "mid", "high"])[np.digitize(X[:, 0], [-0.5, 0.5])]
ROWS = np.vstack([RNG.normal(size=(40, 4)), RNG.normal(scale=4.0, size=(10, 4))])


def _regressors() -> dict[str, Any]:
    from sklearn.ensemble import (
        ExtraTreesRegressor,
        GradientBoostingRegressor,
        HistGradientBoostingRegressor,
        RandomForestRegressor,
    )
    from sklearn.linear_model import Ridge
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVR
    from sklearn.tree import DecisionTreeRegressor

    return {
        "rf-reg": RandomForestRegressor(n_estimators=15, random_state=0),
        "gb-reg": GradientBoostingRegressor(random_state=0),
        "hgb-reg": HistGradientBoostingRegressor(random_state=3),
        "et-reg": ExtraTreesRegressor(n_estimators=10, random_state=0),
        "tree-reg": DecisionTreeRegressor(max_depth=6, random_state=0),
        "ridge": make_pipeline(StandardScaler(), Ridge()),
        "svr": SVR(),
        "knn-reg": KNeighborsRegressor(),
    }


def _classifiers() -> dict[str, Any]:
    from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier

    return {
        "rf-clf": RandomForestClassifier(n_estimators=15, random_state=0),
        "gb-clf": GradientBoostingClassifier(n_estimators=20, random_state=0),
        "logreg-names": LogisticRegression(),
        "nb": GaussianNB(),
        "knn-clf": KNeighborsClassifier(),
        "qda": QuadraticDiscriminantAnalysis(),  # its graph's labels are not one per row
    }


def _unsupervised() -> dict[str, Any]:
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.ensemble import IsolationForest
    from sklearn.mixture import GaussianMixture
    from sklearn.neighbors import LocalOutlierFactor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import OneClassSVM

    return {
        "kmeans": KMeans(4, n_init=3, random_state=0),
        "minibatch": make_pipeline(StandardScaler(), MiniBatchKMeans(3, n_init=3, random_state=0)),
        "mixture": GaussianMixture(3, random_state=0),
        "isoforest": IsolationForest(n_estimators=30, random_state=0),
        "ocsvm": OneClassSVM(),
        "lof": LocalOutlierFactor(novelty=True),
    }


def fitted(name: str) -> Any:
    estimator = {**_regressors(), **_classifiers(), **_unsupervised()}[name]
    if name in _regressors():
        return estimator.fit(X, Y_NEAR_ZERO)
    if name in _unsupervised():
        return estimator.fit(X)
    return estimator.fit(X, Y_NAMES if name.endswith("names") else Y_CLASS)


TASKS = {
    **dict.fromkeys(_regressors(), "regression"),
    **dict.fromkeys(_classifiers(), "classification"),
    **dict.fromkeys(["kmeans", "minibatch", "mixture"], "clustering"),
    **dict.fromkeys(["isoforest", "ocsvm", "lof"], "outlier_detection"),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("tour")
    files = root / "files"
    files.mkdir()
    models = {}
    for name in TASKS:
        models[name] = fitted(name)
        sio.dump(models[name], files / f"{name}.skops")
        argv = ["models", "add", str(files / f"{name}.skops"), "--name", name, "--version", "1"]
        assert main([*argv, "--model-dir", str(root / "models")]) == 0, name
    return root / "models", models


@pytest.fixture(scope="module")
def http(store, tmp_path_factory):
    app, key = make_client(store[0], tmp_path_factory.mktemp("keys"), default_model="kmeans")
    with app.test_client(headers={"X-API-Key": key}) as client:
        yield client


def _batch(http: Any, name: str, query: str = "") -> list[dict[str, Any]]:
    body = {"requests": [{"features": row} for row in ROWS.tolist()]}
    response = http.post(f"/v1/models/{name}/batch_predict{query}", json=body)
    assert response.status_code == 200, response.text
    BatchPredictionResponse.model_validate(response.json())
    return list(response.json()["predictions"])


@pytest.mark.parametrize("name", list(TASKS))
def test_every_model_serves_its_own_answers(store, http, name):
    estimator = store[1][name]
    meta = http.get(f"/v1/models/{name}").json()
    ModelMetadata.model_validate(meta)
    assert meta["task"] == TASKS[name] and meta["status"] == "ready"
    rows = _batch(http, name)
    assert all(set(row) in (SEED_KEYS, SEED_KEYS | {"label"}) for row in rows)
    want = estimator.predict(ROWS)
    got = [row["prediction"] for row in rows]
    if TASKS[name] == "regression":
        assert np.allclose(got, want, rtol=1e-5, atol=1e-5 * np.ptp(want) + 1e-8)
        assert all(row["probability"] is None for row in rows)
    elif TASKS[name] == "classification":
        names = [row.get("label", row["prediction"]) for row in rows]
        assert names == want.tolist()
        proba = estimator.predict_proba(ROWS).max(axis=1)
        assert np.allclose([row["probability"] for row in rows], proba, atol=1e-4)
    else:
        assert got == want.tolist() and all(isinstance(v, int) for v in got)
        assert all(row["probability"] is None for row in rows)


@pytest.mark.parametrize("name", ["isoforest", "ocsvm", "lof"])
def test_outlier_scores_are_the_decision_function(store, http, name):
    rows = _batch(http, name, "?scores=true")
    want = store[1][name].decision_function(ROWS)
    assert np.allclose([row["score"] for row in rows], want, rtol=1e-9, atol=1e-12)
    assert {row["prediction"] for row in rows} <= {-1, 1}


def test_scores_are_null_for_other_models(http):
    assert {row["score"] for row in _batch(http, "kmeans", "?scores=true")} == {None}


def test_tree_regressors_near_zero_serve_with_onnx(store):
    """The three regressors whose float32 graphs agree to float32 rounding pass the gate."""
    import json

    for name in ("rf-reg", "gb-reg", "hgb-reg"):
        parity = json.loads((store[0] / name / "1" / "parity.json").read_text())
        assert parity["passed"], (name, parity["reason"])


def test_a_failed_gate_falls_back_to_scikit_learn_with_the_reason(tmp_path, capsys):
    path = tmp_path / "rf.skops"
    sio.dump(fitted("rf-reg"), path)
    argv = ["models", "add", str(path), "--name", "r", "--version", "1", "--value-tolerance", "0"]
    assert main([*argv, "--model-dir", str(tmp_path / "m")]) == 0
    out = capsys.readouterr().out
    assert "serves with sklearn" in out and "values outside" in out
    assert "does not run in ONNX Runtime" in out and "Traceback" not in out


def _junk(tmp_path: Path) -> dict[str, Path]:
    import joblib

    good = tmp_path / "good.skops"
    sio.dump(fitted("rf-clf"), good)
    pickled = tmp_path / "model.joblib"
    joblib.dump(fitted("ridge"), pickled)
    files = {
        "empty": tmp_path / "empty.skops",
        "truncated": tmp_path / "truncated.skops",
        "garbage": tmp_path / "garbage.skops",
        "folder": tmp_path / "folder.skops",
        "pickle": pickled,
        "truncated-pickle": tmp_path / "truncated.joblib",
        "unknown-suffix": tmp_path / "model.bin",
        "absent": tmp_path / "absent.skops",
        "truncated-onnx": tmp_path / "truncated.onnx",
        "zip-not-skops": tmp_path / "other.skops",
    }
    files["empty"].write_bytes(b"")
    files["truncated"].write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    files["garbage"].write_bytes(b"\x00not a model" * 50)
    files["folder"].mkdir()
    files["truncated-pickle"].write_bytes(pickled.read_bytes()[:200])
    files["unknown-suffix"].write_bytes(b"abc")
    graph = Path(__file__).parents[1] / "fixtures" / "exporters" / "xgboost-classifier.onnx"
    files["truncated-onnx"].write_bytes(graph.read_bytes()[:200])
    with zipfile.ZipFile(files["zip-not-skops"], "w") as zf:
        zf.writestr("notes.txt", "not a model")
    return files


CAUSES = {
    "empty": "is empty",
    "truncated": "not a skops artifact",
    "garbage": "not a skops artifact",
    "folder": "is a folder",
    "pickle": "--allow-pickle",
    "truncated-pickle": "does not load",
    "unknown-suffix": "expected a .skops",
    "absent": "no such file",
    "truncated-onnx": "export it again",
    "zip-not-skops": "no readable schema.json",
}


@pytest.mark.parametrize("case", list(CAUSES))
def test_a_file_that_cannot_serve_is_refused_in_one_line(tmp_path, capsys, case):
    path = _junk(tmp_path)[case]
    extra = ["--allow-pickle"] if case == "truncated-pickle" else []
    argv = ["models", "add", str(path), "--name", "m", "--version", "1", *extra]
    assert main([*argv, "--model-dir", str(tmp_path / "m")]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("refused: "), captured.err
    assert CAUSES[case] in lines[0] and "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "m" / "m" / "1").exists()
