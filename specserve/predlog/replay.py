"""Replay: re-score logged rows with another version and say how often it agrees.

Each record's named inputs go through the version's own signature, as a request's would; a
row with a redacted input, or with inputs the version does not take (a refusal), cannot be
re-scored and is counted by reason, never guessed at. The rest are scored in batches and
compared with what was answered: classifiers, clusterers and outlier detectors agree when
the label (or cluster, or ±1) is equal; a regressor agrees within `tolerance`, and its
|Δ| is summarised (median, p95, max). A `/v2` record's answer is its `predict` output.
Records are consumed as they come, `BATCH` at a time: the counts add up, so the log is never
held whole (a regressor keeps 8 bytes per row for its |Δ| summary).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from specserve.errors import ApiError
from specserve.predlog.records import REDACTED, names_of
from specserve.serving.model import Model

BATCH = 512


@dataclass
class Group:
    """The rows answered by one logged version, re-scored by the candidate."""

    version: str
    rows: int = 0
    agree: int = 0
    deltas: array[float] = field(default_factory=lambda: array("d"))

    @property
    def disagree(self) -> int:
        return self.rows - self.agree

    @property
    def rate(self) -> float:
        return self.disagree / self.rows if self.rows else 0.0


@dataclass
class Outcome:
    model: str
    version: str
    task: str
    read: int = 0
    groups: dict[str, Group] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # reason → rows not re-scored

    @property
    def rows(self) -> int:
        return sum(g.rows for g in self.groups.values())

    @property
    def disagree(self) -> int:
        return sum(g.disagree for g in self.groups.values())

    @property
    def rate(self) -> float:
        return self.disagree / self.rows if self.rows else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "version": self.version,
            "task": self.task,
            "read": self.read,
            "rescored": self.rows,
            "disagree": self.disagree,
            "disagreement": self.rate,
            "not_rescored": dict(self.skipped),
            "by_version": [
                {
                    "logged_version": g.version,
                    "rows": g.rows,
                    "agree": g.agree,
                    "disagree": g.disagree,
                    "disagreement": g.rate,
                    **({"abs_delta": summary(g.deltas)} if g.deltas else {}),
                }
                for g in self.groups.values()
            ],
        }


def replay(model: Model, records: Iterable[dict[str, Any]], tolerance: float) -> Outcome:
    outcome = Outcome(model.name, model.version, model.task)
    ready: list[tuple[dict[str, Any], np.ndarray]] = []
    for record in records:
        outcome.read += 1
        why, x = rescorable(model, record)
        if why:
            outcome.skipped[why] = outcome.skipped.get(why, 0) + 1
            continue
        ready.append((record, x))
        if len(ready) >= BATCH:
            rescore(model, outcome, ready, tolerance)
            ready = []
    if ready:
        rescore(model, outcome, ready, tolerance)
    return outcome


def rescore(
    model: Model, outcome: Outcome, ready: list[tuple[dict[str, Any], Any]], tolerance: float
) -> None:
    scored = model.score(np.concatenate([x for _, x in ready]))
    for i, (record, _) in enumerate(ready):
        row = scored.row(i)
        mine = row.label if row.label is not None else row.prediction
        compare(outcome, model.task, record, mine, tolerance)


def rescorable(model: Model, record: dict[str, Any]) -> tuple[str | None, Any]:
    """(None, the row as the model's matrix) or (why it cannot be re-scored, None)."""
    inputs = record.get("inputs")
    if not isinstance(inputs, dict):
        return "no inputs logged", None
    if any(v == REDACTED for v in inputs.values()):
        return "redacted inputs", None
    if answered(record) is None:
        return "no prediction logged", None
    try:
        if model.signature is not None:
            return None, model.signature.matrix([inputs], "$.inputs")
        names = names_of(model)
        if set(inputs) != set(names):
            return "inputs the version does not take", None
        return None, np.array([[inputs[n] for n in names]], dtype=np.float64)
    except (ApiError, TypeError, ValueError):
        return "inputs the version does not take", None


def answered(record: dict[str, Any]) -> Any:
    """The label (or value) the service answered for this row."""
    outputs = record.get("outputs") or {}
    for key in ("label", "prediction", "predict"):
        if outputs.get(key) is not None:
            return outputs[key]
    return None


def compare(outcome: Outcome, task: str, record: dict[str, Any], mine: Any, tol: float) -> None:
    logged_version = str(record.get("version"))
    group = outcome.groups.setdefault(logged_version, Group(logged_version))
    group.rows += 1
    theirs = answered(record)
    if task == "regression":
        delta = abs(float(mine) - float(theirs))
        group.deltas.append(delta)
        group.agree += delta <= tol
    else:
        group.agree += same(mine, theirs)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)


def summary(deltas: Iterable[float]) -> dict[str, float]:
    d = np.asarray(deltas)
    return {
        "median": float(np.median(d)),
        "p95": float(np.percentile(d, 95)),
        "max": float(d.max()),
    }
