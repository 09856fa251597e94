"""Named, typed features: what an ML team's real models take (a DataFrame pipeline with a
category, a model trained with missing values, a text classifier), scored exactly as the
model scores them in process, and every value a model cannot take refused before it is
called, with a 422 naming the input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from specserve.serving.publish import add_estimator
from tests.problem import assert_problem

CITIES = ["lyon", "nice", "paris"]
# ONNX Runtime (float32) serves what passed the parity gate; its answers are this close
CLOSE = 1e-6


def loan_frame(n: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "income": rng.normal(50_000, 10_000, n),
            "debt": rng.normal(9_000, 2_000, n),
            "age": rng.integers(20, 70, n),
            "city": rng.choice(CITIES, n),
            "channel": rng.choice(["web", "branch", None], n),
        }
    )
    y = ((frame.income - 2 * frame.debt + (frame.city == "lyon") * 5_000) > 30_000).astype(int)
    return frame, y.to_numpy()


def loan_model(frame: pd.DataFrame, y: np.ndarray) -> object:
    """OneHotEncoder(handle_unknown="error") on `city`, an imputer and an encoder that
    ignores unknown values on `channel`, StandardScaler on three numbers."""
    columns = ColumnTransformer(
        [
            ("city", OneHotEncoder(handle_unknown="error"), ["city"]),
            (
                "channel",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="none"),
                    OneHotEncoder(handle_unknown="ignore"),
                ),
                ["channel"],
            ),
            ("numbers", StandardScaler(), ["income", "debt", "age"]),
        ]
    )
    return make_pipeline(columns, LogisticRegression(max_iter=500)).fit(frame, y)


TEXTS = ["great product", "terrible service", "love it", "awful, never again", "très bien"]


@pytest.fixture(scope="module")
def typed_models(model_dir: Path) -> dict[str, object]:
    frame, y = loan_frame()
    loan = loan_model(frame, y)
    add_estimator(model_dir, "loan", "1", loan, example=frame.to_dict("records"))
    numbers = frame[["income", "debt", "age"]].astype(float)
    numbers.loc[::7, "age"] = np.nan
    hgb = HistGradientBoostingClassifier(max_iter=20).fit(numbers, y)
    add_estimator(model_dir, "gaps", "1", hgb)
    text = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(
        TEXTS * 20, [1, 0, 1, 0, 1] * 20
    )
    add_estimator(model_dir, "reviews", "1", text)
    bounded = make_pipeline(StandardScaler(), LogisticRegression()).fit(numbers.fillna(40), y)
    inputs = [
        {"name": "income", "type": "number", "minimum": 0, "maximum": 1e7},
        {"name": "debt", "type": "number"},
        {"name": "age", "type": "integer", "minimum": 18, "maximum": 120},
    ]
    add_estimator(model_dir, "bounded", "1", bounded, inputs=inputs)
    shop_columns = ColumnTransformer(
        [
            ("city", OneHotEncoder(handle_unknown="ignore"), ["city"]),
            ("n", StandardScaler(), ["income"]),
        ]
    )
    shop = make_pipeline(shop_columns, LogisticRegression()).fit(frame[["city", "income"]], y)
    add_estimator(model_dir, "shop", "1", shop)
    members = pd.DataFrame({"member": frame.city == "lyon", "income": frame.income})
    member_model = LogisticRegression().fit(members, y)
    add_estimator(model_dir, "members", "1", member_model, example=members.to_dict("records"))
    return {"loan": loan, "gaps": hgb, "reviews": text, "bounded": bounded, "shop": shop}


@pytest.fixture(scope="module")
def api(typed_models, client):
    return client


ROW = {"income": 52_000, "debt": 9_000, "age": 41, "city": "lyon", "channel": "web"}


def test_named_features_score_exactly_as_the_model_does_in_process(api, typed_models):
    r = api.post("/models/loan/predict?probabilities=true", json={"features": ROW})
    assert r.status_code == 200, r.text
    expected = typed_models["loan"].predict_proba(pd.DataFrame([ROW]))[0]
    assert r.json()["probabilities"] == pytest.approx(expected.tolist(), abs=CLOSE)
    # the order of the keys does not matter; the model gets its columns in its own order
    reordered = dict(reversed(list(ROW.items())))
    again = api.post("/models/loan/predict?probabilities=true", json={"features": reordered})
    assert again.json()["probabilities"] == r.json()["probabilities"]


def test_a_batch_of_named_rows(api, typed_models):
    rows = [{**ROW, "city": c, "income": 40_000 + 5_000 * i} for i, c in enumerate(CITIES * 4)]
    r = api.post("/models/loan/batch_predict", json={"requests": [{"features": f} for f in rows]})
    assert r.status_code == 200, r.text
    expected = typed_models["loan"].predict(pd.DataFrame(rows)).tolist()
    assert [p["prediction"] for p in r.json()["predictions"]] == expected


@pytest.mark.parametrize(
    "change,code,path,says",
    [
        ({"city": "rome"}, "unknown_category", "$.features.city", "'lyon', 'nice', 'paris'"),
        ({"income": "52k"}, "invalid_input_type", "$.features.income", "a number"),
        ({"age": 41.5}, "invalid_input_type", "$.features.age", "an integer"),
        ({"income": None}, "input_not_nullable", "$.features.income", "a number"),
        ({"salary": 1}, "unknown_input", "$.features.salary", "income, debt, age, city"),
        ({"city": 7}, "invalid_input_type", "$.features.city", "'lyon'"),
    ],
)
def test_a_value_the_model_cannot_take_is_a_422_naming_the_input(api, change, code, path, says):
    r = api.post("/models/loan/predict", json={"features": {**ROW, **change}})
    body = assert_problem(r, 422, code)
    assert body["errors"][0]["path"] == path
    assert says in body["detail"] and says in body["errors"][0]["message"]


def test_a_missing_input_and_a_positional_row_for_string_inputs(api):
    row = {k: v for k, v in ROW.items() if k != "debt"}
    body = assert_problem(
        api.post("/models/loan/predict", json={"features": row}), 422, "missing_input"
    )
    assert body["errors"][0]["path"] == "$.features.debt"
    r = api.post("/models/loan/predict", json={"features": [52_000, 9_000, 41, 1, 2]})
    body = assert_problem(r, 422, "named_features_required")
    assert "city" in body["detail"] and body["errors"][0]["path"] == "$.features"


def test_a_bad_row_in_a_batch_is_named_by_its_index(api):
    rows = [{"features": ROW}] * 3 + [{"features": {**ROW, "city": "rome"}}]
    body = assert_problem(
        api.post("/models/loan/batch_predict", json={"requests": rows}), 422, "unknown_category"
    )
    assert body["errors"][0]["path"] == "$.requests[3].features.city"


def test_an_open_category_set_accepts_values_the_encoder_ignores(api, typed_models):
    row = {**ROW, "channel": "phone"}
    r = api.post("/models/loan/predict", json={"features": row})
    assert r.status_code == 200, r.text
    assert r.json()["prediction"] == typed_models["loan"].predict(pd.DataFrame([row]))[0]


def test_a_missing_value_reaches_a_model_that_takes_one(api, typed_models):
    """null, or leaving a nullable input out, is NaN for the model."""
    expected = typed_models["gaps"].predict_proba(
        pd.DataFrame([{"income": 52_000.0, "debt": 9_000.0, "age": math.nan}])
    )[0]
    for features in (
        {"income": 52_000, "debt": 9_000, "age": None},
        {"income": 52_000, "debt": 9_000},
    ):
        r = api.post("/models/gaps/predict?probabilities=true", json={"features": features})
        assert r.status_code == 200, r.text
        assert r.json()["probabilities"] == pytest.approx(expected.tolist(), abs=CLOSE)


def test_nullability_is_found_by_trying(api):
    loan = {i["name"]: i for i in api.get("/models/loan").json()["inputs"]}
    assert not loan["income"]["nullable"]  # LogisticRegression refuses NaN
    assert loan["channel"]["nullable"]  # an imputer stands in front of it
    gaps = api.get("/models/gaps").json()["inputs"]
    assert all(i["nullable"] for i in gaps)  # HistGradientBoosting takes NaN


def test_a_text_model_takes_strings(api, typed_models):
    for text in ["Great product!", "AWFUL service", "très bien", ""]:
        r = api.post(
            "/models/reviews/predict?probabilities=true", json={"features": {"text": text}}
        )
        assert r.status_code == 200, r.text
        expected = typed_models["reviews"].predict_proba([text])[0]
        assert r.json()["probabilities"] == pytest.approx(expected.tolist(), abs=CLOSE)
    body = assert_problem(
        api.post("/models/reviews/predict", json={"features": {"text": None}}),
        422,
        "input_not_nullable",
    )
    assert body["errors"][0]["path"] == "$.features.text"


@pytest.mark.parametrize(
    "features,path",
    [
        ({"income": -1, "debt": 1, "age": 30}, "$.features.income"),
        ({"income": 1, "debt": 1, "age": 12}, "$.features.age"),
        ([1, 1, 121], "$.features[2]"),
    ],
)
def test_declared_bounds_hold_in_both_forms(api, features, path):
    body = assert_problem(
        api.post("/models/bounded/predict", json={"features": features}), 422, "input_out_of_range"
    )
    assert body["errors"][0]["path"] == path


def test_the_signature_is_published(api):
    md = api.get("/models/loan").json()
    assert [i["name"] for i in md["inputs"]] == ["income", "debt", "age", "city", "channel"]
    assert md["feature_names"] == ["income", "debt", "age", "city", "channel"]
    city = md["input_schema"]["properties"]["city"]
    assert city["enum"] == CITIES and city["type"] == "string"
    assert md["input_schema"]["required"] == ["income", "debt", "age", "city"]
    channel = next(i for i in md["inputs"] if i["name"] == "channel")
    assert channel["open"] and {"branch", "web"} <= set(channel["categories"])


def test_the_default_model_takes_both_forms_alike(api):
    md = api.get("/models/fraud-detector").json()
    names = md["feature_names"]
    assert [i["name"] for i in md["inputs"]] == names and len(names) == 3
    positional = api.post("/predict?probabilities=true", json={"features": [1500.5, 2, 0.75]})
    named = api.post(
        "/predict?probabilities=true",
        json={"features": dict(zip(names, [1500.5, 2, 0.75], strict=True))},
    )
    assert positional.status_code == named.status_code == 200
    a, b = positional.json(), named.json()
    assert {k: a[k] for k in ("prediction", "probability", "probabilities")} == {
        k: b[k] for k in ("prediction", "probability", "probabilities")
    }
    assert set(a) == {
        "prediction",
        "probability",
        "probabilities",
        "model_version",
        "request_id",
        "processing_time_ms",
    }


def test_a_body_that_is_neither_form_is_a_400_naming_the_field(api):
    for features in ([1, "x", 3], {"a": [1]}, "text"):
        r = api.post("/predict", json={"features": features})
        body = assert_problem(r, 400, "validation_error")
        assert body["errors"][0]["path"].startswith("$.features")


def test_metadata_json_holds_the_signature(model_dir, typed_models):
    md = json.loads((model_dir / "loan" / "1" / "metadata.json").read_text())
    assert md["layout"] == "frame"
    assert {i["name"]: i["type"] for i in md["inputs"]} == {
        "income": "number",
        "debt": "number",
        "age": "integer",
        "city": "string",
        "channel": "string",
    }
    reviews = json.loads((model_dir / "reviews" / "1" / "metadata.json").read_text())
    assert reviews["layout"] == "text" and reviews["inputs"][0]["type"] == "string"


def test_a_value_no_float32_model_can_hold_is_refused_as_in_the_positional_form(api):
    for features, path in (
        ({**ROW, "income": 1e39}, "$.features.income"),
        ({"income": 1, "debt": 1, "age": 1e39}, "$.features.age"),
    ):
        model = "loan" if "city" in features else "gaps"
        body = assert_problem(
            api.post(f"/models/{model}/predict", json={"features": features}),
            422,
            "feature_out_of_range",
        )
        assert body["errors"][0]["path"] == path


def test_models_with_string_inputs_serve_through_onnx_and_describe_it(api):
    """A closed category set converts to a graph with an input per column; the metadata
    says so in the contract's shape."""
    for name in ("shop", "reviews"):
        md = api.get(f"/models/{name}").json()  # validated against the contract in tests
        assert md["runtime"] == "onnx", md["parity"]
        assert md["parity"]["strategy"] in ("columns", "text-unicode", "text")


