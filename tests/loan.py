"""A model with a string category input, as users fit them: a DataFrame, a ColumnTransformer
(one-hot `city`, refusing unknown values; imputed and scaled numbers) and a logistic
regression with string classes, published with its signature (`layout: frame`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

NAME = "loan"
CITIES = ["lyon", "nantes", "paris"]
CLASSES = ["approve", "reject"]
INPUTS: list[dict[str, Any]] = [
    {"name": "income", "type": "number", "nullable": False, "minimum": 0},
    {"name": "city", "type": "string", "nullable": False, "categories": CITIES},
    {"name": "age", "type": "number", "nullable": True, "minimum": 0, "maximum": 130},
]


def loan_estimator() -> Any:
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.default_rng(7)
    n = 300
    frame = pd.DataFrame(
        {
            "income": rng.uniform(10_000, 120_000, n),
            "city": rng.choice(CITIES, n),
            "age": np.where(rng.random(n) < 0.1, np.nan, rng.uniform(18, 80, n)),
        }
    )
    target = np.where(frame["income"] + 20_000 * (frame["city"] == "paris") > 60_000, *CLASSES)
    columns = ColumnTransformer(
        [
            ("city", OneHotEncoder(handle_unknown="error"), ["city"]),
            ("numbers", make_pipeline(SimpleImputer(), StandardScaler()), ["income", "age"]),
        ]
    )
    return Pipeline([("columns", columns), ("model", LogisticRegression())]).fit(frame, target)


def publish_loan(model_dir: Path, version: str = "1") -> Path:
    from specserve.serving.publish import add_estimator

    metadata = {"inputs": INPUTS, "layout": "frame", "description": "Loan decisions."}
    path, _ = add_estimator(model_dir, NAME, version, loan_estimator(), metadata=metadata)
    return path
