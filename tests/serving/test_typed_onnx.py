"""Models with typed inputs (string columns, integer-coded categories, a text column)
through ONNX Runtime where the graph is exact, refused with one-line reasons where not.

Every answer is checked against the estimator called as it is served
(`frames.to_model_input`), on the probe rows the gate used and on rows a client could send.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from specserve.serving.artifacts import ModelRefused
from specserve.serving.convert import PROBA_ATOL, Conversion, convert
from specserve.serving.convert_typed import typed_probe
from specserve.serving.frames import to_model_input
from specserve.serving.runtimes import OnnxRunner
from specserve.serving.signature import Input, Signature, parse_inputs

CITIES = ["lyon", "nice", "paris"]
COLORS = ["blue", "green", "red"]
REVIEWS = [
    "good movie great",
    "bad film awful",
    "Great acting, loved it!",
    "terrible plot. bad",
    "café au lait good",
    "naïve bad école",
    "straße gut",
]


def _frame(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "city": rng.choice(CITIES, n),
            "colour name": rng.choice(COLORS, n),  # not an identifier: the graph renames it
            "age": rng.normal(40, 12, n),
            "income": rng.normal(3e4, 1e4, n),
            "rooms": rng.integers(1, 6, n).astype(float),
        }
    )
    y = ((df.age > 40) ^ (df.city == "paris") ^ (df.income > 35e3)).astype(int).to_numpy()
    return df, y


def _inputs(*extra: dict[str, Any]) -> Signature:
    return Signature(
        parse_inputs(
            [
                {"name": "city", "type": "string", "categories": CITIES, "open": True},
                {"name": "colour name", "type": "string", "categories": COLORS, "open": True},
                {"name": "age"},
                {"name": "income"},
                *extra,
            ]
        ),
        "frame",
    )


def _mixed(encode_rooms: bool) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    df, y = _frame()
    parts = [("cat", OneHotEncoder(handle_unknown="ignore"), ["city", "colour name"])]
    if encode_rooms:
        parts.append(("rooms", OneHotEncoder(handle_unknown="ignore"), ["rooms"]))
        parts.append(("num", StandardScaler(), ["age", "income"]))
    else:
        parts.append(("num", StandardScaler(), ["age", "income", "rooms"]))
    return Pipeline([("ct", ColumnTransformer(parts)), ("lr", LogisticRegression())]).fit(df, y)


def _runner(conversion: Conversion, tmp_path: Path) -> OnnxRunner:
    assert conversion.onnx is not None and conversion.parity is not None
    path = tmp_path / "model.onnx"
    path.write_bytes(conversion.onnx)
    return OnnxRunner(path, "classification", True, inputs=conversion.parity["inputs"])


def _assert_same(runner: OnnxRunner, estimator: Any, x: np.ndarray, signature: Signature) -> None:
    labels, proba = runner(x)
    served = to_model_input(x, signature)
    assert np.asarray(labels).tolist() == estimator.predict(served).tolist()
    assert np.max(np.abs(proba - estimator.predict_proba(served))) <= PROBA_ATOL


def _request_rows(signature: Signature, rows: list[dict[str, Any]]) -> np.ndarray:
    return signature.matrix(rows, "$.instances[{row}]")


def test_string_and_number_columns_serve_exactly_through_onnx(tmp_path):
    signature = _inputs({"name": "rooms", "minimum": 0})
    estimator = _mixed(encode_rooms=False)
    conversion = convert(estimator, "classification", True, 5, signature=signature)

    parity = conversion.parity
    assert parity is not None and parity["passed"], parity
    assert parity["strategy"] == "columns"
    assert parity["inputs"] == ["city", "colour_name", "age", "income", "rooms"]
    assert parity["max_abs_diff"] < PROBA_ATOL
    runner = _runner(conversion, tmp_path)
    assert runner.n_features == 5
    _assert_same(runner, estimator, typed_probe(estimator, signature), signature)
    sent = [
        {"city": "paris", "colour name": "red", "age": 41.5, "income": 31000, "rooms": 3},
        {"city": "Paris", "colour name": "", "age": 0, "income": -5e6, "rooms": 0},
    ]
    _assert_same(runner, estimator, _request_rows(signature, sent), signature)


def test_the_probe_covers_every_category_and_the_training_scale():
    signature = _inputs({"name": "rooms", "minimum": 0})
    probe = typed_probe(_mixed(encode_rooms=False), signature)

    assert set(CITIES) | {"unseen", ""} <= set(probe[:, 0])
    ages = probe[:, 2].astype(float)
    assert ages.min() < 40 - 12 * 40 and ages.max() > 40 + 12 * 40  # well beyond training
    assert probe[:, 4].astype(float).min() == 0  # the minimum, never below it


def test_integer_coded_categories_convert_and_numbers_between_them_are_refused(tmp_path):
    estimator = _mixed(encode_rooms=True)
    rooms = {"name": "rooms", "categories": [1, 2, 3, 4, 5], "open": True}
    integers = _inputs({**rooms, "type": "integer"})
    conversion = convert(estimator, "classification", True, 5, signature=integers)
    assert conversion.parity is not None and conversion.parity["passed"], conversion.parity
    runner = _runner(conversion, tmp_path)
    _assert_same(runner, estimator, typed_probe(estimator, integers), integers)

    # A `number` may be 1.7: ONNX Runtime casts it to category 1, scikit-learn sees none.
    numbers = _inputs({**rooms, "type": "number"})
    refused = convert(estimator, "classification", True, 5, signature=numbers)
    assert refused.onnx is None and refused.parity is not None
    assert refused.parity["reason"].startswith(
        "columns: a number between the categories of 'rooms' becomes one in ONNX ("
    )
    assert "\n" not in refused.parity["reason"]


def _text_pipeline(**vectorizer: Any) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    y = [1, 0, 1, 0, 1, 0, 1] * 5
    return make_pipeline(TfidfVectorizer(**vectorizer), LogisticRegression()).fit(REVIEWS * 5, y)


TEXT = Signature(parse_inputs([{"name": "review", "type": "string"}]), "text")


def test_a_text_pipeline_serves_accented_text_exactly(tmp_path):
    estimator = _text_pipeline(ngram_range=(1, 2))
    conversion = convert(estimator, "classification", True, 1, signature=TEXT)

    assert conversion.parity is not None and conversion.parity["passed"], conversion.parity
    assert conversion.parity["strategy"] == "text-unicode"
    runner = _runner(conversion, tmp_path)
    assert runner.n_features == 1
    sent = [{"review": t} for t in ("CAFÉ good", "goodébad", "NAÏVE", "", "日本語 bad!")]
    _assert_same(runner, estimator, _request_rows(TEXT, sent), TEXT)


def test_a_tokenizer_that_differs_on_accented_text_is_refused_with_that_reason():
    estimator = _text_pipeline(token_pattern=r"\b\w\w+\b")  # ASCII \w in ONNX's re2
    conversion = convert(estimator, "classification", True, 1, signature=TEXT)

    assert conversion.onnx is None and conversion.parity is not None
    assert "accented (non-ASCII) text tokenized unlike scikit-learn" in conversion.parity["reason"]


@pytest.mark.parametrize(
    ("vectorizer", "reason"),
    [
        ({"analyzer": "char_wb"}, "a char_wb text analyzer has no ONNX equivalent"),
        ({"strip_accents": "unicode"}, "strip_accents has no ONNX equivalent"),
    ],
)
def test_text_settings_without_an_onnx_equivalent_are_refused(vectorizer, reason):
    conversion = convert(_text_pipeline(**vectorizer), "classification", True, 1, signature=TEXT)

    assert conversion.onnx is None and conversion.parity is not None
    assert conversion.parity["reason"] == reason


def test_a_missing_string_serves_with_scikit_learn():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    df, y = _frame()
    df["city"] = df["city"].astype(object).where(np.arange(len(df)) % 7 != 0, None)
    city = make_pipeline(
        SimpleImputer(missing_values=None, strategy="constant", fill_value="none"),
        OneHotEncoder(handle_unknown="ignore"),
    )
    columns = ColumnTransformer([("city", city, ["city"]), ("num", StandardScaler(), ["age"])])
    estimator = Pipeline([("ct", columns), ("lr", LogisticRegression())]).fit(df, y)
    signature = Signature(
        parse_inputs(
            [
                {"name": "city", "type": "string", "nullable": True, "categories": CITIES},
                {"name": "age"},
            ]
        ),
        "frame",
    )

    conversion = convert(estimator, "classification", True, 2, signature=signature)

    assert conversion.onnx is None and conversion.parity is not None
    assert conversion.parity["reason"].startswith("columns: conversion failed")  # skl2onnx
    fitted_with_none = Signature(signature.inputs, "frame", missing_string="none")
    x = _request_rows(signature, [{"city": None, "age": 3.0}])
    served = to_model_input(x, fitted_with_none)
    assert estimator.predict(served).shape == (1,)  # what serves it instead


def test_numbers_in_an_array_convert_byte_for_byte_as_before():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 3))
    estimator = LogisticRegression().fit(x, (x[:, 0] > 0).astype(int))
    before = convert(estimator, "classification", True, 3)
    after = convert(
        estimator, "classification", True, 3, signature=Signature.positional(["a", "b", "c"])
    )

    assert before.onnx == after.onnx and before.onnx is not None
    assert json.dumps(before.parity) == json.dumps(after.parity)
    assert "inputs" not in (after.parity or {})


def test_the_model_input_has_one_explicit_dtype_per_column():
    signature = Signature(
        parse_inputs(
            [
                {"name": "city", "type": "string", "nullable": True},
                {"name": "age", "nullable": True},
                {"name": "member", "type": "boolean"},
            ]
        ),
        "frame",
    )
    x = _request_rows(signature, [{"city": None, "age": None, "member": True}])

    frame = to_model_input(x, signature)
    assert list(frame.columns) == ["city", "age", "member"]
    assert [str(t) for t in frame.dtypes] == ["object", "float64", "bool"]
    assert math.isnan(frame["city"][0]) and math.isnan(frame["age"][0])  # pandas' missing
    none = Signature(signature.inputs, "frame", missing_string="none")
    assert to_model_input(x, none)["city"][0] is None  # a model that was fitted with None
    text = to_model_input(_request_rows(TEXT, [{"review": "Bien reçu"}]), TEXT)
    assert text.ndim == 1 and text.tolist() == ["Bien reçu"]


def _text_graph(tmp_path: Path, locale: str | None) -> Path:
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import StringTensorType

    estimator = _text_pipeline()
    options: dict[int, dict[str, Any]] = {id(estimator): {"zipmap": False}}
    if locale is not None:
        options[id(estimator.steps[0][1])] = {"locale": locale}
    graph = to_onnx(
        estimator, initial_types=[("review", StringTensorType([None, 1]))], options=options
    )
    path = tmp_path / "model.onnx"
    path.write_bytes(graph.SerializeToString())
    return path


def test_a_text_graph_whose_locale_is_not_installed_is_refused_at_load(tmp_path):
    path = _text_graph(tmp_path, "xx_XX.UTF-8")

    with pytest.raises(ModelRefused) as refused:
        OnnxRunner(path, "classification", True, inputs=["review"])

    assert refused.value.kind == "graph refused"
    assert "locale 'xx_XX.UTF-8' is not installed here" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_graph_fed_by_column_must_take_exactly_the_signature_inputs(tmp_path):
    path = _text_graph(tmp_path, "C.UTF-8")

    with pytest.raises(ModelRefused, match="not the signature's") as refused:
        OnnxRunner(path, "classification", True, inputs=["review", "title"])
    assert refused.value.kind == "graph refused"
    with pytest.raises(ModelRefused, match="float or double expected"):
        OnnxRunner(path, "classification", True)  # a string graph is never fed the matrix


def test_a_gated_graph_that_does_not_load_here_leaves_the_version_on_scikit_learn(tmp_path):
    """A text graph converted on a machine with a locale this one lacks: the version serves
    with scikit-learn, the reason in its metadata, never a failed version."""
    from specserve.serving.model import load_version
    from specserve.serving.publish import add_estimator

    path, parity = add_estimator(
        tmp_path, "reviews", "1", _text_pipeline(), feature_names=["review"]
    )
    assert parity is not None and parity["passed"]
    other = tmp_path / "other"
    other.mkdir()
    (path / "model.onnx").write_bytes(_text_graph(other, "xx_XX.UTF-8").read_bytes())

    model = load_version(tmp_path / "reviews", "1", ["1"], allow_pickle=False)

    assert model.ready and model.runtime == "sklearn"
    facts = model.describe()
    assert facts["status"] == "ready" and "xx_XX.UTF-8" in facts["error"]
    x = model.signature.matrix([{"review": "Très bien"}], "$")
    assert model.score(x).predictions[0] in (0, 1)


def test_a_missing_string_an_encoder_ignores_serves_through_onnx(tmp_path):
    """An encoder that ignores unknown values takes a missing string too (nullable by
    trying); ONNX Runtime gets it as a value no category holds, which it ignores alike."""
    signature = _inputs({"name": "rooms", "minimum": 0})
    nullable = Signature(
        tuple(Input(**{**i.__dict__, "nullable": i.type == "string"}) for i in signature.inputs),
        "frame",
    )
    estimator = _mixed(encode_rooms=False)
    conversion = convert(estimator, "classification", True, 5, signature=nullable)

    assert conversion.parity is not None and conversion.parity["passed"], conversion.parity
    rows = [
        {"city": None, "colour name": "red", "age": 30.0, "income": 1e4, "rooms": 2.0},
        {"city": "paris", "colour name": None, "age": 50.0, "income": 5e4, "rooms": 3.0},
    ]
    _assert_same(_runner(conversion, tmp_path), estimator, _request_rows(nullable, rows), nullable)
