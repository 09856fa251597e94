"""Named rows of a model with string inputs go through the micro-batcher like numeric ones:
each caller gets its own row's answer, a bad row fails only its own request."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from tests.app.test_typed_inputs import CITIES, CLOSE, ROW, typed_models  # noqa: F401
from tests.problem import assert_problem


@pytest.fixture(scope="module")
def app_overrides():
    return {"microbatch": True, "microbatch_max_wait_ms": 5}


def test_concurrent_named_rows_each_get_their_own_answer(typed_models, client):  # noqa: F811
    rows = [{**ROW, "city": CITIES[i % 3], "income": 30_000 + 1_500 * i} for i in range(24)]
    bad = {**ROW, "city": "rome"}

    def call(features):
        return client.post("/models/loan/predict?probabilities=true", json={"features": features})

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(call, [*rows, bad]))
    expected = typed_models["loan"].predict_proba(pd.DataFrame(rows))
    for answer, want in zip(answers, expected, strict=False):
        assert answer.status_code == 200, answer.text
        assert answer.json()["probabilities"] == pytest.approx(want.tolist(), abs=CLOSE)
    assert_problem(answers[-1], 422, "unknown_category")
