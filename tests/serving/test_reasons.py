"""Why a version does not serve, said where each reader looks: the full reason in `models
add`, `models check`, `models list` and `GET /models/{name}` (models:read); only a short
class of it in `/health` (metrics:read). A model saved by another scikit-learn release is
named as such before anything is built."""

from __future__ import annotations

import json
import pickle
import shutil
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn
import skops.io as sio

from specserve.auth.filestore import FileKeyStore
from specserve.cli import main
from tests.serving.conftest import make_client
from tests.serving.faulty import Faulty

RUNNING = sklearn.__version__
MISMATCH = (
    f"saved with scikit-learn 1.6.1, this service runs {RUNNING}: re-save it with {RUNNING}, "
    "or export it to ONNX"
)
X = np.random.default_rng(3).normal(size=(200, 3))


def _forest():
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(X, X[:, 0] > 0)


def old_skops(path: Path) -> Path:
    """A skops file whose schema says it was saved by scikit-learn 1.6.1."""
    good = path.with_suffix(".good.skops")
    sio.dump(_forest(), good)
    quoted = json.dumps(json.dumps(RUNNING))[1:-1].encode()  # as the schema writes it
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "schema.json":
                assert quoted in data
                data = data.replace(quoted, quoted.replace(RUNNING.encode(), b"1.6.1"))
            out.writestr(info, data)
    return path


def old_pickle(path: Path) -> Path:
    data = pickle.dumps(_forest())
    assert RUNNING.encode() in data and len(RUNNING) == len("1.6.1")
    path.write_bytes(data.replace(RUNNING.encode(), b"1.6.1"))
    return path


def add(tmp_path: Path, artifact: Path, *extra: str) -> int:
    argv = ["models", "add", str(artifact), "--name", "m", "--version", "1", *extra]
    return main([*argv, "--model-dir", str(tmp_path / "models")])


def test_an_older_skops_file_is_named_a_version_mismatch(tmp_path, capsys):
    assert add(tmp_path, old_skops(tmp_path / "old.skops")) == 1
    assert capsys.readouterr().err.strip() == f"refused: old.skops: {MISMATCH}"


def test_an_older_pickle_is_named_a_version_mismatch(tmp_path, capsys):
    assert add(tmp_path, old_pickle(tmp_path / "old.joblib"), "--allow-pickle") == 1
    assert capsys.readouterr().err.strip() == f"refused: old.joblib: {MISMATCH}"


def test_the_training_release_is_recorded(tmp_path):
    sio.dump(_forest(), tmp_path / "m.skops")
    assert add(tmp_path, tmp_path / "m.skops") == 0
    meta = json.loads((tmp_path / "models" / "m" / "1" / "metadata.json").read_text())
    assert meta["sklearn_version"] == RUNNING


@pytest.fixture
def store(tmp_path) -> Path:
    """`m` 1 serves; `m` 2 (newer) was saved by 1.6.1; `broken` 1 fails its probe rows."""
    root = tmp_path / "models"
    sio.dump(_forest(), tmp_path / "m.skops")
    assert add(tmp_path, tmp_path / "m.skops") == 0
    newer = root / "m" / "2"
    shutil.copytree(root / "m" / "1", newer)
    (newer / "model.onnx").unlink()
    (newer / "parity.json").unlink()
    old_skops(newer / "model.skops")
    folder = root / "broken" / "1"
    folder.mkdir(parents=True)
    joblib.dump(Faulty("broken").fit(X, None), folder / "model.joblib")
    (folder / "metadata.json").write_text(json.dumps({"format": "joblib", "n_features": 3}))
    return root


def test_models_check_gives_the_reason(store, capsys, monkeypatch):
    monkeypatch.setenv("SPECSERVE_ALLOW_PICKLE", "true")
    assert main(["models", "check", "broken", "--model-dir", str(store)]) == 1
    err = capsys.readouterr().err
    assert "cannot score rows of zeros: RuntimeError: broken on every row" in err
    assert "request id" not in err
    assert main(["models", "check", "m", "--version", "2", "--model-dir", str(store)]) == 1
    assert MISMATCH in capsys.readouterr().err


def test_models_list_marks_a_failed_version_never_newest(store, capsys):
    assert main(["models", "list", "--model-dir", str(store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {tuple(line.split()[:3]) for line in lines if line.startswith("m ")}
    assert ("m", "1", "newest") in rows and ("m", "2", "failed") in rows
    assert any(MISMATCH in line for line in lines)


def test_the_api_gives_the_reason_and_health_only_its_class(store, tmp_path):
    app, key = make_client(store, tmp_path, default_model="m")
    operator = FileKeyStore(tmp_path / "keys.json").create("ops", scopes=["metrics:read"])[1]
    with app.test_client(headers={"X-API-Key": key}) as http:
        serving = http.get("/v1/models/m").json()
        assert serving["version"] == "1" and serving["status"] == "ready"
        assert serving["error"] == f"version 2 failed to load: {MISMATCH}"
        failed = http.get("/v1/models/m/versions/2").json()
        assert failed["status"] == "failed" and failed["error"] == MISMATCH
        broken = http.get("/v1/models/broken").json()
        assert "broken on every row" in broken["error"]
        checks = http.get("/v1/health", headers={"X-API-Key": operator}).json()["checks"]
    assert checks["model:m"] == {
        "status": "warn",
        "detail": "version 2 failed to load (version mismatch); version 1 still serves",
    }
    assert checks["model:broken"] == {
        "status": "fail",
        "detail": "version 1 failed to load (model refused)",
    }
