"""What a model's raw outputs mean in a response, and the checks that they are predictions.

- regression: `prediction` is the value, `probability` is null;
- classification with numeric labels: `prediction` is the label (as the seed's clients
  expect), `probability` the probability of that label, or null when the model gives none;
- classification with string labels: `prediction` is the label's index in `classes`, and
  `label` the label itself;
- `probabilities` (asked for with `?probabilities=true`): one per class, in `classes` order;
- clustering: `prediction` is the cluster id (an integer), `probability` is null;
- outlier detection: `prediction` is the model's own answer, 1 (inlier) or -1 (outlier),
  `probability` is null, and `score` (asked for with `?scores=true`) the model's
  `decision_function` (negative for outliers).

Anything else a model returns (a label outside its classes, a non-finite value, a probability
outside [0, 1], the wrong number of rows) is a model fault, never a malformed response.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

TOLERANCE = 1e-6  # a regressor's |Δ| that still agrees: a shadow's and replay's default

# float32 rounding in an ONNX graph may put a probability a hair above 1 or below 0.
PROBA_SLACK = 1e-5


class BadOutput(Exception):
    """The model answered something that is not a prediction (the reason, for the log)."""


@dataclass(slots=True)
class Scored:
    """The decoded outputs of one model call over `n` rows."""

    predictions: list[float] | list[int]
    probability: list[float | None]
    labels: list[str] | None
    probabilities: list[list[float]] | None
    scores: list[float] | None = None

    @classmethod
    def of(cls, row: Row) -> Scored:
        """One row's outputs as the outputs of a call over that row alone."""
        return cls(
            [row.prediction],
            [row.probability],
            None if row.label is None else [row.label],
            None if row.probabilities is None else [row.probabilities],
            None if row.score is None else [row.score],
        )

    def row(self, i: int) -> Row:
        return Row(
            self.predictions[i],
            self.probability[i],
            None if self.labels is None else self.labels[i],
            None if self.probabilities is None else self.probabilities[i],
            None if self.scores is None else self.scores[i],
        )


@dataclass(slots=True)
class Row:
    prediction: float
    probability: float | None
    label: str | None
    probabilities: list[float] | None
    score: float | None = None


class Decoder:
    def __init__(self, task: str, classes: list[Any]) -> None:
        self.task = task
        self.classes = list(classes)
        self.string_labels = any(isinstance(c, str) for c in self.classes)
        self.index = {c: i for i, c in enumerate(self.classes)}

    def __call__(self, raw: tuple[Any, Any], n: int) -> Scored:
        values, second = raw
        if self.task == "regression":
            return self._regression(values, n)
        if self.task == "clustering":
            return Scored(self._integers(values, n, None), [None] * n, None, None)
        if self.task == "outlier_detection":
            ids = self._integers(values, n, {-1, 1})
            scores = None if second is None else self._values(second, n)
            return Scored(ids, [None] * n, None, None, scores)
        return self._classification(values, second, n)

    def _integers(self, values: Any, n: int, allowed: set[int] | None) -> list[int]:
        """Cluster ids, or an outlier detector's ±1: integers, one per row."""
        try:
            v = np.asarray(values).reshape(-1)
        except (TypeError, ValueError):
            raise BadOutput("labels are not numeric") from None
        if v.shape[0] != n or v.dtype.kind not in "iuf" or not np.isfinite(v).all():
            raise BadOutput(f"labels of shape {np.shape(values)} for {n} rows")
        ints = v.astype(np.int64)
        if not np.array_equal(ints, v) or (allowed and not set(ints.tolist()) <= allowed):
            raise BadOutput("a label that is not an integer the model gives")
        result: list[int] = ints.tolist()
        return result

    def _regression(self, values: Any, n: int) -> Scored:
        return Scored(self._values(values, n), [None] * n, None, None)

    def _values(self, values: Any, n: int) -> list[float]:
        """Finite numbers, one per row."""
        try:
            v = np.asarray(values, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError) as exc:
            raise BadOutput(f"regression output is not numeric ({type(exc).__name__})") from None
        if v.shape[0] != n:
            raise BadOutput(f"{v.shape[0]} values for {n} rows")
        if not np.isfinite(v).all():
            raise BadOutput("non-finite regression value")
        result: list[float] = v.tolist()
        return result

    def _classification(self, values: Any, proba: Any, n: int) -> Scored:
        labels = values.tolist() if isinstance(values, np.ndarray) else list(values)
        if len(labels) != n or (n and isinstance(labels[0], list)):
            raise BadOutput(f"labels of shape {np.shape(values)} for {n} rows")
        try:
            idx = [self.index[label] for label in labels]
        except (KeyError, TypeError):
            raise BadOutput("a label outside the model's classes") from None
        if self.string_labels:
            predictions = [float(i) for i in idx]
            names = [str(self.classes[i]) for i in idx]
        else:
            predictions = [float(self.classes[i]) for i in idx]
            names = None
        if proba is None:
            return Scored(predictions, [None] * n, names, None)
        rows = self._proba(proba, n)
        return Scored(predictions, [row[i] for row, i in zip(rows, idx, strict=True)], names, rows)

    def _proba(self, proba: Any, n: int) -> list[list[float]]:
        try:
            p = np.asarray(proba, dtype=np.float64)
        except (TypeError, ValueError):
            raise BadOutput("probabilities are not numeric") from None
        if p.shape != (n, len(self.classes)):
            raise BadOutput(f"probabilities of shape {p.shape}, expected {(n, len(self.classes))}")
        low, high = p.min(), p.max()
        if not (low >= -PROBA_SLACK and high <= 1 + PROBA_SLACK):  # NaN fails this too
            raise BadOutput("probabilities outside [0, 1]")
        if low < 0 or high > 1:
            p = np.clip(p, 0.0, 1.0)
        return p.tolist()
