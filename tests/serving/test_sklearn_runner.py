"""scikit-learn serves a pipeline's two outputs from one pass of its transforms, exactly as
the pipeline's own `predict` and `predict_proba` answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from specserve.serving.runtimes import SklearnRunner
from tests.app.test_typed_inputs import loan_frame, loan_model


class Counting(StandardScaler):
    calls = 0

    def transform(self, x, copy=None):
        Counting.calls += 1
        return super().transform(x, copy=copy)


def test_a_pipelines_two_outputs_equal_its_own_and_transform_once():
    frame, y = loan_frame()
    model = loan_model(frame, y)
    values, proba = SklearnRunner(model, has_proba=True)(frame)
    assert np.array_equal(values, model.predict(frame))
    assert np.array_equal(proba, model.predict_proba(frame))

    x = np.random.default_rng(0).normal(size=(50, 3))
    detector = make_pipeline(Counting(), IsolationForest(random_state=0)).fit(x)
    Counting.calls = 0
    values, scores = SklearnRunner(detector, has_proba=False, has_scores=True)(x)
    assert Counting.calls == 1
    assert np.array_equal(values, detector.predict(x))
    assert np.array_equal(scores, detector.decision_function(x))


def test_a_lone_estimator_is_called_as_it_is():
    frame, y = loan_frame()
    numbers = pd.DataFrame({"income": frame.income, "debt": frame.debt})
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit(numbers, y)
    runner = SklearnRunner(model, has_proba=True)
    assert runner.head is None
    assert np.array_equal(runner(numbers)[1], model.predict_proba(numbers))
