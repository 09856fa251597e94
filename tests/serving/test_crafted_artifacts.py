"""Crafted artifacts cost what the settings allow and never crash a worker.

Trees whose node arrays point outside themselves (scikit-learn walks them unchecked: SIGSEGV
on a chosen row) are refused at load; a skops zip that inflates past its limit is refused
from its directory; an ONNX graph that takes a feature as a shape fails cleanly against
the worker's ONNX Runtime memory cap, and is never run on the event loop.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import skops.io as sio

from specserve.auth.filestore import FileKeyStore
from specserve.serving.artifacts import Limits, ModelRefused, load_estimator
from specserve.serving.model import load_version
from specserve.serving.treecheck import check_trees
from tests.live import LiveService, train_default_model

CRASH_ROW = [-5.0, -5.0, -5.0]  # goes left at the root of every tree trained below


def training_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    return x, (x[:, 0] + x[:, 1] ** 2 > 0.5).astype(int)  # takes a few levels of splits


def fitted(kind: str) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    x, y = training_data()
    model = {
        "tree": DecisionTreeClassifier(max_depth=4, random_state=0),
        "forest": RandomForestClassifier(5, max_depth=4, random_state=0),
        "hgb": HistGradientBoostingClassifier(max_iter=5, random_state=0),
    }[kind]
    return model.fit(x, y)


def set_nodes(tree: Any, field: str, value: Any, node: int = 0, **state: Any) -> None:
    """Rewrite one field of one node of a `sklearn.tree._tree.Tree` (and state keys)."""
    saved = tree.__getstate__()
    nodes = saved["nodes"].copy()
    nodes[field][node] = value
    tree.__setstate__({**saved, "nodes": nodes, **state})


def corrupt(kind: str, how: str) -> Any:
    model = fitted(kind)
    if kind == "hgb":
        nodes = model._predictors[0][0].nodes
        field, value = {
            "child": ("left", 10**8),
            "feature": ("feature_idx", 7),
            "cycle": ("right", 0),
            "nan": ("num_threshold", np.nan),
        }[how]
        nodes[field][0] = value
        return model
    tree = (model.estimators_[2] if kind == "forest" else model).tree_
    if how == "depth":
        tree.__setstate__({**tree.__getstate__(), "max_depth": 1})
    else:
        field, value = {
            "child": ("left_child", 10**8),
            "feature": ("feature", 7),
            "cycle": ("right_child", 0),
            "nan": ("threshold", np.nan),
            "two-parents": ("right_child", int(tree.children_left[0])),
        }[how]
        set_nodes(tree, field, value)
    return model


CASES = [
    ("tree", "child", "outside its node array"),
    ("tree", "feature", "feature outside the 3 features"),
    ("tree", "cycle", "outside its node array (or backwards)"),
    ("tree", "nan", "NaN threshold"),
    ("tree", "two-parents", "two parents"),
    ("tree", "depth", "deeper than its max_depth"),
    ("forest", "child", "outside its node array"),
    ("forest", "feature", "feature outside the 3 features"),
    ("hgb", "child", "outside its node array"),
    ("hgb", "feature", "feature outside the 3 features"),
    ("hgb", "cycle", "outside its node array (or backwards)"),
    ("hgb", "nan", "NaN threshold"),
]


@pytest.mark.parametrize(("kind", "how", "reason"), CASES)
def test_a_crafted_tree_is_refused_at_load(tmp_path, kind, how, reason):
    path = tmp_path / "model.skops"
    sio.dump(corrupt(kind, how), path)
    with pytest.raises(ModelRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        load_estimator(path, "skops", allow_pickle=False)


@pytest.mark.parametrize("kind", ["tree", "forest", "hgb"])
def test_sound_trees_load_including_infinite_thresholds(tmp_path, kind):
    from sklearn.tree import DecisionTreeClassifier

    path = tmp_path / "model.skops"
    sio.dump(fitted(kind), path)
    assert check_trees(load_estimator(path, "skops", allow_pickle=False)) >= 1
    x, y = training_data()
    x[::5, 1] = np.nan  # scikit-learn writes ±inf thresholds for missing-value splits
    with_missing = DecisionTreeClassifier(random_state=0).fit(x, y)
    assert check_trees(with_missing) == 1


def test_hist_gradient_boosting_private_attributes_canary():
    """The check reads HistGradientBoosting's `_predictors` and `_bin_mapper.is_categorical_`
    (private: no public way to its nodes). If scikit-learn renames them, this fails first."""
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

    model = fitted("hgb")
    assert all(isinstance(p, TreePredictor) for ps in model._predictors for p in ps)
    assert model._bin_mapper.is_categorical_.shape == (3,)
    assert {"left", "right", "feature_idx", "is_leaf", "bitset_idx", "num_threshold"} <= set(
        model._predictors[0][0].nodes.dtype.names
    )


def test_a_categorical_split_on_a_numeric_feature_is_refused():
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, _ = training_data()
    x[:, 2] = np.random.default_rng(1).integers(0, 4, len(x))
    y = np.isin(x[:, 2], [1, 3]).astype(int)  # only a categorical split separates them

    model = HistGradientBoostingClassifier(max_iter=3, categorical_features=[2]).fit(x, y)
    assert check_trees(model) == 3
    model._bin_mapper.is_categorical_[:] = False
    with pytest.raises(ModelRefused, match="not categorical"):
        check_trees(model)


def test_a_skops_zip_bomb_is_refused_from_its_directory(tmp_path):
    path = tmp_path / "model.skops"
    sio.dump(np.zeros(8_000_000), path)  # 64 MB of zeros
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert path.stat().st_size < 1_000_000
    limits = Limits(max_uncompressed_bytes=16 * 1024**2)
    with pytest.raises(ModelRefused, match="MAX_UNCOMPRESSED_BYTES"):
        load_estimator(path, "skops", allow_pickle=False, limits=limits)
    with pytest.raises(ModelRefused, match="SPECSERVE_MODEL_MAX_BYTES"):
        load_estimator(path, "skops", allow_pickle=False, limits=Limits(max_bytes=4096))


def bomb_graph() -> bytes:
    """A regressor of standard operators whose output allocates max(features) floats."""
    import onnx
    from onnx import TensorProto as T
    from onnx import helper as h

    zero_one = [h.make_tensor(n, T.INT64, [1], [v]) for n, v in (("zero", 0), ("one", 1))]
    nodes = [
        h.make_node("ReduceMax", ["X"], ["m"], keepdims=0),
        h.make_node("Cast", ["m"], ["mi"], to=T.INT64),
        h.make_node("Reshape", ["mi", "one"], ["shape"]),
        h.make_node(
            "ConstantOfShape", ["shape"], ["big"], value=h.make_tensor("v", T.FLOAT, [1], [0.0])
        ),
        h.make_node("ReduceSum", ["big"], ["s"], keepdims=1),
        h.make_node("Slice", ["X", "zero", "one", "one"], ["col"]),
        h.make_node("Add", ["col", "s"], ["variable"]),
    ]
    graph = h.make_graph(
        nodes,
        "bomb",
        [h.make_tensor_value_info("X", T.FLOAT, [None, 3])],
        [h.make_tensor_value_info("variable", T.FLOAT, [None, 1])],
        zero_one,
    )
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def place(model_dir: Path, name: str, files: dict[str, bytes], metadata: dict) -> None:
    """A version placed by hand, as an operator (or an attacker with disk access) would."""
    folder = model_dir / name / "1.0.0"
    folder.mkdir(parents=True)
    for file, data in files.items():
        (folder / file).write_bytes(data)
    (folder / "metadata.json").write_text(json.dumps({"n_features": 3, **metadata}))


def test_the_onnx_bomb_is_not_inline_and_is_bounded_by_the_memory_cap(tmp_path):
    place(tmp_path, "bomb", {"model.onnx": bomb_graph()}, {"format": "onnx"})
    model = load_version(tmp_path / "bomb", "1.0.0", ["1.0.0"], allow_pickle=False)
    assert model.ready and not model.inline  # zeros are fast; 1e9 is not
    from specserve.errors import ModelResourceLimit

    with pytest.raises(ModelResourceLimit):
        model.score(np.array([[1.0, 2.0, 3.5e8]]))  # 1.4 GB > the 1 GiB default cap
    model.score(np.array([[1.0, 2.0, 3.0]]))  # the worker goes on serving it


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A live service with a crafted tree and the ONNX bomb placed by hand beside the
    default model."""
    root = tmp_path_factory.mktemp("crafted")
    model_dir = root / "models"
    train_default_model(model_dir)
    skops = root / "crafted.skops"
    sio.dump(corrupt("tree", "child"), skops)
    place(model_dir, "crafted", {"model.skops": skops.read_bytes()}, {"runtime": "sklearn"})
    place(model_dir, "bomb", {"model.onnx": bomb_graph()}, {"format": "onnx"})
    keys = root / "keys.json"
    key = FileKeyStore(keys).create("crafted-test")[1]
    env = {"SPECSERVE_ONNX_MAX_MEMORY_BYTES": str(256 * 1024**2)}
    with LiveService(root, model_dir, keys, workers=1, env=env) as service:
        yield service, key


