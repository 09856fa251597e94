"""Estimators that misbehave on purpose, on rows whose first feature is `TRIGGER` or more.

Probe rows (zeros) score normally, so each loads and serves until a request triggers it.
Saved with joblib (they are classes of the test suite, not of scikit-learn), so they load only
with `SPECSERVE_ALLOW_PICKLE=true`.
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

TRIGGER = 100.0


class Faulty(ClassifierMixin, BaseEstimator):
    """`mode`: broken (RuntimeError on every row, probe rows too), raise (RuntimeError),
    dtype (labels that are not labels), slow (sleeps),
    refuse (ValueError: the values are refused)."""

    def __init__(self, mode: str = "raise", seconds: float = 3.0) -> None:
        self.mode = mode
        self.seconds = seconds

    def fit(self, x, y):
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = np.asarray(x).shape[1]
        return self

    def predict(self, x):
        x = np.asarray(x)
        if self.mode == "broken":
            raise RuntimeError("broken on every row")
        if (x[:, 0] >= TRIGGER).any():
            if self.mode == "raise":
                raise RuntimeError("model bug")
            if self.mode == "dtype":
                return np.array([{"no": "label"}] * len(x), dtype=object)
            if self.mode == "slow":
                time.sleep(self.seconds)
            if self.mode == "refuse":
                raise ValueError("negative income")
        return (x[:, 0] > 0).astype(int)

    def predict_proba(self, x):
        p = (np.asarray(self.predict(x)) == 1).astype(float)
        return np.column_stack([1 - p, p])
