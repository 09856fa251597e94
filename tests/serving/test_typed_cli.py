"""`specserve models add` with the models ML teams train: a DataFrame pipeline with a category
(signature from the estimator and an input example), a text classifier, a signature written
by hand; and a new version that would change what clients of the model see is refused
unless that is meant (`--allow-contract-change`)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from specserve.cli import main


def models(*argv: str) -> int:
    return main(["models", *argv])


def frame(cities: list[str], n: int = 200, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "income": rng.normal(50_000, 10_000, n).round(2),
            "age": rng.integers(20, 70, n),
            "city": rng.choice(cities, n),
        }
    )
    return data, (data.income + (data.city == "lyon") * 8_000 > 52_000).to_numpy()


def pipeline(data: pd.DataFrame, y: np.ndarray, labels: tuple = (0, 1)) -> object:
    columns = ColumnTransformer(
        [
            ("city", OneHotEncoder(handle_unknown="error"), ["city"]),
            ("n", StandardScaler(), ["income", "age"]),
        ]
    )
    return make_pipeline(columns, LogisticRegression()).fit(data, np.where(y, *labels[::-1]))


@pytest.fixture
def loan(tmp_path):
    data, y = frame(["lyon", "nice", "paris"])
    sio.dump(pipeline(data, y), tmp_path / "loan.skops")
    data.to_csv(tmp_path / "train.csv", index=False)
    return tmp_path


def test_a_dataframe_pipeline_with_a_category_is_added_with_its_signature(loan, capsys):
    root = str(loan / "models")
    argv = ["--name", "loan", "--version", "1", "--model-dir", root]
    assert (
        models("add", str(loan / "loan.skops"), *argv, "--input-example", str(loan / "train.csv"))
        == 0
    )
    out = capsys.readouterr().out
    assert "inputs: income (number), age (integer), city (string {lyon,nice,paris})" in out
    assert "serves with onnx" in out  # an input per column, gated
    md = json.loads((loan / "models" / "loan" / "1" / "metadata.json").read_text())
    assert md["layout"] == "frame" and [i["name"] for i in md["inputs"]] == [
        "income",
        "age",
        "city",
    ]
    assert "Seen in training from" in md["inputs"][0]["description"]  # published, not enforced
    assert "minimum" not in md["inputs"][0]
    assert models("check", "loan", "--model-dir", root) == 0
    out = capsys.readouterr().out
    assert "runtime onnx" in out
    assert "inputs: income (number), age (integer), city (string {lyon,nice,paris})" in out


def test_without_an_example_the_estimator_says_names_and_categories(loan, capsys):
    argv = ["--name", "loan", "--version", "1", "--model-dir", str(loan / "models")]
    assert models("add", str(loan / "loan.skops"), *argv) == 0
    # no example: the scaled columns are numbers (age's integers are not known)
    assert (
        "income (number), age (number), city (string {lyon,nice,paris})" in capsys.readouterr().out
    )


def test_an_example_without_the_models_columns_is_refused(loan, capsys):
    (loan / "rows.json").write_text(json.dumps([{"income": 1, "town": "lyon"}]))
    argv = ["--name", "loan", "--version", "1", "--model-dir", str(loan / "models")]
    assert (
        models("add", str(loan / "loan.skops"), *argv, "--input-example", str(loan / "rows.json"))
        == 1
    )
    assert "lacks the model's columns ['age', 'city']" in capsys.readouterr().err


def test_a_text_classifier_serves(tmp_path, capsys):
    texts = ["great product", "terrible service", "love it", "awful, never again"] * 10
    text = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(texts, [1, 0, 1, 0] * 10)
    sio.dump(text, tmp_path / "reviews.skops")
    argv = ["--name", "reviews", "--version", "1", "--model-dir", str(tmp_path / "models")]
    assert models("add", str(tmp_path / "reviews.skops"), *argv, "--feature-names", "review") == 0
    out = capsys.readouterr().out
    assert "inputs: review (string)" in out


def test_a_signature_written_by_hand(loan, capsys):
    inputs = [
        {"name": "income", "type": "number", "minimum": 0},
        {"name": "age", "type": "integer", "minimum": 18, "maximum": 120},
        {"name": "city", "type": "string", "categories": ["lyon", "nice", "paris"]},
    ]
    (loan / "inputs.json").write_text(json.dumps({"inputs": inputs}))
    argv = ["--name", "loan", "--version", "1", "--model-dir", str(loan / "models")]
    assert (
        models("add", str(loan / "loan.skops"), *argv, "--inputs", str(loan / "inputs.json")) == 0
    )
    md = json.loads((loan / "models" / "loan" / "1" / "metadata.json").read_text())
    assert md["inputs"][1] == {
        "name": "age",
        "type": "integer",
        "nullable": False,
        "minimum": 18,
        "maximum": 120,
    }
    wrong = [{**inputs[0], "name": "salary"}, *inputs[1:]]
    (loan / "wrong.json").write_text(json.dumps(wrong))
    argv[3] = "2"
    assert models("add", str(loan / "loan.skops"), *argv, "--inputs", str(loan / "wrong.json")) == 1
    assert "the model was fitted on ['income', 'age', 'city']" in capsys.readouterr().err


def test_a_contract_change_is_refused_unless_meant(loan, tmp_path, capsys):
    root = str(loan / "models")
    assert (
        models(
            "add", str(loan / "loan.skops"), "--name", "loan", "--version", "1", "--model-dir", root
        )
        == 0
    )
    capsys.readouterr()
    # a new version trained without "nice", with string labels
    data, y = frame(["lyon", "paris"], seed=1)
    sio.dump(pipeline(data, y, ("approve", "deny")), tmp_path / "v2.skops")
    argv = [str(tmp_path / "v2.skops"), "--name", "loan", "--version", "2", "--model-dir", root]
    assert models("add", *argv) == 1
    err = capsys.readouterr().err
    assert "input 'city': categories removed ['nice']" in err
    assert "labels were numbers, now strings: `prediction` changes meaning" in err
    assert "--allow-contract-change" in err
    assert not (loan / "models" / "loan" / "2").exists()  # nothing written
    assert models("add", *argv, "--allow-contract-change") == 0
    assert (loan / "models" / "loan" / "2" / "metadata.json").exists()


def test_the_same_contract_publishes_as_usual(loan, capsys):
    root = str(loan / "models")
    for version in ("1", "2"):
        argv = ["--name", "loan", "--version", version, "--model-dir", root]
        assert models("add", str(loan / "loan.skops"), *argv) == 0
