"""`specserve models add` refuses, in one line, what a worker would not load, and reads what
ML teams hand it: a frame model whose columns are no input names, a spreadsheet's CSV (a
byte-order mark first), a contract check while the newest version is broken, a pipeline
that one-hot encodes integer codes of an array."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from specserve.cli import main
from specserve.serving.model import load_version


def models(*argv: str) -> int:
    return main(["models", *argv])


def refusal(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("refused: "), err
    return err[0]


@pytest.fixture
def rows():
    rng = np.random.default_rng(0)
    return rng.normal(size=(80, 2)), rng.integers(0, 2, 80)


@pytest.mark.parametrize("column", ["prix €", "a/b", "1st", "x:y"])
def test_a_frame_model_whose_column_is_no_input_name_is_refused_at_add(
    tmp_path, rows, capsys, column
):
    """It was published, then never loaded (`inputs[0]: name 'prix €' invalid`)."""
    x, y = rows
    frame = pd.DataFrame({column: x[:, 0], "b": x[:, 1]})
    sio.dump(LogisticRegression().fit(frame, y), tmp_path / "m.skops")
    root = tmp_path / "models"
    argv = ["add", str(tmp_path / "m.skops"), "--name", "m", "--version", "1"]
    assert models(*argv, "--model-dir", str(root)) == 1
    line = refusal(capsys)
    assert repr(column) in line and "rename the columns" in line
    assert not (root / "m" / "1").exists()


def test_feature_names_that_are_no_input_names_are_refused_at_add(tmp_path, rows, capsys):
    x, y = rows
    sio.dump(LogisticRegression().fit(x, y), tmp_path / "m.skops")
    argv = ["add", str(tmp_path / "m.skops"), "--name", "m", "--version", "1"]
    root = str(tmp_path / "models")
    assert models(*argv, "--feature-names", "a,c/d", "--model-dir", root) == 1
    assert "'c/d'" in refusal(capsys)


def test_a_csv_example_with_a_byte_order_mark_is_read(tmp_path, rows, capsys):
    """Excel's "CSV UTF-8" starts with a BOM: the first column was '\\ufeffincome'."""
    x, y = rows
    frame = pd.DataFrame({"income": x[:, 0], "age": np.arange(80)})
    sio.dump(LogisticRegression().fit(frame, y), tmp_path / "m.skops")
    frame.to_csv(tmp_path / "train.csv", index=False, encoding="utf-8-sig")
    root = tmp_path / "models"
    argv = ["add", str(tmp_path / "m.skops"), "--name", "m", "--version", "1"]
    assert (
        models(*argv, "--input-example", str(tmp_path / "train.csv"), "--model-dir", str(root)) == 0
    )
    inputs = json.loads((root / "m" / "1" / "metadata.json").read_text())["inputs"]
    assert [(i["name"], i["type"]) for i in inputs] == [("income", "number"), ("age", "integer")]


@pytest.mark.parametrize("broken", ["{not json", '{"inputs": 5}'])
def test_a_contract_change_is_refused_while_the_newest_version_is_broken(
    tmp_path, rows, capsys, broken
):
    """With 1.1.0 unloadable, 1.0.0 serves; a 2.0.0 that drops its inputs was published
    unchecked (the check compared it with 1.1.0's unreadable metadata: nothing)."""
    x, y = rows
    before = pd.DataFrame({"income": x[:, 0], "age": x[:, 1]})
    after = pd.DataFrame({"salary": x[:, 0]})
    sio.dump(LogisticRegression().fit(before, y), tmp_path / "a.skops")
    sio.dump(LogisticRegression().fit(after, y), tmp_path / "b.skops")
    root = str(tmp_path / "models")
    for version in ("1.0.0", "1.1.0"):
        assert (
            models(
                "add",
                str(tmp_path / "a.skops"),
                "--name",
                "m",
                "--version",
                version,
                "--model-dir",
                root,
            )
            == 0
        )
    (tmp_path / "models" / "m" / "1.1.0" / "metadata.json").write_text(broken)
    capsys.readouterr()
    argv = [
        "add",
        str(tmp_path / "b.skops"),
        "--name",
        "m",
        "--version",
        "2.0.0",
        "--model-dir",
        root,
    ]
    assert models(*argv) == 1
    assert "input 'income' removed" in refusal(capsys)
    assert models(*argv, "--allow-contract-change") == 0


def test_one_hot_encoded_integer_codes_of_an_array_load_once_added(tmp_path, rows, capsys):
    x, y = rows
    codes = np.column_stack([np.random.default_rng(1).integers(1, 4, 80), x[:, 0]]).astype(float)
    columns = ColumnTransformer([("o", OneHotEncoder(), [0])], remainder="passthrough")
    sio.dump(make_pipeline(columns, LogisticRegression()).fit(codes, y), tmp_path / "m.skops")
    root = tmp_path / "models"
    argv = ["add", str(tmp_path / "m.skops"), "--name", "m", "--version", "1"]
    assert models(*argv, "--model-dir", str(root)) == 0
    model = load_version(root / "m", "1", ["1"], False)
    assert model.ready, model.error


def test_codes_a_csv_reads_as_integers_stay_the_strings_the_encoder_holds(tmp_path, capsys):
    """Zip codes ("01234") read as integers from the example, so the input was typed integer
    with string categories: a signature no worker loads."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"zip": rng.choice(["01234", "75001", "13002"], 90), "n": rng.normal(size=90)}
    )
    columns = ColumnTransformer([("o", OneHotEncoder(), ["zip"])], remainder="passthrough")
    model = make_pipeline(columns, LogisticRegression()).fit(frame, rng.integers(0, 2, 90))
    sio.dump(model, tmp_path / "m.skops")
    frame.to_csv(tmp_path / "train.csv", index=False)
    root = tmp_path / "models"
    argv = ["add", str(tmp_path / "m.skops"), "--name", "m", "--version", "1"]
    assert (
        models(*argv, "--input-example", str(tmp_path / "train.csv"), "--model-dir", str(root)) == 0
    )
    loaded = load_version(root / "m", "1", ["1"], False)
    assert loaded.ready, loaded.error
    zip_code = loaded.signature.inputs[0]
    assert (zip_code.type, zip_code.categories) == ("string", ("01234", "13002", "75001"))