@pytest.mark.slow
def test_live_a_crafted_tree_answers_503_and_the_worker_lives(live):
    service, key = live
    workers = service.worker_pids()
    url = f"{service.base_url}/models/crafted/versions/1.0.0/predict"
    for _ in range(3):
        r = httpx.post(url, json={"features": CRASH_ROW}, headers={"X-API-Key": key})
        assert r.status_code == 503 and r.json()["error"] == "model_unavailable"
    health = httpx.get(f"{service.base_url}/health", headers={"X-API-Key": key}).json()
    assert health["checks"]["model:crafted"]["status"] == "fail", health
    assert "outside its node array" in service.logs()
    assert service.worker_pids() == workers


@pytest.mark.slow
def test_live_the_onnx_bomb_fails_in_the_error_shape_and_the_worker_lives(live):
    service, key = live
    workers = service.worker_pids()
    url = f"{service.base_url}/models/bomb/predict"
    r = httpx.post(url, json={"features": [1, 2, 3.5e8]}, headers={"X-API-Key": key})
    assert r.status_code == 500 and r.json()["error"] == "model_resource_limit", r.text
    r = httpx.post(url, json={"features": [1, 2, 3]}, headers={"X-API-Key": key})
    assert r.status_code == 200 and r.json()["prediction"] == 1.0
    assert service.worker_pids() == workers
