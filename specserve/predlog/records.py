"""One record per scored row, built on the request path: only what it costs to copy.

A record names its inputs by the version's signature (a positional row maps to the names in
order), replaces the redacted ones with `"[redacted]"`, and keeps the row's answer fields as
they were answered (`/v1`: prediction, probability, label, probabilities, score; `/v2`: each
output tensor's values for that row, by output name). `latency_ms` is the scoring time the
answer reports (`processing_time_ms`: a batch row's share of its call), or for `/v2` the
data plane's time for the whole request. Serialising is the writer thread's
work (`specserve.predlog.writer`), so a request pays for a few dicts, never for JSON.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from specserve.serving.caller import Caller
from specserve.serving.model import Model
from specserve.serving.outputs import Scored

REDACTED = "[redacted]"
ANSWER_FIELDS = ("prediction", "probability", "label", "probabilities", "score")
CACHED = 64  # loaded versions whose names are kept
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # a record's time: UTC, microseconds, sorts as text


class Outputs(dict[str, Any]):
    """A `/v2` row's outputs by output name: logged whole."""


class Naming:
    """A version's input names and the ones it redacts, worked out once per loaded version."""

    def __init__(self, redact: Iterable[str]) -> None:
        self.redact = frozenset(redact)
        self._cache: dict[int, tuple[weakref.ref[Model], tuple[str, ...], frozenset[str]]] = {}

    def of(self, model: Model) -> tuple[tuple[str, ...], frozenset[str]]:
        hit = self._cache.get(id(model))
        if hit is None or hit[0]() is not model:
            if len(self._cache) >= CACHED:  # versions come and go: keep it small
                self._cache.clear()
            hit = weakref.ref(model), names_of(model), self.redact | redacted_by(model)
            self._cache[id(model)] = hit
        return hit[1], hit[2]


def names_of(model: Model) -> tuple[str, ...]:
    if model.signature is not None:
        return model.signature.names
    return tuple(f"f{i}" for i in range(model.n_features))


def redacted_by(model: Model) -> frozenset[str]:
    """The inputs the version's signature marks `"redact": true`."""
    signature = model.signature
    if signature is None:
        return frozenset()
    return frozenset(i.name for i in signature.inputs if getattr(i, "redact", False))


def now_iso() -> str:
    """UTC with microseconds and a `Z`, as every record carries it."""
    return datetime.now(UTC).strftime(TIME_FORMAT)


def build(
    naming: Naming,
    model: Model,
    caller: Caller | None,
    request_id: str,
    rows: Sequence[Any] | np.ndarray,
    answers: Sequence[dict[str, Any]],
    latency_ms: float,
) -> list[dict[str, Any]]:
    names, redact = naming.of(model)
    if isinstance(rows, np.ndarray):
        rows = rows.tolist()
    head: dict[str, Any] = {
        "time": now_iso(),
        "request_id": request_id,
        "trace_id": caller.trace_id if caller else None,
        "key_id": caller.key_id if caller else None,
        "route": caller.route if caller else None,
        "model": model.name,
        "version": model.version,
    }
    latency = round(latency_ms, 4)
    out = []
    for row, answer in zip(rows, answers, strict=False):
        record = dict(head)
        if "request_id" in answer:  # a batch row's own id
            record["request_id"] = answer["request_id"]
        record["inputs"] = named(row, names, redact)
        if type(answer) is Outputs:
            record["outputs"] = answer
        else:
            record["outputs"] = {k: answer[k] for k in ANSWER_FIELDS if k in answer}
        record["latency_ms"] = latency
        out.append(record)
    return out


def named(row: Any, names: tuple[str, ...], redact: frozenset[str]) -> dict[str, Any]:
    values = dict(row) if isinstance(row, dict) else dict(zip(names, row, strict=False))
    for name in redact:
        if name in values:
            values[name] = REDACTED
    return values


class V2Answers(Sequence[dict[str, Any]]):
    """An infer's answer per row, by output name, made only when a record is (most
    requests are not logged: the log off, or not sampled)."""

    def __init__(self, model: Model, scored: Scored, names: Sequence[str]) -> None:
        self.model, self.scored, self.names = model, scored, names

    def __len__(self) -> int:
        return len(self.scored.predictions)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(len(self))[i]]
        from specserve.serving import tensors

        row = self.scored.row(i)
        specs = tensors.output_specs(self.model)
        one = Scored.of(row)
        out = Outputs()
        for name in self.names:
            values = tensors.output_values(name, specs[name]["datatype"], one)
            out[name] = values if name == "predict_proba" else values[0]
        return out
