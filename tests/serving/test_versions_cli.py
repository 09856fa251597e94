"""`specserve models` (exit statuses, what it writes) and addressable, pinnable versions."""

from __future__ import annotations

import json
import shutil

import joblib
import numpy as np
import pytest
import skops.io as sio

from specserve.cli import main
from tests.serving.conftest import make_client, training_data


def models(*argv: str) -> int:
    return main(["models", *argv])


@pytest.fixture
def artifacts(tmp_path, zoo):
    sio.dump(zoo["loan"], tmp_path / "loan.skops")
    joblib.dump(zoo["forestreg"], tmp_path / "reg.joblib")
    return tmp_path


def test_add_list_check_pin_unpin(artifacts, tmp_path, capsys):
    root = str(tmp_path / "models")
    loan = str(artifacts / "loan.skops")
    assert models("add", loan, "--name", "loan", "--version", "1", "--model-dir", root) == 0
    out = capsys.readouterr().out
    assert "serves with onnx" in out and "parity: passed" in out
    version_dir = tmp_path / "models" / "loan" / "1"
    assert sorted(p.name for p in version_dir.iterdir()) == [
        "metadata.json",
        "model.onnx",
        "model.skops",
        "parity.json",
    ]
    meta = json.loads((version_dir / "metadata.json").read_text())
    assert meta["task"] == "classification" and meta["classes"] == ["approve", "deny"]
    # an existing version is never overwritten
    assert models("add", loan, "--name", "loan", "--version", "1", "--model-dir", root) == 1
    assert "exists already" in capsys.readouterr().err
    assert models("add", loan, "--name", "loan", "--version", "2", "--model-dir", root) == 0
    assert models("list", "--model-dir", root) == 0
    listing = capsys.readouterr().out
    assert "loan" in listing and "newest" in listing
    assert models("check", "loan", "--version", "1", "--model-dir", root) == 0
    assert "runtime onnx" in capsys.readouterr().out
    assert models("check", "nope", "--model-dir", root) == 1
    assert models("pin", "loan", "9", "--model-dir", root) == 1
    assert models("pin", "loan", "1", "--model-dir", root) == 0
    assert (tmp_path / "models" / "loan" / "pinned").read_text().strip() == "1"
    assert models("unpin", "loan", "--model-dir", root) == 0
    assert not (tmp_path / "models" / "loan" / "pinned").exists()
    assert models("unpin", "loan", "--model-dir", root) == 1


def test_refusals_exit_1_with_one_line(artifacts, tmp_path, capsys):
    from sklearn.linear_model import LinearRegression

    root = str(tmp_path / "models")
    reg = str(artifacts / "reg.joblib")
    assert models("add", reg, "--name", "reg", "--version", "1", "--model-dir", root) == 1
    assert "--allow-pickle" in capsys.readouterr().err
    x = training_data()
    joblib.dump(
        LinearRegression().fit(x, np.column_stack([x[:, 0], x[:, 1]])), tmp_path / "m.joblib"
    )
    argv = ["add", str(tmp_path / "m.joblib"), "--name", "m", "--version", "1"]
    assert models(*argv, "--allow-pickle", "--model-dir", root) == 1
    err = capsys.readouterr().err
    assert "multi-output" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "notes.txt").write_text("hi")
    assert models("add", str(tmp_path / "notes.txt"), "--name", "n", "--version", "1") == 1
    assert models("add", reg, "--name", "Bad Name", "--version", "1", "--allow-pickle") == 1
    assert not (tmp_path / "models" / "m").exists() or not any(
        (tmp_path / "models" / "m").iterdir()
    )


def test_bad_usage_exits_2():
    with pytest.raises(SystemExit) as exc:
        models("add", "x.skops", "--version", "1")
    assert exc.value.code == 2


def test_pickle_artifact_is_stored_as_skops_when_it_can_be(artifacts, tmp_path):
    root = str(tmp_path / "models")
    argv = ["add", str(artifacts / "reg.joblib"), "--name", "reg", "--version", "1"]
    assert models(*argv, "--allow-pickle", "--model-dir", root) == 0
    folder = tmp_path / "models" / "reg" / "1"
    assert (folder / "model.skops").exists() and not (folder / "model.joblib").exists()
    parity = json.loads((folder / "parity.json").read_text())
    assert parity["passed"] and parity["strategy"] == "float64-scaler"


