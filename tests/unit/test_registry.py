"""Registry: newest version serves, bad artifacts are refused without crashing."""

from __future__ import annotations

import asyncio
import json
import pickle
import shutil

import numpy as np
import pytest

from specserve.errors import FeatureCountMismatch, ModelNotFound, ModelUnavailable
from specserve.serving.registry import Registry, version_key


def copy_model(src, dst, version="1.0.0"):
    shutil.copytree(src / "fraud-detector" / "1.0.0", dst / "fraud-detector" / version)
    meta = dst / "fraud-detector" / version / "metadata.json"
    data = json.loads(meta.read_text())
    data["version"] = version
    meta.write_text(json.dumps(data))


def test_version_ordering_is_numeric():
    assert sorted(["1.10.0", "1.2.0", "1.9.1"], key=version_key) == ["1.2.0", "1.9.1", "1.10.0"]


def test_newest_version_serves(trained_model_dir, tmp_path):
    copy_model(trained_model_dir, tmp_path, "1.0.0")
    copy_model(trained_model_dir, tmp_path, "1.10.0")
    copy_model(trained_model_dir, tmp_path, "1.9.0")
    registry = Registry(tmp_path, "fraud-detector")
    registry.load()
    model = registry.ready_model()
    assert model.version == "1.10.0"
    assert model.versions == ["1.0.0", "1.9.0", "1.10.0"]


def test_served_answers_equal_scikit_learn_on_held_out(trained_model_dir):
    import skops.io as sio

    from scripts.train_default_model import make_data

    registry = Registry(trained_model_dir, "fraud-detector")
    registry.load()
    model = registry.ready_model()
    path = trained_model_dir / "fraud-detector" / "1.0.0" / "model.skops"
    estimator = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    x, _ = make_data(2000, seed=7)
    scored = model.score(x)
    assert scored.predictions == estimator.predict(x).astype(float).tolist()
    assert np.allclose(scored.probability, estimator.predict_proba(x).max(axis=1), atol=1e-4)


def test_corrupt_artifact_marks_model_failed(trained_model_dir, tmp_path):
    copy_model(trained_model_dir, tmp_path)
    for artifact in ("model.skops", "model.onnx"):  # whichever serves
        (tmp_path / "fraud-detector" / "1.0.0" / artifact).write_bytes(b"garbage")
    registry = Registry(tmp_path, "fraud-detector")
    registry.load()
    model = registry.get()
    assert not model.ready and model.error
    with pytest.raises(ModelUnavailable):
        registry.ready_model()


class Exploit:
    def __reduce__(self):
        return (open, ("/tmp/specserve-pwned", "w"))


def test_pickle_artifact_is_refused_unless_trusted(tmp_path):
    version_dir = tmp_path / "evil" / "1.0.0"
    version_dir.mkdir(parents=True)
    (version_dir / "model.joblib").write_bytes(pickle.dumps(Exploit()))
    (version_dir / "metadata.json").write_text(json.dumps({"format": "joblib"}))
    registry = Registry(tmp_path, "fraud-detector")
    registry.load()
    model = registry.get("evil")
    assert not model.ready and "refused" in model.error
    import os

    assert not os.path.exists("/tmp/specserve-pwned")


def data_plane(model_dir):
    from specserve.config import Settings
    from specserve.serving.dataplane import DataPlane

    plane = DataPlane(Settings(model_dir=model_dir, model_poll_seconds=0))
    plane.load()
    return plane


def test_unknown_model_and_feature_count(trained_model_dir):
    registry = Registry(trained_model_dir, "fraud-detector")
    registry.load()
    with pytest.raises(ModelNotFound):
        registry.get("nope")
    with pytest.raises(FeatureCountMismatch, match="expects 3 features, got 2"):
        asyncio.run(data_plane(trained_model_dir).predict({"features": [1.0, 2.0]}, "r"))


def test_missing_model_dir_does_not_crash(tmp_path):
    registry = Registry(tmp_path / "absent", "fraud-detector")
    assert registry.load() == {}
    with pytest.raises(ModelUnavailable):
        registry.ready_model()


def test_feature_count_mismatch_names_the_row_of_a_one_row_batch(trained_model_dir):
    plane = data_plane(trained_model_dir)
    with pytest.raises(FeatureCountMismatch) as single:
        asyncio.run(plane.predict({"features": [1.0, 2.0]}, "r"))
    with pytest.raises(FeatureCountMismatch) as batch:
        asyncio.run(plane.batch_predict({"requests": [{"features": [1.0, 2.0]}]}, "r"))
    assert single.value.errors[0]["path"] == "$.features"
    assert batch.value.errors[0]["path"] == "$.requests[0].features"