def test_a_missing_category_an_encoder_ignores_scores_as_in_scikit_learn(api, typed_models):
    """`city` may be missing (its encoder ignores values it does not know), and ONNX Runtime
    answers what scikit-learn does for it."""
    city = next(i for i in api.get("/models/shop").json()["inputs"] if i["name"] == "city")
    assert city["nullable"] and city["open"]
    for features in (
        {"city": None, "income": 52_000},
        {"income": 52_000},
        {"city": "x", "income": 1},
    ):
        r = api.post("/models/shop/predict?probabilities=true", json={"features": features})
        assert r.status_code == 200, r.text
        row = pd.DataFrame([{"city": features.get("city", math.nan), "income": features["income"]}])
        row["city"] = row["city"].astype(object)
        expected = typed_models["shop"].predict_proba(row)[0]
        assert r.json()["probabilities"] == pytest.approx(expected.tolist(), abs=CLOSE)


def test_a_boolean_input_takes_0_and_1_in_the_positional_form(api):
    named = api.post("/models/members/predict", json={"features": {"member": True, "income": 5e4}})
    assert named.status_code == 200, named.text
    positional = api.post("/models/members/predict", json={"features": [1, 5e4]})
    assert positional.json()["prediction"] == named.json()["prediction"]
    body = assert_problem(
        api.post("/models/members/predict", json={"features": [2, 5e4]}), 422, "invalid_input_type"
    )
    assert body["errors"][0]["path"] == "$.features[0]"