def test_every_version_is_addressable_and_the_pin_decides(trained_model_dir, tmp_path):
    root = tmp_path / "models"
    shutil.copytree(trained_model_dir, root)
    src = root / "fraud-detector" / "1.0.0"
    shutil.copytree(src, root / "fraud-detector" / "1.1.0")
    app, key = make_client(root, tmp_path)
    row = {"features": [1500.5, 2, 0.75]}
    with app.test_client(headers={"X-API-Key": key}) as http:
        assert http.post("/v1/predict", json=row).json()["model_version"] == "1.1.0"
        old = http.post("/v1/models/fraud-detector/versions/1.0.0/predict", json=row)
        assert old.status_code == 200 and old.json()["model_version"] == "1.0.0"
        batch = http.post(
            "/v1/models/fraud-detector/versions/1.0.0/batch_predict", json={"requests": [row]}
        )
        assert batch.json()["predictions"][0]["model_version"] == "1.0.0"
        meta = http.get("/v1/models/fraud-detector/versions/1.0.0").json()
        assert meta["version"] == "1.0.0" and meta["pinned"] is None
        missing = http.get("/v1/models/fraud-detector/versions/9.9.9")
        assert missing.status_code == 404 and missing.json()["error"] == "model_not_found"
        assert http.get("/v1/models/nope/versions/1.0.0").status_code == 404
        assert models("pin", "fraud-detector", "1.0.0", "--model-dir", str(root)) == 0
        app.app_state.data_plane.load()
        assert http.post("/v1/predict", json=row).json()["model_version"] == "1.0.0"
        assert http.get("/v1/models/fraud-detector").json()["pinned"] == "1.0.0"
        listed = http.get("/v1/models").json()["models"][0]
        assert listed["version"] == "1.0.0" and listed["versions"] == ["1.0.0", "1.1.0"]
        assert models("unpin", "fraud-detector", "--model-dir", str(root)) == 0
        app.app_state.data_plane.load()
        assert http.post("/v1/predict", json=row).json()["model_version"] == "1.1.0"


@pytest.mark.parametrize(
    "argv",
    [
        ("unpin", "../victim"),
        ("unpin", "/tmp/victim"),
        ("pin", "../victim", "1.0.0"),
        ("pin", "fraud-detector", "../../x"),
        ("check", "../victim"),
        ("check", "fraud-detector", "--version", "/etc/passwd"),
    ],
)
def test_names_outside_the_contract_are_bad_usage_and_touch_nothing(
    trained_model_dir, tmp_path, capsys, argv
):
    root = tmp_path / "store" / "models"
    shutil.copytree(trained_model_dir, root)
    victim = tmp_path / "store" / "victim"
    victim.mkdir()
    (victim / "pinned").write_text("precious")
    (victim / "1.0.0").symlink_to(root / "fraud-detector" / "1.0.0")
    with pytest.raises(SystemExit) as exc:
        models(*argv, "--model-dir", str(root))
    assert exc.value.code == 2 and "error: argument" in capsys.readouterr().err
    assert (victim / "pinned").read_text() == "precious"


def test_pin_and_unpin_refuse_a_model_folder_linked_out_of_the_store(trained_model_dir, tmp_path):
    root = tmp_path / "models"
    shutil.copytree(trained_model_dir, root)
    victim = tmp_path / "victim"
    shutil.copytree(root / "fraud-detector", victim)
    (victim / "pinned").write_text("precious")
    (root / "linked").symlink_to(victim)
    assert models("unpin", "linked", "--model-dir", str(root)) == 1
    assert models("pin", "linked", "1.0.0", "--model-dir", str(root)) == 1
    assert (victim / "pinned").read_text() == "precious"


def test_list_and_check_follow_semver_and_skip_pre_releases(trained_model_dir, tmp_path, capsys):
    root = tmp_path / "models"
    shutil.copytree(trained_model_dir, root)
    for version in ("1.0.0-rc1", "1.0.0+b", "v2"):
        shutil.copytree(root / "fraud-detector" / "1.0.0", root / "fraud-detector" / version)
    assert models("list", "--model-dir", str(root)) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert [row[1] for row in rows] == ["v2", "1.0.0-rc1", "1.0.0+b", "1.0.0"]
    assert rows[-1][2] == "newest"
    assert models("check", "fraud-detector", "--model-dir", str(root)) == 0
    assert capsys.readouterr().out.startswith("fraud-detector 1.0.0: loads")
